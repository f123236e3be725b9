// The deploy as a list of named steps: plan (every read and check) → start (register, UpdateService) → watch (the
// verdict) → roll back if the verdict calls for it → report (result, reason, service state, what to do next).
import { errorMessage, type Logger } from '@hokusai/action-kit';
import { awsErrorName, explainAwsError } from '@hokusai/aws-kit';
import {
  describeBreaker,
  describeServiceState,
  failedTasksOf,
  persistentApis,
  recordLastGood,
  taskDefinitionName,
  type AlarmInfo,
  type ApiCallLog,
  type AwsApis,
  type Clock,
  type RollbackResult,
  type ServiceEvent,
  type TaskInfo,
  type TaskLogTail,
  type TimelineEntry,
} from '@hokusai/ecs-kit';
import type { Inputs } from './inputs.js';
import { describeDeploymentAlarms, nameEcsAlarmRollback, type PlannedAlarms } from './alarms.js';
import type { EarlyStep } from './before-change.js';
import { plan } from './plan.js';
import {
  byHandRollback,
  ending,
  failureReason,
  findFailedTasks,
  gatherEvidence,
  watchCommand,
  type Ending,
  type WatchEnd,
} from './report.js';
import { rollBackIfNeeded, rollBackOnCancel } from './roll-back.js';
import { start } from './start.js';
import { watch } from './watch.js';

export type { DeployResult, Step } from './report.js';

export interface DeployReport extends Ending {
  failureReason: string;
  cluster: string;
  service: string;
  serviceArn: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  deploymentId: string;
  startedAt: number;
  elapsedMs: number;
  waited: boolean;
  cancelled: boolean;
  /** The plan's warnings (already logged when the plan made them); `warnings` are the end's. */
  notes: string[];
  /** The ECS circuit breaker as configured on the service, with its effective threshold. */
  breaker: string;
  /** The service's deployment alarms (deploymentConfiguration.alarms) in one line, or `none`. */
  deploymentAlarms: string;
  /** The alarms the watch read: their states at the start and as last read. */
  alarms?: PlannedAlarms & { last: AlarmInfo[] };
  decision?: WatchEnd;
  failedTasks: TaskInfo[];
  /** Tasks of ours stopped for reasons that are not the revision's fault (reported, not counted). */
  uncountedStops: TaskInfo[];
  logTails: TaskLogTail[];
  events: ServiceEvent[];
  timeline: TimelineEntry[];
  rollback?: RollbackResult;
}

export interface DeployContext {
  apis: AwsApis;
  clock: Clock;
  logger: Logger;
  callLog: ApiCallLog;
  /** The cancel signal itself: the steps stop on it (the apis' own signal gives their calls a grace time after it). */
  signal?: AbortSignal;
}

/**
 * Throws only before the service was changed (ConfigurationError, NothingChangedError, CancelledBeforeChangeError);
 * every later end is a report.
 */
