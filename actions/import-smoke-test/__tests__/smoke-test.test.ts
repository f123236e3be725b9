import { describe, expect, test } from '@jest/globals';
import {
  boundedMap,
  failureLine,
  judgeOutcome,
  redact,
  tailOf,
  type ImportOutcome,
} from '../src/smoke-test.js';
import { parseImportLine } from '../src/import-spec.js';
import { RESULT_MARKER } from '../src/harness.js';
import type { ProcessOutcome } from '../src/launchers.js';

const spec = parseImportLine('from src.api.main import app')!;
const roots = [{ from: '/app', to: '' }];
const options = { timeoutMs: 10_000, roots, secrets: ['s3cret-value'] };

function exited(stdout: string, stderr = '', more: Partial<ProcessOutcome> = {}): ProcessOutcome {
  return { exitCode: 0, signal: null, stdout, stderr, timedOut: false, ...more };
}
function result(json: object): string {
  return `${RESULT_MARKER}${JSON.stringify({ cwd: '/app', python: '3.12.1', ...json })}\n`;
}

describe('judgeOutcome', () => {
  test.each<{
    name: string;
    outcome: ProcessOutcome;
    expected: Partial<ImportOutcome> & { errorType?: string; message?: string; file?: string; line?: number };
  }>([
    {
      name: 'success',
      outcome: exited(result({ ok: true, seconds: 0.25 })),
      expected: { ok: true, seconds: 0.25, slow: false, timedOut: false },
    },
    {
      name: 'success slower than half the timeout is slow',
      outcome: exited(result({ ok: true, seconds: 5.5 })),
      expected: { ok: true, slow: true },
    },
    {
      name: 'exactly half the timeout is not slow',
      outcome: exited(result({ ok: true, seconds: 5 })),
      expected: { ok: true, slow: false },
    },
    {
      name: 'a SyntaxError in a submodule: annotated at the SyntaxError',
      outcome: exited(
        result({
          ok: false,
          seconds: 0.01,
          error: {
            type: 'SyntaxError',
            message: 'invalid syntax',
            frames: [{ file: '/app/src/api/main.py', line: 3, function: '<module>' }],
            syntax: { file: '/app/src/services/model_registry.py', line: 26, column: 30, text: 'x' },
            traceback: 'Traceback ...\nSyntaxError: invalid syntax\n',
          },
        }),
      ),
      expected: {
        ok: false,
        errorType: 'SyntaxError',
        message: 'invalid syntax',
        file: 'src/services/model_registry.py',
        line: 26,
      },
    },
    {
      name: 'a secret in the message and the app output is redacted',
      outcome: exited(
        `connecting to s3cret-value\n${result({
          ok: false,
          seconds: 0.01,
          error: {
            type: 'ValueError',
            message: "bad URL 's3cret-value'",
            frames: [{ file: '/app/src/config.py', line: 6, function: '<module>' }],
            traceback: "ValueError: bad URL 's3cret-value'\n",
          },
        })}`,
      ),
      expected: {
        ok: false,
        errorType: 'ValueError',
        message: "bad URL '***'",
        output: 'connecting to ***',
        file: 'src/config.py',
        line: 6,
      },
    },
    {
      name: 'the harness ended itself at the timeout: the stack dump gives the location',
      outcome: exited(
        '',
        'Timeout (0:00:10)!\nThread 0x1 (most recent call first):\n  File "/app/src/slow/hang.py", line 7 in wait\n  File "<string>", line 104 in step\n',
        { exitCode: 1 },
      ),
      expected: {
        ok: false,
        timedOut: true,
        seconds: 10,
        errorType: 'Timeout',
        message: 'the import did not finish within the 10.0s timeout and was killed',
        file: 'src/slow/hang.py',
        line: 7,
        output: '',
      },
    },
    {
      name: 'killed by the backstop without a dump',
      outcome: exited('', '', { exitCode: null, signal: 'SIGKILL', timedOut: true }),
      expected: { ok: false, timedOut: true, errorType: 'Timeout' },
    },
    {
      name: 'the interpreter exited during the import (os._exit in the app)',
      outcome: exited('', 'bye\n', { exitCode: 3 }),
      expected: {
        ok: false,
        timedOut: false,
        errorType: 'InterpreterExit',
        message: 'the interpreter exited with code 3 before the import finished',
      },
    },
    {
      name: 'the interpreter was killed by a signal',
      outcome: exited('', 'Fatal Python error: Segmentation fault\n', { exitCode: null, signal: 'SIGSEGV' }),
      expected: {
        ok: false,
        errorType: 'InterpreterExit',
        message: 'the interpreter was killed by SIGSEGV before the import finished',
      },
    },
    {
      name: 'the interpreter could not start',
      outcome: exited('', '', { exitCode: -2, spawnError: 'spawn python9 ENOENT' }),
      expected: {
        ok: false,
        errorType: 'InterpreterExit',
        message: 'the interpreter could not be started: spawn python9 ENOENT',
      },
    },
  ])('$name', ({ outcome, expected }) => {
    const judged = judgeOutcome(spec, outcome, options);
    const { errorType, message, file, line, ...rest } = expected;
    expect(judged).toMatchObject(rest);
    expect(judged.import).toBe('from src.api.main import app');
    if (errorType !== undefined) expect(judged.error?.type).toBe(errorType);
    if (message !== undefined) expect(judged.error?.message).toBe(message);
    if (file !== undefined) expect(judged.error?.location).toMatchObject({ file, line });
    expect(JSON.stringify(judged)).not.toContain('s3cret-value');
  });
});

