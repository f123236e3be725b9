// Step 5, report: what ended the deploy (which step, which typed cause), the `result`, the one-line reason with the
// crash's last exception line, the state the service is in now, and what a person does next. Pure but for
// gatherEvidence(), which reads the failed tasks' log tails.
import type { Logger } from '@hokusai/action-kit';
import { awsErrorName, describeGiveUp } from '@hokusai/aws-kit';
import {
  awsCliCommand,
  describeServiceState,
  reRegisterAndUpdateCommand,
  describeStoppedTask,
  failedTasksOf,
  fetchFailedTaskLogs,
  logOutsideText,
  taskDefinitionName,
  updateServiceCommand,
  type AwsApis,
  type RollbackError,
  type RollbackResult,
  type ServiceInfo,
  type TaskDefinition,
  type TaskInfo,
  type TaskLogTail,
  type WatchResult,
} from '@hokusai/ecs-kit';
import type { RolledBack } from './roll-back.js';

/**
 * succeeded; started (`wait: false`: updated, nothing verified); failed (no rollback: `rollback: false`, someone else
 * deployed, the service was deleted, watching failed, or the deployment could not be identified); rolled-back (stable
 * on the previous revision); rolling-back (the rollback was made and is still rolling out — at the time limit, or
 * when the job was cancelled); timed-out (`rollback: false`); rollback-failed (the rollback could not be made, or its
 * deployment failed too); cancelled (cancelled before a verdict, or before the rollback changed anything); refused
 * (bad input or a service this action cannot deploy; nothing changed).
 */
export type DeployResult =
  | 'succeeded'
  | 'started'
  | 'failed'
  | 'rolled-back'
  | 'rolling-back'
  | 'timed-out'
  | 'rollback-failed'
  | 'cancelled'
  | 'refused';

/** The step that ended the deploy. */
export type Step = 'plan' | 'start' | 'watch' | 'rollback';

export type WatchEnd = WatchResult['decision'];

export function resultOf(decision: WatchEnd, rolledBack: RolledBack | undefined): DeployResult {
  // Cancelled while the new revision was failing: a rollback made within the grace time is rolling back.
  if (decision.kind === 'cancelled')
    return rolledBack && 'rollback' in rolledBack && rolledBack.rollback.updated
      ? 'rolling-back'
      : 'cancelled';
  if (decision.kind === 'succeeded') return 'succeeded';
  if (!rolledBack) return decision.kind === 'timed-out' ? 'timed-out' : 'failed';
  if ('error' in rolledBack) return rolledBack.error.updated ? 'rolling-back' : 'rollback-failed';
  const breaker = decision.cause === 'breaker-rolled-back';
  switch (rolledBack.rollback.outcome) {
    case 'rolled-back':
    case 'already-rolled-back':
      return 'rolled-back';
    case 'rolling-out':
      return 'rolling-back';
    case 'cancelled':
      return rolledBack.rollback.updated || breaker ? 'rolling-back' : 'cancelled';
    case 'taken-over':
      // Someone else deployed before our rollback: ours failed, and theirs is not ours to undo.
      return 'failed';
    case 'failed':
      return 'rollback-failed';
  }
}

/** What the watch and the rollback saw besides the decision, for the reason's real cause. */
export interface ReasonContext {
  /** The revision deployed (for the words). */
  revision?: string;
  /** Abnormally stopped tasks of ours the watch saw (a taken-over or cancelled end names none itself). */
  ourFailures?: readonly TaskInfo[];
  /** Tasks of ours stopped for reasons that are not the revision's fault (Spot interruptions, …). */
  uncountedStops?: readonly TaskInfo[];
  /** The rollback, when one was made: why it failed, or that it was made despite a cancel. */
  rollback?: RollbackResult;
}

/** `8 tasks were interrupted (SpotInterruption: Your Spot Task was interrupted.)`. */
function describeUncounted(stops: readonly TaskInfo[], revision: string): string {
  const codes = new Map<string, number>();
  for (const t of stops) codes.set(t.stopCode ?? 'stopped', (codes.get(t.stopCode ?? 'stopped') ?? 0) + 1);
  const which = [...codes].map(([code, n]) => (codes.size > 1 ? `${n} ${code}` : code)).join(', ');
  const why = stops.find((t) => t.stoppedReason)?.stoppedReason;
  const n = stops.length;
  return `meanwhile ${n} task${n === 1 ? '' : 's'} of ${revision} ${n === 1 ? 'was' : 'were'} stopped by AWS, not for the revision's fault (${which}${why ? `: ${why}` : ''})`;
}

