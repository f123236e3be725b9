import { describe, expect, test } from '@jest/globals';
import {
  hasTimeoutDump,
  parseHarnessOutput,
  parseStackDump,
  withoutStackDump,
} from '../src/harness-result.js';
import { RESULT_MARKER } from '../src/harness.js';

describe('parseHarnessOutput', () => {
  test.each([
    {
      name: 'only the result',
      stdout: `\n${RESULT_MARKER}{"ok":true,"seconds":0.5,"cwd":"/app","python":"3.12.1"}\n`,
      ok: true,
      appOutput: '',
    },
    {
      name: 'the app printed before and after (buffered output flushed at exit)',
      stdout: `loading\n${RESULT_MARKER}{"ok":true,"seconds":0.1,"cwd":"/w","python":"3.8.18"}\nbye\n`,
      ok: true,
      appOutput: 'loading\nbye',
    },
    { name: 'no result', stdout: 'Segmentation fault\n', ok: undefined, appOutput: 'Segmentation fault' },
  ])('$name', ({ stdout, ok, appOutput }) => {
    const parsed = parseHarnessOutput(stdout);
    expect(parsed.result?.ok).toBe(ok);
    expect(parsed.appOutput).toBe(appOutput);
  });
});

// faulthandler's format, as CPython 3.8–3.13 print it for dump_traceback_later (no thread is "current").
const singleThread = `Timeout (0:00:02)!
Thread 0x00007f8424032b80 (most recent call first):
  File "/app/src/slow/hang.py", line 7 in wait_for_server
  File "/app/src/slow/hang.py", line 10 in <module>
  File "<frozen importlib._bootstrap>", line 241 in _call_with_frames_removed
  File "<string>", line 104 in step
`;
const twoThreads = `Timeout (0:01:00)!
Thread 0x00007f0000000002 (most recent call first):
  File "/app/src/poller.py", line 3 in poll
  File "/usr/lib/python3.11/threading.py", line 975 in run

Thread 0x00007f0000000001 (most recent call first):
  File "/app/src/main.py", line 9 in <module>
  File "<string>", line 132 in main
`;

describe('parseStackDump', () => {
  test.each([
    {
      name: 'one thread: frames most recent last',
      stderr: singleThread,
      expected: [
        ['<string>', 104],
        ['<frozen importlib._bootstrap>', 241],
        ['/app/src/slow/hang.py', 10],
        ['/app/src/slow/hang.py', 7],
      ],
    },
    {
      name: 'several threads: the main (oldest, listed last) thread',
      stderr: twoThreads,
      expected: [
        ['<string>', 132],
        ['/app/src/main.py', 9],
      ],
    },
    {
      name: 'a fatal error names the current thread',
      stderr: `Fatal Python error: Segmentation fault\n\nThread 0x2 (most recent call first):\n  File "/a/t.py", line 1 in run\n\nCurrent thread 0x1 (most recent call first):\n  File "/a/m.py", line 5 in <module>\n`,
      expected: [['/a/m.py', 5]],
    },
    { name: 'no dump', stderr: 'Traceback (most recent call last):\n', expected: [] },
  ])('$name', ({ stderr, expected }) => {
    expect(parseStackDump(stderr).map((f) => [f.file, f.line])).toEqual(expected);
  });
});

describe('withoutStackDump and hasTimeoutDump', () => {
  test.each([
    {
      name: 'app output before the dump is kept',
      stderr: `warming up\n${singleThread}`,
      kept: 'warming up',
      dump: true,
    },
    { name: 'no dump', stderr: 'a warning\n', kept: 'a warning', dump: false },
    { name: 'output after the dump is kept', stderr: `${twoThreads}later\n`, kept: 'later', dump: true },
  ])('$name', ({ stderr, kept, dump }) => {
    expect(withoutStackDump(stderr).trim()).toBe(kept);
    expect(hasTimeoutDump(stderr)).toBe(dump);
  });
});
