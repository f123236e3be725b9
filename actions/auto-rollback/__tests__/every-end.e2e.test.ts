// Every end of the bundled action sets `result` and writes a summary — AWS failing throughout, a missing permission,
// a cancel before any change — and `previous` after ecs-deploy-and-wait already rolled back leaves a healthy service
// alone; a deregistered (INACTIVE) target is rolled back to by registering its content again. The emulator runs on
// its virtual clock: ecs-deploy-and-wait makes the bad deploy, as in a real pipeline.
import { afterEach, describe, expect, test } from '@jest/globals';
import { DeregisterTaskDefinitionCommand, DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { runAction, startHoldingProxy, type ActionRun, type HoldingProxy } from '@hokusai/action-harness';
import {
  loadScenario,
  SCENARIOS_DIR,
  startEmulator,
  type EmulatorHandle,
  type Scenario,
} from '@hokusai/ecs-emulator';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api';
const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:';

let emulator: EmulatorHandle | undefined;
let proxy: HoldingProxy | undefined;
const runs: ActionRun[] = [];
afterEach(async () => {
  await Promise.all(runs.splice(0).map((r) => r.cleanup()));
  await proxy?.stop();
  await emulator?.close();
  emulator = proxy = undefined;
});

/** The incident scenario, with revision 107 (good) below 108 when `from107` (the service then runs 107). */
function incident(change: (s: Scenario) => void = () => {}, from107 = false): Scenario {
  const s = loadScenario(`${SCENARIOS_DIR}/incident-crash-on-import.yaml`);
  if (from107) {
    const td108 = s.taskDefinitions![0]!;
    const td107 = structuredClone(td108);
    td107.revision = 107;
    td107.containerDefinitions![0]!.image = `${REPO}:good-107`;
    s.taskDefinitions = [td107, td108];
    s.services![0]!.taskDefinition = 'hokusai-api:107';
  }
  change(s);
  return s;
}

async function start(s: Scenario): Promise<EmulatorHandle> {
  emulator = await startEmulator({ scenario: s, clock: 'virtual' });
  return emulator;
}

const env = (endpoint: string) => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
});

async function action(
  name: 'ecs-deploy-and-wait' | 'auto-rollback',
  inputs: Record<string, string>,
  extra: Partial<Parameters<typeof runAction>[0]> = {},
): Promise<ActionRun> {
  const run = await runAction({
    action: name,
    inputs: { cluster: 'hokusai', service: 'hokusai-api', ...inputs },
    env: env(proxy?.endpoint ?? emulator!.endpoint),
    virtualClock: emulator!.endpoint,
    timeoutMs: 110_000,
    ...extra,
  });
  runs.push(run);
  return run;
}

/** A bad deploy left in place (rollback: false): 109 crash-loops, 108's deployment still listed. */
async function badDeploy(): Promise<void> {
  const deploy = await action('ecs-deploy-and-wait', {
    image: `${REPO}:broken-3f9c2e1`,
    rollback: 'false',
  });
  expect(deploy.outputs.result).toBe('failed');
}

const updates = () =>
  emulator!
    .events()
    .filter((e) => e.type === 'api-call' && e.operation === 'UpdateService' && e.status === 'ok')
    .map((e) => String(e.taskDefinition));
const errors = (r: ActionRun) => r.annotations.filter((a) => a.level === 'error').map((a) => a.message);

async function primaryTaskDefinition(): Promise<string> {
  const ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: emulator!.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  try {
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }),
    );
    return out.services![0]!.deployments!.find((d) => d.status === 'PRIMARY')!.taskDefinition!;
  } finally {
    ecs.destroy();
  }
}

