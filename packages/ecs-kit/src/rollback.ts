// Puts a service back on a given task definition and watches until it is stable; recognises when the ECS
// circuit breaker already rolled back (or is rolling back) to it and watches that instead of fighting it.
import type { Logger } from '@hokusai/action-kit';
import type { AwsApis } from './api.js';
import type { ApiCallLog, Clock } from './clock.js';
import { taskDefinitionName, type ServiceInfo } from './model.js';
import type { TimelineEntry } from './timeline.js';
import { watchRollout, type CallBudget, type WatchDecision, type WatchResult } from './watcher.js';

export interface RollbackOptions {
  apis: AwsApis;
  cluster: string;
  service: string;
  /** The task definition ARN to go back to. */
  taskDefinitionArn: string;
  pollIntervalMs: number;
  timeoutMs: number;
  stableForMs: number;
  maxFailedTasks?: number;
  checkTargetHealth?: boolean;
  /** Watch until stable (default true); false = UpdateService only. */
  wait?: boolean;
  clock: Clock;
  logger: Logger;
  callLog: ApiCallLog;
  signal?: AbortSignal;
  budget?: CallBudget;
  timeline?: TimelineEntry[];
  /** The service as the caller just observed it (saves a DescribeServices, and time, right after a verdict). */
  observed?: ServiceInfo;
  /**
   * The task definition ARN the caller believes is PRIMARY (what it decided the rollback against). When set, the
   * service is read again right before UpdateService; if another revision became PRIMARY in between, someone else
   * deployed, and rolling back would overwrite their deploy: `taken-over`, no UpdateService.
   */
  expectedCurrent?: string;
}

export type RollbackOutcome =
  /** We called UpdateService and the service became stable on the target (or wait was false). */
  | 'rolled-back'
  /** ECS (the circuit breaker) had already put the service on the target; we watched it become stable. */
  | 'already-rolled-back'
  /** The rollback deployment failed, timed out, or was replaced. */
  | 'failed'
  /** Another deployment became PRIMARY after the caller decided (see `expectedCurrent`); no UpdateService made. */
  | 'taken-over'
  | 'cancelled';

export interface RollbackResult {
  outcome: RollbackOutcome;
  /** The deployment that carries the rollback. */
  deploymentId?: string;
  /** Whether this call made the UpdateService. */
  updated: boolean;
  decision?: WatchDecision;
  watch?: WatchResult;
  /** One line for people. */
  summary: string;
}

/**
 * An API error rollBack() could not absorb (a verdict is a result, never this). `updated` says whether its
 * UpdateService had been answered first, i.e. whether the service was changed: that decides what a person does
 * next. The AWS error is the `cause`.
 */
export class RollbackError extends Error {
  readonly updated: boolean;
  constructor(cause: unknown, updated: boolean) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RollbackError';
    this.updated = updated;
  }
}

/** Rolls back; throws only RollbackError. */
export async function rollBack(options: RollbackOptions): Promise<RollbackResult> {
  const progress = { updated: false };
  try {
    return await rollBackAndWatch(options, progress);
  } catch (error) {
    throw new RollbackError(error, progress.updated);
  }
}