export async function deployAndWait(inputs: Inputs, ctx: DeployContext): Promise<DeployReport> {
  const { apis, clock, logger } = ctx;
  const source = inputs.source;
  const what =
    source.kind === 'task-definition-arn'
      ? `revision ${source.reference}`
      : source.kind === 'image'
        ? `image ${source.image}`
        : `task definition file ${source.path}${source.image ? ` with image ${source.image}` : ''}`;
  logger.info(`deploying ${what} to service ${inputs.service} in cluster ${inputs.cluster}`);
  const p = await inStep('plan', () => plan(inputs, apis, clock, logger, ctx.signal));
  const started = await inStep('start', () => start(inputs, p, apis, clock, logger, ctx.signal));
  const timeline: TimelineEntry[] = [
    {
      at: started.startedAt,
      kind: 'update',
      label: `UpdateService → ${taskDefinitionName(started.taskDefinitionArn)}`,
    },
  ];
  const report: DeployReport = {
    result: 'started',
    endedBy: 'start',
    serviceState: describeServiceState(started.service, p.serviceName),
    notes: p.notes,
    warnings: [],
    failureReason: '',
    cluster: p.cluster,
    service: p.serviceName,
    serviceArn: p.service.arn,
    taskDefinitionArn: started.taskDefinitionArn,
    previousTaskDefinitionArn: p.previous,
    deploymentId: started.deploymentId,
    startedAt: started.startedAt,
    elapsedMs: 0,
    waited: inputs.wait,
    cancelled: false,
    breaker: describeBreaker(p.service.circuitBreaker, p.service.desiredCount),
    deploymentAlarms: describeDeploymentAlarms(p.service.deploymentAlarms),
    ...(p.alarms ? { alarms: { ...p.alarms, last: p.alarms.atStart } } : {}),
    failedTasks: [],
    uncountedStops: [],
    logTails: [],
    events: [],
    timeline,
  };
  const finish = () => ({ ...report, elapsedMs: clock.now() - started.startedAt });
  const previous = {
    cluster: p.cluster,
    service: p.serviceName,
    previous: p.previous,
    previousInactive: p.reRegisterPrevious !== undefined,
  };
  if (started.unwatchable) {
    // The service was updated, but ECS lists no deployment of ours: nothing to watch, nothing verified.
    Object.assign(report, {
      result: 'failed',
      failureReason: started.unwatchable,
      nextStep: byHandRollback(
        previous,
        'the service was updated but its deployment could not be identified; check it, and to go back by hand',
      ),
    });
    return finish();
  }
  if (!inputs.wait) {
    report.nextStep = {
      text: 'not waited (wait: false): nothing was verified and the last-good tag was not written; to watch the rollout',
      command: watchCommand(p.cluster, p.serviceName),
    };
    return finish();
  }

  const watched = await watch(inputs, p, started, ctx, timeline);
  if ('error' in watched) {
    // Not a verdict: the deployment goes on without us. Say so, and how to go back by hand.
    const explained = explainAwsError(
      watched.error,
      `watching deployment ${started.deploymentId} of service ${p.serviceName}`,
    );
    Object.assign(report, {
      result: 'failed',
      endedBy: 'watch',
      failureReason: `stopped watching after the UpdateService: ${errorMessage(explained)}`,
      serviceState: `${p.serviceName}: the new revision ${taskDefinitionName(started.taskDefinitionArn)} is still deploying (it could not be watched)`,
      nextStep: byHandRollback(previous, 'the new revision is still deployed; to roll back by hand'),
    });
    return finish();
  }
  const { watch: w } = watched;
  if (report.alarms) report.alarms.last = w.alarms;
  // ECS rolled back on a deployment alarm the watch did not see go off: find which one.
  const decision =
    w.decision.kind === 'rolled-back-by-circuit-breaker'
      ? await nameEcsAlarmRollback(w.decision, {
          apis,
          clock,
          configured: w.last?.service?.deploymentAlarms ?? p.service.deploymentAlarms,
          ...(p.alarms ? { planned: p.alarms } : {}),
          started,
          timeline,
        })
      : w.decision;
  report.decision = decision;
  report.events = w.events;
  report.uncountedStops = w.uncountedStops;
  report.cancelled = decision.kind === 'cancelled';
  let failedTasks = 'failedTasks' in decision ? decision.failedTasks : [];
  const ourFailures = failedTasksOf(w.tasks);
  recordVerdict(decision, timeline, clock, logger);

  // Desired 0 at the end (scaled in during the deploy) verifies nothing, as at the plan.
  const ours = w.last?.service?.deployments.find((d) => d.id === started.deploymentId);
  const nothingToVerify = p.nothingToVerify ? 'plan' : ours?.desiredCount === 0 ? 'end' : false;
  if (decision.kind === 'succeeded' && !nothingToVerify)
    await tagLastGood(apis, p.service.arn, started.taskDefinitionArn, logger);
  // Roll back first (the service matters more than the report), then read the crash logs. Cancelled while our tasks
  // were failing: the rollback is still made, within the runner's grace time.
  const rolledBack =
    decision.kind === 'cancelled'
      ? inputs.rollback && ourFailures.length > 0
        ? await rollBackOnCancel(inputs, p, started, w.last?.service, ctx, timeline)
        : undefined
      : decision.kind === 'succeeded'
        ? undefined
        : await rollBackIfNeeded(inputs, p, started, decision, w.last?.service, ctx, timeline);
  if (rolledBack && 'rollback' in rolledBack) report.rollback = rolledBack.rollback;
  // ECS's breaker can fail the deployment before a poll read a failed task: look for them now, for the reason.
  if (
    failedTasks.length === 0 &&
    (decision.kind === 'failed' || decision.kind === 'rolled-back-by-circuit-breaker')
  )
    failedTasks = await findFailedTasks(
      persistentApis(apis, { deadline: clock.now() + 60_000 }),
      p.cluster,
      p.serviceName,
      started.deploymentId,
    );
  // A taken-over or cancelled end names no task itself: the crashes the watch saw explain it.
  report.failedTasks = failedTasks.length > 0 || decision.kind === 'succeeded' ? failedTasks : ourFailures;
  report.logTails = await gatherEvidence(
    apis,
    report.failedTasks,
    { lines: inputs['log-lines'], ...(p.container ? { container: p.container } : {}) },
    logger,
  );
  const end = ending({
    ...previous,
    decision,
    nothingToVerify,
    ...(rolledBack ? { rolledBack } : {}),
    ...(w.last?.service ? { lastState: w.last.service } : {}),
  });
  Object.assign(report, end);
  report.failureReason = failureReason(decision, report.logTails, failedTasks, {
    revision: started.taskDefinitionArn,
    ourFailures,
    uncountedStops: w.uncountedStops,
    ...(report.rollback ? { rollback: report.rollback } : {}),
  });
  if (rolledBack && 'error' in rolledBack)
    report.failureReason += `; rollback ${rolledBack.error.updated ? 'made, then watching it failed' : 'not made'}: ${rolledBack.error.call} ${awsErrorName(rolledBack.error.cause) || rolledBack.error.message}`;
  return finish();
}

