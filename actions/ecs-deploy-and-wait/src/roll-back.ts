// Step 4, roll back if the verdict calls for it: back to the revision the service ran before (registered again
// when it was deregistered), or — when ECS's circuit breaker already rolled back — watch the breaker's rollback
// instead of fighting it. Everything the rollback needs was read in the plan; ecs-kit's rollBack() retries its reads
// and its UpdateService until they are made or the step's time limit (`timeout`, from the verdict) comes.
import { errorMessage, type Logger } from '@hokusai/action-kit';
import { awsErrorName } from '@hokusai/aws-kit';
import {
  recordRollback,
  rollBack,
  RollbackError,
  taskDefinitionName,
  type ApiCallLog,
  type AwsApis,
  type Clock,
  type FinalDecision,
  type RollbackResult,
  type ServiceInfo,
  type TimelineEntry,
} from '@hokusai/ecs-kit';
import type { Inputs } from './inputs.js';
import type { Plan } from './plan.js';
import type { Started } from './start.js';

export type RolledBack = { rollback: RollbackResult } | { error: RollbackError };

/** Whether the decision calls for a rollback step (the breaker's rollback is watched whatever `rollback` says). */
export function rollbackCalledFor(decision: FinalDecision, rollbackInput: boolean): boolean {
  switch (decision.cause) {
    case 'breaker-rolled-back':
      return true;
    case 'task-stopped':
    case 'stopped-during-stable-for':
    case 'rollout-failed':
    case 'alarm':
    case 'failures-counted-by-ecs':
    case 'deployment-gone':
    case 'time-limit':
      return rollbackInput;
    // Succeeded; taken over (not ours to undo); the service is gone (nothing to roll back).
    case 'stable':
    case 'draining-at-time-limit':
    case 'taken-over':
    case 'service-gone':
      return false;
    default: {
      // Every cause is named above: a new one fails the type check here until it is decided.
      const unknown: never = decision;
      return unknown;
    }
  }
}

type StepContext = { apis: AwsApis; clock: Clock; logger: Logger; callLog: ApiCallLog; signal?: AbortSignal };

export async function rollBackIfNeeded(
  inputs: Inputs,
  p: Plan,
  started: Started,
  decision: FinalDecision,
  observed: ServiceInfo | undefined,
  ctx: StepContext,
  timeline: TimelineEntry[],
): Promise<RolledBack | undefined> {
  if (!rollbackCalledFor(decision, inputs.rollback)) return undefined;
  const breaker = decision.cause === 'breaker-rolled-back';
  return rollBackTo(
    breaker ? decision.taskDefinition : p.previous,
    breaker,
    inputs,
    p,
    started,
    observed,
    ctx,
    timeline,
  );
}

/**
 * The job was cancelled while the new revision's tasks were failing (and `rollback` is on): the crashing revision
 * would keep deploying, so the rollback's UpdateService is made before the step stops — within the runner's grace
 * time (the apis' own signal) — and not watched.
 */
export async function rollBackOnCancel(
  inputs: Inputs,
  p: Plan,
  started: Started,
  observed: ServiceInfo | undefined,
  ctx: StepContext,
  timeline: TimelineEntry[],
): Promise<RolledBack> {
  ctx.logger.info(
    `cancelled while tasks of ${taskDefinitionName(started.taskDefinitionArn)} were failing: making the rollback's UpdateService before stopping`,
  );
  return rollBackTo(p.previous, false, inputs, p, started, observed, ctx, timeline);
}

async function rollBackTo(
  target: string,
  breaker: boolean,
  inputs: Inputs,
  p: Plan,
  started: Started,
  observed: ServiceInfo | undefined,
  ctx: StepContext,
  timeline: TimelineEntry[],
): Promise<RolledBack> {
  try {
    const rollback = await rollBack({
      // ctx.apis' own signal is the grace time after a cancel: the rollback's calls are cut by that, not the cancel.
      apis: ctx.apis,
      // Called for by the verdict: a cancel stops the watch of the rollback, not its UpdateService.
      updateDespiteCancel: true,
      cluster: p.cluster,
      service: p.serviceName,
      taskDefinitionArn: target,
      ...(!breaker && p.reRegisterPrevious ? { reRegister: p.reRegisterPrevious } : {}),
      // What we saw PRIMARY at the verdict: if someone deploys before the UpdateService, leave theirs alone.
      expectedCurrent: breaker ? target : started.taskDefinitionArn,
      markRolledBackFrom: { serviceArn: p.service.arn, from: started.taskDefinitionArn },
      pollIntervalMs: inputs['poll-interval'],
      timeoutMs: inputs.timeout,
      stableForMs: inputs['stable-for'],
      checkTargetHealth: inputs['check-target-health'],
      clock: ctx.clock,
      logger: ctx.logger,
      callLog: ctx.callLog,
      timeline,
      ...(observed ? { observed } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    ctx.logger.info(`rollback: ${rollback.summary}`);
    if ((rollback.updated || breaker) && rollback.outcome !== 'taken-over')
      await markRolledBack(ctx, p.service.arn, started.taskDefinitionArn, rollback);
    return { rollback };
  } catch (error) {
    return {
      error: error instanceof RollbackError ? error : new RollbackError(error, false, 'UpdateService'),
    };
  }
}

/**
 * Tags the service as rolled back off `from` (and, once the rollback proved stable, its target as the last good
 * revision), so a later `previous` (auto-rollback) leaves a service already back on its last good revision alone
 * instead of following ECS's history one revision further back. A tag that cannot be written is a warning: the
 * rollback itself happened.
 */
async function markRolledBack(
  ctx: StepContext,
  serviceArn: string,
  from: string,
  rollback: RollbackResult,
): Promise<void> {
  const proven = rollback.outcome === 'rolled-back' || rollback.outcome === 'already-rolled-back';
  try {
    await recordRollback(ctx.apis.ecs, serviceArn, from, proven ? rollback.taskDefinitionArn : undefined);
  } catch (error) {
    ctx.logger.warning(
      `could not tag the service as rolled back (${awsErrorName(error) || errorMessage(error)}); a later "previous" rollback may go one revision further back`,
    );
  }
}