/**
 * One line: the first failed task with its last exception line, else the decision's own reason — with what else
 * explains the end (`context`): our tasks' crashes before someone else took over, interruptions during a time-out,
 * why the rollback failed too. `found` are failed tasks read after the verdict when the decision itself names none
 * (ECS's breaker can be quicker than a task read).
 */
export function failureReason(
  decision: WatchEnd,
  tails: readonly TaskLogTail[],
  found: readonly TaskInfo[] = [],
  context: ReasonContext = {},
): string {
  const revision = context.revision ? taskDefinitionName(context.revision) : 'the new revision';
  const withLog = (task: TaskInfo) =>
    describeStoppedTask(task, tails.find((t) => t.taskId === task.id)?.lastLine);
  const crashes = context.ourFailures ?? [];
  const crashedBefore = crashes[0]
    ? `${revision} had already failed ${crashes.length} time${crashes.length === 1 ? '' : 's'} (first: ${withLog(crashes[0])})`
    : '';
  if (decision.kind === 'cancelled') {
    const made = context.rollback?.updated
      ? `; ${crashedBefore || `${revision} was failing`}, so the rollback to ${taskDefinitionName(context.rollback.taskDefinitionArn)} was made before stopping`
      : '';
    return `cancelled while watching: ${decision.summary || 'no poll finished'}${made}`;
  }
  if (decision.kind === 'succeeded') return '';
  const reason = causeLine(decision, withLog, found);
  const extra: string[] = [];
  if (decision.cause === 'taken-over' && crashedBefore) extra.push(crashedBefore);
  if (decision.cause === 'time-limit' && (context.uncountedStops?.length ?? 0) > 0)
    extra.push(describeUncounted(context.uncountedStops!, revision));
  const rollback = context.rollback;
  if (rollback?.outcome === 'failed' && rollback.decision && 'reason' in rollback.decision)
    extra.push(
      `the rollback to ${taskDefinitionName(rollback.taskDefinitionArn)} failed too: ${rollback.decision.reason}`,
    );
  return [reason, ...extra].join('; ');
}

function causeLine(
  decision: Exclude<WatchEnd, { kind: 'cancelled' } | { kind: 'succeeded' }>,
  withLog: (task: TaskInfo) => string,
  found: readonly TaskInfo[],
): string {
  const named = 'failedTasks' in decision ? decision.failedTasks : [];
  const failedTasks = named.length > 0 ? named : found;
  switch (decision.cause) {
    case 'stopped-during-stable-for':
      return `${withLog(decision.task)} (during stable-for)`;
    case 'task-stopped':
      return withLog(failedTasks[0] ?? decision.task);
    // The alarm leads: `alarm <name> went into ALARM: <state reason>`, whatever tasks did meanwhile.
    case 'alarm':
      return decision.reason;
    case 'breaker-rolled-back':
      if (decision.trigger === 'alarm') return decision.reason;
      return failedTasks[0] ? `${withLog(failedTasks[0])} (${decision.reason})` : decision.reason;
    default: {
      const first = failedTasks[0];
      return first ? `${withLog(first)} (${decision.reason})` : decision.reason;
    }
  }
}

/** Abnormally stopped tasks of `deploymentId` ECS still lists (for a decision that names none); [] on any error. */
export async function findFailedTasks(
  apis: AwsApis,
  cluster: string,
  service: string,
  deploymentId: string,
): Promise<TaskInfo[]> {
  try {
    const stopped = await apis.ecs.listTasks(cluster, service, 'STOPPED');
    const tasks = stopped.length > 0 ? await apis.ecs.describeTasks(cluster, stopped.slice(0, 100)) : [];
    return failedTasksOf(tasks.filter((t) => t.startedBy === deploymentId));
  } catch {
    return [];
  }
}

/** The failed tasks' log tails (from their task definitions' awslogs options), printed in collapsed groups. */
export async function gatherEvidence(
  apis: AwsApis,
  failedTasks: readonly TaskInfo[],
  options: { lines: number; container?: string },
  logger: Logger,
): Promise<TaskLogTail[]> {
  if (failedTasks.length === 0 || options.lines <= 0) return [];
  const definitions = new Map<string, TaskDefinition>();
  let tails: TaskLogTail[] = [];
  try {
    for (const arn of new Set(failedTasks.map((t) => t.taskDefinitionArn))) {
      const described = await apis.ecs.describeTaskDefinition(arn);
      if (described) definitions.set(arn, described.taskDefinition);
    }
    tails = await fetchFailedTaskLogs(apis.logs, (arn) => definitions.get(arn), failedTasks, {
      lines: options.lines,
      ...(options.container ? { preferredContainer: options.container } : {}),
    });
  } catch (error) {
    logger.warning(
      `could not read the failed tasks' logs (${awsErrorName(error) || (error as Error).message})`,
    );
  }
  for (const tail of tails) {
    logger.startGroup(`log tail of task ${tail.taskId} (${tail.group} ${tail.stream})`);
    for (const line of tail.lines) logOutsideText(logger, '', line);
    logger.endGroup();
  }
  return tails;
}

