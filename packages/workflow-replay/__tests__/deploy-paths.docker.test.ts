// deploy-ecs.yml replayed on the real bundled actions for every way GitHub runs it: the real Docker engine builds
// and loads the image, moto answers ECR's API and a real registry holds the image, the ECS emulator runs the
// service. Third-party actions are stand-ins (src/stand-ins.ts); the only changes to the file's steps are the
// local registry host for ecr-push and shorter poll/stable times for ecs-deploy-and-wait (inputOverrides below).
//
// Each job starts from an engine without this repository's images, as a fresh runner would (freshRunner below).
// The caller's checkout is a git repository with two commits; the deploy job's Order and Record steps run the AWS CLI
// against the emulator (deploy-job.python.test.ts covers their refusals).
//
// Paths: first deploy; "Re-run all jobs"; a second environment of a commit already in ECR plus, in the same run, a
// promotion by digest; a task-definition template; two calls in one run where one push fails, then "Re-run failed jobs"; an image swapped
// between the build and the push job is refused.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  findPythons,
  repoRoot,
  requireCommand,
  requireDocker,
  requirePythonBaseImage,
  startMoto,
  startRegistry,
  type MotoServer,
  type RegistryServer,
} from '@hokusai/action-harness';
import {
  loadScenario,
  SCENARIOS_DIR,
  startEmulator,
  type EmulatorHandle,
  type Scenario,
} from '@hokusai/ecs-emulator';
import {
  ArtifactStore,
  awsCredentialsStandIn,
  checkoutStandIn,
  downloadArtifactStandIn,
  replayWorkflow,
  setupPythonStandIn,
  uploadArtifactStandIn,
  type ReplayRecord,
} from '../src/index.js';

const WORKFLOW = path.join(repoRoot, '.github', 'workflows', 'deploy-ecs.yml');
const TIME_SCALE = 20;
const REGION = 'us-east-1';
const REPOSITORY = `hokusai-replay-${randomBytes(4).toString('hex')}`;
/** Two commits of the caller's repository, SHA_1 <- SHA_2: the deploy job's Order step reads their history. */
let SHA_1 = '';
let SHA_2 = '';

let scratch: string;
let checkout: string;
let moto: MotoServer;
let registry: RegistryServer;
let emulator: EmulatorHandle;
let ecs: ECSClient;
let python: string;
let store: ArtifactStore;

