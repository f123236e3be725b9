// The rollback, start to end: resolve the target (refusing bad ones before any change), gather the evidence of the
// failing deployment, roll back with ecs-kit's rollBack() (the one implementation ecs-deploy-and-wait shares), keep
// the reason on the service, and describe where the service ended up.
import {
  ConfigurationError,
  errorMessage,
  isConfigurationError,
  shorten,
  type Logger,
} from '@hokusai/action-kit';
import {
  awsErrorName,
  describeGiveUp,
  explainAwsError,
  isRequestAborted,
  isTransientAwsError,
} from '@hokusai/aws-kit';
import {
  describeServiceState,
  updateServiceCommand,
  LAST_GOOD_TAG,
  persistentApis,
  ROLLED_BACK_FROM_TAG,
  unsupportedDeploymentReason,
  resolveRollbackTarget,
  rollBack,
  RollbackError,
  taskDefinitionName,
  type ApiCallLog,
  type AwsApis,
  type Clock,
  type RollbackResult,
  type RollbackTarget,
  type RollbackTargetSource,
  type ServiceInfo,
  type TargetHealthInfo,
  type TimelineEntry,
} from '@hokusai/ecs-kit';
import { gatherFailureEvidence, type FailureEvidence } from './failure-evidence.js';
import { reasonTagValue, ROLLBACK_REASON_TAG } from './reason-tag.js';
import { rollbackToReference, type RollbackTo } from './rollback-to.js';

/**
 * rolled-back: the service runs the target and stayed stable for stable-for; started: UpdateService made, not
 * waited (wait: false); no-op: the service already runs the target; failed: the rollback deployment failed;
 * timed-out: not stable within timeout; taken-over: another deployment replaced the rollback; cancelled: the job
 * was cancelled (the service state is reported).
 */
export type RollbackResultKind =
  'rolled-back' | 'started' | 'no-op' | 'failed' | 'timed-out' | 'taken-over' | 'cancelled';

/** How long the reads before the change retry throttling and 5xx (at most the rollback's timeout). */
export const RESOLVE_RETRY_LIMIT_MS = 2 * 60_000;

export const SUCCESSFUL_RESULTS: readonly RollbackResultKind[] = ['rolled-back', 'started', 'no-op'];

export interface AutoRollbackOptions {
  apis: AwsApis;
  cluster: string;
  service: string;
  to: RollbackTo;
  reason: string;
  failureReason: string;
  allowOtherFamily: boolean;
  wait: boolean;
  timeoutMs: number;
  stableForMs: number;
  pollIntervalMs: number;
  clock: Clock;
  logger: Logger;
  callLog: ApiCallLog;
  signal?: AbortSignal;
}

export interface ServiceHealth {
  status: string;
  taskDefinition: string;
  running: number;
  desired: number;
  pending: number;
  deployments: Array<{
    id: string;
    status: string;
    taskDefinition: string;
    running: number;
    desired: number;
    rolloutState?: string;
  }>;
  /** Undefined when the service has no target groups or they were not read. */
  targets?: { healthy: number; total: number; states: Record<string, number> };
}

export interface RollbackReport {
  result: RollbackResultKind;
  cluster: string;
  service: string;
  /** The revision the service ran when the action started (the failing one). */
  from: string;
  /** The revision rolled back to. */
  to: string;
  source: RollbackTargetSource;
  reason: string;
  failureReason: string;
  reasonTag?: { value: string; adapted: boolean; written: boolean; error?: string };
  evidence?: FailureEvidence;
  /** When the failing revision was deployed, on the timeline's clock. */
  deployedAt?: number;
  /** Whether this run called UpdateService. */
  updated: boolean;
  startedAt: number;
  finishedAt: number;
  timeline: TimelineEntry[];
  health?: ServiceHealth;
  /** Set when another deployment replaced the rollback. */
  takenOverBy?: { deploymentId: string; taskDefinition: string };
  /** Set when the target was INACTIVE: its exact content was registered again as `to` (the revision deployed). */
  reRegistered?: { from: string; to: string };
  /** Whether `from` was steady (its deployment COMPLETED, all tasks running, no other deployment) at the start. */
  fromWasSteady?: boolean;
  /** Set when the target failed and `from`, steady before, was put back (a second rollBack()): how that ended. */
  restored?: { outcome: RollbackResult['outcome'] | 'error'; summary: string };
  /** One line for people. */
  summary: string;
}