async function rollBackAndWatch(
  options: RollbackOptions,
  progress: { updated: boolean },
): Promise<RollbackResult> {
  const { apis, cluster, service, clock, logger } = options;
  const timeline = options.timeline ?? [];
  const target = options.taskDefinitionArn;
  const name = taskDefinitionName(target);
  const primaryOf = (s: ServiceInfo) => s.deployments.find((d) => d.status === 'PRIMARY');
  let before = options.observed ?? (await apis.ecs.describeService(cluster, service));
  // The caller's observation may be a poll old: about to change the service, look again.
  if (
    before &&
    options.observed &&
    options.expectedCurrent !== undefined &&
    primaryOf(before)?.taskDefinition !== target
  )
    before = await apis.ecs.describeService(cluster, service);
  if (!before)
    return {
      outcome: 'failed',
      updated: false,
      summary: `service ${service} no longer exists; nothing to roll back`,
    };
  const primary = primaryOf(before);
  let deploymentId: string;
  let updated = false;
  const startedAt = clock.now();
  if (
    primary &&
    primary.taskDefinition !== target &&
    options.expectedCurrent !== undefined &&
    primary.taskDefinition !== options.expectedCurrent
  ) {
    const theirs = taskDefinitionName(primary.taskDefinition);
    const reason = `deployment ${primary.id} (${theirs}) replaced ${taskDefinitionName(options.expectedCurrent)} since the rollback was decided; not rolling back over it`;
    logger.warning(`rollback: ${reason}`);
    timeline.push({ at: startedAt, kind: 'verdict', label: `taken over by ${theirs}; no rollback` });
    return {
      outcome: 'taken-over',
      deploymentId: primary.id,
      updated: false,
      decision: {
        kind: 'taken-over',
        reason,
        deploymentId: primary.id,
        taskDefinition: primary.taskDefinition,
      },
      summary: `not rolled back to ${name}: ${reason}`,
    };
  }
  if (primary && primary.taskDefinition === target) {
    deploymentId = primary.id;
    logger.info(
      `rollback: the service is already on ${name} (deployment ${primary.id}, ${primary.rolloutState ?? 'no rollout state'}); not calling UpdateService`,
    );
    timeline.push({ at: startedAt, kind: 'rollback', label: `already on ${name} (circuit breaker)` });
  } else {
    // The last moment a cancelled job can leave the service as it is.
    if (options.signal?.aborted)
      return {
        outcome: 'cancelled',
        updated: false,
        summary: `rollback to ${name} cancelled before UpdateService; no change made`,
      };
    logger.info(`rollback: UpdateService ${service} -> ${name}`);
    const after = await apis.ecs.updateService({ cluster, service, taskDefinition: target });
    updated = true;
    progress.updated = true;
    const next = after.deployments.find((d) => d.status === 'PRIMARY');
    deploymentId = next?.id ?? '';
    timeline.push({ at: clock.now(), kind: 'rollback', label: `rollback to ${name}` });
  }
  if (options.wait === false) {
    return {
      outcome: updated ? 'rolled-back' : 'already-rolled-back',
      deploymentId,
      updated,
      summary: `rolled back to ${name} (not waited)`,
    };
  }
  const watch = await watchRollout({
    apis,
    cluster,
    service,
    verdict: {
      deploymentId,
      startedAt,
      timeoutMs: options.timeoutMs,
      stableForMs: options.stableForMs,
      maxFailedTasks: options.maxFailedTasks ?? 1,
      checkTargetHealth: options.checkTargetHealth ?? true,
    },
    pollIntervalMs: options.pollIntervalMs,
    clock,
    logger,
    callLog: options.callLog,
    knownEventIds: before.events.map((e) => e.id),
    timeline,
    label: 'rollback: ',
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
  });
  const decision = watch.decision;
  if (decision.kind === 'succeeded') {
    timeline.push({ at: clock.now(), kind: 'stable', label: `stable on ${name}` });
    return {
      outcome: updated ? 'rolled-back' : 'already-rolled-back',
      deploymentId,
      updated,
      decision,
      watch,
      summary: `rolled back to ${name}; stable`,
    };
  }
  if (decision.kind === 'cancelled')
    return {
      outcome: 'cancelled',
      deploymentId,
      updated,
      decision,
      watch,
      summary: `rollback to ${name} cancelled while watching`,
    };
  const why = 'reason' in decision ? decision.reason : decision.kind;
  timeline.push({ at: clock.now(), kind: 'verdict', label: `rollback failed` });
  return {
    outcome: 'failed',
    deploymentId,
    updated,
    decision,
    watch,
    summary: `rollback to ${name} did not become stable: ${why}`,
  };
}