beforeAll(async () => {
  requireDocker();
  requirePythonBaseImage();
  requireCommand('aws', "pip install awscli (GitHub's ubuntu runners have the AWS CLI)");
  scratch = mkdtempSync(path.join(tmpdir(), 'hokusai-deploy-paths-'));
  // The caller's repository: the demo's example API (the fixed commit), with its Dockerfile.api.
  checkout = path.join(scratch, 'repository');
  cpSync(path.join(repoRoot, 'packages', 'demo', 'example-api'), checkout, { recursive: true });
  rmSync(path.join(checkout, 'src', 'services', 'model_registry.py.broken'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], {
      cwd: checkout,
      encoding: 'utf8',
    }).trim();
  // Configuration read at import time, as many apps do: the import smoke test needs it (input smoke-test-env).
  writeFileSync(
    path.join(checkout, 'src', 'settings.py'),
    'import os\n\nDATABASE_URL = os.environ["DATABASE_URL"]\n',
  );
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git('commit', '--quiet', '-m', 'the fixed API');
  SHA_1 = git('rev-parse', 'HEAD');
  git('commit', '--quiet', '--allow-empty', '-m', 'the next commit');
  SHA_2 = git('rev-parse', 'HEAD');
  python = findPythons('3.12', '3.12')[0]!.executable;
  store = new ArtifactStore(path.join(scratch, 'artifacts'));
  [moto, registry] = await Promise.all([startMoto(), startRegistry()]);
  emulator = await startEmulator({ scenario: twoServices(), port: 0, timeScale: TIME_SCALE });
  ecs = new ECSClient({
    endpoint: emulator.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}, 120_000);

afterAll(async () => {
  ecs?.destroy();
  await Promise.all([emulator?.close(), moto?.stop(), registry?.stop()]);
  const images = spawnSync('docker', ['image', 'ls', '--format', '{{.ID}}', REPOSITORY], {
    encoding: 'utf8',
  });
  const ids = images.stdout.split('\n').filter(Boolean);
  if (ids.length) spawnSync('docker', ['image', 'rm', '-f', ...ids]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The healthy-rollout scenario with a second service, hokusai-api-staging, behind its own target group. */
function twoServices(): Scenario {
  const scenario = loadScenario(path.join(SCENARIOS_DIR, 'healthy-rollout.yaml'));
  const production = scenario.services![0]!;
  const group = scenario.targetGroups![0]!;
  scenario.targetGroups!.push({ ...group, name: 'hokusai-api-staging' });
  scenario.services!.push({
    ...production,
    name: 'hokusai-api-staging',
    desiredCount: 1,
    loadBalancers: [{ ...production.loadBalancers![0]!, targetGroup: 'hokusai-api-staging' }],
  });
  return scenario;
}

interface Call {
  inputs: Record<string, string>;
  github: Record<string, string>;
  registryHost?: string;
  rerunFailedOf?: ReplayRecord;
  beforeJob?: (job: string) => Promise<void>;
  secrets?: Record<string, string>;
  /**
   * The deploy job's CloudWatch, EventBridge and CloudWatch Logs on moto (ECS and ELBv2 stay on the emulator): what
   * the monitoring step needs, as the emulator serves neither dashboards, rules nor metric filters.
   */
  monitoringOnMoto?: boolean;
}

/** One call of deploy-ecs.yml, as a caller's job `uses: hokusai/actions/.github/workflows/deploy-ecs.yml@v1` makes it. */
function call({
  inputs,
  github,
  registryHost,
  rerunFailedOf,
  beforeJob,
  secrets,
  monitoringOnMoto,
}: Call): Promise<ReplayRecord> {
  return replayWorkflow({
    workflow: WORKFLOW,
    inputs: {
      'aws-region': REGION,
      'role-to-assume': 'arn:aws:iam::123456789012:role/hokusai-api-deploy',
      'ecr-repository': REPOSITORY,
      cluster: 'hokusai',
      'container-name': 'api',
      requirements: '',
      ...inputs,
    },
    github: { repository: 'acme/hokusai-api', server_url: 'https://github.com', actor: 'octocat', ...github },
    checkout,
    scratch,
    rerunFailedOf,
    ...(secrets ? { secrets } : {}),
    beforeJob: async (job) => {
      await beforeJob?.(job);
      freshRunner(job);
    },
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
      ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
    },
    standIns: {
      'actions/checkout': checkoutStandIn(checkout),
      'actions/setup-python': setupPythonStandIn(python),
      'actions/upload-artifact': uploadArtifactStandIn(store),
      'actions/download-artifact': downloadArtifactStandIn(store),
      'aws-actions/configure-aws-credentials': awsCredentialsStandIn((job) =>
        job === 'push'
          ? { ...moto.env }
          : {
              AWS_ENDPOINT_URL: emulator.endpoint,
              AWS_ACCESS_KEY_ID: 'testing',
              AWS_SECRET_ACCESS_KEY: 'testing',
              ...(monitoringOnMoto
                ? {
                    AWS_ENDPOINT_URL_CLOUDWATCH: moto.endpoint,
                    AWS_ENDPOINT_URL_EVENTBRIDGE: moto.endpoint,
                    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: moto.endpoint,
                  }
                : {}),
            },
      ),
    },
    inputOverrides: {
      'push/push': { registry: registryHost ?? registry.host, 'create-repository': 'true' },
      'deploy/deploy': {
        'poll-interval': `${10_000 / TIME_SCALE}ms`,
        'stable-for': `${60 / TIME_SCALE}s`,
        timeout: '2m',
      },
    },
  });
}

/**
 * Each job of a workflow runs on a fresh runner: no image and no build cache from an earlier job or run. All jobs
 * here share one Docker engine, so the images of this test's repository are removed before the jobs that use
 * Docker (its legacy builder caches through those images).
 */
function freshRunner(job: string): void {
  if (job !== 'build' && job !== 'push') return;
  const listed = spawnSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', REPOSITORY], {
    encoding: 'utf8',
  });
  const tags = listed.stdout.split('\n').filter((t) => t && !t.endsWith(':<none>'));
  if (tags.length) spawnSync('docker', ['image', 'rm', '-f', ...tags], { encoding: 'utf8' });
}

const results = (record: ReplayRecord) =>
  Object.fromEntries(Object.entries(record.jobs).map(([id, job]) => [id, job.result]));
const step = (record: ReplayRecord, job: string, id: string) =>
  record.jobs[job]!.steps.find((s) => s.id === id)!;
/** Imports of an app that reads required configuration at import time, and the placeholder it gets. */
const NEEDS_CONFIG = 'from src.api.main import app\nfrom src.settings import DATABASE_URL';
const SMOKE_TEST_ENV = 'DATABASE_URL=postgres://placeholder:placeholder@localhost/app';
const DIGEST_REF = new RegExp(`^127\\.0\\.0\\.1:\\d+/${REPOSITORY}@sha256:[0-9a-f]{64}$`);

/** The image the service's current task definition runs, read back from ECS (the emulator) with the AWS SDK. */
async function runningImage(service: string): Promise<string | undefined> {
  const described = await ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: [service] }));
  const taskDefinition = described.services?.[0]?.taskDefinition;
  const definition = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
  return definition.taskDefinition?.containerDefinitions?.find((c) => c.name === 'api')?.image;
}