const failedIn = new WeakMap<object, EarlyStep>();

/** The step an error thrown by deployAndWait() ended (they all come before the service was changed). */
export function stepOfError(error: unknown): EarlyStep {
  return (typeof error === 'object' && error !== null && failedIn.get(error)) || 'plan';
}

async function inStep<T>(step: EarlyStep, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (typeof error === 'object' && error !== null && !failedIn.has(error)) failedIn.set(error, step);
    throw error;
  }
}

/** The verdict on the timeline and in the log, one line. */
function recordVerdict(decision: WatchEnd, timeline: TimelineEntry[], clock: Clock, logger: Logger): void {
  const line =
    decision.kind === 'cancelled'
      ? decision.summary
      : 'reason' in decision
        ? decision.reason
        : decision.summary;
  // An alarm's state reason is long: the timeline names the alarm, the summary's table quotes the reason.
  const short = 'alarm' in decision && decision.alarm ? `alarm ${decision.alarm.name} went into ALARM` : line;
  timeline.push({
    at: clock.now(),
    kind: 'verdict',
    label: `${decision.kind}${decision.kind === 'succeeded' ? '' : `: ${short}`}`,
  });
  logger.info(
    `verdict: ${decision.kind}${'cause' in decision ? ` (${decision.cause})` : ''}${decision.kind === 'succeeded' ? '' : ` — ${line}`}`,
  );
}

async function tagLastGood(
  apis: AwsApis,
  serviceArn: string,
  taskDefinitionArn: string,
  logger: Logger,
): Promise<void> {
  try {
    await recordLastGood(apis.ecs, serviceArn, taskDefinitionArn);
  } catch (error) {
    logger.warning(
      `could not tag the service with the last good revision (${awsErrorName(error) || errorMessage(error)}); a later "previous" rollback falls back to ECS's deployment list`,
    );
  }
}