/**
 * Whether the service was steady on its revision: the PRIMARY deployment COMPLETED (ECS's rolloutState: it reached
 * steady state), every desired task running, no other deployment with tasks. Pure.
 */
export function wasSteady(service: ServiceInfo): boolean {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary || primary.rolloutState !== 'COMPLETED') return false;
  const others = service.deployments.filter((d) => d !== primary && d.runningCount + d.pendingCount > 0);
  return primary.desiredCount > 0 && primary.runningCount >= primary.desiredCount && others.length === 0;
}

/** How a run that threw ended: `refused` (a bad input or target), `failed`, or `cancelled` — nothing changed but for
 * `failed` after the UpdateService (thrownAfterTheChange). */
export type EarlyResult = 'refused' | 'failed' | 'cancelled';

const earlyResults = new WeakMap<object, EarlyResult>();

function endedAs<T>(error: T, result: EarlyResult): T {
  if (typeof error === 'object' && error !== null) earlyResults.set(error, result);
  return error;
}

/**
 * The `result` of a run that threw: `cancelled` before any change, `failed` when the rollback itself could not be
 * made (AWS kept failing, a missing permission: the call is named) or failed after its UpdateService, `refused` for a
 * bad input or target (a ConfigurationError), `failed` otherwise.
 */
export function resultOfError(error: unknown): EarlyResult {
  const marked = typeof error === 'object' && error !== null ? earlyResults.get(error) : undefined;
  return marked ?? (isConfigurationError(error) ? 'refused' : 'failed');
}

/** True when a call ended because the job was cancelled (the request aborted, or its retries stopped). */
function endedByCancellation(error: unknown, signal: AbortSignal | undefined): boolean {
  if (isRequestAborted(error)) return error.stoppedBy === 'cancelled';
  return signal?.aborted === true && describeGiveUp(error)?.stoppedBy === 'cancelled';
}

/** Turns the AWS errors of the reading phase into one line naming what was missing. */
function explainLookupError(error: unknown, cluster: string, service: string): unknown {
  if (isRequestAborted(error))
    return new Error(
      `${error.operation ?? 'an AWS call'} got no answer before the time limit while reading service "${service}" before the rollback: no change made; run it again`,
    );
  if (isTransientAwsError(error))
    return new Error(
      `${awsErrorName(error) || 'an AWS error'} kept coming back while reading service "${service}" before the rollback (DescribeServices, DescribeTaskDefinition, ListTagsForResource): no change made; run it again`,
    );
  if (awsErrorName(error) === 'ClusterNotFoundException')
    return new ConfigurationError(`cluster ${shorten(cluster)} (input "cluster") not found`);
  if (awsErrorName(error) === 'ServiceNotFoundException')
    return new ConfigurationError(
      `service ${shorten(service)} (input "service") not found in cluster ${shorten(cluster)}`,
    );
  // The target's own refusals (not found, INACTIVE, another family, the service missing) concern these inputs.
  if (isConfigurationError(error))
    return new ConfigurationError(`${error.message} (inputs "service" and "to")`);
  return explainAwsError(error, `reading service "${service}" in cluster "${cluster}"`);
}