describe('deploy-ecs.yml, every caller path, on the real bundled actions', () => {
  let firstDigestRef = '';

  test('first deploy: built once, the loaded image checked to be the tested one, deployed by digest', async () => {
    const run = await call({
      inputs: { service: 'hokusai-api', imports: NEEDS_CONFIG },
      secrets: { 'smoke-test-env': SMOKE_TEST_ENV },
      github: { sha: SHA_1, run_id: '101', run_attempt: '1' },
    });
    expect(results(run)).toEqual({
      plan: 'success',
      gate: 'success',
      build: 'success',
      push: 'success',
      deploy: 'success',
    });

    const build = run.jobs.build!.outputs;
    const push = step(run, 'push', 'push');
    expect(push.inputs['expected-image-id']).toBe(build['image-id']);
    expect(push.outputs['image-id']).toBe(build['image-id']);
    expect(push.outputs).toMatchObject({ pushed: 'true', reused: 'false' });
    expect(run.outputs['image-uri-with-digest']).toMatch(DIGEST_REF);
    expect(step(run, 'deploy', 'deploy').inputs.image).toBe(run.outputs['image-uri-with-digest']);
    expect(await runningImage('hokusai-api')).toBe(run.outputs['image-uri-with-digest']);
    expect(run.outputs.result).toBe('succeeded');
    // The app reads DATABASE_URL at import: smoke-test-env reached both smoke tests (runner and image).
    for (const [job, name] of [
      ['gate', 'Import smoke test (runner)'],
      ['build', 'Import smoke test (inside the image)'],
    ] as const) {
      const smoke = run.jobs[job]!.steps.find((s) => s.name === name)!;
      expect([name, smoke.outcome, smoke.inputs.env]).toEqual([name, 'success', SMOKE_TEST_ENV]);
    }

    const upload = store.artifacts.find((a) => a.runId === '101')!;
    expect(upload.name).toBe(`${run.jobs.plan!.outputs['artifact-prefix']}-1`);
    expect(run.jobs.deploy!.concurrencyGroup).toBe(
      'hokusai-ecs-deploy-us-east-1-123456789012-hokusai-hokusai-api',
    );
    expect(run.jobs.deploy!.environment).toEqual({
      name: 'production',
      url: 'https://github.com/acme/hokusai-api/actions/runs/101',
    });
    firstDigestRef = run.outputs['image-uri-with-digest']!;
  });

  test('without smoke-test-env the gate stops an app that reads required configuration at import; nothing is built', async () => {
    const run = await call({
      inputs: { service: 'hokusai-api', imports: NEEDS_CONFIG },
      github: { sha: SHA_1, run_id: '110', run_attempt: '1' },
    });
    expect(results(run)).toEqual({
      plan: 'success',
      gate: 'failure',
      build: 'skipped',
      push: 'skipped',
      deploy: 'skipped',
    });
    const smoke = run.jobs.gate!.steps.find((s) => s.name === 'Import smoke test (runner)')!;
    expect(smoke.outcome).toBe('failure');
    expect(smoke.annotations.map((a) => a.message).join('\n')).toContain('DATABASE_URL');
  });

  test('"Re-run all jobs": the rebuild is a new image, the IMMUTABLE tag keeps the first, that digest is deployed', async () => {
    const run = await call({
      inputs: { service: 'hokusai-api' },
      github: { sha: SHA_1, run_id: '101', run_attempt: '2' },
    });
    expect(results(run)).toEqual({
      plan: 'success',
      gate: 'success',
      build: 'success',
      push: 'success',
      deploy: 'success',
    });
    const push = step(run, 'push', 'push');
    expect(push.outputs).toMatchObject({ pushed: 'false', reused: 'true' });
    expect(run.outputs['image-uri-with-digest']).toBe(firstDigestRef);
    expect(run.outputs.reused).toBe('true');
    expect(step(run, 'deploy', 'order').log).toContain(
      `the service's last deploy was this commit, ${SHA_1.slice(0, 12)}: deploying it again`,
    );
    // Both attempts' artifacts are in the run, under different names.
    expect(store.artifacts.filter((a) => a.runId === '101').map((a) => a.attempt)).toEqual([1, 2]);
    expect(await runningImage('hokusai-api')).toBe(firstDigestRef);
  });

  test('a second environment of a commit already in ECR, then a promotion by digest in the same run', async () => {
    const github = { sha: SHA_1, run_id: '102', run_attempt: '1' };
    const staging = await call({
      inputs: {
        service: 'hokusai-api-staging',
        environment: 'staging',
        'environment-url': 'https://staging.example.com',
      },
      github,
    });
    expect(results(staging)).toEqual({
      plan: 'success',
      gate: 'success',
      build: 'success',
      push: 'success',
      deploy: 'success',
    });
    expect(staging.outputs.reused).toBe('true');
    expect(staging.outputs['image-uri-with-digest']).toBe(firstDigestRef);
    expect(staging.jobs.deploy!.environment).toEqual({ name: 'staging', url: 'https://staging.example.com' });

    const promotion = await call({
      inputs: {
        service: 'arn:aws:ecs:us-east-1:123456789012:service/hokusai/hokusai-api', // an ARN: the same group as the name
        'ecr-repository': '',
        image: staging.outputs['image-uri-with-digest']!,
      },
      github,
    });
    expect(results(promotion)).toEqual({
      plan: 'success',
      gate: 'skipped',
      build: 'skipped',
      push: 'skipped',
      deploy: 'success',
    });
    expect(step(promotion, 'deploy', 'deploy').inputs.image).toBe(firstDigestRef);
    expect(promotion.outputs['image-uri-with-digest']).toBe(firstDigestRef);
    expect(promotion.jobs.deploy!.concurrencyGroup).toBe(
      'hokusai-ecs-deploy-us-east-1-123456789012-hokusai-hokusai-api',
    );
    expect(store.artifacts.filter((a) => a.runId === '102')).toHaveLength(1); // only the staging call built
  });

  test('a task-definition template from the repository is registered with the promoted image', async () => {
    const template = {
      family: 'hokusai-api',
      cpu: '512',
      memory: '1024',
      executionRoleArn: 'arn:aws:iam::123456789012:role/hokusai-api-execution',
      containerDefinitions: [
        {
          name: 'api',
          image: 'replaced-by-the-deploy',
          essential: true,
          portMappings: [{ containerPort: 8000 }],
          environment: [{ name: 'FROM_TEMPLATE', value: 'deploy/task-definition.json' }],
        },
      ],
    };
    mkdirSync(path.join(checkout, 'deploy'), { recursive: true });
    writeFileSync(path.join(checkout, 'deploy', 'task-definition.json'), JSON.stringify(template, null, 2));
    const run = await call({
      inputs: {
        service: 'hokusai-api',
        'ecr-repository': '',
        image: firstDigestRef,
        'task-definition': 'deploy/task-definition.json',
      },
      github: { sha: SHA_1, run_id: '106', run_attempt: '1' },
    });
    expect(results(run)).toMatchObject({ plan: 'success', deploy: 'success' });
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }),
    );
    const definition = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: described.services?.[0]?.taskDefinition }),
    );
    const api = definition.taskDefinition?.containerDefinitions?.find((c) => c.name === 'api');
    expect(api?.image).toBe(firstDigestRef);
    expect(api?.environment).toContainEqual({ name: 'FROM_TEMPLATE', value: 'deploy/task-definition.json' });
  });

  test('a promotion by tag is refused by the plan; nothing else runs', async () => {
    const refused = await call({
      inputs: {
        service: 'hokusai-api',
        'ecr-repository': '',
        image: firstDigestRef.replace(/@sha256:.*/, ':latest'),
      },
      github: { sha: SHA_1, run_id: '103', run_attempt: '1' },
    });
    expect(results(refused)).toEqual({
      plan: 'failure',
      gate: 'skipped',
      build: 'skipped',
      push: 'skipped',
      deploy: 'skipped',
    });
  });

  test('two calls in one run, one push fails; "Re-run failed jobs" pushes from the first attempt\'s artifact', async () => {
    const github = { sha: SHA_2, run_id: '104' };
    const attempt1 = { ...github, run_attempt: '1' };
    const staging1 = await call({
      inputs: { service: 'hokusai-api-staging', environment: 'staging' },
      github: attempt1,
      registryHost: '127.0.0.1:9', // the registry does not answer: the push job fails
    });
    const production1 = await call({ inputs: { service: 'hokusai-api' }, github: attempt1 });
    expect(results(staging1)).toEqual({
      plan: 'success',
      gate: 'success',
      build: 'success',
      push: 'failure',
      deploy: 'skipped',
    });
    expect(results(production1)).toMatchObject({ push: 'success', deploy: 'success' });
    const names = store.artifacts.filter((a) => a.runId === '104').map((a) => a.name);
    expect(new Set(names).size).toBe(2); // one per call, no collision

    const attempt2 = { ...github, run_attempt: '2' };
    const staging2 = await call({
      inputs: { service: 'hokusai-api-staging', environment: 'staging' },
      github: attempt2,
      rerunFailedOf: staging1,
    });
    const production2 = await call({
      inputs: { service: 'hokusai-api' },
      github: attempt2,
      rerunFailedOf: production1,
    });
    expect(Object.values(production2.jobs).map((j) => j.attempt)).toEqual([1, 1, 1, 1, 1]);
    expect(
      Object.fromEntries(
        Object.entries(staging2.jobs).map(([id, job]) => [id, `${job.result}@${job.attempt}`]),
      ),
    ).toEqual({
      plan: 'success@1',
      gate: 'success@1',
      build: 'success@1',
      push: 'success@2',
      deploy: 'success@2',
    });
    // The push of attempt 2 downloaded attempt 1's artifact by its ID and pushed that image.
    expect(step(staging2, 'push', 'push').outputs['image-id']).toBe(staging1.jobs.build!.outputs['image-id']);
    expect(store.artifacts.filter((a) => a.runId === '104')).toHaveLength(2); // nothing uploaded again
    expect(await runningImage('hokusai-api-staging')).toBe(staging2.outputs['image-uri-with-digest']);
  });

  test('an image swapped between the build and the push job is refused before anything is pushed', async () => {
    const sha = randomBytes(20).toString('hex');
    const tag = `${REPOSITORY}:${sha.slice(0, 7)}`;
    const run = await call({
      inputs: { service: 'hokusai-api' },
      github: { sha, run_id: '105', run_attempt: '1' },
      beforeJob: async (job) => {
        if (job !== 'push') return;
        // Replace the uploaded tarball with another image saved under the same name.
        const artifact = store.artifacts.find((a) => a.runId === '105')!;
        const tar = path.join(artifact.dir, readdirSync(artifact.dir)[0]!);
        const build = spawnSync('docker', ['build', '-q', '-t', `${tag}-swapped`, '-'], {
          input: `FROM ${tag}\nLABEL swapped=yes\n`,
          encoding: 'utf8',
        });
        expect(build.status).toBe(0);
        spawnSync('docker', ['tag', `${tag}-swapped`, tag]);
        expect(spawnSync('docker', ['save', '--output', tar, tag]).status).toBe(0);
      },
    });
    expect(results(run)).toMatchObject({ build: 'success', push: 'failure', deploy: 'skipped' });
    const errors = step(run, 'push', 'push')
      .annotations.filter((a) => a.level === 'error')
      .map((a) => a.message);
    expect(errors).toEqual([expect.stringContaining('it is not the image that was tested; nothing pushed')]);
  });

  // Last: it leaves deployment alarms on hokusai-api-staging. A promotion of a digest (no build, no push): the emulator
  // does not pull images, so any well-formed digest deploys.
  test('opt-in monitoring: kept after a successful deploy, attached as deployment alarms, watched by the next deploy', async () => {
    const image = `${registry.host}/${REPOSITORY}@sha256:${'c'.repeat(64)}`;
    const inputs = {
      service: 'hokusai-api-staging',
      environment: 'staging',
      'ecr-repository': '',
      image,
      'restart-threshold': '5',
    };
    const skipped = await call({
      inputs,
      github: { sha: SHA_2, run_id: '107', run_attempt: '1' },
      monitoringOnMoto: true,
    });
    expect(results(skipped)).toMatchObject({ plan: 'success', deploy: 'success' });
    expect(step(skipped, 'deploy', 'monitoring').outcome).toBe('skipped'); // opt-in: false by default
    expect(skipped.outputs['alarm-names']).toBe('');

    const first = await call({
      inputs: { ...inputs, monitoring: 'true' },
      github: { sha: SHA_2, run_id: '108', run_attempt: '1' },
      monitoringOnMoto: true,
    });
    expect(results(first)).toMatchObject({ plan: 'success', deploy: 'success' });
    const monitoring = step(first, 'deploy', 'monitoring');
    expect(monitoring.outcome).toBe('success');
    expect(monitoring.inputs).toMatchObject({
      cluster: 'hokusai',
      service: 'hokusai-api-staging',
      'latency-threshold': '5s',
      'error-rate-threshold': '1%',
      'restart-threshold': '5',
      'deployment-alarms': 'true',
    });
    const names = first.outputs['alarm-names']!.split('\n');
    expect(names).toContain('hokusai-api-staging-restarts');
    expect(first.outputs['dashboard-url']).toContain('#dashboards/dashboard/hokusai-hokusai-api-staging');
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api-staging'] }),
    );
    const attached = described.services?.[0]?.deploymentConfiguration?.alarms;
    expect(attached).toMatchObject({ enable: true, rollback: true });
    expect(attached?.alarmNames).toContain('hokusai-api-staging-restarts');

    // The next deploy watches them by default (not in ALARM on moto, so it succeeds). The emulator's target groups
    // belong to no load balancer: only the restart and running-task alarms exist, the restart one a deployment alarm.
    const next = await call({
      inputs: { ...inputs, image: `${registry.host}/${REPOSITORY}@sha256:${'d'.repeat(64)}` },
      github: { sha: SHA_2, run_id: '109', run_attempt: '1' },
      monitoringOnMoto: true,
    });
    expect(results(next)).toMatchObject({ plan: 'success', deploy: 'success' });
    expect(step(next, 'deploy', 'deploy').log).toMatch(
      /watching CloudWatch alarms \(the service's deployment alarms\): .*hokusai-api-staging-restarts (OK|INSUFFICIENT_DATA)/,
    );
  });
});
