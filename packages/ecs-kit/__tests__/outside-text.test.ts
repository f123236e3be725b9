// Secrets in outside text are redacted before the text is shortened to one line: a secret cut in half by the
// shortening no longer matches the secret, so redacting afterwards would let its first characters through.
import { describe, expect, test } from '@jest/globals';
import { redactSecrets } from '@hokusai/action-kit';
import { redactServiceInfo, redactTaskInfo } from '../src/outside-text.js';
import { describeStoppedTask } from '../src/stopped-task.js';
import { deployment, service, task } from './fixtures.js';

const SECRET = 'Db-2b7e-s3cr3t';
const redact = (text: string) => redactSecrets(text, [SECRET]);
/** Outside text whose secret starts 5 characters before the one-line cut (299 characters and an ellipsis). */
const straddling = (prefix: string) => `${prefix}${'x'.repeat(294 - prefix.length)} ${SECRET} (connecting)`;
/** Any 4 characters of the secret or more, in order from its start: what a cut leaves of it. */
const secretStart = SECRET.slice(0, 4);

const failedToStart = task('3f2a9c0e1b2d4e5f', {
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  stopCode: 'TaskFailedToStart',
  stoppedReason: straddling('Task failed to start: '),
  containers: [{ name: 'api', reason: straddling('CannotStartContainerError: ') }],
});

describe('redactTaskInfo: redaction comes before the one-line cut', () => {
  test('cutting first would leak the start of a secret straddling the cut (what this guards against)', () => {
    const cutThenRedacted = redact(describeStoppedTask(failedToStart, straddling('SyntaxError: ')));
    expect(cutThenRedacted).toContain(secretStart);
    expect(cutThenRedacted).not.toContain(SECRET);
  });

  test('the stopped reason and the containers’ reasons are redacted whole, then cut', () => {
    const redacted = redactTaskInfo(failedToStart, redact);
    const line = describeStoppedTask(redacted);
    expect(line).toMatch(/^task 3f2a9c0e… failed to start: CannotStartContainerError: x+ \*\*\* …$/);
    expect(line).not.toContain(secretStart);
    expect(redacted.stoppedReason).toBe(straddling('Task failed to start: ').replace(SECRET, '***'));
    // The task itself is not changed.
    expect(failedToStart.stoppedReason).toContain(SECRET);
  });

  test('a log line given as the detail, redacted as it was read, is cut after redaction', () => {
    const line = describeStoppedTask(
      redactTaskInfo(failedToStart, redact),
      redact(straddling('SyntaxError: ')),
    );
    expect(line).toMatch(/: SyntaxError: x+ \*\*\* …$/);
    expect(line).not.toContain(secretStart);
  });

  test('a task without outside text comes back equal', () => {
    const plain = task('a');
    expect(redactTaskInfo(plain, redact)).toEqual(plain);
  });
});

describe('redactServiceInfo', () => {
  test('event messages and rollout reasons are redacted', () => {
    const s = service(
      [deployment({ id: 'ecs-svc/1', status: 'PRIMARY', rolloutStateReason: `failed: ${SECRET}` })],
      { events: [{ id: 'e1', createdAt: 0, message: `(service api) ${SECRET}` }] },
    );
    const redacted = redactServiceInfo(s, redact);
    expect(redacted.events[0]!.message).toBe('(service api) ***');
    expect(redacted.deployments[0]!.rolloutStateReason).toBe('failed: ***');
    expect(JSON.stringify(redacted)).not.toContain(SECRET);
  });
});
