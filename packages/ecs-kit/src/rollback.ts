// Puts a service back on a given task definition and watches until it is stable. Once a rollback is called for it
// must get through: its reads and its UpdateService are retried (backoff with jitter) until they are made or the
// step's time limit comes, honouring cancellation; a transient error on the take-over check never abandons it. It
// recognises when the ECS circuit breaker already rolled back (or is rolling back) and watches that instead, and it
// can roll back onto a deregistered revision by registering that revision's exact content again.
import { errorMessage, type Logger } from '@hokusai/action-kit';
import { awsErrorName, describeGiveUp, isRequestAborted, isTransientAwsError } from '@hokusai/aws-kit';
import { persistentApis, type AwsApis, type RegisteredTaskDefinition } from './api.js';
import type { ApiCallLog, Clock } from './clock.js';
import { taskDefinitionName, type ServiceInfo } from './model.js';
import { recordRollback } from './last-good.js';
import type { TimelineEntry } from './timeline.js';
import { watchRollout, type CallBudget, type WatchResult } from './watcher.js';

export interface RollbackOptions {
  apis: AwsApis;
  cluster: string;
  service: string;
  /** The task definition ARN to go back to. */
  taskDefinitionArn: string;
  /**
   * The target is INACTIVE (deregistered): ECS cannot start it, so its exact content (as DescribeTaskDefinition
   * returned it, with tags) is registered again as a new revision of the family and that one is deployed.
   */
  reRegister?: RegisteredTaskDefinition;
  pollIntervalMs: number;
  /** The step's time limit, from the start of rollBack(): the UpdateService is retried until then, and watched. */
  timeoutMs: number;
  stableForMs: number;
  maxFailedTasks?: number;
  checkTargetHealth?: boolean;
  /** Watch until stable (default true); false = UpdateService only. */
  wait?: boolean;
  clock: Clock;
  logger: Logger;
  callLog: ApiCallLog;
  /**
   * Cancellation. Before the UpdateService it leaves the service as it is (outcome `cancelled`, no change) — unless
   * `updateDespiteCancel`; after it, it stops the watch (`cancelled`, `updated: true`: ECS carries on).
   */
  signal?: AbortSignal;
  /**
   * The rollback was called for by a failing verdict: a cancellation does not stop its UpdateService, which is made
   * within what the apis' own signal allows (the runner's grace time, `graceAfter()`); it only stops the watch.
   */
  updateDespiteCancel?: boolean;
  budget?: CallBudget;
  timeline?: TimelineEntry[];
  /** The service as the caller last observed it: the fallback when it cannot be read again right now. */
  observed?: ServiceInfo;
  /**
   * The task definition ARN the caller believes is PRIMARY (what it decided the rollback against). The service is
   * read again right before UpdateService; if another revision became PRIMARY in between, someone else deployed,
   * and rolling back would overwrite their deploy: `taken-over`, no UpdateService.
   */
  expectedCurrent?: string;
  /**
   * Tags the service as rolled back off this task definition ARN (`hokusai:rolled-back-from`, last-good.ts) right
   * after the UpdateService is made — before the watch — so a second `previous` started while this rollback rolls out
   * does not go back onto the revision it left. A tag that cannot be written is a warning.
   */
  markRolledBackFrom?: { serviceArn: string; from: string };
}

export type RollbackOutcome =
  /** We called UpdateService and the service became stable on the target (or wait was false). */
  | 'rolled-back'
  /** ECS (the circuit breaker) had already put the service on the target; we watched it become stable. */
  | 'already-rolled-back'
  /** The rollback deployment exists (ours or the breaker's) and was still rolling out at the time limit. */
  | 'rolling-out'
  /** The rollback deployment failed (its tasks stopped, ECS failed it), or the rollback could not be made. */
  | 'failed'
  /** Another deployment became PRIMARY after the caller decided (see `expectedCurrent`), or replaced ours. */
  | 'taken-over'
  | 'cancelled';

