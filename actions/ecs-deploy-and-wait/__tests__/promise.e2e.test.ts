// Issue 10's "Why", bullet by bullet: the bundled action on the emulator's virtual clock (the action.yml defaults:
// 10 s polls, 1 m stable-for, 15 m timeout), under API faults and in ECS's own shapes.
import { afterEach, describe, expect, test } from '@jest/globals';
import { DeregisterTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { createAwsApis, LAST_GOOD_TAG } from '@hokusai/ecs-kit';
import { deployVirtual, faultStorm, REPO, scenario, type VirtualDeploy } from './virtual-deploy.js';

let deploy: VirtualDeploy | undefined;
afterEach(async () => {
  await deploy?.close();
  deploy = undefined;
});

const POLL = 10_000;
const errors = (d: VirtualDeploy) =>
  d.run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const warnings = (d: VirtualDeploy) =>
  d.run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

describe('the rollback gets through, and the verdict is not delayed, under API faults', () => {
  test('20% throttling + 10% HTTP 500 on every call, 10% resets on DescribeTasks: rollback within two polls of the crash', async () => {
    const s = scenario('incident-crash-on-import');
    s.faults = [
      { operation: 'DescribeTasks', error: 'ConnectionReset', rate: 0.1 },
      ...faultStorm(0.2, 0.1, 0),
    ];
    deploy = await deployVirtual(s, { image: `${REPO}:broken-3f9c2e1` });
    expect(deploy.run.outputs.result).toBe('rolled-back');
    const [, rollback] = deploy.updates();
    const crash = deploy.firstCrash(deploy.run.outputs['deployment-id']!)!;
    // Simulated time: the first stop, then at most two polls (the budget no longer skips the task fetch).
    expect(rollback!.time - crash).toBeLessThanOrEqual(2 * POLL);
    expect(deploy.emulator.events().filter((e) => e.type === 'fault').length).toBeGreaterThan(0);
  });
});

describe('every end sets result and says what ended it', () => {
  test('AWS failing throughout, before any change: failed, "nothing was changed", the call named', async () => {
    const s = scenario('healthy-rollout');
    s.faults = [{ operation: 'DescribeServices', error: 'ServerError', rate: 1 }];
    deploy = await deployVirtual(s, { image: `${REPO}:v2` });
    expect(deploy.run.outputs.result).toBe('failed');
    expect(errors(deploy)).toEqual([
      'plan step: DescribeServices kept failing (ServerException) before the deploy changed anything: nothing was changed; run the job again',
    ]);
    expect(deploy.updates()).toEqual([]);
    expect(deploy.run.summary).toContain('## ❌ ecs-deploy-and-wait: failed');
    expect(deploy.run.summary).toContain('| ended by | the plan step |');
  });

  test('a deploy that ends rolled back says which step ended it and the state the service is in', async () => {
    deploy = await deployVirtual(scenario('incident-crash-on-import'), { image: `${REPO}:broken-3f9c2e1` });
    expect(deploy.run.outputs.result).toBe('rolled-back');
    expect(deploy.run.log).toMatch(
      /ended by the rollback step: rolled-back; service: hokusai-api runs hokusai-api:108 \(PRIMARY ecs-svc\/\d+, COMPLETED\): 2\/2 running/,
    );
  });
});

describe('preflight: services this action must not deploy are refused before any change', () => {
  test.each([
    {
      name: 'CODE_DEPLOY controller',
      change: (s: ReturnType<typeof scenario>) => {
        s.services![0]!.deploymentController = { type: 'CODE_DEPLOY' };
      },
      error:
        /uses the CODE_DEPLOY deployment controller: UpdateService cannot change its task definition; deploy it with a CodeDeploy deployment .*; nothing was changed$/,
    },
    {
      name: 'EXTERNAL controller',
      change: (s: ReturnType<typeof scenario>) => {
        s.services![0]!.deploymentController = { type: 'EXTERNAL' };
      },
      error: /uses the EXTERNAL deployment controller: .*; nothing was changed$/,
    },
  ])('$name', async ({ change, error }) => {
    const s = scenario('healthy-rollout');
    change(s);
    await refusedBeforeAnyChange(s, error);
  });
  test.each(['BLUE_GREEN', 'CANARY'] as const)('ECS-native %s strategy', async (strategy) => {
    const s = scenario('healthy-rollout');
    s.services![0]!.deploymentConfiguration = { ...s.services![0]!.deploymentConfiguration, strategy };
    await refusedBeforeAnyChange(
      s,
      new RegExp(
        `uses the ECS-native ${strategy} deployment strategy, which this action does not watch or roll back .*; nothing was changed$`,
      ),
    );
  });
});

async function refusedBeforeAnyChange(
  s: ReturnType<typeof scenario>,
  error: RegExp,
  prepare?: Parameters<typeof deployVirtual>[3],
): Promise<void> {
  deploy = await deployVirtual(s, { image: `${REPO}:v2` }, {}, prepare);
  expect(deploy.run.exitCode).toBe(1);
  expect(deploy.run.outputs.result).toBe('refused');
  expect(errors(deploy)).toEqual([expect.stringMatching(error)]);
  // The refusal is in the job summary too: what, why, and that nothing changed.
  expect(deploy.run.summary).toContain('## 🚫 ecs-deploy-and-wait: refused');
  expect(deploy.run.summary).toContain('| ended by | the plan step |');
  expect(deploy.run.summary).toContain('| service now | unchanged: nothing was changed |');
  expect(deploy.run.stdout).toContain(
    'ended by the plan step: refused; service: unchanged: nothing was changed',
  );
  const changes = deploy.emulator
    .events()
    .filter(
      (c) =>
        c.type === 'api-call' &&
        (c.operation === 'RegisterTaskDefinition' || c.operation === 'UpdateService'),
    );
  expect(changes).toHaveLength(prepare ? 1 : 0);
}

describe('ECS states the verdict must read right', () => {
  test('the previous revision was deregistered: the rollback registers its content again and gets through', async () => {
    deploy = await deployVirtual(
      scenario('incident-crash-on-import'),
      { image: `${REPO}:broken-3f9c2e1` },
      {},
      async (emulator) => {
        const ecs = new ECSClient({
          region: 'us-east-1',
          endpoint: emulator.endpoint,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        });
        await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'hokusai-api:108' }));
        ecs.destroy();
      },
    );
    expect(deploy.run.outputs.result).toBe('rolled-back');
    expect(warnings(deploy)).toContainEqual(
      expect.stringMatching(
        /^the revision the service runs, hokusai-api:108, is INACTIVE \(deregistered\): a rollback will register its exact content again/,
      ),
    );
    expect(deploy.run.log).toMatch(
      /rollback: hokusai-api:108 is INACTIVE \(deregistered\); registered its exact content again as hokusai-api:110/,
    );
    expect(deploy.updates().map((u) => u.taskDefinition)).toEqual([
      expect.stringMatching(/hokusai-api:109$/),
      expect.stringMatching(/hokusai-api:110$/),
    ]);
    expect(deploy.run.summary).toContain(
      'hokusai-api:108 was INACTIVE: its content was registered again as hokusai-api:110',
    );
  });

  test('old tasks draining past the time limit: succeeded with a warning naming the drain, no rollback', async () => {
    const s = scenario('healthy-rollout');
    s.targetGroups![0]!.deregistrationDelaySeconds = 300;
    deploy = await deployVirtual(s, { image: `${REPO}:v2`, timeout: '2m', 'stable-for': '30s' });
    expect(deploy.run.outputs.result).toBe('succeeded');
    expect(deploy.run.exitCode).toBe(0);
    expect(deploy.updates()).toHaveLength(1);
    expect(warnings(deploy)).toContainEqual(
      expect.stringMatching(
        /^succeeded with old tasks still draining at the time limit: .*2 old tasks draining \((about \d+ minutes|under a minute) left\)/,
      ),
    );
    expect(deploy.run.log).toMatch(
      /every new task running and healthy; 2 old tasks draining \((about \d+ minutes|under a minute) left\)/,
    );
  });

  test('desiredCount 0: succeeded, a warning that nothing was verified, and no last-good tag', async () => {
    const s = scenario('healthy-rollout');
    s.services![0]!.desiredCount = 0;
    deploy = await deployVirtual(s, { image: `${REPO}:v2` });
    expect(deploy.run.outputs.result).toBe('succeeded');
    expect(warnings(deploy)).toContainEqual(
      expect.stringMatching(/^desiredCount is 0: no task will run the new revision, so nothing is verified/),
    );
    const apis = createAwsApis({
      region: 'us-east-1',
      env: {
        AWS_ENDPOINT_URL: deploy.emulator.endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      },
    });
    try {
      const service = (await apis.ecs.describeService('hokusai', 'hokusai-api'))!;
      expect((await apis.ecs.listTags(service.arn))[LAST_GOOD_TAG]).toBeUndefined();
    } finally {
      apis.close?.();
    }
  });

  test("the circuit breaker's rollback as ECS shows it: reported as the breaker's, with its threshold, never taken over", async () => {
    deploy = await deployVirtual(scenario('circuit-breaker-rollback'), {
      image: `${REPO}:broken-1`,
      'max-failed-tasks': '10',
    });
    expect(deploy.run.outputs.result).toBe('rolled-back');
    expect(deploy.run.outputs['failure-reason']).toMatch(
      /\(ECS circuit breaker rolled back to hokusai-api:108 \(deployment ecs-svc\/\d+\): deployment failed: tasks failed to start\.\)$/,
    );
    expect(deploy.run.log).not.toMatch(/taken-over|replaced ours/);
    expect(deploy.updates()).toHaveLength(1);
    expect(deploy.run.log).toContain(
      'ECS circuit breaker: on, rollback on: trips after 3 failed tasks in a row (BOUNDED_PERCENT 50 of desired 2, 3 to 200)',
    );
    expect(deploy.run.summary).toContain(
      '| ECS circuit breaker | on, rollback on: trips after 3 failed tasks in a row',
    );
  });

  test.each(['TerminationNotice', 'InfrastructureHealth'] as const)(
    'tasks stopped with %s are reported, never counted toward max-failed-tasks',
    async (stopCode) => {
      // Every task of this image is stopped by AWS 20 s after RUNNING (and replaced): the service never settles, so
      // the deploy times out and is rolled back — but never for a failed task.
      const s = scenario('healthy-rollout');
      s.images = [{ match: '*hokusai-api:spot*', stopCode, stopAfterSeconds: 20 }, ...(s.images ?? [])];
      deploy = await deployVirtual(s, { image: `${REPO}:spot-1`, timeout: '3m', 'stable-for': '30s' });
      expect(deploy.run.log).toMatch(
        new RegExp(`task \\S+ stopped: .* — ${stopCode}, not the revision's fault: not counted`),
      );
      expect(deploy.run.outputs['failure-reason']).toMatch(/^timed out after /);
      expect(deploy.run.summary).toContain('Stopped, not counted');
      expect(deploy.run.summary).toContain(`| ${stopCode} |`);
    },
  );
});

