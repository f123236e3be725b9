// The bundled action against an AWS endpoint that accepts connections and never answers (the trial's silent hang,
// killed at 150 s with nothing said): every request ends at aws-kit's request timeout (20 s), the one retry policy
// gives a timed-out call 3 attempts, and the step ends with one line naming the call. A cancel during such a call
// ends the step after it, in one line. Only outcomes are asserted: the waits are real (a request timeout is wall
// time) and bounded; the jest timeouts allow for them generously.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import net from 'node:net';
import { runAction, type RunActionOptions } from '@hokusai/action-harness';

const held = new Set<net.Socket>();
let connected: () => void = () => {};
const blackHole = net.createServer((socket) => {
  held.add(socket);
  connected();
});
beforeAll(() => new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve)));
afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
});

function monitor(options: Partial<RunActionOptions> = {}) {
  return runAction({
    action: 'ecs-service-monitoring',
    inputs: { cluster: 'hokusai', service: 'hokusai-api' },
    env: {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
    timeoutMs: 200_000,
    ...options,
  });
}

const errors = (run: Awaited<ReturnType<typeof monitor>>) =>
  run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

test('no answer: one line naming the call after 3 timed-out attempts, a summary, changed false', async () => {
  const run = await monitor();
  try {
    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      'describing cluster hokusai: ECS DescribeClusters failed after 3 attempts (it timed out again and again): no answer within the 20s request timeout',
    ]);
    expect(run.summary).toContain('❌ **Failed:** describing cluster hokusai');
    expect(run.outputs.changed).toBe('false');
  } finally {
    await run.cleanup();
  }
}, 240_000);

test('cancelled while a call hangs: one line once the call ends, nothing changed, exit code 1', async () => {
  const firstConnection = new Promise<void>((resolve) => (connected = resolve));
  const run = await monitor({ signal: 'SIGTERM', signalWhen: firstConnection });
  try {
    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual(['cancelled (SIGTERM): 0 changes were made before it; nothing was changed']);
    expect(run.summary).toContain('⏹️ **Cancelled (SIGTERM):**');
  } finally {
    await run.cleanup();
  }
}, 120_000);
