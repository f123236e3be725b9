import { describe, expect, test } from '@jest/globals';
import { SUMMARY_MAX_BYTES } from '@hokusai/action-kit';
import { buildReport, cancelledSummaryMarkdown, summaryMarkdown, type RunContext } from '../src/report.js';
import { cancelledOutcome, type ImportOutcome } from '../src/smoke-test.js';

const ok: ImportOutcome = {
  import: 'src.api.health:router',
  ok: true,
  seconds: 0.0421234567,
  timedOut: false,
  slow: false,
  output: '',
};
const slow: ImportOutcome = { ...ok, import: 'src.slow.sluggish', seconds: 40, slow: true };
const broken: ImportOutcome = {
  import: 'from src.api.main import app',
  ok: false,
  seconds: 0.01,
  timedOut: false,
  slow: false,
  output: '',
  error: {
    type: 'SyntaxError',
    message: 'invalid syntax',
    traceback:
      'Traceback (most recent call last):\n  File "/app/src/api/main.py", line 3\nSyntaxError: invalid syntax\n',
    location: { file: 'src/services/model_registry.py', line: 26, col: 30 },
  },
};
const hung: ImportOutcome = {
  import: 'from src.slow import hang',
  ok: false,
  seconds: 60,
  timedOut: true,
  slow: false,
  output: '',
  error: {
    type: 'Timeout',
    message: 'the import did not finish within the 1m00s timeout and was killed',
    traceback: '',
  },
};
const onRunner: RunContext = {
  python: 'python3',
  pythonVersion: '3.12.1',
  workingDirectory: '.',
  timeoutMs: 60_000,
};
const inImage: RunContext = { ...onRunner, image: 'api:1cdcfc3', network: 'none' };

describe('buildReport', () => {
  test.each([
    { name: 'all passed', outcomes: [ok], imported: 1, failed: 0 },
    { name: 'mixed', outcomes: [ok, broken, hung, slow], imported: 2, failed: 2 },
    { name: 'empty', outcomes: [], imported: 0, failed: 0 },
  ])('$name', ({ outcomes, imported, failed }) => {
    const report = buildReport(outcomes, inImage);
    expect(report).toMatchObject({
      imported,
      failed,
      image: 'api:1cdcfc3',
      timeoutSeconds: 60,
      pythonVersion: '3.12.1',
    });
    expect(report.imports.map((e) => e.import)).toEqual(outcomes.map((o) => o.import));
  });

  test('an entry per import with ok, seconds, error type, message, traceback and location', () => {
    const [first, second, third] = buildReport([ok, broken, hung], onRunner).imports;
    expect(first).toEqual({
      import: 'src.api.health:router',
      ok: true,
      seconds: 0.042123,
      timedOut: false,
      slow: false,
      errorType: null,
      message: null,
      traceback: null,
      file: null,
      line: null,
      cancelled: false,
      leftovers: [],
    });
    expect(second).toMatchObject({
      ok: false,
      errorType: 'SyntaxError',
      message: 'invalid syntax',
      traceback: broken.error!.traceback,
      file: 'src/services/model_registry.py',
      line: 26,
    });
    expect(third).toMatchObject({ ok: false, timedOut: true, errorType: 'Timeout', file: null });
  });
});

describe('summaryMarkdown', () => {
  test.each([
    {
      name: 'all passed on the runner',
      outcomes: [ok, slow],
      context: onRunner,
      contains: [
        '✅ all 2 imports succeeded',
        'on the runner in `.`',
        '⚠️ slow',
        '| `src.api.health:router` | ✅ ok | 42ms |',
      ],
      absent: ['<details>'],
    },
    {
      name: 'locations link to the source at the commit',
      outcomes: [broken],
      context: { ...onRunner, sourceUrl: 'https://github.com/hokusai/api/blob/1cdcfc3/' },
      contains: [
        '[src/services/model\\_registry.py:26](https://github.com/hokusai/api/blob/1cdcfc3/src/services/model_registry.py#L26)',
      ],
      absent: ['`src/services/model_registry.py:26`'],
    },
    {
      name: 'failures in an image',
      outcomes: [ok, broken, hung],
      context: inImage,
      contains: [
        '❌ 2 of 3 imports failed',
        'in image `api:1cdcfc3` (network: none)',
        '| `from src.api.main import app` | ❌ failed | 10ms | `src/services/model_registry.py:26` | SyntaxError: invalid syntax |',
        '⏱️ timed out',
        '<details><summary>from src.api.main import app — SyntaxError: invalid syntax (src/services/model\\_registry.py:26)</summary>',
        '```pytb\nTraceback (most recent call last):',
      ],
      absent: ['<summary>from src.slow import hang'],
    },
  ])('$name', ({ outcomes, context, contains, absent }) => {
    const markdown = summaryMarkdown(outcomes, context);
    expect(markdown.startsWith('## Import smoke test\n')).toBe(true);
    for (const text of contains) expect(markdown).toContain(text);
    for (const text of absent) expect(markdown).not.toContain(text);
  });
});

describe('summary size', () => {
  // 150 failing imports whose messages are 20 KB each (an exception quoting a large config) made a 9 MB summary,
  // which GitHub drops whole.
  const huge = (i: number): ImportOutcome => ({
    ...broken,
    import: `import src.big${i}`,
    error: {
      type: 'RuntimeError',
      message: `bad config ${'x'.repeat(20_000)}`,
      traceback: `Traceback (most recent call last):\n${'  File "/app/src/big.py", line 1, in <module>\n'.repeat(500)}RuntimeError: ${'x'.repeat(20_000)}\n`,
      location: { file: `src/big${i}.py`, line: 1 },
    },
  });
  test('150 failures with 20 KB messages stay under 1 MiB, every import listed', () => {
    const outcomes = Array.from({ length: 150 }, (_, i) => huge(i));
    const markdown = summaryMarkdown(outcomes, onRunner);
    expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThan(SUMMARY_MAX_BYTES);
    expect(markdown).toContain('❌ 150 of 150 imports failed');
    for (const o of outcomes) expect(markdown).toContain(`| \`${o.import}\` | ❌ failed |`);
    expect(markdown).toContain('(20025 characters; all in the report file)');
  });
  test('past the row limit the rest is counted, not listed', () => {
    const outcomes = Array.from({ length: 1000 }, (_, i) => huge(i));
    const markdown = summaryMarkdown(outcomes, onRunner);
    expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThan(SUMMARY_MAX_BYTES);
    expect(markdown).toContain(
      '…and 700 more imports (700 of them failed): all of them are in the report file',
    );
    expect(markdown).toContain('more tracebacks are not shown here');
  });
});

describe('cancellation', () => {
  test('a cancelled import is neither imported nor failed; the summary says what had finished', () => {
    const stopped = cancelledOutcome({ text: 'src.slow.hang', steps: [] } as never);
    const report = buildReport([ok, broken, stopped], onRunner);
    expect(report).toMatchObject({ imported: 1, failed: 1 });
    expect(report.imports[2]).toMatchObject({ cancelled: true, ok: false });
    const markdown = cancelledSummaryMarkdown([ok, broken, stopped], onRunner, 'SIGTERM');
    expect(markdown).toContain('⏹️ cancelled (SIGTERM) after 2 of 3 imports finished (1 failed)');
    expect(markdown).toContain('| `src.slow.hang` | ⏹️ cancelled | 0ms |  |  |');
  });
});
