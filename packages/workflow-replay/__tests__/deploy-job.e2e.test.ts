// deploy-ecs.yml's deploy job replayed on the real bundled actions (promotions by digest: plan and deploy run, no
// Docker), the ECS emulator on a scaled clock as the service, a loopback HTTP server as its endpoints. What the job
// does after a stable rollout: the endpoint probes' verdict rolls back, a probe that could not run does not, and the
// workflow's outputs name what the service runs at the end.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { repoRoot } from '@hokusai/action-harness';
import { loadScenario, SCENARIOS_DIR, startEmulator, type EmulatorHandle } from '@hokusai/ecs-emulator';
import { awsCredentialsStandIn, checkoutStandIn, replayWorkflow, type ReplayRecord } from '../src/index.js';

const WORKFLOW = path.join(repoRoot, '.github', 'workflows', 'deploy-ecs.yml');
const TIME_SCALE = 20;
const REGION = 'us-east-1';
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api';

let scratch: string;
let repository: string;
let emulator: EmulatorHandle;
let ecs: ECSClient;
let endpoints: Server;
let base = '';

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'hokusai-deploy-job-'));
  repository = path.join(scratch, 'repository');
  mkdirSync(repository);
  emulator = await startEmulator({
    scenario: loadScenario(path.join(SCENARIOS_DIR, 'healthy-rollout.yaml')),
    port: 0,
    timeScale: TIME_SCALE,
  });
  ecs = new ECSClient({
    endpoint: emulator.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  // /health answers 200 {"status":"ok"}; /broken answers 503, as a service that deployed but cannot serve.
  endpoints = createServer((request, response) => {
    const ok = request.url === '/health';
    response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
  });
  await new Promise<void>((resolve) => endpoints.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(endpoints.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  ecs?.destroy();
  await Promise.all([
    emulator?.close(),
    new Promise<void>((resolve) => (endpoints ? endpoints.close(() => resolve()) : resolve())),
  ]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

let runId = 200;
/** One call of deploy-ecs.yml promoting `image` to hokusai/hokusai-api. */
function promote(image: string, inputs: Record<string, string>, secrets: Record<string, string> = {}) {
  runId += 1;
  return replayWorkflow({
    workflow: WORKFLOW,
    inputs: {
      'aws-region': REGION,
      'role-to-assume': 'arn:aws:iam::123456789012:role/hokusai-api-deploy',
      cluster: 'hokusai',
      service: 'hokusai-api',
      image,
      ...inputs,
    },
    secrets,
    github: {
      repository: 'acme/hokusai-api',
      server_url: 'https://github.com',
      actor: 'octocat',
      sha: 'f'.repeat(40),
      run_id: String(runId),
      run_attempt: '1',
    },
    checkout: repository,
    scratch,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' },
    standIns: {
      'actions/checkout': checkoutStandIn(repository),
      'aws-actions/configure-aws-credentials': awsCredentialsStandIn(() => ({
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      })),
    },
    inputOverrides: {
      'deploy/deploy': {
        'poll-interval': `${10_000 / TIME_SCALE}ms`,
        'stable-for': `${60 / TIME_SCALE}s`,
        timeout: '2m',
      },
      // One round of probes: an unhealthy endpoint is a verdict at once, not after endpoint-probe's 2 minutes.
      'deploy/probe': { wait: '1s', interval: '200ms', 'consecutive-successes': '1' },
      'deploy/rollback': { 'poll-interval': '1s', 'stable-for': `${60 / TIME_SCALE}s` },
    },
  });
}

const step = (record: ReplayRecord, id: string) => record.jobs.deploy!.steps.find((s) => s.id === id)!;
const digest = (c: string) => `${REGISTRY}@sha256:${c.repeat(64)}`;

/** The task definition the service runs and its api container's image, read back with the AWS SDK. */
async function running(): Promise<{ taskDefinition: string; image: string | undefined }> {
  const described = await ecs.send(
    new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }),
  );
  const taskDefinition = described.services![0]!.taskDefinition!;
  const definition = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
  return {
    taskDefinition,
    image: definition.taskDefinition?.containerDefinitions?.find((c) => c.name === 'api')?.image,
  };
}

describe('after a stable rollout: the probes decide, and the outputs name what the service runs', () => {
  test('healthy probes: succeeded, the deployed revision and image', async () => {
    const run = await promote(digest('a'), { 'health-urls': `${base}/health` });
    expect(run.jobs.deploy!.result).toBe('success');
    const now = await running();
    expect(run.outputs).toMatchObject({
      result: 'succeeded',
      'task-definition-arn': now.taskDefinition,
      'image-uri-with-digest': digest('a'),
    });
    expect(now.image).toBe(digest('a'));
    expect(step(run, 'outcome').log.trim()).toBe(`deploy succeeded: the service runs ${now.taskDefinition}`);
  });

  test("the probes' verdict (unhealthy) rolls back: result rolled-back, the revision rolled back to, no image", async () => {
    const before = await running();
    const run = await promote(digest('b'), { 'health-urls': `${base}/broken` });
    expect(run.jobs.deploy!.result).toBe('failure');
    expect(step(run, 'probe').outputs.healthy).toBe('false');
    const rollback = step(run, 'rollback');
    expect(rollback.outcome).toBe('success');
    expect(rollback.inputs['failure-reason']).toMatch(
      /^endpoint-probe found the service unhealthy \(error rate 1, p95 \d+ ms; see the Probe step's summary\)$/,
    );
    const now = await running();
    expect(now).toEqual(before); // back on the revision and image that served before
    expect(run.outputs).toMatchObject({
      result: 'rolled-back',
      'task-definition-arn': before.taskDefinition,
      'image-uri-with-digest': '',
      'previous-task-definition-arn': before.taskDefinition,
    });
    expect(step(run, 'deploy').outputs['task-definition-arn']).not.toBe(before.taskDefinition);
  });

  test('a probe that cannot run (a malformed probe-headers secret) rolls nothing back: unverified, the new revision stays', async () => {
    const run = await promote(
      digest('c'),
      { 'health-urls': `${base}/health` },
      { 'probe-headers': 'Bad Header: x' },
    );
    expect(run.jobs.deploy!.result).toBe('failure');
    const probe = step(run, 'probe');
    expect(probe.outcome).toBe('failure');
    expect(probe.outputs.healthy).toBeUndefined();
    expect(step(run, 'rollback').outcome).toBe('skipped');
    const now = await running();
    expect(now.image).toBe(digest('c'));
    expect(run.outputs).toMatchObject({
      result: 'unverified',
      'task-definition-arn': now.taskDefinition,
      'image-uri-with-digest': digest('c'),
    });
    const errors = step(run, 'outcome')
      .annotations.filter((a) => a.level === 'error')
      .map((a) => a.message);
    expect(errors).toEqual([
      `the endpoint probes could not run (see the Probe step's error: a bad health-urls or probe-headers?): the service stays on ${now.taskDefinition.split('/').pop()}, not rolled back`,
    ]);
  });
});