/** The service's health; running, desired and pending are its PRIMARY deployment's (the revision named), not all. */
export function healthOf(service: ServiceInfo, targets?: readonly TargetHealthInfo[]): ServiceHealth {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  const health: ServiceHealth = {
    status: service.status,
    taskDefinition: primary?.taskDefinition ?? service.taskDefinition,
    running: primary?.runningCount ?? service.runningCount,
    desired: primary?.desiredCount ?? service.desiredCount,
    pending: primary?.pendingCount ?? service.pendingCount,
    deployments: service.deployments.map((d) => ({
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      running: d.runningCount,
      desired: d.desiredCount,
      ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
    })),
  };
  if (targets && service.loadBalancers.some((lb) => lb.targetGroupArn)) {
    const states: Record<string, number> = {};
    for (const t of targets) states[t.state] = (states[t.state] ?? 0) + 1;
    health.targets = { healthy: states.healthy ?? 0, total: targets.length, states };
  }
  return health;
}

const errorsAfterTheChange = new WeakSet<object>();

/** True when autoRollback() threw after its UpdateService was answered: the service did change. */
export function thrownAfterTheChange(error: unknown): boolean {
  return typeof error === 'object' && error !== null && errorsAfterTheChange.has(error);
}

function resultOf(outcome: RollbackResult, wait: boolean): RollbackResultKind {
  switch (outcome.outcome) {
    case 'rolled-back':
    case 'already-rolled-back':
      return wait ? 'rolled-back' : 'started';
    case 'rolling-out':
      // Made, and still rolling out at the time limit: not failed (see `failed`).
      return 'timed-out';
    case 'cancelled':
      return 'cancelled';
    case 'taken-over':
      return 'taken-over';
    case 'failed':
      if (outcome.decision?.kind === 'taken-over') return 'taken-over';
      return 'failed';
  }
}