describe('cancellation tells the truth', () => {
  test('SIGTERM after the rollback UpdateService was made: rolling-back, the command to watch it, not to repeat it', async () => {
    let sent = false;
    deploy = await deployVirtual(
      scenario('incident-crash-on-import'),
      { image: `${REPO}:broken-3f9c2e1` },
      {
        onStdout: (chunk, control) => {
          if (!sent && /rollback: deployment ecs-svc\//.test(chunk)) {
            sent = true;
            control.kill('SIGTERM');
          }
        },
      },
    );
    expect(sent).toBe(true);
    expect(deploy.run.outputs.result).toBe('rolling-back');
    expect(deploy.updates()).toHaveLength(2);
    expect(deploy.run.log).toContain(
      'the rollback was made and ECS carries on with it; do not repeat it — to watch it: aws ecs wait services-stable --cluster hokusai --services hokusai-api',
    );
    expect(deploy.run.log).not.toMatch(/to roll back by hand/);
    expect(deploy.run.log).toMatch(/service: hokusai-api runs hokusai-api:108 \(PRIMARY ecs-svc\/\d+/);
  });

  test('SIGTERM while watching the deploy: cancelled, the state, and the command to roll back by hand', async () => {
    let sent = false;
    deploy = await deployVirtual(
      scenario('healthy-rollout'),
      { image: `${REPO}:v2` },
      {
        onStdout: (chunk, control) => {
          if (!sent && /task \S+ running/.test(chunk)) {
            sent = true;
            control.kill('SIGTERM');
          }
        },
      },
    );
    expect(deploy.run.outputs.result).toBe('cancelled');
    expect(deploy.updates()).toHaveLength(1);
    expect(deploy.run.log).toMatch(
      /the new revision is still deployed; to roll back by hand: aws ecs update-service --cluster hokusai --service hokusai-api --task-definition arn:aws:ecs:us-east-1:\d+:task-definition\/hokusai-api:108/,
    );
  });
});

describe('durations are bounded, and checked against each other, before any call', () => {
  test.each<{ inputs: Record<string, string>; error: string }>([
    {
      inputs: { 'poll-interval': '600h' },
      error: 'duration "600h" for input "poll-interval" is longer than the maximum 10m00s',
    },
    {
      inputs: { 'stable-for': '20m', timeout: '1m' },
      error: 'input "stable-for" (20m) must be shorter than input "timeout" (1m)',
    },
  ])('$error', async ({ inputs, error }) => {
    deploy = await deployVirtual(scenario('healthy-rollout'), { image: `${REPO}:v2`, ...inputs });
    expect(errors(deploy)).toEqual([error]);
    expect(deploy.run.outputs.result).toBe('refused');
    expect(deploy.emulator.events().filter((e) => e.type === 'api-call')).toEqual([]);
  });
});