describe('previous after ecs-deploy-and-wait already rolled back to the last good revision', () => {
  test('107 and 108 good; 108 deployed, a broken deploy rolled back to 108: previous refuses, 108 keeps running', async () => {
    await start(incident(() => {}, true));
    const good = await action('ecs-deploy-and-wait', { 'task-definition-arn': 'hokusai-api:108' });
    expect(good.outputs.result).toBe('succeeded');
    const broken = await action('ecs-deploy-and-wait', { image: `${REPO}:broken-3f9c2e1` });
    expect(broken.outputs.result).toBe('rolled-back');
    const before = updates();
    const run = await action('auto-rollback', { to: 'previous', reason: 'deploy failed' });
    expect(run.outputs.result).toBe('refused');
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /^"previous": the service was rolled back from hokusai-api:109 and already runs hokusai-api:108, its last good revision \(tags hokusai:last-good-task-definition, hokusai:rolled-back-from\), and is steady: nothing to roll back\. Pass "to" explicitly to go further back/,
      ),
    ]);
    expect(updates()).toEqual(before);
    expect(await primaryTaskDefinition()).toBe(`${ARN}108`);
    expect(run.summary).toContain('## Rollback of hokusai-api: refused');
    expect(run.summary).toContain('| service now | unchanged: nothing was changed |');
    expect(run.summary).not.toContain('failing revision');
  });

  test('a revision found bad after its deploy passed: previous goes back to the one before (the usual manual rollback)', async () => {
    await start(incident(() => {}, true));
    const good = await action('ecs-deploy-and-wait', { 'task-definition-arn': 'hokusai-api:108' });
    expect(good.outputs.result).toBe('succeeded');
    // 109 passes its deploy (a healthy image), is tagged last good, and is later found bad by people.
    const passed = await action('ecs-deploy-and-wait', { image: `${REPO}:healthy-but-wrong-5d1e0a2` });
    expect(passed.outputs.result).toBe('succeeded');
    expect(await primaryTaskDefinition()).toBe(`${ARN}109`);
    const run = await action('auto-rollback', { to: 'previous', reason: 'wrong prices since 109' });
    expect(errors(run)).toEqual([]);
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['rolled-back-to']).toBe(`${ARN}108`);
    expect(await primaryTaskDefinition()).toBe(`${ARN}108`);
    // Marked as rolled back off 109, 108 proven: a second `previous` leaves the healthy service alone.
    const again = await action('auto-rollback', { to: 'previous' });
    expect(again.outputs.result).toBe('refused');
    expect(errors(again)).toEqual([
      expect.stringMatching(
        /^"previous": the service was rolled back from hokusai-api:109 and already runs hokusai-api:108/,
      ),
    ]);
    expect(await primaryTaskDefinition()).toBe(`${ARN}108`);
  });
});

describe('previous when a rollback is already under way or done by ECS', () => {
  test('a second previous while the first rollback rolls out: refused, not back onto the revision it left', async () => {
    await start(incident(() => {}, true));
    expect(
      (await action('ecs-deploy-and-wait', { 'task-definition-arn': 'hokusai-api:108' })).outputs.result,
    ).toBe('succeeded');
    const passed = await action('ecs-deploy-and-wait', { image: `${REPO}:healthy-but-wrong-5d1e0a2` });
    expect(passed.outputs.result).toBe('succeeded');
    // On-call A rolls back and does not wait; on-call B clicks too, while 109 is still draining.
    const first = await action('auto-rollback', { to: 'previous', wait: 'false', reason: 'A' });
    expect(first.outputs.result).toBe('started');
    const second = await action('auto-rollback', { to: 'previous', reason: 'B' });
    expect(second.outputs.result).toBe('refused');
    expect(errors(second)).toEqual([
      expect.stringMatching(
        /^"previous" resolves to hokusai-api:109 \(an older deployment still listed\), the revision a rollback moved the service off \(tag hokusai:rolled-back-from\): the service is on, or going back to, hokusai-api:108; nothing to roll back/,
      ),
    ]);
    expect(updates().slice(-1)).toEqual([`${ARN}108`]);
    expect(await primaryTaskDefinition()).toBe(`${ARN}108`);
  });

  test("ECS's circuit breaker already rolled back a deploy nobody watched: previous refuses, the service stays", async () => {
    await start(loadScenario(`${SCENARIOS_DIR}/fargate-crash-on-import-breaker.yaml`));
    const good = await action('ecs-deploy-and-wait', { image: `${REPO}:good-2`, 'stable-for': '30s' });
    expect(good.outputs.result).toBe('succeeded');
    const goodArn = good.outputs['task-definition-arn']!;
    const bad = await action('ecs-deploy-and-wait', { image: `${REPO}:broken-9`, wait: 'false' });
    expect(bad.outputs.result).toBe('started');
    // Nobody watches: the breaker fails the deployment and ECS rolls back to the good revision.
    await emulator!.clock.sleep(600_000);
    expect(await primaryTaskDefinition()).toBe(goodArn);
    const before = updates();
    const run = await action('auto-rollback', { to: 'previous' });
    expect(run.outputs.result).toBe('refused');
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /^"previous": ECS already rolled back deployment \S+ \(hokusai-api:\d+, ROLLBACK_SUCCESSFUL\) to the revision the service runs, hokusai-api:\d+: nothing to roll back/,
      ),
    ]);
    expect(updates()).toEqual(before);
    expect(await primaryTaskDefinition()).toBe(goodArn);
  });
});

