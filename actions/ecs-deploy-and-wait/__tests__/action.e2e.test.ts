// The bundled action (dist/index.js) run as the runner runs it, against the ECS emulator's scenarios.
import { afterEach, describe, expect, test } from '@jest/globals';
import { runAction, type ActionRun } from '@hokusai/action-harness';
import {
  loadScenario,
  startEmulator,
  SCENARIOS_DIR,
  type EmulatorHandle,
  type Scenario,
} from '@hokusai/ecs-emulator';
import { createAwsApis, LAST_GOOD_TAG, registrableTaskDefinition } from '@hokusai/ecs-kit';

const TIME_SCALE = 20;
/** The default poll interval, 10 s, in the emulator's time: 500 ms real at 20x. */
const POLL_SIMULATED_MS = 10_000;
const pollFor = (timeScale: number) => `${POLL_SIMULATED_MS / timeScale}ms`;
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api';

let emulator: EmulatorHandle | undefined;
let run: ActionRun | undefined;
afterEach(async () => {
  await emulator?.close();
  await run?.cleanup();
  emulator = undefined;
  run = undefined;
});

/**
 * Runs the bundled action against a fresh emulator: on its virtual clock by default (the action's own timing, in
 * simulated time, well under a second of real time), or on a wall clock scaled `timeScale` times, as a runner would.
 */