export interface Ending {
  result: DeployResult;
  endedBy: Step;
  /** The service's state in one line. */
  serviceState: string;
  /** What a person does next, with the exact command. */
  nextStep?: { text: string; command: string };
  /** Warnings for the log and the summary (a drain at the time limit, nothing verified, …). */
  warnings: string[];
}

interface EndingInput {
  decision: WatchEnd;
  rolledBack?: RolledBack;
  cluster: string;
  service: string;
  previous: string;
  /** The previous revision was INACTIVE: a manual rollback has to register it again first. */
  previousInactive: boolean;
  lastState?: ServiceInfo;
  /**
   * No task ran the new revision: `plan` (desiredCount 0 from the start; the plan's warning said so) or `end` (it
   * became 0 during the deploy); false when tasks ran it.
   */
  nothingToVerify: 'plan' | 'end' | false;
}

export function watchCommand(cluster: string, service: string): string {
  return awsCliCommand(['ecs', 'wait', 'services-stable', '--cluster', cluster, '--services', service]);
}

/** How the deploy ended, after a watch (with or without a rollback). Pure. */
export function ending(input: EndingInput): Ending {
  const { decision, rolledBack, cluster, service } = input;
  const result = resultOf(decision, rolledBack);
  const rollback: RollbackResult | undefined =
    rolledBack && 'rollback' in rolledBack ? rolledBack.rollback : undefined;
  const error: RollbackError | undefined = rolledBack && 'error' in rolledBack ? rolledBack.error : undefined;
  const lastState = rollback?.lastState ?? error?.lastState ?? input.lastState;
  const warnings: string[] = [];
  if (decision.kind === 'succeeded' && decision.cause === 'draining-at-time-limit')
    warnings.push(`succeeded with old tasks still draining at the time limit: ${decision.summary}`);
  if (decision.kind === 'succeeded' && input.nothingToVerify === 'end')
    warnings.push(
      'desiredCount became 0 during the deploy: no task ran the new revision at the end, so nothing was verified; the last-good tag was not written',
    );
  const byHand = (text: string): Ending['nextStep'] => byHandRollback(input, text);
  let nextStep: Ending['nextStep'];
  if (result === 'rolling-back')
    nextStep = {
      text: 'the rollback was made and ECS carries on with it; do not repeat it — to watch it',
      command: watchCommand(cluster, service),
    };
  else if (result === 'rollback-failed' && error && !error.updated) {
    const how = describeGiveUp(error.cause);
    const why = `${error.call} failed (${awsErrorName(error.cause) || error.message}${how ? `, ${how.attempts} attempts` : ''})`;
    nextStep = byHand(`the rollback could not be made: ${why}; to roll back by hand`);
  } else if (result === 'rollback-failed')
    nextStep = {
      text: `the previous revision did not become stable either: roll back further or fix forward; to look at the service`,
      command: awsCliCommand(['ecs', 'describe-services', '--cluster', cluster, '--services', service]),
    };
  else if (
    result === 'cancelled' ||
    result === 'timed-out' ||
    (result === 'failed' && decision.kind === 'failed' && decision.cause !== 'service-gone')
  )
    nextStep = byHand('the new revision is still deployed; to roll back by hand');
  const endedBy: Step = rolledBack ? 'rollback' : 'watch';
  return {
    result,
    endedBy,
    serviceState: describeServiceState(lastState, service),
    ...(nextStep ? { nextStep } : {}),
    warnings,
  };
}

/**
 * The command that puts the service back on `previous` by hand. An INACTIVE (deregistered) revision cannot be
 * deployed again as it is: the command registers its exact content again (jq drops the read-only fields
 * DescribeTaskDefinition returns) and updates the service to the new revision.
 */
export function byHandRollback(
  input: Pick<EndingInput, 'cluster' | 'service' | 'previous' | 'previousInactive'>,
  text: string,
): NonNullable<Ending['nextStep']> {
  if (!input.previousInactive)
    return { text, command: updateServiceCommand(input.cluster, input.service, input.previous) };
  return {
    text: `${text} (${taskDefinitionName(input.previous)} is INACTIVE, so this registers its exact content again as a new revision and deploys that; needs jq)`,
    command: reRegisterAndUpdateCommand(input.cluster, input.service, input.previous),
  };
}

export type { WatchResult };