describe('a rollback target that fails', () => {
  test('the service was steady before: the revision it left is put back, and the report blames the target', async () => {
    await start(
      incident((s) => {
        const td109 = structuredClone(s.taskDefinitions![0]!);
        td109.revision = 109;
        td109.containerDefinitions![0]!.image = `${REPO}:broken-3f9c2e1`;
        s.taskDefinitions = [...s.taskDefinitions!, td109];
      }),
    );
    // Steady on 108; someone rolls "back" to 109, which crashes on import.
    await emulator!.clock.sleep(120_000);
    const run = await action('auto-rollback', { to: '109', 'stable-for': '30s', timeout: '5m' });
    expect(run.outputs.result).toBe('failed');
    expect(run.stdout).toContain(
      'the rollback target hokusai-api:109 failed and hokusai-api:108 was steady before',
    );
    expect(errors(run)).toEqual([
      expect.stringMatching(/hokusai-api:108, steady before, was put back and is stable again$/),
    ]);
    expect(updates().slice(-2)).toEqual([`${ARN}109`, `${ARN}108`]);
    expect(await primaryTaskDefinition()).toBe(`${ARN}108`);
    expect(run.summary).toContain('| revision left | `hokusai-api:108` (steady when the rollback started) |');
    expect(run.summary).toContain(
      '| put back | `hokusai-api:108`, steady before the rollback, is stable again',
    );
    expect(run.summary).not.toContain('failing revision');
    expect(run.summary).not.toContain('Keep hokusai-api:108 from being deployed again');
  });
});

