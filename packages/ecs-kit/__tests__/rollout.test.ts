// Rollout dynamics against the ECS emulator's scenarios, on its virtual clock (quick, and independent of the
// machine's speed): the verdict, the watcher, rollback.
import { afterEach, describe, expect, test } from '@jest/globals';
import { loadScenario, SCENARIOS_DIR } from '@hokusai/ecs-emulator';
import { rollBack } from '../src/rollback.js';
import { recordLastGood } from '../src/last-good.js';
import { resolveRollbackTarget } from '../src/rollback-target.js';
import { fetchFailedTaskLogs } from '../src/task-logs.js';
import {
  CLUSTER,
  SERVICE,
  deployImage,
  firstEventTime,
  startRun,
  watch,
  type EmulatedRun,
} from './emulator-harness.js';

let run: EmulatedRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

const POLL = 10_000;

describe('watchRollout on emulator scenarios', () => {
  test('incident: the first crash fails the deploy within one poll, with the SyntaxError in the log tail', async () => {
    run = await startRun('incident-crash-on-import');
    const deployed = await deployImage(run, 'broken-3f9c2e1');
    const result = await watch(run, deployed);
    expect(result.decision.kind).toBe('failed');
    const decidedAt = run.clock.now();
    const firstStop = firstEventTime(
      run,
      (e) =>
        e.type === 'task-state' && e.deploymentId === deployed.deploymentId && e.lastStatus === 'STOPPED',
    )!;
    const firstStopping = firstEventTime(
      run,
      (e) =>
        e.type === 'task-state' && e.deploymentId === deployed.deploymentId && e.desiredStatus === 'STOPPED',
    )!;
    expect(firstStopping).toBeLessThanOrEqual(firstStop);
    // Decided in the first poll after the crash (or the one under way): no DescribeServices in between went by.
    const pollsBetween = run.callLog.calls.filter(
      (c) => c.operation === 'DescribeServices' && c.at > firstStopping && c.at < decidedAt,
    );
    expect(pollsBetween.length).toBeLessThanOrEqual(1);
    expect(decidedAt - firstStopping).toBeLessThanOrEqual(2 * POLL);
    const failed = result.decision.kind === 'failed' ? result.decision.failedTasks : [];
    expect(result.decision.kind === 'failed' && result.decision.reason).toMatch(
      /^task \S+ exited with code 1$/,
    );
    const definition = (await run.apis.ecs.describeTaskDefinition(deployed.next))!.taskDefinition;
    const tails = await fetchFailedTaskLogs(run.apis.logs, () => definition, failed, { lines: 40 });
    expect(tails[0]!.stream).toBe(`hokusai/api/${failed[0]!.id}`);
    expect(tails[0]!.lastLine).toBe('SyntaxError: invalid syntax (model_registry.py, line 26)');

    const rollback = await rollBack({
      apis: run.apis,
      cluster: CLUSTER,
      service: SERVICE,
      taskDefinitionArn: deployed.previous,
      pollIntervalMs: POLL,
      timeoutMs: 600_000,
      stableForMs: 30_000,
      clock: run.clock,
      logger: run.logger,
      callLog: run.callLog,
    });
    expect(rollback.outcome).toBe('rolled-back');
    expect(rollback.updated).toBe(true);
    const service = (await run.apis.ecs.describeService(CLUSTER, SERVICE))!;
    expect(service.taskDefinition).toBe(deployed.previous);
    expect(
      run.logger
        .messages('info')
        .some((m) => /^task \S+ stopped: Essential container in task exited \(exit code 1\)$/.test(m)),
    ).toBe(true);
  });

  test('healthy rollout succeeds after stable-for; the log has one line per change, not per poll', async () => {
    run = await startRun('healthy-rollout');
    const deployed = await deployImage(run, 'v2');
    const callsBefore = run.callLog.calls.length;
    const result = await watch(run, deployed);
    expect(result.decision.kind).toBe('succeeded');
    const steady = firstEventTime(
      run,
      (e) =>
        e.type === 'steady-state' ||
        (e.type === 'deployment-state' &&
          e.deploymentId === deployed.deploymentId &&
          e.rolloutState === 'COMPLETED'),
    )!;
    expect(run.clock.now() - steady).toBeGreaterThanOrEqual(60_000);
    // Service events may repeat word for word (two targets registered); our own state lines may not.
    const lines = run.logger.messages('info').filter((l) => !l.startsWith('event: '));
    expect(new Set(lines).size).toBe(lines.length);
    expect(result.polls).toBeGreaterThan(lines.filter((l) => l.startsWith('deployment ')).length);
    // The polling budget: at most 20 calls in any simulated minute while waiting (10 s polls).
    // Every call made while waiting (not the deploy's own register and update).
    const waiting = run.callLog.calls.slice(callsBefore);
    let busiest = 0;
    for (const c of waiting)
      busiest = Math.max(busiest, waiting.filter((d) => d.at >= c.at && d.at < c.at + 60_000).length);
    expect(busiest).toBeLessThanOrEqual(20);
    expect(busiest).toBeGreaterThanOrEqual(6);
  });

  test('with alarms watched: still at most 20 calls in any simulated minute, alarms read at least once a minute', async () => {
    const scenario = loadScenario(`${SCENARIOS_DIR}/healthy-rollout.yaml`);
    scenario.cloudWatchAlarms = [
      { name: 'hokusai-api-5xx', state: 'OK' },
      { name: 'hokusai-api-latency', state: 'ALARM' },
    ];
    run = await startRun(scenario);
    const names = ['hokusai-api-5xx', 'hokusai-api-latency'];
    const atStart = await run.apis.cloudwatch!.describeAlarms(names);
    const deployed = await deployImage(run, 'v2');
    const callsBefore = run.callLog.calls.length;
    const result = await watch(run, deployed, { alarms: { names, atStart }, stableForMs: 120_000 });
    // The latency alarm was in ALARM at the start: ignored, as ECS ignores it.
    expect(result.decision.kind).toBe('succeeded');
    const waiting = run.callLog.calls.slice(callsBefore);
    let busiest = 0;
    for (const c of waiting)
      busiest = Math.max(busiest, waiting.filter((d) => d.at >= c.at && d.at < c.at + 60_000).length);
    expect(busiest).toBeLessThanOrEqual(20);
    const reads = waiting.filter((c) => c.operation === 'DescribeAlarms').map((c) => c.at);
    const gaps = reads.map((at, i) => at - (reads[i - 1] ?? deployed.startedAt));
    // The deploy's own calls and the first poll fill the first minute's budget, so the first gap can be longer;
    // after that the reserve keeps a read at least every third poll (every other one, mostly).
    expect(reads.length).toBeGreaterThanOrEqual(Math.floor(result.polls / 3));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(6 * POLL);
    const later = gaps.filter((_, i) => reads[i]! - deployed.startedAt > 70_000);
    expect(later.length).toBeGreaterThan(3);
    expect(Math.max(...later)).toBeLessThanOrEqual(3 * POLL);
    expect(result.alarms.map((a) => `${a.name} ${a.state}`)).toEqual([
      'hokusai-api-5xx OK',
      'hokusai-api-latency ALARM',
    ]);
  });

  test('an alarm going into ALARM during stable-for fails the deploy within two polls, on the timeline', async () => {
    const scenario = loadScenario(`${SCENARIOS_DIR}/healthy-rollout.yaml`);
    scenario.cloudWatchAlarms = [
      {
        name: 'hokusai-api-5xx',
        state: 'OK',
        states: [{ afterDeploymentSeconds: 100, state: 'ALARM', reason: 'Threshold Crossed: 42 > 1' }],
      },
    ];
    run = await startRun(scenario);
    const atStart = await run.apis.cloudwatch!.describeAlarms(['hokusai-api-5xx']);
    const deployed = await deployImage(run, 'v2');
    const result = await watch(run, deployed, {
      alarms: { names: ['hokusai-api-5xx'], atStart },
      stableForMs: 180_000,
    });
    expect(result.decision).toMatchObject({
      kind: 'failed',
      cause: 'alarm',
      reason: 'alarm hokusai-api-5xx went into ALARM: Threshold Crossed: 42 > 1',
      alarm: { name: 'hokusai-api-5xx', state: 'ALARM' },
    });
    const setOff = firstEventTime(run, (e) => e.type === 'alarm-state' && e.state === 'ALARM')!;
    expect(run.clock.now() - setOff).toBeLessThanOrEqual(2 * POLL);
    const kinds = result.timeline.map((t) => `${t.kind}: ${t.label}`);
    expect(kinds).toContain('alarm: alarm hokusai-api-5xx OK → ALARM');
    expect(kinds.indexOf('alarm: alarm hokusai-api-5xx OK → ALARM')).toBeGreaterThan(
      kinds.indexOf('stable: rollout complete, watching stable-for'),
    );
    expect(run.logger.messages('info')).toContain(
      'alarm hokusai-api-5xx: OK → ALARM: Threshold Crossed: 42 > 1',
    );
  });

  test('a task that dies inside stable-for fails the deploy', async () => {
    run = await startRun('task-dies-after-90s');
    const deployed = await deployImage(run, 'leaky-1');
    const result = await watch(run, deployed, { stableForMs: 180_000 });
    expect(result.decision.kind).toBe('failed');
    expect(result.decision.kind === 'failed' && result.decision.reason).toMatch(
      /(exited with code 137|too much memory).* during stable-for$/,
    );
  });

  test('30% throttling changes no verdict', async () => {
    run = await startRun('throttling-30pct');
    const deployed = await deployImage(run, 'v2');
    const result = await watch(run, deployed);
    expect(result.decision.kind).toBe('succeeded');
    expect(run.emulator.events().some((e) => e.type === 'fault')).toBe(true);
  });

  test('a minute-long DescribeServices outage is waited out, not taken for a verdict', async () => {
    const scenario = loadScenario(`${SCENARIOS_DIR}/healthy-rollout.yaml`);
    scenario.faults = [
      {
        operation: 'DescribeServices',
        error: 'ThrottlingException',
        rate: 1,
        fromSeconds: 5,
        untilSeconds: 65,
      },
    ];
    run = await startRun(scenario);
    const deployed = await deployImage(run, 'v2');
    const result = await watch(run, deployed);
    expect(result.decision.kind).toBe('succeeded');
    expect(
      run.logger
        .messages('warning')
        .some((m) => /^could not observe the service \(ThrottlingException\)/.test(m)),
    ).toBe(true);
  });

  test('circuit breaker rolls back first when max-failed-tasks is high: recognised and not fought', async () => {
    run = await startRun('circuit-breaker-rollback');
    const deployed = await deployImage(run, 'broken-1');
    const result = await watch(run, deployed, { maxFailedTasks: 10 });
    expect(result.decision.kind).toBe('rolled-back-by-circuit-breaker');
    const back =
      result.decision.kind === 'rolled-back-by-circuit-breaker' ? result.decision.taskDefinition! : '';
    expect(back).toBe(deployed.previous);
    const updatesBefore = run.emulator
      .events()
      .filter((e) => e.type === 'api-call' && e.operation === 'UpdateService').length;
    const rollback = await rollBack({
      apis: run.apis,
      cluster: CLUSTER,
      service: SERVICE,
      taskDefinitionArn: back,
      pollIntervalMs: POLL,
      timeoutMs: 600_000,
      stableForMs: 0,
      clock: run.clock,
      logger: run.logger,
      callLog: run.callLog,
    });
    expect(rollback.outcome).toBe('already-rolled-back');
    expect(
      run.emulator.events().filter((e) => e.type === 'api-call' && e.operation === 'UpdateService').length,
    ).toBe(updatesBefore);
  });

  test('ELB health check failures fail the deploy with the target group named', async () => {
    run = await startRun('elb-health-failure');
    const deployed = await deployImage(run, 'unhealthy-1');
    const result = await watch(run, deployed);
    expect(result.decision.kind).toBe('failed');
    expect(result.decision.kind === 'failed' && result.decision.reason).toMatch(
      /failed ELB health checks in target group hokusai-api/,
    );
  });

  test('slow start inside the grace period succeeds', async () => {
    run = await startRun('slow-start-grace-period');
    const deployed = await deployImage(run, 'slow-1');
    const result = await watch(run, deployed, { stableForMs: 30_000 });
    expect(result.decision.kind).toBe('succeeded');
  });

  test('service deleted mid-deploy: failed, service gone', async () => {
    run = await startRun('service-deleted-mid-deploy');
    const deployed = await deployImage(run, 'v2');
    const result = await watch(run, deployed);
    expect(result.decision).toMatchObject({ kind: 'failed', cause: 'service-gone' });
  });

  test('someone else deploying mid-way is reported as taken over', async () => {
    run = await startRun('healthy-rollout');
    const deployed = await deployImage(run, 'v2');
    const watching = watch(run, deployed, { stableForMs: 600_000 });
    await run.clock.sleep(20_000);
    const theirs = await deployImage(run, 'v3');
    const result = await watching;
    expect(result.decision).toMatchObject({ kind: 'taken-over', deploymentId: theirs.deploymentId });
  });

  test('resolveRollbackTarget(previous) mid-deploy finds the older deployment', async () => {
    run = await startRun('incident-crash-on-import');
    const deployed = await deployImage(run, 'broken-1');
    const target = await resolveRollbackTarget(run.apis.ecs, {
      cluster: CLUSTER,
      service: SERVICE,
      to: 'previous',
    });
    expect(target).toMatchObject({
      taskDefinitionArn: deployed.previous,
      currentTaskDefinitionArn: deployed.next,
      source: 'previous-deployment',
      noop: false,
    });
  });

  test('resolveRollbackTarget(previous) after the circuit breaker rolled back never goes back onto the failing revision', async () => {
    run = await startRun('circuit-breaker-rollback');
    const deployed = await deployImage(run, 'broken-1');
    const result = await watch(run, deployed, { maxFailedTasks: 10 });
    expect(result.decision).toMatchObject({
      kind: 'rolled-back-by-circuit-breaker',
      // ECS's shape: the deployment that served before, PRIMARY again under its own id.
      deploymentId: deployed.previousDeploymentId,
      taskDefinition: deployed.previous,
    });
    const service = (await run.apis.ecs.describeService(CLUSTER, SERVICE))!;
    // The failed deployment left the list, as ECS shows it.
    expect(service.deployments.some((d) => d.id === deployed.deploymentId)).toBe(false);
    const outcome = await resolveRollbackTarget(run.apis.ecs, {
      cluster: CLUSTER,
      service: SERVICE,
      to: 'previous',
    }).then(
      (target) => target.taskDefinitionArn,
      (error: Error) => error.message,
    );
    expect(outcome).not.toBe(deployed.next);
  });

  test('resolveRollbackTarget(previous) after a completed deploy, with no tag, uses ECS deployment history', async () => {
    run = await startRun('healthy-rollout');
    const deployed = await deployImage(run, 'v2');
    expect((await watch(run, deployed, { stableForMs: 0 })).decision.kind).toBe('succeeded');
    const history = await run.apis.ecs.deploymentHistory(CLUSTER, SERVICE);
    expect(history?.[0]).toMatchObject({ status: 'SUCCESSFUL', taskDefinition: deployed.next });
    const target = await resolveRollbackTarget(run.apis.ecs, {
      cluster: CLUSTER,
      service: SERVICE,
      to: 'previous',
    });
    expect(target).toMatchObject({
      taskDefinitionArn: deployed.previous,
      source: 'deployment-history',
      noop: false,
    });
  });

  test('resolveRollbackTarget(previous) prefers the last-good tag over history', async () => {
    run = await startRun('healthy-rollout');
    const first = await deployImage(run, 'v2');
    expect((await watch(run, first, { stableForMs: 0 })).decision.kind).toBe('succeeded');
    const service = (await run.apis.ecs.describeService(CLUSTER, SERVICE))!;
    await recordLastGood(run.apis.ecs, service.arn, first.previous);
    const second = await deployImage(run, 'v3');
    expect((await watch(run, second, { stableForMs: 0 })).decision.kind).toBe('succeeded');
    const target = await resolveRollbackTarget(run.apis.ecs, {
      cluster: CLUSTER,
      service: SERVICE,
      to: 'previous',
    });
    expect(target).toMatchObject({ taskDefinitionArn: first.previous, source: 'last-good-tag' });
  });

  test('a cancelled watch stops at once', async () => {
    run = await startRun('healthy-rollout');
    const deployed = await deployImage(run, 'v2');
    const controller = new AbortController();
    const watching = watch(run, deployed, {}, POLL, controller.signal);
    await run.clock.sleep(25_000);
    controller.abort();
    const result = await watching;
    expect(result.decision.kind).toBe('cancelled');
  });
});
