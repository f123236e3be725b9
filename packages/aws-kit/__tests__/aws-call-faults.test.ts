// Real SDK clients configured by awsClientConfig against local servers that misbehave as the trial's endpoints did:
// one that accepts connections and never answers (a black hole), one that answers HTML, one that throttles. The
// retries run on a virtual clock; the request timeout is wall time by nature, kept short here through
// awsClientConfig's `timeouts` option. Only outcomes are asserted, never how long anything took.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import net from 'node:net';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { VirtualClock } from '@hokusai/action-kit';
import {
  awsCallOf,
  awsClientConfig,
  DEFAULT_RETRY_POLICY,
  describeGiveUp,
  explainAwsError,
  isTimeoutError,
  nameAwsCalls,
  retryAwsCalls,
  withRetries,
} from '../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' };
let blackHole: net.Server;
let connections = 0;
const held = new Set<net.Socket>();
let answering: http.Server;
let mode: 'html' | 'throttle' = 'html';
let requests = 0;
const port = (server: net.Server) => (server.address() as net.AddressInfo).port;

beforeAll(async () => {
  blackHole = net.createServer((socket) => {
    connections++;
    held.add(socket);
  });
  answering = http.createServer((_req, res) => {
    requests++;
    if (mode === 'html') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    } else {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
    }
  });
  await Promise.all([
    new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve)),
  ]);
});
afterAll(async () => {
  for (const socket of held) socket.destroy();
  await Promise.all([
    new Promise((resolve) => blackHole.close(resolve)),
    new Promise((resolve) => {
      answering.closeAllConnections();
      answering.close(resolve);
    }),
  ]);
});

function ecsAt(endpointPort: number): ECSClient {
  const config = awsClientConfig('ECS', {
    region: 'eu-west-1',
    env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${endpointPort}` },
    timeouts: { requestTimeoutMs: 300 },
  });
  return nameAwsCalls(new ECSClient({ ...config, credentials }));
}

async function describeService(client: ECSClient): Promise<Error> {
  const clock = new VirtualClock(0);
  const error = await withRetries(
    () => client.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] })),
    DEFAULT_RETRY_POLICY,
    { clock },
  ).then(
    () => new Error('answered'),
    (e: Error) => e,
  );
  client.destroy();
  return error;
}

describe('an endpoint that accepts connections and never answers', () => {
  test('each request times out; the one policy retries it, gives up after 3, and says so in one line', async () => {
    const error = await describeService(ecsAt(port(blackHole)));
    expect(isTimeoutError(error)).toBe(true);
    expect(describeGiveUp(error)).toEqual({ attempts: 3, stoppedBy: 'timeouts' });
    expect(connections).toBeGreaterThanOrEqual(3);
    expect(awsCallOf(error)).toEqual({ service: 'ECS', operation: 'DescribeServices' });
    expect((explainAwsError(error, 'describing service api') as Error).message).toBe(
      'describing service api: ECS DescribeServices failed after 3 attempts (it timed out again and again): no answer within the 300ms request timeout',
    );
  });
});

describe('answers that are not AWS answers, or throttling that outlasts the retries', () => {
  test('an HTML 502 page: retried, then named with its status and content type', async () => {
    mode = 'html';
    requests = 0;
    const error = await describeService(ecsAt(port(answering)));
    expect(requests).toBe(DEFAULT_RETRY_POLICY.attempts);
    const message = (explainAwsError(error, 'describing service api') as Error).message;
    expect(message).toBe(
      'describing service api: ECS DescribeServices failed after 8 attempts: HTTP 502 with a body that is not an AWS response (text/html): a proxy, load balancer or endpoint in the way?',
    );
  });
  test("throttling, through a client whose every send is retried (retryAwsCalls): the call and AWS's words", async () => {
    mode = 'throttle';
    requests = 0;
    const client = retryAwsCalls(ecsAt(port(answering)), DEFAULT_RETRY_POLICY, {
      clock: new VirtualClock(0),
    });
    const error = await client.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] })).then(
      () => new Error('answered'),
      (e: Error) => e,
    );
    client.destroy();
    expect(requests).toBe(DEFAULT_RETRY_POLICY.attempts);
    expect((explainAwsError(error, 'describing service api') as Error).message).toBe(
      'describing service api: ECS DescribeServices failed after 8 attempts: throttled (ThrottlingException: Rate exceeded)',
    );
  });
});
