// Rollout dynamics of the bundled action on the ECS emulator: a bad deploy rolled back by each form of `to`,
// refusals that change nothing, a throttling storm, someone else deploying meanwhile, a no-op, and a cancelled job.
import { afterEach, describe, expect, test } from '@jest/globals';
import type { ActionRun } from '@hokusai/action-harness';
import { loadScenario, SCENARIOS_DIR } from '@hokusai/ecs-emulator';
import { ARN_PREFIX, EmulatedIncident, incidentScenario } from './emulator-fixture.js';

const R108 = `${ARN_PREFIX}hokusai-api:108`;
const FAILURE = 'task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26)';

let incident: EmulatedIncident | undefined;
const runs: ActionRun[] = [];

afterEach(async () => {
  await Promise.all(runs.splice(0).map((r) => r.cleanup()));
  await incident?.close();
  incident = undefined;
});

async function start(scenario = incidentScenario()): Promise<EmulatedIncident> {
  incident = await EmulatedIncident.start(scenario);
  return incident;
}

function errors(run: ActionRun): string[] {
  return run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

function primaryOf(service: Awaited<ReturnType<EmulatedIncident['service']>>) {
  return service.deployments!.find((d) => d.status === 'PRIMARY')!;
}

describe('a bad deploy rolled back on the emulator', () => {
  const forms: Array<{ name: string; to: string }> = [
    { name: 'previous', to: 'previous' },
    { name: 'a bare revision', to: '108' },
    { name: 'family:revision', to: 'hokusai-api:108' },
    { name: 'the full ARN', to: R108 },
  ];
  test.each(forms)('to: $name restores 108 and waits for it to be stable', async ({ to }) => {
    const emu = await start();
    const broken = await emu.badDeploy();
    const before = emu.updateServiceCalls().length;
    // Without failure-reason (a manual rollback) the report finds the reason itself.
    const failureReason = to === 'previous' ? FAILURE : '';
    const run = await emu.run({
      to,
      reason: 'crash on import (SyntaxError)',
      'failure-reason': failureReason,
    });
    runs.push(run);
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      'rolled-back-from': broken,
      'rolled-back-to': R108,
      result: 'rolled-back',
    });

    // Exactly one UpdateService, to 108, and the service is stable on it.
    const calls = emu.updateServiceCalls().slice(before);
    expect(calls.map((c) => c.taskDefinition)).toEqual([R108]);
    const service = await emu.service();
    expect(primaryOf(service).taskDefinition).toBe(R108);
    expect(service.runningCount).toBe(2);
    expect(service.deployments!.filter((d) => d.runningCount! > 0)).toHaveLength(1);
    expect((await emu.serviceTags())['hokusai:rollback-reason']).toBe('crash on import SyntaxError');

    // The incident report.
    expect(run.summary).toContain(
      '## Rollback of hokusai-api: hokusai-api:109 → hokusai-api:108 — rolled back, stable',
    );
    expect(run.summary).toContain('| failing revision | `hokusai-api:109` |');
    expect(run.summary).toMatch(
      /\| why it failed \| task [0-9a-f]{8}… exited with code 1: SyntaxError: invalid syntax \(model\\_registry.py, line 26\) \|/,
    );
    expect(run.summary).toContain('```mermaid\ntimeline');
    expect(run.summary).toMatch(/deploy of hokusai-api 109/);
    // The first failed task and its log, read from the service and CloudWatch Logs before the rollback.
    expect(run.summary).toMatch(
      /first failure task [0-9a-f]{8}… exited with code 1 SyntaxError invalid syntax/,
    );
    expect(run.summary).toMatch(
      /<details><summary>Log of the first failed task [0-9a-f]{8}… \(\/ecs\/hokusai-api hokusai\/api\/[0-9a-f]+\)/,
    );
    expect(run.summary).toContain('  File "/app/src/services/model_registry.py", line 26');
    expect(run.summary).toMatch(/rollback to hokusai-api 108/);
    expect(run.summary).toMatch(/stable on hokusai-api 108/);
    // AWS's timestamps and the runner's clock are aligned: the story reads in order.
    const order = [
      'deploy of hokusai-api 109',
      'first failure',
      failureReason ? 'verdict deploy failed' : 'rollback requested',
      'rollback to hokusai-api 108',
      'stable on',
    ];
    const positions = order.map((label) => run.summary.indexOf(label));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(run.summary).toContain('**2/2 running**');
    expect(run.summary).toContain('Load balancer targets: **2/2 healthy**');
    expect(run.summary).toMatch(/^- \[ \] Find the root cause of the failure of hokusai-api:109/m);
  });
});

