// deploy-ecs.yml's deploy job replayed on the real bundled actions (promotions by digest: plan and deploy run, no
// Docker), the ECS emulator on a scaled clock as the service, a loopback HTTP server as its endpoints, and a real git
// repository as the caller's checkout. What the job does:
// - the latest commit wins: a commit older than the service's last deploy is refused before any change (unless
//   allow-older-commit), a newer one, one of another line of history or of an unknown history deploys;
// - after a stable rollout: the endpoint probes' verdict rolls back, a probe that could not run does not;
// - the workflow's outputs name what the service runs at the end.
// Python tier: the job's Order and Record steps run the AWS CLI (a python3 program on this machine), as they do on
// GitHub's runners, against the emulator.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from '@aws-sdk/client-ecs';
import { repoRoot, requireCommand } from '@hokusai/action-harness';
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
/** The caller's history: OLD <- NEW on main, and OTHER <- OLD on another branch. */
const commits = { OLD: '', NEW: '', OTHER: '' };
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/hokusai/hokusai-api';
const DEPLOYED_COMMIT = 'hokusai:deployed-commit';

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd: repository,
    encoding: 'utf8',
  }).trim();
}

function commit(file: string, message: string): string {
  writeFileSync(path.join(repository, file), `${message}\n`);
  git('add', file);
  git('commit', '--quiet', '-m', message);
  return git('rev-parse', 'HEAD');
}

beforeAll(async () => {
  requireCommand('aws', "pip install awscli (GitHub's ubuntu runners have the AWS CLI)");
  scratch = mkdtempSync(path.join(tmpdir(), 'hokusai-deploy-job-'));
  repository = path.join(scratch, 'repository');
  mkdirSync(repository);
  git('init', '--quiet', '--initial-branch=main');
  commits.OLD = commit('app.py', 'the older commit');
  commits.NEW = commit('app.py', 'the newer commit');
  git('checkout', '--quiet', '-b', 'hotfix', commits.OLD);
  commits.OTHER = commit('hotfix.py', 'a commit of another branch');
  git('checkout', '--quiet', 'main');
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
/** One call of deploy-ecs.yml, run for commit `sha`, promoting `image` to hokusai/hokusai-api. */
function promote(
  sha: string,
  image: string,
  inputs: Record<string, string> = {},
  secrets: Record<string, string> = {},
) {
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
      sha,
      run_id: String(runId),
      run_attempt: '1',
    },
    checkout: repository,
    scratch,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
    },
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
const messages = (record: ReplayRecord, id: string, level: 'error' | 'warning' | 'notice') =>
  step(record, id)
    .annotations.filter((a) => a.level === level)
    .map((a) => a.message);

/** The commit the service's last deploy recorded, read back with the AWS SDK. */
async function recordedCommit(): Promise<string | undefined> {
  const listed = await ecs.send(new ListTagsForResourceCommand({ resourceArn: SERVICE_ARN }));
  return listed.tags?.find((t) => t.key === DEPLOYED_COMMIT)?.value;
}
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
    const run = await promote(commits.OLD, digest('a'), { 'health-urls': `${base}/health` });
    expect(run.jobs.deploy!.result).toBe('success');
    const now = await running();
    expect(run.outputs).toMatchObject({
      result: 'succeeded',
      'task-definition-arn': now.taskDefinition,
      'image-uri-with-digest': digest('a'),
    });
    expect(now.image).toBe(digest('a'));
    expect(step(run, 'outcome').log.trim()).toBe(`deploy succeeded: the service runs ${now.taskDefinition}`);
    // The first deploy through the workflow: nothing recorded before, this commit recorded after.
    expect(step(run, 'order').log).toContain(
      `no commit recorded on the service yet (tag ${DEPLOYED_COMMIT}): deploying ${commits.OLD.slice(0, 12)}`,
    );
    expect(await recordedCommit()).toBe(commits.OLD);
  });

  test("the probes' verdict (unhealthy) rolls back: result rolled-back, the revision rolled back to, no image", async () => {
    const before = await running();
    const run = await promote(commits.NEW, digest('b'), { 'health-urls': `${base}/broken` });
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
    expect(await recordedCommit()).toBe(commits.OLD); // the service runs the older commit again
  });

  test('a probe that cannot run (a malformed probe-headers secret) rolls nothing back: unverified, the new revision stays', async () => {
    const run = await promote(
      commits.NEW,
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
    expect(await recordedCommit()).toBe(commits.NEW); // it runs the newer commit
  });
});

