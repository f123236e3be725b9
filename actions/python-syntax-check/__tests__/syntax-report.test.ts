import { describe, expect, test } from '@jest/globals';
import type { CompileFailure } from '../src/compile-pool.js';
import { annotationFor, locationText, logLine, reportEntry, summaryMarkdown } from '../src/syntax-report.js';

const failure = (overrides: Partial<CompileFailure>): CompileFailure => ({
  path: 'src/services/model_registry.py',
  category: 'syntax',
  kind: 'SyntaxError',
  message: 'invalid syntax. Perhaps you forgot a comma?',
  line: 26,
  column: 41,
  endLine: 26,
  endColumn: 50,
  ...overrides,
});

describe('annotationFor', () => {
  test.each([
    {
      name: 'a full position',
      input: failure({}),
      expected: {
        title: 'SyntaxError',
        file: 'src/services/model_registry.py',
        line: 26,
        col: 41,
        endLine: 26,
        endColumn: 50,
      },
    },
    {
      name: 'Python 3.8: no end position',
      input: failure({ endLine: null, endColumn: null }),
      expected: { title: 'SyntaxError', file: 'src/services/model_registry.py', line: 26, col: 41 },
    },
    {
      name: 'a BOM contradicting the cookie: line 0, offset -1',
      input: failure({ line: 0, column: -1, endLine: null, endColumn: null }),
      expected: { title: 'SyntaxError', file: 'src/services/model_registry.py' },
    },
    {
      name: 'null bytes before 3.12: a ValueError without position',
      input: failure({ kind: 'ValueError', line: null, column: null, endLine: null, endColumn: null }),
      expected: { title: 'ValueError', file: 'src/services/model_registry.py' },
    },
    {
      name: 'an end before the start is dropped',
      input: failure({ line: 5, column: 3, endLine: 4, endColumn: 1 }),
      expected: { title: 'SyntaxError', file: 'src/services/model_registry.py', line: 5, col: 3 },
    },
    {
      name: 'an end column before the start column on the same line is dropped',
      input: failure({ line: 5, column: 8, endLine: 5, endColumn: 2 }),
      expected: { title: 'SyntaxError', file: 'src/services/model_registry.py', line: 5, col: 8, endLine: 5 },
    },
    {
      name: 'an unreadable file says so in its title',
      input: failure({
        category: 'unreadable',
        kind: 'PermissionError',
        message: 'Permission denied',
        line: null,
        column: null,
        endLine: null,
        endColumn: null,
      }),
      expected: { title: 'Unreadable file (PermissionError)', file: 'src/services/model_registry.py' },
    },
  ])('$name', ({ input, expected }) => {
    expect(annotationFor(input)).toEqual({ message: input.message, properties: expected });
  });
});

test('locationText and reportEntry', () => {
  expect(locationText(failure({}))).toBe('src/services/model_registry.py:26:41');
  expect(locationText(failure({ line: null, column: null }))).toBe('src/services/model_registry.py');
  expect(reportEntry(failure({ endLine: null, endColumn: null }))).toEqual({
    file: 'src/services/model_registry.py',
    line: 26,
    column: 41,
    endLine: null,
    endColumn: null,
    message: 'invalid syntax. Perhaps you forgot a comma?',
    kind: 'SyntaxError',
  });
});

describe('logLine', () => {
  test.each([
    {
      name: 'the usual case',
      input: failure({}),
      expected:
        '✗ src/services/model_registry.py:26:41: SyntaxError: invalid syntax. Perhaps you forgot a comma?',
    },
    {
      name: 'a name that would start a workflow command',
      input: failure({ path: '::error::x.py', line: 1, column: 1 }),
      expected: '✗ ::error::x.py:1:1: SyntaxError: invalid syntax. Perhaps you forgot a comma?',
    },
    {
      name: 'a newline in the name cannot start a new line',
      input: failure({ path: 'a\n::warning::b.py', line: null, message: 'm\r\n' }),
      expected: '✗ a\\n::warning::b.py: SyntaxError: m\\r\\n',
    },
  ])('$name', ({ input, expected }) => {
    expect(logLine(input)).toBe(expected);
  });
});

describe('summaryMarkdown', () => {
  const base = {
    pythonVersion: '3.12.1',
    pythonExecutable: '/usr/bin/python3',
    durationMs: 1234,
    skipped: [],
  };

  test('a clean run', () => {
    expect(summaryMarkdown({ ...base, checked: 12, failures: [] })).toBe(
      '## Python syntax check\n\n✅ 12 Python files compiled with Python 3.12.1 (`/usr/bin/python3`) in 1.2s: no syntax errors.\n',
    );
  });

  test('errors in a table; pipes and odd names escaped; skipped paths folded away', () => {
    const markdown = summaryMarkdown({
      ...base,
      checked: 3,
      failures: [
        failure({}),
        failure({ path: 'odd|name `x`.py', message: 'a | b <c>', line: null, column: null }),
      ],
      skipped: [{ path: 'pkg/dangling.py', reason: 'broken symlink (ENOENT)' }],
      changedSince: 'origin/main',
    });
    expect(markdown).toContain(
      '❌ 2 of 3 Python files changed since `origin/main` failed to compile with Python 3.12.1',
    );
    expect(markdown).toContain(
      '| `src/services/model_registry.py` | 26 | 41 | SyntaxError | invalid syntax. Perhaps you forgot a comma? |',
    );
    expect(markdown).toContain('| ``odd\\|name `x`.py`` |  |  | SyntaxError | a \\| b &lt;c&gt; |');
    expect(markdown).toContain('<details><summary>1 path skipped</summary>');
    expect(markdown).toContain('| `pkg/dangling.py` | broken symlink (ENOENT) |');
  });

  test('long lists are cut, with a count of the rest', () => {
    const failures = Array.from({ length: 5 }, (_, i) => failure({ path: `f${i}.py` }));
    const markdown = summaryMarkdown({ ...base, checked: 5, failures, maxRows: 2 });
    expect(markdown.match(/\| `f\d\.py` \|/g)).toHaveLength(2);
    expect(markdown).toContain('…and 3 more (all of them are in the report file).');
  });
});
