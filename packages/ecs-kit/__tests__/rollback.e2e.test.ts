// rollBack() against the ECS emulator on simulated time: what it does when the service moved under it.
import { afterEach, describe, expect, test } from '@jest/globals';
import { loadScenario, SCENARIOS_DIR } from '@hokusai/ecs-emulator';
import { rollBack, RollbackError, type RollbackOptions } from '../src/rollback.js';
import { CLUSTER, SERVICE, deployImage, startRun, type EmulatedRun } from './emulator-harness.js';

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
    expect(error).toMatchObject({ updated, cause: { name: 'AccessDeniedException' } });
    expect((error as Error).message).toContain(`ecs:${operation}`);
    expect((await run.apis.ecs.describeService(CLUSTER, SERVICE))!.taskDefinition).toBe(
      updated ? ours.previous : ours.next,
    );
  });
});