describe('previous when the older deployment is gone', () => {
  test('ECS deployment history: the newest successful deployment of another revision', async () => {
    const emu = await start();
    // A good deploy of 109 that completed: 108's deployment is no longer listed, and no last-good tag exists.
    const good = await emu.register('v2');
    await emu.deploy(good);
    const deadline = Date.now() + 30_000;
    while (
      (await emu.service()).deployments!.length !== 1 ||
      primaryOf(await emu.service()).rolloutState !== 'COMPLETED'
    ) {
      if (Date.now() > deadline) throw new Error('the deploy of 109 never completed');
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = await emu.run({ to: 'previous', reason: 'data bug in 109' });
    runs.push(run);
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toEqual({ 'rolled-back-from': good, 'rolled-back-to': R108, result: 'rolled-back' });
    expect(run.log).toContain('rollback target hokusai-api:108 (deployment-history)');
    expect(run.summary).toContain('previous: newest successful deployment in ECS history');
    expect(primaryOf(await emu.service()).taskDefinition).toBe(R108);
  });
});

describe('refusals on the emulator change nothing', () => {
  const cases: Array<{ name: string; target: (emu: EmulatedIncident) => Promise<string>; error: string }> = [
    {
      name: 'a target of another family',
      target: async (emu) => {
        const other = await emu.register('v1', 'other-app');
        return other.slice(other.lastIndexOf('/') + 1);
      },
      error: 'is of family "other-app", not "hokusai-api" that the service runs',
    },
    {
      name: 'a target that does not exist',
      target: async () => '4711',
      error: 'task definition "hokusai-api:4711" not found',
    },
  ];
  test.each(cases)('$name', async ({ target, error }) => {
    const emu = await start();
    const to = await target(emu);
    const broken = await emu.badDeploy();
    const before = emu.updateServiceCalls().length;
    const run = await emu.run({ to });
    runs.push(run);
    expect(run.exitCode).toBe(1);
    const lines = errors(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(error);
    expect(run.outputs.result).toBe('refused');
    expect(emu.updateServiceCalls().length).toBe(before);
    expect(primaryOf(await emu.service()).taskDefinition).toBe(broken);
  });

  test('previous after the deploy already rolled back does not go back to the failing revision', async () => {
    const emu = await start();
    const broken = await emu.badDeploy();
    // What ecs-deploy-and-wait's own rollback does; the failing deployment is still listed, draining.
    await emu.deploy(R108);
    const before = emu.updateServiceCalls().length;
    const run = await emu.run({ to: 'previous' });
    runs.push(run);
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toMatch(
      /^"previous" resolves to hokusai-api:109, but its deployment ecs-svc\/\S+ has \d+ failed tasks?: the service already left it for hokusai-api:108/,
    );
    expect(emu.updateServiceCalls().length).toBe(before);
    expect(primaryOf(await emu.service()).taskDefinition).toBe(R108);
    expect(broken).toBe(`${ARN_PREFIX}hokusai-api:109`);
  });

  test('previous after the ECS circuit breaker rolled back refuses the FAILED deployment', async () => {
    const emu = await start(loadScenario(`${SCENARIOS_DIR}/circuit-breaker-rollback.yaml`));
    await emu.badDeploy();
    const deadline = Date.now() + 30_000;
    while (primaryOf(await emu.service()).taskDefinition !== R108) {
      if (Date.now() > deadline) throw new Error('the circuit breaker never rolled back');
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = emu.updateServiceCalls().length;
    const run = await emu.run({ to: 'previous' });
    runs.push(run);
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    // ECS's shape: the failed deployment left the list and the history shows it ROLLBACK_SUCCESSFUL, so `previous`
    // says ECS already rolled back; the older shape listed it FAILED. Either way it refuses, and never goes back onto
    // the failing revision (nor one further back).
    expect(errors(run)[0]).toMatch(
      /^("previous" resolves to hokusai-api:109, but its deployment \S+ (FAILED|has)|"previous": ECS already rolled back deployment \S+ \(hokusai-api:109, ROLLBACK_SUCCESSFUL\) to the revision the service runs, hokusai-api:108)/,
    );
    expect(emu.updateServiceCalls().length).toBe(before);
  });

  test('the current revision is a no-op success with a notice', async () => {
    const emu = await start();
    const run = await emu.run({ to: '108' });
    runs.push(run);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ 'rolled-back-from': R108, 'rolled-back-to': R108, result: 'no-op' });
    expect(run.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual([
      'hokusai-api already runs hokusai-api:108; nothing to roll back',
    ]);
    expect(emu.updateServiceCalls()).toEqual([]);
  });
});

describe('dynamics', () => {
  test('a rollback under 30% throttling of every call it makes', async () => {
    const operations = [
      'DescribeServices',
      'DescribeTaskDefinition',
      'ListTagsForResource',
      'ListServiceDeployments',
      'UpdateService',
      'ListTasks',
      'DescribeTasks',
      'TagResource',
      'DescribeTargetHealth',
    ];
    const emu = await start(
      incidentScenario({
        faults: operations.map((operation) => ({ operation, error: 'ThrottlingException', rate: 0.3 })),
      }),
    );
    const broken = await emu.badDeploy();
    const before = emu.updateServiceCalls().length;
    const run = await emu.run({ to: 'previous', 'failure-reason': FAILURE });
    runs.push(run);
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toEqual({
      'rolled-back-from': broken,
      'rolled-back-to': R108,
      result: 'rolled-back',
    });
    expect(
      emu
        .updateServiceCalls()
        .slice(before)
        .map((c) => c.taskDefinition),
    ).toEqual([R108]);
    const throttled = emu.emulator.events().filter((e) => e.type === 'fault');
    expect(throttled.length).toBeGreaterThan(0);
    expect(primaryOf(await emu.service()).taskDefinition).toBe(R108);
  });

  test('someone else deploying during the rollback is reported, not fought', async () => {
    const emu = await start();
    const broken = await emu.badDeploy();
    const hotfix = await emu.register('hotfix-7a1b');
    let deployed: Promise<void> | undefined;
    const run = await emu.run(
      { to: 'previous', 'stable-for': '20s' },
      {
        onStdout: (chunk) => {
          // The first progress line of the rollback deployment: its UpdateService has been answered.
          if (!deployed && /rollback: deployment ecs-svc\//.test(chunk)) deployed = emu.deploy(hotfix);
        },
      },
    );
    runs.push(run);
    await deployed;
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ 'rolled-back-from': broken, 'rolled-back-to': R108, result: 'taken-over' });
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toMatch(
      /^taken-over: .*another deployment ecs-svc\/\S+ \(hokusai-api:110\) replaced ours/,
    );
    expect(run.summary).toContain('another deployment took over');
    expect(run.summary).toMatch(/Find who deployed hokusai-api:110/);
    // Our one UpdateService, then theirs; nothing after.
    expect(emu.updateServiceCalls().map((c) => c.taskDefinition)).toEqual([broken, R108, hotfix]);
  });

  test('a target that crashes too: the rollback fails, and says so', async () => {
    const emu = await start();
    const alsoBroken = await emu.register('broken-0ld');
    const broken = await emu.badDeploy();
    const run = await emu.run({ to: alsoBroken });
    runs.push(run);
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({
      'rolled-back-from': broken,
      'rolled-back-to': alsoBroken,
      result: 'failed',
    });
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toMatch(
      /^failed: rollback to hokusai-api:109 did not become stable: task \S+ exited with code 1/,
    );
    expect(run.summary).toContain('**The service is not stable on hokusai-api:109**');
  });

  test('a rollback that cannot finish within timeout ends timed-out', async () => {
    // The restored revision takes 10 simulated minutes to start: it cannot be stable within 2 s however fast or slow
    // the machine is.
    const emu = await start(incidentScenario({ defaultImage: { startSeconds: 600, elbHealthy: true } }));
    await emu.badDeploy();
    const run = await emu.run({ to: '108', timeout: '2s', 'stable-for': '0s' });
    runs.push(run);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('timed-out');
    expect(errors(run)[0]).toMatch(
      /^timed-out: rollback to hokusai-api:108 made, still rolling out at the time limit: timed out after/,
    );
    // ECS carries on with the rollback deployment: the action made its one UpdateService.
    expect(
      emu
        .updateServiceCalls()
        .map((c) => c.taskDefinition)
        .slice(-1),
    ).toEqual([R108]);
  });

  test('access denied while watching, after UpdateService: one line that says the service was changed', async () => {
    // The first DescribeTasks (the failure evidence) is allowed; the watcher's are denied.
    const denied = Array.from({ length: 100 }, (_, i) => i + 2);
    const emu = await start(
      incidentScenario({
        faults: [
          {
            operation: 'DescribeTasks',
            error: 'AccessDeniedException',
            message: 'not authorized to perform ecs:DescribeTasks',
            calls: denied,
          },
        ],
      }),
    );
    await emu.badDeploy();
    const run = await emu.run({ to: '108' });
    runs.push(run);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /^UpdateService to hokusai-api:108 was made \(ECS carries on with it\), then watching failed: access denied while rolling hokusai-api back to hokusai-api:108: .*ecs:DescribeTasks/,
      ),
    ]);
    expect(
      emu
        .updateServiceCalls()
        .map((c) => c.taskDefinition)
        .slice(-1),
    ).toEqual([R108]);
  });

  test.each(['SIGTERM', 'SIGINT'] as const)(
    'a job cancelled with %s stops cleanly and says what state the service is in',
    async (signal) => {
      const emu = await start();
      await emu.badDeploy();
      const run = await emu.run({ to: 'previous', 'stable-for': '90s' }, { signal, signalAfterMs: 6000 });
      runs.push(run);
      expect(run.exitCode).toBe(1);
      expect(run.outputs.result).toBe('cancelled');
      expect(run.log).toContain(`received ${signal}: stopping the rollback watch`);
      expect(run.log).toMatch(/cancelled: hokusai-api is on hokusai-api:108: \d\/2 running/);
      expect(run.log).toContain('the rollback to hokusai-api:108 continues in ECS');
      expect(run.summary).toContain('— cancelled');
      expect(run.log).not.toMatch(/^\s+at /m);
    },
  );
});
