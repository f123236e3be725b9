// The bundled action against an AWS endpoint that accepts connections and never answers (the trial's silent hang):
// every request ends at the SDK request timeout aws-kit sets (20 s), the reads' retries end at the step's own short
// `timeout`, and the step says in one line that nothing was changed. Only outcomes are asserted: the wait is real
// (a request timeout is wall time), bounded by the request timeout, and allowed for generously.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import net from 'node:net';
import { runAction } from '@hokusai/action-harness';

const held = new Set<net.Socket>();
const blackHole = net.createServer((socket) => held.add(socket));
beforeAll(() => new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve)));
afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
});

test('a black-hole endpoint: one line naming the calls, nothing changed', async () => {
  const endpoint = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
  const run = await runAction({
    action: 'auto-rollback',
    inputs: {
      cluster: 'hokusai',
      service: 'hokusai-api',
      to: 'previous',
      'stable-for': '1s',
      timeout: '2s',
      'poll-interval': '1s',
    },
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
    timeoutMs: 150_000,
  });
  try {
    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([
      'TimeoutError kept coming back while reading service "hokusai-api" before the rollback (DescribeServices, DescribeTaskDefinition, ListTagsForResource): no change made; run it again',
    ]);
    expect(held.size).toBeGreaterThanOrEqual(1);
  } finally {
    await run.cleanup();
  }
}, 180_000);
