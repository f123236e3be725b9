// rollBack() against the ECS emulator on its virtual clock: what it does when the service moved under it, when AWS
// keeps failing, when the target was deregistered, and when the job is cancelled.
import { afterEach, describe, expect, test } from '@jest/globals';
import { loadScenario, SCENARIOS_DIR } from '@hokusai/ecs-emulator';
import { rollBack, RollbackError, type RollbackOptions } from '../src/rollback.js';
import { CLUSTER, SERVICE, deployImage, startRun, type EmulatedRun } from './emulator-harness.js';
import type { Scenario } from '@hokusai/ecs-emulator';

let run: EmulatedRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

function rollbackOptions(r: EmulatedRun, taskDefinitionArn: string): RollbackOptions {
  return {
    apis: r.apis,
    cluster: CLUSTER,
    service: SERVICE,
    taskDefinitionArn,
    pollIntervalMs: 10_000,
    timeoutMs: 600_000,
    stableForMs: 0,
    clock: r.clock,
    logger: r.logger,
    callLog: r.callLog,
  };
}

function updateServiceCalls(r: EmulatedRun): number {
  return r.emulator.events().filter((e) => e.type === 'api-call' && e.operation === 'UpdateService').length;
}

describe('rollBack', () => {
  test('a deploy that lands after the rollback was decided is not overwritten: taken-over, no UpdateService', async () => {
    run = await startRun('healthy-rollout');
    const ours = await deployImage(run, 'v2');
    // The caller decides to roll back from what it saw...
    const observed = (await run.apis.ecs.describeService(CLUSTER, SERVICE))!;
    // ...and someone else deploys before rollBack's UpdateService.
    const theirs = await deployImage(run, 'v3');
    const updatesBefore = updateServiceCalls(run);
    const result = await rollBack({
      ...rollbackOptions(run, ours.previous),
      observed,
      expectedCurrent: ours.next,
    });
    expect(result).toMatchObject({
      outcome: 'taken-over',
      updated: false,
      deploymentId: theirs.deploymentId,
      decision: { kind: 'taken-over', deploymentId: theirs.deploymentId, taskDefinition: theirs.next },
    });
    expect(result.summary).toMatch(
      /^not rolled back to hokusai-api:\d+: deployment \S+ \(hokusai-api:\d+\) replaced/,
    );
    expect(updateServiceCalls(run)).toBe(updatesBefore);
    expect((await run.apis.ecs.describeService(CLUSTER, SERVICE))!.taskDefinition).toBe(theirs.next);
  });

  test('expectedCurrent that is still PRIMARY: the rollback goes ahead', async () => {
    run = await startRun('healthy-rollout');
    const ours = await deployImage(run, 'v2');
    const result = await rollBack({
      ...rollbackOptions(run, ours.previous),
      expectedCurrent: ours.next,
    });
    expect(result).toMatchObject({ outcome: 'rolled-back', updated: true });
    expect((await run.apis.ecs.describeService(CLUSTER, SERVICE))!.taskDefinition).toBe(ours.previous);
  });

  test('cancelled before UpdateService: no change made', async () => {
    run = await startRun('healthy-rollout');
    const ours = await deployImage(run, 'v2');
    const updatesBefore = updateServiceCalls(run);
    const controller = new AbortController();
    controller.abort();
    const result = await rollBack({
      ...rollbackOptions(run, ours.previous),
      expectedCurrent: ours.next,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ outcome: 'cancelled', updated: false });
    expect(result.summary).toMatch(/cancelled before UpdateService; no change made$/);
    expect(updateServiceCalls(run)).toBe(updatesBefore);
    expect((await run.apis.ecs.describeService(CLUSTER, SERVICE))!.taskDefinition).toBe(ours.next);
  });

  test.each([
    // DeployImage's UpdateService is the first; rollBack's the second.
    { name: 'UpdateService refused: not updated', operation: 'UpdateService', calls: [2], updated: false },
    {
      name: 'watching fails after UpdateService: updated',
      operation: 'DescribeTasks',
      calls: undefined,
      updated: true,
    },
  ])('an API error says whether the service was changed — $name', async ({ operation, calls, updated }) => {
    const scenario = loadScenario(`${SCENARIOS_DIR}/healthy-rollout.yaml`);
    scenario.faults = [
      {
        operation,
        error: 'AccessDeniedException',
        message: `not authorized to perform ecs:${operation}`,
        ...(calls ? { calls } : { rate: 1 }),
      },
    ];
    run = await startRun(scenario);
    const ours = await deployImage(run, 'v2');
    const error = await rollBack(rollbackOptions(run, ours.previous)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RollbackError);
    expect(error).toMatchObject({
      updated,
      call: updated ? 'DescribeServices' : 'UpdateService',
      cause: { name: 'AccessDeniedException' },
    });
    expect((error as Error).message).toContain(`ecs:${operation}`);
    expect((await run.apis.ecs.describeService(CLUSTER, SERVICE))!.taskDefinition).toBe(
      updated ? ours.previous : ours.next,
    );
  });

  const withFaults = (faults: NonNullable<Scenario['faults']>): Scenario => ({
    ...loadScenario(`${SCENARIOS_DIR}/healthy-rollout.yaml`),
    faults,
  });

  test('UpdateService throttled for two minutes: retried until it is made, then watched to stable', async () => {
    run = await startRun(
      withFaults([
        {
          operation: 'UpdateService',
          error: 'ThrottlingException',
          rate: 1,
          fromSeconds: 1,
          untilSeconds: 121,
        },
      ]),
    );
    const ours = await deployImage(run, 'v2');
    await run.clock.sleep(1000);
    const result = await rollBack({ ...rollbackOptions(run, ours.previous), expectedCurrent: ours.next });
    expect(result).toMatchObject({ outcome: 'rolled-back', updated: true });
    const made = run.emulator
      .events()
      .filter((e) => e.type === 'api-call' && e.operation === 'UpdateService' && e.status === 'ok');
    expect(made).toHaveLength(2);
    expect(Date.parse(made[1]!.time) - ours.startedAt).toBeGreaterThanOrEqual(121_000);
    const throttled = run.callLog.calls.filter((c) => c.operation === 'UpdateService' && c.attempt > 1);
    expect(throttled.length).toBeGreaterThan(10);
  });

  test('the take-over check cannot read the service: the rollback goes ahead on the last poll, and says so', async () => {
    run = await startRun(
      withFaults([
        { operation: 'DescribeServices', error: 'ServerError', rate: 1, fromSeconds: 1, untilSeconds: 200 },
      ]),
    );
    const ours = await deployImage(run, 'v2');
    const observed = (await run.apis.ecs.describeService(CLUSTER, SERVICE))!;
    await run.clock.sleep(1000);
    const result = await rollBack({
      ...rollbackOptions(run, ours.previous),
      observed,
      expectedCurrent: ours.next,
    });
    expect(result).toMatchObject({ outcome: 'rolled-back', updated: true });
    expect(run.logger.messages('warning')).toContainEqual(
      expect.stringMatching(
        /^rollback: could not read the service again before the rollback \(ServerException after \d+ attempts \(time limit reached\)\); going ahead on the state the last poll saw$/,
      ),
    );
  });

  test('UpdateService refused with 5xx until the time limit: RollbackError naming the call, not made', async () => {
    run = await startRun(
      withFaults([{ operation: 'UpdateService', error: 'ServerError', rate: 1, fromSeconds: 1 }]),
    );
    const ours = await deployImage(run, 'v2');
    await run.clock.sleep(1000);
    const error = await rollBack({ ...rollbackOptions(run, ours.previous), timeoutMs: 120_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RollbackError);
    expect(error).toMatchObject({
      updated: false,
      call: 'UpdateService',
      cause: { name: 'ServerException' },
    });
    expect((error as RollbackError).lastState?.taskDefinition).toBe(ours.next);
    expect(run.clock.now() - ours.startedAt).toBeLessThanOrEqual(121_000 + 5000);
  });

  test('cancelled while UpdateService is being retried: cancelled, no change made', async () => {
    run = await startRun(
      withFaults([{ operation: 'UpdateService', error: 'ThrottlingException', rate: 1, fromSeconds: 1 }]),
    );
    const ours = await deployImage(run, 'v2');
    await run.clock.sleep(1000);
    const controller = new AbortController();
    const rolling = rollBack({ ...rollbackOptions(run, ours.previous), signal: controller.signal });
    await run.clock.sleep(20_000);
    controller.abort();
    const result = await rolling;
    expect(result).toMatchObject({ outcome: 'cancelled', updated: false });
    expect(result.summary).toMatch(/no change made$/);
    expect((await run.apis.ecs.describeService(CLUSTER, SERVICE))!.taskDefinition).toBe(ours.next);
  });

  test('a deregistered target: its exact content is registered again as a new revision and deployed', async () => {
    run = await startRun('healthy-rollout');
    const ours = await deployImage(run, 'v2');
    const previous = (await run.apis.ecs.describeTaskDefinition(ours.previous))!;
    const { DeregisterTaskDefinitionCommand, ECSClient } = await import('@aws-sdk/client-ecs');
    const ecs = new ECSClient({
      region: 'us-east-1',
      endpoint: run.emulator.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: ours.previous }));
    ecs.destroy();
    const result = await rollBack({
      ...rollbackOptions(run, ours.previous),
      reRegister: previous,
      expectedCurrent: ours.next,
    });
    expect(result.outcome).toBe('rolled-back');
    expect(result.reRegistered?.from).toBe(ours.previous);
    expect(result.taskDefinitionArn).toBe(result.reRegistered?.to);
    expect(result.taskDefinitionArn).toMatch(/hokusai-api:110$/);
    const copy = (await run.apis.ecs.describeTaskDefinition(result.taskDefinitionArn))!.taskDefinition;
    expect(copy.containerDefinitions).toEqual(previous.taskDefinition.containerDefinitions);
    expect((await run.apis.ecs.describeService(CLUSTER, SERVICE))!.taskDefinition).toBe(
      result.taskDefinitionArn,
    );
    expect(run.logger.messages('info')).toContainEqual(
      expect.stringMatching(
        /^rollback: hokusai-api:108 is INACTIVE \(deregistered\); registered its exact content again as hokusai-api:110$/,
      ),
    );
  });
});