export interface RollbackResult {
  outcome: RollbackOutcome;
  /** The revision deployed: the target, or its re-registered copy. */
  taskDefinitionArn: string;
  /** Set when the target was INACTIVE and its content was registered again. */
  reRegistered?: { from: string; to: string };
  /** The deployment that carries the rollback. */
  deploymentId?: string;
  /** Whether the rollback's UpdateService was made (by this call) — whether the service was changed. */
  updated: boolean;
  decision?: WatchResult['decision'];
  watch?: WatchResult;
  /** The service as last seen (after the UpdateService when it was made). */
  lastState?: ServiceInfo;
  /** One line for people. */
  summary: string;
}

/**
 * An API error rollBack() could not absorb before its time limit, or a refusal (a verdict is a result, never
 * this). `updated` says whether the UpdateService had been made first — whether the service was changed: that
 * decides what a person does next. `call` names the AWS call that failed; the AWS error is the `cause`.
 */
export class RollbackError extends Error {
  readonly updated: boolean;
  readonly call: string;
  readonly lastState?: ServiceInfo;
  constructor(cause: unknown, updated: boolean, call: string, lastState?: ServiceInfo) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RollbackError';
    this.updated = updated;
    this.call = call;
    if (lastState) this.lastState = lastState;
  }
}

interface Progress {
  updated: boolean;
  call: string;
  lastState?: ServiceInfo;
}

/** Rolls back; throws only RollbackError. */
export async function rollBack(options: RollbackOptions): Promise<RollbackResult> {
  const progress: Progress = {
    updated: false,
    call: 'DescribeServices',
    ...(options.observed ? { lastState: options.observed } : {}),
  };
  try {
    return await rollBackAndWatch(options, progress);
  } catch (error) {
    if (error instanceof RollbackError) throw error;
    // Cancelled before the UpdateService was made (a read or the re-registration aborted): nothing changed.
    if (isRequestAborted(error) && error.stoppedBy === 'cancelled' && !progress.updated)
      return {
        outcome: 'cancelled',
        taskDefinitionArn: options.taskDefinitionArn,
        updated: false,
        ...(progress.lastState ? { lastState: progress.lastState } : {}),
        summary: `rollback to ${taskDefinitionName(options.taskDefinitionArn)} cancelled before UpdateService; no change made`,
      };
    throw new RollbackError(error, progress.updated, progress.call, progress.lastState);
  }
}

const primaryOf = (s: ServiceInfo) => s.deployments.find((d) => d.status === 'PRIMARY');

/** `ThrottlingException after 23 attempts over the time limit`: why a persistent call gave up. */
function gaveUp(error: unknown): string {
  const how = describeGiveUp(error);
  const name = awsErrorName(error) || errorMessage(error);
  if (!how) return name;
  const why = {
    attempts: 'attempts used up',
    timeouts: 'no answer, timed out each time',
    deadline: 'time limit reached',
    cancelled: 'cancelled',
  }[how.stoppedBy];
  return `${name} after ${how.attempts} attempt${how.attempts === 1 ? '' : 's'} (${why})`;
}

/**
 * The service right before UpdateService. A transient error that outlasts a short round of retries does not stop
 * the rollback: it goes ahead on the caller's last observation, and says so.
 */
async function reRead(
  options: RollbackOptions,
  apis: AwsApis,
  progress: Progress,
): Promise<ServiceInfo | undefined> {
  const { clock, logger } = options;
  // At most half the rollback's time limit: the UpdateService after it must still have time to get through.
  const quick = persistentApis(apis, {
    deadline: clock.now() + Math.min(Math.max(3 * options.pollIntervalMs, 30_000), options.timeoutMs / 2),
    ...(options.signal && !options.updateDespiteCancel ? { signal: options.signal } : {}),
  });
  try {
    const service = await quick.ecs.describeService(options.cluster, options.service);
    if (service) progress.lastState = service;
    return service;
  } catch (error) {
    const unanswered = isRequestAborted(error) && error.stoppedBy === 'deadline';
    if (!(isTransientAwsError(error) || unanswered) || !options.observed) throw error;
    logger.warning(
      `rollback: could not read the service again before the rollback (${gaveUp(error)}); going ahead on the state the last poll saw`,
    );
    return options.observed;
  }
}

