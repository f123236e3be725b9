// The bundled action against an AWS endpoint that accepts connections and never answers (the trial's silent hang):
// the request in flight is aborted at the step's own short `timeout` (2 s, well before aws-kit's 20 s request
// timeout), and the step says in one line which call got no answer and that nothing was changed. Only outcomes are
// asserted: the wait is real (wall time), bounded by the time limit, and allowed for generously.
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

test('a black-hole endpoint: one line naming the call, result failed, nothing changed', async () => {
  const endpoint = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
  const run = await runAction({
    action: 'ecs-deploy-and-wait',
    inputs: {
      cluster: 'hokusai',
      service: 'hokusai-api',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:abc1234',
      timeout: '2s',
      'poll-interval': '1s',
      'stable-for': '1s',
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
    expect(run.outputs.result).toBe('failed');
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([
      'plan step: DescribeServices kept failing (no answer before the time limit) before the deploy changed anything: nothing was changed; run the job again',
    ]);
    expect(held.size).toBeGreaterThanOrEqual(1);
  } finally {
    await run.cleanup();
  }
}, 180_000);