describe('every end sets result and writes a summary', () => {
  test('UpdateService throttled throughout: failed, no change made, the call named, the summary', async () => {
    await start(
      incident((s) => {
        s.faults = [{ operation: 'UpdateService', error: 'ThrottlingException', rate: 1, fromSeconds: 600 }];
      }),
    );
    await badDeploy();
    // The deploy (and its retries) took its own simulated minutes: the storm starts after it.
    await emulator!.clock.sleep(600_000);
    const run = await action('auto-rollback', { to: '108', timeout: '2m' });
    expect(run.outputs.result).toBe('failed');
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /^no change made: UpdateService failed \(\d+ attempts, ThrottlingException\); service: .*; to roll back by hand: aws ecs update-service --cluster hokusai --service hokusai-api --task-definition hokusai-api:108/,
      ),
    ]);
    expect(run.summary).toContain('## Rollback of hokusai-api: failed');
    expect(run.summary).toContain('| service now | unchanged: nothing was changed |');
  });

  test('DescribeServices throttled throughout: failed, no change made, run it again', async () => {
    await start(
      incident((s) => {
        s.faults = [{ operation: 'DescribeServices', error: 'ThrottlingException', rate: 1 }];
      }),
    );
    const run = await action('auto-rollback', { to: '108', timeout: '2m' });
    expect(run.outputs.result).toBe('failed');
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /^ThrottlingException kept coming back while reading service "hokusai-api" before the rollback .*: no change made; run it again$/,
      ),
    ]);
    expect(run.summary).toContain('## Rollback of hokusai-api: failed');
  });

  test('UpdateService denied: failed (not refused), the permission named, no change made', async () => {
    await start(
      incident((s) => {
        s.faults = [
          {
            operation: 'UpdateService',
            error: 'AccessDeniedException',
            message: 'User is not authorized to perform: ecs:UpdateService',
            rate: 1,
            fromSeconds: 600,
          },
        ];
      }),
    );
    await badDeploy();
    await emulator!.clock.sleep(600_000);
    const run = await action('auto-rollback', { to: '108' });
    expect(run.outputs.result).toBe('failed');
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /^no change made: UpdateService failed \(AccessDeniedException\); .*ecs:UpdateService/,
      ),
    ]);
    expect(run.summary).toContain('## Rollback of hokusai-api: failed');
  });

  test('cancelled while reading the service before the rollback: cancelled, nothing was changed', async () => {
    await start(incident());
    await badDeploy();
    const before = updates();
    proxy = await startHoldingProxy(
      emulator!.endpoint,
      (operation) => operation === 'DescribeTaskDefinition',
    );
    const run = await action(
      'auto-rollback',
      { to: '108' },
      { signal: 'SIGINT', signalWhen: proxy.firstHeld },
    );
    expect(run.signal).toBeNull();
    expect(run.outputs.result).toBe('cancelled');
    expect(errors(run)).toEqual([
      'cancelled before the rollback changed anything (while reading the service): no change made',
    ]);
    expect(run.summary).toContain('## Rollback of hokusai-api: cancelled');
    expect(run.summary).not.toContain('cancelled while watching');
    expect(updates()).toEqual(before);
  });

  test("cancelled before the UpdateService: said so, and the state counts only the named revision's tasks", async () => {
    await start(incident());
    await badDeploy();
    const before = updates();
    proxy = await startHoldingProxy(emulator!.endpoint, (operation) => operation === 'UpdateService');
    const run = await action(
      'auto-rollback',
      { to: '108' },
      { signal: 'SIGINT', signalWhen: proxy.firstHeld },
    );
    expect(run.outputs.result).toBe('cancelled');
    expect(errors(run)).toEqual([
      expect.stringMatching(/^cancelled: rollback to hokusai-api:108 cancelled .*no change made$/),
    ]);
    // 109 crash-loops (at most one of its tasks running); 108's two tasks are another deployment's.
    expect(run.stdout).toMatch(
      /cancelled: hokusai-api is on hokusai-api:109: [01]\/2 running.*; also hokusai-api:108 ACTIVE 2\/2 running/,
    );
    expect(run.summary).not.toContain('cancelled while watching');
    expect(updates()).toEqual(before);
  });
});

describe('a deregistered (INACTIVE) target: its exact content registered again, as the deploy does', () => {
  test.each([
    { name: 'named explicitly', to: '108' },
    { name: 'previous: the deployment that served before', to: 'previous' },
  ])('$name', async ({ to }) => {
    await start(incident());
    const ecs = new ECSClient({
      region: 'us-east-1',
      endpoint: emulator!.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'hokusai-api:108' }));
    ecs.destroy();
    await badDeploy();
    const run = await action('auto-rollback', { to });
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({
      result: 'rolled-back',
      'rolled-back-from': `${ARN}109`,
      'rolled-back-to': `${ARN}110`,
    });
    expect(run.stdout).toContain(
      'hokusai-api:108 is INACTIVE (deregistered): its exact content will be registered again as a new revision',
    );
    expect(updates().at(-1)).toBe(`${ARN}110`);
    expect(await primaryTaskDefinition()).toBe(`${ARN}110`);
    expect(run.summary).toContain(
      '`hokusai-api:110`: the exact content of `hokusai-api:108`, which was INACTIVE (deregistered), registered again',
    );
  });
});