async function rollBackAndWatch(options: RollbackOptions, progress: Progress): Promise<RollbackResult> {
  const { cluster, service, clock, logger } = options;
  const timeline = options.timeline ?? [];
  const startedAt = clock.now();
  const deadline = startedAt + options.timeoutMs;
  const signal = options.signal ? { signal: options.signal } : {};
  // Everything from here to the UpdateService must get through: retried until the step's time limit (and, when the
  // UpdateService is made despite a cancellation, until the apis' own grace time).
  const apis = persistentApis(options.apis, {
    deadline,
    ...(options.updateDespiteCancel ? {} : signal),
  });
  let target = options.taskDefinitionArn;
  const name = () => taskDefinitionName(target);
  const before = await reRead(options, apis, progress);
  if (!before)
    return {
      outcome: 'failed',
      taskDefinitionArn: target,
      updated: false,
      summary: `service ${service} no longer exists; nothing to roll back`,
    };
  const primary = primaryOf(before);
  const reRegistered = options.reRegister ? { from: options.taskDefinitionArn, to: '' } : undefined;
  const onTarget =
    primary &&
    (primary.taskDefinition === target || (reRegistered && primary.taskDefinition === reRegistered.from));
  if (
    primary &&
    !onTarget &&
    options.expectedCurrent !== undefined &&
    primary.taskDefinition !== options.expectedCurrent
  ) {
    const theirs = taskDefinitionName(primary.taskDefinition);
    const reason = `deployment ${primary.id} (${theirs}) replaced ${taskDefinitionName(options.expectedCurrent)} since the rollback was decided; not rolling back over it`;
    logger.warning(`rollback: ${reason}`);
    timeline.push({ at: startedAt, kind: 'verdict', label: `taken over by ${theirs}; no rollback` });
    return {
      outcome: 'taken-over',
      taskDefinitionArn: target,
      deploymentId: primary.id,
      updated: false,
      decision: {
        kind: 'taken-over',
        cause: 'taken-over',
        reason,
        deploymentId: primary.id,
        taskDefinition: primary.taskDefinition,
      },
      lastState: before,
      summary: `not rolled back to ${name()}: ${reason}`,
    };
  }
  let deploymentId: string;
  if (primary && onTarget) {
    deploymentId = primary.id;
    target = primary.taskDefinition;
    logger.info(
      `rollback: the service is already on ${name()} (deployment ${primary.id}, ${primary.rolloutState ?? 'no rollout state'}); not calling UpdateService`,
    );
    timeline.push({ at: startedAt, kind: 'rollback', label: `already on ${name()} (rolled back by ECS)` });
  } else {
    if (reRegistered && options.reRegister) {
      progress.call = 'RegisterTaskDefinition';
      const { taskDefinition, tags } = options.reRegister;
      target = await apis.ecs.registerTaskDefinition(taskDefinition, tags);
      reRegistered.to = target;
      logger.info(
        `rollback: ${taskDefinitionName(reRegistered.from)} is INACTIVE (deregistered); registered its exact content again as ${name()}`,
      );
      timeline.push({
        at: clock.now(),
        kind: 'note',
        label: `re-registered ${taskDefinitionName(reRegistered.from)} as ${name()}`,
      });
    }
    // The last moment a cancelled job can leave the service as it is.
    if (options.signal?.aborted && !options.updateDespiteCancel)
      return {
        outcome: 'cancelled',
        taskDefinitionArn: target,
        updated: false,
        lastState: before,
        summary: `rollback to ${name()} cancelled before UpdateService; no change made`,
      };
    logger.info(`rollback: UpdateService ${service} -> ${name()}`);
    progress.call = 'UpdateService';
    const made = await updateService(options, apis, target, progress);
    if (made === 'cancelled')
      return {
        outcome: 'cancelled',
        taskDefinitionArn: target,
        updated: false,
        lastState: progress.lastState ?? before,
        summary: `rollback to ${name()} cancelled while its UpdateService was being retried; no change made`,
      };
    progress.updated = true;
    progress.lastState = made;
    if (options.markRolledBackFrom) {
      const { serviceArn, from } = options.markRolledBackFrom;
      await recordRollback(apis.ecs, serviceArn, from).catch((error: unknown) =>
        logger.warning(
          `could not tag the service as rolled back off ${taskDefinitionName(from)} (${awsErrorName(error) || errorMessage(error)}); a "previous" started during this rollback may go back onto it`,
        ),
      );
    }
    deploymentId = primaryOf(made)?.id ?? '';
    timeline.push({ at: clock.now(), kind: 'rollback', label: `rollback to ${name()}` });
  }
  const base = {
    taskDefinitionArn: target,
    ...(reRegistered?.to ? { reRegistered } : {}),
    deploymentId,
    updated: progress.updated,
  };
  if (options.wait === false) {
    return {
      ...base,
      outcome: progress.updated ? 'rolled-back' : 'already-rolled-back',
      ...(progress.lastState ? { lastState: progress.lastState } : {}),
      summary: `rolled back to ${name()} (not waited)`,
    };
  }
  progress.call = 'DescribeServices';
  const watch = await watchRollout({
    apis: options.apis,
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
    ...signal,
    ...(options.budget ? { budget: options.budget } : {}),
  });
  return rollbackResult(base, watch, name(), timeline, clock.now(), progress);
}

