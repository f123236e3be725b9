import { describe, expect, test } from '@jest/globals';
import { mypyAnnotation, mypyResult, mypySummary, planMypy } from '../src/mypy-report.js';

const FILES = ['bin/manage', 'src/api/main.py', 'src/api/types.pyi'];

describe('planMypy', () => {
  test.each([
    {
      name: 'auto without configuration: skipped',
      input: { mode: 'auto' as const, config: undefined },
      expected: { run: false, result: 'skipped', why: expect.stringContaining('does not configure mypy') },
    },
    {
      name: 'false: skipped even when configured',
      input: { mode: 'false' as const, config: { file: 'mypy.ini' } },
      expected: { run: false, result: 'skipped', why: 'input "mypy" is false' },
    },
    {
      name: 'auto with a configuration: the .py and .pyi files found, scripts left out',
      input: { mode: 'auto' as const, config: { file: 'pyproject.toml' } },
      expected: {
        run: true,
        targets: ['src/api/main.py', 'src/api/types.pyi'],
        why: 'pyproject.toml; checking the 2 .py file(s) found',
      },
    },
    {
      name: 'configured files: mypy chooses its targets',
      input: { mode: 'auto' as const, config: { file: 'mypy.ini', files: ['src'] } },
      expected: { run: true, targets: [], why: 'mypy.ini sets files = src' },
    },
    {
      name: 'true without a configuration runs with defaults',
      input: { mode: 'true' as const, config: undefined },
      expected: {
        run: true,
        targets: ['src/api/main.py', 'src/api/types.pyi'],
        why: 'input "mypy" is true; checking the 2 .py file(s) found',
      },
    },
    {
      name: 'syntax errors first',
      input: { mode: 'true' as const, config: undefined, syntaxErrors: 1 },
      expected: { run: false, result: 'skipped', why: 'files do not compile: fix the syntax errors first' },
    },
  ])('$name', ({ input, expected }) => {
    expect(planMypy({ files: FILES, syntaxErrors: 0, ...input })).toEqual(expected);
  });

  test('nothing to check', () => {
    expect(planMypy({ mode: 'true', config: undefined, files: ['bin/manage'], syntaxErrors: 0 })).toEqual({
      run: false,
      result: 'skipped',
      why: 'no .py file to check',
    });
  });
});

test('mypyAnnotation: file, line, column and the code in the title', () => {
  expect(mypyAnnotation({ file: 'a.py', line: 3, column: 5, message: 'm', code: 'arg-type' })).toEqual({
    message: 'm',
    properties: { title: 'mypy [arg-type]', file: 'a.py', line: 3, col: 5 },
  });
  expect(mypyAnnotation({ file: 'a.py', line: 3, message: 'm' }).properties).toEqual({
    title: 'mypy',
    file: 'a.py',
    line: 3,
  });
});

describe('mypySummary and mypyResult', () => {
  const plan = { run: true as const, targets: ['a.py'], why: 'mypy.ini; checking the 1 .py file(s) found' };

  test('failed: a table of the errors', () => {
    const outcome = {
      kind: 'failed' as const,
      command: 'python -m mypy',
      version: 'mypy 1.0.1 (compiled: yes)',
      errors: [
        {
          file: 'a.py',
          line: 2,
          column: 12,
          message: 'Incompatible return value type',
          code: 'return-value',
        },
      ],
    };
    const markdown = mypySummary(plan, outcome);
    expect(markdown).toContain(
      '❌ 1 type error (mypy 1.0.1 (compiled: yes), `python -m mypy`). mypy.ini; checking the 1 .py file(s) found.',
    );
    expect(markdown).toContain('| `a.py` | 2 | 12 | `return-value` | Incompatible return value type |');
    expect(mypyResult(outcome, plan)).toBe('failed');
  });

  test('passed, not installed, crashed and skipped', () => {
    expect(mypySummary(plan, { kind: 'passed', command: 'mypy', version: 'mypy 1.15.0' })).toContain(
      '✅ mypy 1.15.0 (`mypy`): no type errors.',
    );
    expect(mypySummary(plan, { kind: 'not-installed', detail: 'no mypy on PATH' })).toContain(
      '⚠️ mypy is not installed',
    );
    expect(mypySummary(plan, { kind: 'crashed', command: 'mypy', detail: 'error: bad option' })).toContain(
      'stopped without checking: error: bad option',
    );
    const skipped = { run: false as const, result: 'skipped' as const, why: 'input "mypy" is false' };
    expect(mypySummary(skipped, undefined)).toContain('Not run: input "mypy" is false.');
    expect(mypyResult(undefined, skipped)).toBe('skipped');
  });
});
