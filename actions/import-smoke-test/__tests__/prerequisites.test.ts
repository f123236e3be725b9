import { describe, expect, test } from '@jest/globals';
import { HARNESS_SOURCE } from '../src/harness.js';
import { dockerDaemonNotAnswering, probeFailureReason } from '../src/prerequisites.js';

const outcome = (stderr: string, exitCode = 1) => ({
  exitCode,
  signal: null,
  stdout: '',
  stderr,
  timedOut: false,
});

describe('probeFailureReason', () => {
  test.each([
    {
      name: 'a program that echoes its -c argument: the script is left out',
      stderr: `Can't open perl script "${HARNESS_SOURCE}": File name too long\n`,
      expected:
        'it exited (exit code 2) without running the probe — is it a Python 3.8+ interpreter?: Can\'t open perl script "<the probe script>": File name too long',
    },
    {
      name: 'a shell quoting a line of the script',
      stderr:
        "bash: -c: line 4: syntax error near unexpected token `('\nbash: -c: line 4: `_head = sys.path.pop(0) if sys.path and sys.path[0] in ('', '.') else None'\n",
      expected:
        "it exited (exit code 2) without running the probe — is it a Python 3.8+ interpreter?: bash: -c: line 4: syntax error near unexpected token `('",
    },
    {
      name: '/bin/false: nothing said',
      stderr: '',
      expected: 'it exited (exit code 2) without running the probe — is it a Python 3.8+ interpreter?',
    },
  ])('$name', ({ stderr, expected }) => {
    const reason = probeFailureReason(outcome(stderr, 2));
    expect(reason).toBe(expected);
    expect(reason).not.toContain('\n');
  });
  test('a long line is shortened', () => {
    const reason = probeFailureReason(outcome(`error: ${'x'.repeat(5000)}`));
    expect(reason.length).toBeLessThan(400);
    expect(reason).toContain('(5007 characters)');
  });
  test('a spawn error is said as it is', () => {
    expect(probeFailureReason({ ...outcome(''), spawnError: 'spawn nosuch ENOENT' })).toBe(
      'spawn nosuch ENOENT',
    );
  });
});

describe('dockerDaemonNotAnswering', () => {
  test.each([
    'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    'error during connect: Get "http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/images/json": open //./pipe/docker_engine',
  ])('%s', (line) => {
    expect(dockerDaemonNotAnswering(`${line}\n`)).toBe(line);
  });
  test('a missing image is not a daemon problem', () => {
    expect(dockerDaemonNotAnswering('Error response from daemon: No such image: api:1\n')).toBeUndefined();
  });
});