/** The UpdateService, retried until it is made, the time limit comes, or the job is cancelled. */
async function updateService(
  options: RollbackOptions,
  apis: AwsApis,
  target: string,
  progress: Progress,
): Promise<ServiceInfo | 'cancelled'> {
  try {
    return await apis.ecs.updateService({
      cluster: options.cluster,
      service: options.service,
      taskDefinition: target,
    });
  } catch (error) {
    // A request whose answer was lost (a reset, a 5xx) may have been applied: look before saying it was not.
    const now = await options.apis.ecs
      .describeService(options.cluster, options.service)
      .catch(() => undefined);
    if (now) progress.lastState = now;
    const primary = now && primaryOf(now);
    if (now && primary?.taskDefinition === target) return now;
    if (options.signal?.aborted && describeGiveUp(error)?.stoppedBy === 'cancelled') return 'cancelled';
    options.logger.warning(
      `rollback: UpdateService to ${taskDefinitionName(target)} could not be made: ${gaveUp(error)}`,
    );
    throw error;
  }
}

function rollbackResult(
  base: Pick<RollbackResult, 'taskDefinitionArn' | 'reRegistered' | 'deploymentId' | 'updated'>,
  watch: WatchResult,
  name: string,
  timeline: TimelineEntry[],
  now: number,
  progress: Progress,
): RollbackResult {
  const decision = watch.decision;
  const lastState = watch.last?.service ?? progress.lastState;
  const common = { ...base, decision, watch, ...(lastState ? { lastState } : {}) };
  const outcomeIfStable = base.updated ? 'rolled-back' : 'already-rolled-back';
  switch (decision.kind) {
    case 'succeeded':
      timeline.push({ at: now, kind: 'stable', label: `stable on ${name}` });
      return {
        ...common,
        outcome: outcomeIfStable,
        summary:
          decision.cause === 'draining-at-time-limit'
            ? `rolled back to ${name}; its tasks run and are healthy, old tasks still draining at the time limit`
            : `rolled back to ${name}; stable`,
      };
    case 'cancelled':
      return { ...common, outcome: 'cancelled', summary: `rollback to ${name} cancelled while watching` };
    case 'timed-out':
      timeline.push({ at: now, kind: 'verdict', label: `rollback still rolling out at the time limit` });
      return {
        ...common,
        outcome: 'rolling-out',
        summary: `rollback to ${name} made, still rolling out at the time limit: ${decision.reason}`,
      };
    case 'taken-over':
      return {
        ...common,
        outcome: 'taken-over',
        summary: `rollback to ${name} replaced: ${decision.reason}`,
      };
    default:
      timeline.push({ at: now, kind: 'verdict', label: `rollback failed` });
      return {
        ...common,
        outcome: 'failed',
        summary: `rollback to ${name} did not become stable: ${decision.reason}`,
      };
  }
}