describe('failureLine', () => {
  const base = { import: 'x', ok: false, seconds: 0, timedOut: false, slow: false, output: '' };
  test.each<{ name: string; outcome: ImportOutcome; expected: string }>([
    {
      name: 'with a location',
      outcome: {
        ...base,
        error: {
          type: 'SyntaxError',
          message: 'invalid syntax',
          traceback: '',
          location: { file: 'a.py', line: 2 },
        },
      },
      expected: 'SyntaxError: invalid syntax (a.py:2)',
    },
    {
      name: 'a missing dependency names it',
      outcome: {
        ...base,
        error: {
          type: 'ModuleNotFoundError',
          message: "No module named 'redis'",
          traceback: '',
          module: 'redis',
        },
      },
      expected: `ModuleNotFoundError: No module named 'redis' — is "redis" installed for this interpreter?`,
    },
    {
      name: 'an empty message',
      outcome: { ...base, error: { type: 'KeyboardInterrupt', message: '', traceback: '' } },
      expected: 'KeyboardInterrupt',
    },
  ])('$name', ({ outcome, expected }) => {
    expect(failureLine(outcome)).toBe(expected);
  });
});

describe('redact', () => {
  test.each([
    { name: 'every occurrence', text: 'a=XY b=XY', secrets: ['XY'], expected: 'a=*** b=***' },
    { name: 'longest first', text: 'token-abc', secrets: ['abc', 'token-abc'], expected: '***' },
    { name: 'empty secrets ignored', text: 'keep', secrets: [''], expected: 'keep' },
  ])('$name', ({ text, secrets, expected }) => {
    expect(redact(text, secrets)).toBe(expected);
  });
});

describe('boundedMap', () => {
  test('never runs more than the limit at once and keeps the input order', async () => {
    let active = 0;
    let peak = 0;
    const delays = [30, 5, 20, 1, 10, 2];
    const results = await Promise.all(
      boundedMap(delays, 2, async (delay) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, delay));
        active--;
        return delay * 2;
      }),
    );
    expect(results).toEqual([60, 10, 40, 2, 20, 4]);
    expect(peak).toBe(2);
  });
});

describe('tailOf', () => {
  test.each([
    { name: 'short text unchanged', text: 'abc', max: 5, expected: 'abc' },
    { name: 'exactly the limit', text: 'abcde', max: 5, expected: 'abcde' },
    {
      name: 'long text keeps the end',
      text: 'abcdefgh',
      max: 3,
      expected: '[5 earlier characters not shown]\nfgh',
    },
  ])('$name', ({ text, max, expected }) => {
    expect(tailOf(text, max)).toBe(expected);
  });
});