export async function autoRollback(options: AutoRollbackOptions): Promise<RollbackReport> {
  const { apis, cluster, service, clock, logger } = options;
  const startedAt = clock.now();
  const timeline: TimelineEntry[] = [];

  let target: RollbackTarget;
  // The reads before the change get a while to outlast throttling and 5xx.
  const reads = persistentApis(apis, {
    deadline: startedAt + Math.min(options.timeoutMs, RESOLVE_RETRY_LIMIT_MS),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    target = await resolveRollbackTarget(reads.ecs, {
      cluster,
      service,
      to: rollbackToReference(options.to),
      allowOtherFamily: options.allowOtherFamily,
    });
  } catch (error) {
    if (endedByCancellation(error, options.signal))
      throw endedAs(
        new Error(
          'cancelled before the rollback changed anything (while reading the service): no change made',
          {
            cause: error,
          },
        ),
        'cancelled',
      );
    throw explainLookupError(error, cluster, service);
  }
  const unsupported = unsupportedDeploymentReason(
    target.service,
    `service "${service}" in cluster "${cluster}"`,
  );
  if (unsupported) throw new ConfigurationError(unsupported);
  const from = target.currentTaskDefinitionArn;
  const to = target.taskDefinitionArn;
  const fromName = taskDefinitionName(from);
  const toName = taskDefinitionName(to);
  logger.info(`service ${service} runs ${fromName}; rollback target ${toName} (${target.source})`);
  if (target.reRegister)
    logger.info(
      `${toName} is INACTIVE (deregistered): its exact content will be registered again as a new revision, and the service rolled back to that`,
    );

  const fromWasSteady = wasSteady(target.service);
  const base = {
    fromWasSteady,
    cluster,
    service,
    from,
    to,
    source: target.source,
    reason: options.reason,
    failureReason: options.failureReason,
    startedAt,
    timeline,
  };
  if (target.noop) {
    return {
      ...base,
      result: 'no-op',
      updated: false,
      finishedAt: clock.now(),
      health: healthOf(target.service),
      summary: `service ${service} already runs ${toName}; nothing to roll back`,
    };
  }

  timeline.push({
    at: startedAt,
    kind: 'verdict',
    label: options.failureReason ? 'verdict: deploy failed, rollback decided' : 'rollback requested',
  });

  if (options.signal?.aborted) {
    return {
      ...base,
      result: 'cancelled',
      updated: false,
      finishedAt: clock.now(),
      health: healthOf(target.service),
      summary: `cancelled before the rollback; no change made: ${service} still runs ${fromName}`,
    };
  }

  let outcome: RollbackResult;
  try {
    outcome = await rollBack({
      apis,
      cluster,
      service,
      taskDefinitionArn: to,
      ...(target.reRegister ? { reRegister: target.reRegister } : {}),
      // A deploy that lands between resolving the target and the UpdateService must not be overwritten.
      expectedCurrent: from,
      markRolledBackFrom: { serviceArn: target.service.arn, from },
      pollIntervalMs: options.pollIntervalMs,
      timeoutMs: options.timeoutMs,
      stableForMs: options.stableForMs,
      wait: options.wait,
      clock,
      logger,
      callLog: options.callLog,
      timeline,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    // Not a verdict (rollBack ends those normally): an API error the retries could not absorb. Say whether the
    // service was already changed, since that decides what a person does next.
    const made = error instanceof RollbackError && error.updated;
    const cause = error instanceof RollbackError ? error.cause : error;
    const call = error instanceof RollbackError ? error.call : 'UpdateService';
    const state = describeServiceState(error instanceof RollbackError ? error.lastState : undefined, service);
    const denied = /AccessDenied|UnauthorizedOperation/.test(awsErrorName(cause));
    const explained = explainAwsError(
      cause,
      `rolling ${service} back to ${toName}${denied && !made ? ` (${call} needs the permission ecs:${call})` : ''}`,
    );
    const prefix = made
      ? `UpdateService to ${toName} was made (ECS carries on with it), then watching failed: `
      : `no change made: ${call} failed (${describeGiveUp(cause) ? `${describeGiveUp(cause)!.attempts} attempts, ` : ''}${awsErrorName(cause) || 'error'}); service: ${state}; to roll back by hand: ${updateServiceCommand(cluster, service, toName)} — `;
    if (explained instanceof Error) {
      explained.message = `${prefix}${explained.message}`;
      if (made) errorsAfterTheChange.add(explained);
    }
    // The rollback could not be made (or watched): a failure — a missing permission too — never a refusal, which
    // is for bad inputs and targets.
    throw endedAs(explained, 'failed');
  }

  // The target failed, and the service was steady on `from` before: leave it no worse than it was — put `from` back
  // (the same rollBack(), its own time limit), and say so. A `from` that was failing is left to people.
  let restored: RollbackReport['restored'];
  if (outcome.outcome === 'failed' && outcome.updated && options.wait && fromWasSteady) {
    logger.warning(
      `the rollback target ${toName} failed and ${fromName} was steady before: putting ${service} back on ${fromName}`,
    );
    try {
      const back = await rollBack({
        apis,
        cluster,
        service,
        taskDefinitionArn: from,
        expectedCurrent: outcome.taskDefinitionArn,
        markRolledBackFrom: { serviceArn: target.service.arn, from: outcome.taskDefinitionArn },
        pollIntervalMs: options.pollIntervalMs,
        timeoutMs: options.timeoutMs,
        stableForMs: options.stableForMs,
        wait: true,
        clock,
        logger,
        callLog: options.callLog,
        timeline,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      restored = { outcome: back.outcome, summary: back.summary };
      if (back.outcome === 'rolled-back') outcome = { ...outcome, watch: back.watch ?? outcome.watch };
    } catch (error) {
      restored = {
        outcome: 'error',
        summary: `could not put ${fromName} back: ${errorMessage(explainAwsError(error instanceof RollbackError ? error.cause : error, `restoring ${fromName}`))}`,
      };
    }
    logger.info(`restore of ${fromName}: ${restored.outcome} — ${restored.summary}`);
  }

  // Evidence after the rollback: the rollback must not wait on it (ECS lists stopped tasks for about an hour).
  const evidence = await gatherFailureEvidence(apis, cluster, target.service, from, logger);
  // The evidence carries AWS's timestamps, the timeline our clock's: align them on the rollback deployment, whose
  // createdAt (AWS) and UpdateService moment (ours) are the same instant.
  const rollbackEntry = timeline.find((e) => e.kind === 'rollback');
  const rollbackDeployment = outcome.watch?.last?.service?.deployments.find(
    (d) => d.id === outcome.deploymentId,
  );
  const offset =
    rollbackEntry && rollbackDeployment?.createdAt !== undefined
      ? rollbackDeployment.createdAt - rollbackEntry.at
      : 0;
  const deployedAt = evidence.deployedAt !== undefined ? evidence.deployedAt - offset : undefined;
  if (deployedAt !== undefined)
    timeline.push({ at: deployedAt, kind: 'update', label: `deploy of ${fromName}` });
  if (evidence.firstFailureAt !== undefined)
    timeline.push({
      at: evidence.firstFailureAt - offset,
      kind: 'task-stopped',
      label: `first failure: ${evidence.firstFailure ?? ''}`,
    });

  let reasonTag: RollbackReport['reasonTag'];
  if (outcome.updated) {
    const tag = reasonTagValue(options.reason || `rolled back from ${fromName} to ${toName}`);
    reasonTag = { ...tag, written: false };
    if (tag.adapted && options.reason)
      logger.info(`reason: adapted to ECS tag rules for ${ROLLBACK_REASON_TAG}: "${tag.value}"`);
    try {
      // One TagResource: the reason, the revision left (a later `previous` then knows the service was rolled back),
      // and — once the target proved stable — the target as the last good revision (ecs-kit last-good.ts).
      const proven = options.wait && outcome.outcome === 'rolled-back';
      await apis.ecs.tagResource(target.service.arn, {
        [ROLLBACK_REASON_TAG]: tag.value,
        [ROLLED_BACK_FROM_TAG]: from,
        ...(proven ? { [LAST_GOOD_TAG]: outcome.taskDefinitionArn } : {}),
      });
      reasonTag.written = true;
    } catch (error) {
      // The rollback happened; a missing tag must not turn it into a failure.
      reasonTag.error = awsErrorName(error) || errorMessage(error);
      logger.warning(
        `could not tag ${service} with ${ROLLBACK_REASON_TAG} and ${ROLLED_BACK_FROM_TAG} (${reasonTag.error}); the reason is in this summary only, and a later "previous" may go one revision further back`,
      );
    }
  }

  let health: ServiceHealth | undefined;
  const last = outcome.watch?.last;
  // A cancelled watch may be a poll behind: read the service once more to say where it stands now.
  if (last?.service && outcome.outcome !== 'cancelled') health = healthOf(last.service, last.targets);
  else {
    try {
      const now = await apis.ecs.describeService(cluster, service);
      if (now) health = healthOf(now);
    } catch (error) {
      logger.warning(
        `could not read the service after the rollback (${awsErrorName(error) || errorMessage(error)})`,
      );
    }
  }

  const result = resultOf(outcome, options.wait);
  const decision = outcome.decision;
  const takenOverBy =
    decision?.kind === 'taken-over'
      ? { deploymentId: decision.deploymentId, taskDefinition: decision.taskDefinition }
      : undefined;
  return {
    ...base,
    ...(outcome.reRegistered ? { to: outcome.reRegistered.to, reRegistered: outcome.reRegistered } : {}),
    result,
    updated: outcome.updated,
    evidence,
    ...(reasonTag ? { reasonTag } : {}),
    finishedAt: clock.now(),
    ...(health ? { health } : {}),
    ...(deployedAt !== undefined ? { deployedAt } : {}),
    ...(takenOverBy ? { takenOverBy } : {}),
    ...(restored ? { restored } : {}),
    summary:
      result === 'cancelled'
        ? outcome.updated
          ? `cancelled while watching the rollback; UpdateService to ${toName} was made and ECS carries on with it`
          : `cancelled: ${outcome.summary}`
        : restored
          ? `${outcome.summary}; ${fromName}, steady before, ${restored.outcome === 'rolled-back' ? `was put back and is stable again` : `could not be put back (${restored.outcome}: ${restored.summary})`}`
          : outcome.summary,
  };
}