async function deploy(
  scenario: string | Scenario,
  inputs: Record<string, string>,
  extra: Partial<Parameters<typeof runAction>[0]> = {},
  timeScale: number | 'virtual' = 'virtual',
): Promise<ActionRun> {
  const virtual = timeScale === 'virtual';
  emulator = await startEmulator({
    scenario: typeof scenario === 'string' ? `${SCENARIOS_DIR}/${scenario}.yaml` : scenario,
    port: 0,
    ...(virtual ? { clock: 'virtual' as const } : { timeScale }),
  });
  run = await runAction({
    action: 'ecs-deploy-and-wait',
    inputs: {
      cluster: 'hokusai',
      service: 'hokusai-api',
      'poll-interval': virtual ? '10s' : pollFor(timeScale),
      'stable-for': virtual ? '1m' : `${60 / timeScale}s`,
      timeout: virtual ? '15m' : '2m',
      ...inputs,
    },
    env: {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
    ...(virtual ? { virtualClock: emulator.endpoint } : {}),
    timeoutMs: 110_000,
    ...extra,
  });
  return run;
}

const calls = (operation: string) =>
  emulator!.events().filter((e) => e.type === 'api-call' && e.operation === operation && e.status === 'ok');
const errorLines = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::error'));

describe('ecs-deploy-and-wait end to end on the emulator', () => {
  test('the incident ends rolled-back within one poll of the first crash, with the SyntaxError line', async () => {
    // At 10x (a 1 s real poll) a stall of the machine counts less in simulated time than at 20x.
    const r = await deploy('incident-crash-on-import', { image: `${REPO}:broken-3f9c2e1` }, {}, 10);
    // (A wall clock scaled 10x, as a runner runs it; the other tests run on the emulator's virtual clock.)
    expect(r.exitCode).toBe(1);
    expect(r.outputs.result).toBe('rolled-back');
    expect(r.outputs['failure-reason']).toMatch(
      /^task [0-9a-f]{8}… exited with code 1: SyntaxError: invalid syntax \(model_registry\.py, line 26\)$/,
    );
    expect(r.outputs['previous-task-definition-arn']).toMatch(/task-definition\/hokusai-api:108$/);
    expect(r.outputs['task-definition-arn']).toMatch(/task-definition\/hokusai-api:109$/);
    expect(r.outputs['deployment-id']).toMatch(/^ecs-svc\//);
    expect(Number(r.outputs['elapsed-seconds'])).toBeGreaterThanOrEqual(0);
    expect(r.summary).toContain('SyntaxError: invalid syntax (model\\_registry.py, line 26)');
    expect(r.summary).toContain('```mermaid\ntimeline');
    expect(r.summary).toMatch(/\| task \| stopped reason \| exit code \| last log line \|/);
    expect(r.log).toMatch(
      /::group::log tail of task [0-9a-f]+ \(\/ecs\/hokusai-api hokusai\/api\/[0-9a-f]+\)/,
    );

    const deployment = r.outputs['deployment-id'];
    const events = emulator!.events();
    const ofNew = (e: (typeof events)[number]) => e.type === 'task-state' && e.deploymentId === deployment;
    // The container exits (desiredStatus STOPPED) and ECS reports the task STOPPED a few seconds later.
    const firstCrash = Date.parse(events.find((e) => ofNew(e) && e.desiredStatus === 'STOPPED')!.time);
    const firstStopped = Date.parse(events.find((e) => ofNew(e) && e.lastStatus === 'STOPPED')!.time);
    const updates = calls('UpdateService');
    expect(updates).toHaveLength(2);
    expect(updates[1]!.taskDefinition).toBe(r.outputs['previous-task-definition-arn']);
    const rollbackAt = Date.parse(updates[1]!.time);
    // Often negative: the watcher sees the task stopping before ECS reports it STOPPED.
    expect(rollbackAt - firstStopped).toBeLessThanOrEqual(POLL_SIMULATED_MS);
    expect(rollbackAt).toBeGreaterThan(firstCrash);
    // Within one poll of the crash itself: no poll started after the crash went by without deciding (0 when the
    // poll under way while the task crashed already listed it).
    // The last DescribeServices before the rollback is rollBack's re-read (expectedCurrent), not a poll.
    const describedBefore = calls('DescribeServices').filter((c) => Date.parse(c.time) < rollbackAt);
    const pollsBetween = describedBefore.slice(0, -1).filter((c) => Date.parse(c.time) > firstCrash);
    expect(pollsBetween.length).toBeLessThanOrEqual(1);
    expect(r.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
    if (process.env.SHOW_SUMMARY) console.log(r.summary, r.log);
  });

  test('a healthy rollout succeeds after stable-for and tags the service with the good revision', async () => {
    const r = await deploy('healthy-rollout', {
      image: `${REPO}:v2`,
      environment: 'FEATURE_X=on\nAPP_ENV=staging',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.result).toBe('succeeded');
    expect(r.outputs['failure-reason']).toBe('');
    const apis = createAwsApis({
      region: 'us-east-1',
      env: {
        AWS_ENDPOINT_URL: emulator!.endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      },
    });
    try {
      const service = (await apis.ecs.describeService('hokusai', 'hokusai-api'))!;
      expect(service.taskDefinition).toBe(r.outputs['task-definition-arn']);
      expect((await apis.ecs.listTags(service.arn))[LAST_GOOD_TAG]).toBe(r.outputs['task-definition-arn']);
      const container = (await apis.ecs.describeTaskDefinition(r.outputs['task-definition-arn']!))!
        .taskDefinition.containerDefinitions![0]!;
      expect(container.image).toBe(`${REPO}:v2`);
      expect(container.environment).toEqual(
        expect.arrayContaining([
          { name: 'APP_ENV', value: 'staging' },
          { name: 'FEATURE_X', value: 'on' },
        ]),
      );
    } finally {
      apis.close?.();
    }
    const steady = emulator!.events().find((e) => e.type === 'steady-state')!;
    const tagged = calls('TagResource')[0]!;
    // Tagged only after stable-for (1 m, simulated) from the steady state.
    expect(Date.parse(tagged.time) - Date.parse(steady.time)).toBeGreaterThanOrEqual(
      60_000 - POLL_SIMULATED_MS,
    );
    expect(r.summary).toContain('hokusai-api:108 → hokusai-api:109');
  });

  test('a task that dies inside stable-for fails the deploy', async () => {
    const r = await deploy('task-dies-after-90s', {
      image: `${REPO}:leaky-1`,
      'stable-for': '4m',
      rollback: 'false',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.result).toBe('failed');
    expect(r.outputs['failure-reason']).toMatch(/^task [0-9a-f]{8}… .*(137|memory).*\(during stable-for\)$/);
    expect(calls('UpdateService')).toHaveLength(1);
  });

  test('a 30% throttling storm changes no verdict', async () => {
    const r = await deploy('throttling-30pct', { image: `${REPO}:v2` });
    expect(r.outputs.result).toBe('succeeded');
    expect(r.exitCode).toBe(0);
    expect(emulator!.events().filter((e) => e.type === 'fault').length).toBeGreaterThan(0);
  });

  test('a circuit-breaker rollback is recognised and reported, not fought', async () => {
    const r = await deploy('circuit-breaker-rollback', {
      image: `${REPO}:broken-1`,
      'max-failed-tasks': '10',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.result).toBe('rolled-back');
    expect(r.outputs['failure-reason']).toMatch(
      /^task [0-9a-f]{8}… exited with code 1: SyntaxError: invalid syntax \(model_registry\.py, line 26\) \(ECS circuit breaker rolled back to hokusai-api:108 \(deployment ecs-svc\/\d+\): deployment failed: tasks failed to start\.\)$/,
    );
    expect(calls('UpdateService')).toHaveLength(1);
    expect(r.log).toContain('not calling UpdateService');
  });

  test('ELB health check failures fail the deploy and roll back', async () => {
    const r = await deploy('elb-health-failure', { image: `${REPO}:unhealthy-1` });
    expect(r.outputs.result).toBe('rolled-back');
    expect(r.outputs['failure-reason']).toMatch(
      /^task [0-9a-f]{8}… failed ELB health checks in target group hokusai-api/,
    );
    expect(calls('UpdateService').map((c) => String(c.taskDefinition))).toEqual([
      r.outputs['task-definition-arn'],
      r.outputs['previous-task-definition-arn'],
    ]);
  });

  test('a task definition file with an image override', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const workspace = await mkdtemp(`${tmpdir()}/ecsdw-ws-`);
    const definition = {
      family: 'hokusai-api',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [
        { name: 'api', image: `${REPO}:from-file`, essential: true, portMappings: [{ containerPort: 8000 }] },
      ],
    };
    await writeFile(`${workspace}/task-definition.json`, JSON.stringify(definition));
    const r = await deploy(
      'healthy-rollout',
      { 'task-definition': 'task-definition.json', image: `${REPO}:v3`, 'check-target-health': 'false' },
      { workspace },
    );
    expect(r.outputs.result).toBe('succeeded');
    const apis = createAwsApis({
      region: 'us-east-1',
      env: {
        AWS_ENDPOINT_URL: emulator!.endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      },
    });
    try {
      const td = (await apis.ecs.describeTaskDefinition(r.outputs['task-definition-arn']!))!.taskDefinition;
      expect(td.containerDefinitions![0]!.image).toBe(`${REPO}:v3`);
    } finally {
      apis.close?.();
    }
  });

  test('an existing revision is deployed as it is', async () => {
    const r = await deploy('healthy-rollout', {
      'task-definition-arn': 'hokusai-api:108',
      'force-new-deployment': 'true',
    });
    expect(r.outputs.result).toBe('succeeded');
    expect(r.outputs['task-definition-arn']).toMatch(/hokusai-api:108$/);
    expect(calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(calls('UpdateService')[0]!.forceNewDeployment).toBe(true);
  });

  test('the incident under a 30% throttling storm ends the same way', async () => {
    const scenario = loadScenario(`${SCENARIOS_DIR}/incident-crash-on-import.yaml`);
    scenario.faults = loadScenario(`${SCENARIOS_DIR}/throttling-30pct.yaml`).faults;
    const r = await deploy(scenario, { image: `${REPO}:broken-3f9c2e1` });
    expect(r.outputs.result).toBe('rolled-back');
    expect(r.outputs['failure-reason']).toMatch(
      /^task [0-9a-f]{8}… exited with code 1: SyntaxError: invalid syntax \(model_registry\.py, line 26\)$/,
    );
    expect(emulator!.events().filter((e) => e.type === 'fault').length).toBeGreaterThan(0);
  });

  test.each([
    {
      operation: 'DescribeServices',
      error: /^::error::access denied while describing service "hokusai-api" in cluster "hokusai": /,
    },
    {
      operation: 'ListTasks',
      error:
        /^::error::access denied while listing the tasks of service "hokusai-api" in cluster "hokusai": /,
    },
  ])('no permission for $operation: one line, nothing changed', async ({ operation, error }) => {
    const scenario = loadScenario(`${SCENARIOS_DIR}/healthy-rollout.yaml`);
    scenario.faults = [
      {
        operation,
        error: 'AccessDeniedException',
        message: `User is not authorized to perform: ecs:${operation}`,
        rate: 1,
      },
    ];
    const r = await deploy(scenario, { image: `${REPO}:v2` });
    expect(r.exitCode).toBe(1);
    const errors = errorLines(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(error);
    expect(calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(calls('UpdateService')).toHaveLength(0);
  });

  test('the service deleted mid-deploy: failed, no rollback attempted', async () => {
    // At 5x the deploy starts well before the scenario deletes the service (30 s simulated).
    const r = await deploy('service-deleted-mid-deploy', { image: `${REPO}:v2` });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.result).toBe('failed');
    expect(r.outputs['failure-reason']).toMatch(
      /^service hokusai-api is (INACTIVE|DRAINING)|no longer exists/,
    );
    expect(calls('UpdateService')).toHaveLength(1);
  });

  test('someone else deploying mid-way is reported, not rolled back over', async () => {
    let theirs: Promise<string> | undefined;
    const r = await deploy(
      'healthy-rollout',
      { image: `${REPO}:v2`, 'stable-for': '1m' },
      {
        onStdout: (chunk) => {
          if (theirs || !chunk.includes('updated service hokusai-api')) return;
          theirs = (async () => {
            const apis = createAwsApis({
              region: 'us-east-1',
              env: {
                AWS_ENDPOINT_URL: emulator!.endpoint,
                AWS_ACCESS_KEY_ID: 'testing',
                AWS_SECRET_ACCESS_KEY: 'testing',
              },
            });
            try {
              await new Promise((resolve) => setTimeout(resolve, 1000));
              const current = (await apis.ecs.describeTaskDefinition('hokusai-api:108'))!;
              const definition = registrableTaskDefinition(current.taskDefinition);
              definition.containerDefinitions![0]!.image = `${REPO}:v3`;
              const arn = await apis.ecs.registerTaskDefinition(definition, []);
              await apis.ecs.updateService({
                cluster: 'hokusai',
                service: 'hokusai-api',
                taskDefinition: arn,
              });
              return arn;
            } finally {
              apis.close?.();
            }
          })();
        },
      },
      TIME_SCALE,
    );
    const theirArn = await theirs!;
    expect(r.exitCode).toBe(1);
    expect(r.outputs.result).toBe('failed');
    expect(r.outputs['failure-reason']).toMatch(
      /^another deployment ecs-svc\/\d+ \(hokusai-api:110\) replaced ours; not rolling back over it$/,
    );
    expect(calls('UpdateService').map((c) => String(c.taskDefinition))).toEqual([
      r.outputs['task-definition-arn'],
      theirArn,
    ]);
  });

  test('wait: false registers and updates only: started, nothing verified, the service state and how to watch', async () => {
    const r = await deploy('incident-crash-on-import', { image: `${REPO}:broken-1`, wait: 'false' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.result).toBe('started');
    expect(calls('UpdateService')).toHaveLength(1);
    expect(r.summary).toContain('## ▶️ ecs-deploy-and-wait: started');
    expect(r.summary).toContain('nothing was verified');
    expect(r.summary).not.toContain('✅');
    expect(r.stdout).toMatch(
      /ended by the start step: started; service: hokusai-api runs hokusai-api:109 \(PRIMARY ecs-svc\/\d+, IN_PROGRESS\)/,
    );
    expect(r.stdout).toContain(
      'to watch the rollout: aws ecs wait services-stable --cluster hokusai --services hokusai-api',
    );
    expect(r.annotations).toContainEqual(
      expect.objectContaining({ level: 'notice', message: expect.stringMatching(/nothing was verified$/) }),
    );
  });

  test.each<{ name: string; inputs: Record<string, string>; error: RegExp }>([
    {
      name: 'missing service',
      inputs: { service: 'nope', image: `${REPO}:v2` },
      error: /^::error::service "nope" in cluster "hokusai" not found$/,
    },
    {
      name: 'missing cluster',
      inputs: { cluster: 'nope', image: `${REPO}:v2` },
      error: /^::error::cluster "nope" not found$/,
    },
    {
      name: 'two revision sources',
      inputs: { image: `${REPO}:v2`, 'task-definition-arn': 'hokusai-api:108' },
      error: /^::error::inputs "image" and "task-definition-arn" are both set/,
    },
    { name: 'no revision source', inputs: {}, error: /^::error::no new revision: set exactly one of/ },
    {
      name: 'bad duration',
      inputs: { image: `${REPO}:v2`, timeout: '5x' },
      error: /^::error::invalid duration "5x" for input "timeout"/,
    },
    {
      name: 'unknown container',
      inputs: { image: `${REPO}:v2`, 'container-name': 'web' },
      error:
        /^::error::container "web" \(input "container-name"\) is not in task definition hokusai-api:108; it has: api$/,
    },
    {
      name: 'deregistered or missing revision',
      inputs: { 'task-definition-arn': 'hokusai-api:7' },
      error: /^::error::task definition "hokusai-api:7" \(input "task-definition-arn"\) not found$/,
    },
    {
      name: 'bad environment line',
      inputs: { image: `${REPO}:v2`, environment: 'NOEQUALS' },
      error: /^::error::input "environment", line 1: expected NAME=value \(the line is not shown/,
    },
  ])('bad input fails with one line and changes nothing: $name', async ({ inputs, error }) => {
    const r = await deploy('healthy-rollout', inputs);
    expect(r.exitCode).toBe(1);
    const errors = errorLines(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(error);
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(calls('UpdateService')).toHaveLength(0);
  });

  test('SIGTERM stops polling and prints the state and the command to roll back', async () => {
    // 4 s real = 80 s simulated: the rollout is under way, stable-for (1m real) not over.
    const r = await deploy(
      'healthy-rollout',
      { image: `${REPO}:v2`, 'stable-for': '1m' },
      { signal: 'SIGTERM', signalAfterMs: 4000 },
      TIME_SCALE,
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('received SIGTERM: stopping');
    expect(r.stdout).toMatch(
      /to roll back by hand: aws ecs update-service --cluster hokusai --service hokusai-api --task-definition arn:aws:ecs:us-east-1:\d+:task-definition\/hokusai-api:108/,
    );
    expect(r.stdout).toMatch(/service: hokusai-api runs hokusai-api:109 \(PRIMARY ecs-svc\/\d+/);
    expect(r.outputs['failure-reason']).toMatch(/^cancelled while watching/);
    expect(r.outputs.result).toBe('cancelled');
    expect(calls('UpdateService')).toHaveLength(1);
  });
});

describe('ecs-deploy-and-wait on the emulator’s virtual clock (no wall-clock waiting)', () => {
  test('the incident with the default poll, stable-for and timeout ends rolled-back within one poll', async () => {
    emulator = await startEmulator({
      scenario: `${SCENARIOS_DIR}/incident-crash-on-import.yaml`,
      clock: 'virtual',
    });
    const started = emulator.now().getTime();
    run = await runAction({
      action: 'ecs-deploy-and-wait',
      // The action.yml defaults: a 10 s poll, 1 m stable-for, 15 m timeout — in simulated time.
      inputs: { cluster: 'hokusai', service: 'hokusai-api', image: `${REPO}:broken-3f9c2e1` },
      env: {
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      },
      virtualClock: emulator.endpoint,
      timeoutMs: 110_000,
    });
    expect(run.stderr).toBe('');
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['failure-reason']).toContain(
      'SyntaxError: invalid syntax (model_registry.py, line 26)',
    );
    const events = emulator.events();
    const deployment = run.outputs['deployment-id'];
    const firstCrash = Date.parse(
      events.find(
        (e) => e.type === 'task-state' && e.deploymentId === deployment && e.desiredStatus === 'STOPPED',
      )!.time,
    );
    const updates = calls('UpdateService');
    expect(updates).toHaveLength(2);
    const rollbackAt = Date.parse(updates[1]!.time);
    expect(rollbackAt).toBeGreaterThan(firstCrash);
    expect(rollbackAt - firstCrash).toBeLessThanOrEqual(POLL_SIMULATED_MS);
    // Simulated time moved only as far as the action slept: the deploy, one crash, the rollback and its stable-for.
    expect(emulator.now().getTime() - started).toBeLessThan(15 * 60_000);
  });
});