describe('the latest commit wins, whatever order the runs reach the deploy job in', () => {
  test('an older run reaching the deploy job after a newer one deployed is refused in one line; nothing changes', async () => {
    expect(await recordedCommit()).toBe(commits.NEW);
    const before = await running();
    const run = await promote(commits.OLD, digest('d'));
    expect(run.jobs.deploy!.result).toBe('failure');
    expect(step(run, 'deploy').outcome).toBe('skipped');
    expect(messages(run, 'order', 'error')).toEqual([
      `not deploying ${commits.OLD.slice(0, 12)}: the service's last deploy was ${commits.NEW.slice(0, 12)}, a newer commit (${commits.OLD.slice(0, 12)} is its ancestor); nothing was changed. To deploy an older commit on purpose, set allow-older-commit: true`,
    ]);
    expect(await running()).toEqual(before);
    expect(await recordedCommit()).toBe(commits.NEW);
    expect(run.outputs).toMatchObject({
      result: 'refused',
      'task-definition-arn': before.taskDefinition,
      'image-uri-with-digest': '',
    });
  });

  test('allow-older-commit deploys the older commit on purpose, says so, and records it', async () => {
    const run = await promote(commits.OLD, digest('e'), { 'allow-older-commit': 'true' });
    expect(run.jobs.deploy!.result).toBe('success');
    expect(messages(run, 'order', 'warning')).toEqual([
      `deploying ${commits.OLD.slice(0, 12)}, older than ${commits.NEW.slice(0, 12)} (the service's last deploy), because allow-older-commit is true`,
    ]);
    expect((await running()).image).toBe(digest('e'));
    expect(await recordedCommit()).toBe(commits.OLD);
  });

  test('a newer commit deploys; a commit of another line of history deploys with a notice', async () => {
    const newer = await promote(commits.NEW, digest('f'));
    expect(newer.outputs.result).toBe('succeeded');
    expect(step(newer, 'order').log).toContain(
      `${commits.NEW.slice(0, 12)} is newer than ${commits.OLD.slice(0, 12)}, the service's last deploy: deploying`,
    );
    const other = await promote(commits.OTHER, digest('9'));
    expect(other.outputs.result).toBe('succeeded');
    expect(messages(other, 'order', 'notice')).toEqual([
      `${commits.OTHER.slice(0, 12)} and ${commits.NEW.slice(0, 12)} (the service's last deploy) are on different lines of history, neither is newer: deploying ${commits.OTHER.slice(0, 12)}`,
    ]);
    expect(await recordedCommit()).toBe(commits.OTHER);
  });

  test('a recorded commit this history does not have (another repository) is a warning, not a refusal', async () => {
    const foreign = randomBytes(20).toString('hex');
    await ecs.send(
      new TagResourceCommand({ resourceArn: SERVICE_ARN, tags: [{ key: DEPLOYED_COMMIT, value: foreign }] }),
    );
    const run = await promote(commits.OLD, digest('8'));
    expect(run.outputs.result).toBe('succeeded');
    expect(messages(run, 'order', 'warning')).toEqual([
      `the service's last deploy was of commit ${foreign}, which is not in this repository's history (another repository, or a rewritten history): which one is newer is unknown; deploying ${commits.OLD.slice(0, 12)}`,
    ]);
    expect(await recordedCommit()).toBe(commits.OLD);
  });
});
