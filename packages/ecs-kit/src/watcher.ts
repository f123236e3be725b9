// The rollout watcher: polls the service, feeds each observation to the verdict, logs one line per change of state,
// records a timeline, and stops on a final decision or when its AbortSignal fires. Tasks and target health are read
// when something changed, within a call budget for routine polling — but decisive evidence (failedTasks rising,
// rolloutState FAILED, a new event about a stopped task) is fetched in the poll that shows it, whatever the budget
// says. Watched CloudWatch alarms are read every other poll within the same budget, and at once when the service
// shows what an alarm can explain (our deployment FAILED or no longer PRIMARY, an `alarm detected` event); an alarm
// going into ALARM is decisive. An API error is logged and the poll skipped, never taken for a verdict.
import { errorMessage, formatDuration, type Logger } from '@hokusai/action-kit';
import { awsErrorName, isRequestAborted, isTransientAwsError } from '@hokusai/aws-kit';
import { alarmReasonLine } from './alarms.js';
import { deadlineApis, type AwsApis } from './api.js';
import type { ApiCallLog, Clock } from './clock.js';
import {
  shortTaskId,
  type AlarmInfo,
  type DeploymentInfo,
  type Observation,
  type ServiceEvent,
  type ServiceInfo,
  type TargetHealthInfo,
  type TaskInfo,
} from './model.js';
import { logOutsideText } from './outside-text.js';
import { classifyStoppedTask } from './stopped-task.js';
import type { TimelineEntry } from './timeline.js';
import {
  decideVerdict,
  failedTasksOf,
  initialVerdictState,
  isStopped,
  tasksOfDeployment,
  type Decision,
  type FinalDecision,
  type VerdictConfig,
} from './verdict.js';

export interface CallBudget {
  /** At most this many optional first-attempt calls (tasks, target health) … */
  calls: number;
  /** … within this many poll intervals (20 per 6 polls = 20 per minute at the default 10 s). */
  perPolls: number;
}

export const DEFAULT_CALL_BUDGET: CallBudget = { calls: 20, perPolls: 6 };

/** A target health read skipped for the budget is stood in for by one at most this many polls old. */
const TARGETS_KEPT_POLLS = 3;

/** Watched alarms are read every this many polls (every 20 s at the default 10 s), unless evidence calls for it. */
export const ALARM_READ_EVERY_POLLS = 2;

export interface WatchOptions {
  apis: AwsApis;
  cluster: string;
  service: string;
  verdict: VerdictConfig;
  pollIntervalMs: number;
  clock: Clock;
  logger: Logger;
  /** Every request the adapters make must be recorded here (createAwsApis' onCall) for the budget to hold. */
  callLog: ApiCallLog;
  signal?: AbortSignal;
  budget?: CallBudget;
  /** Service event ids that existed before the deployment; only newer events are reported. */
  knownEventIds?: Iterable<string>;
  /** Timeline to append to (shared with the deploy and rollback steps). */
  timeline?: TimelineEntry[];
  /** Prefix for log lines, e.g. `rollback: `. */
  label?: string;
}

export type WatchDecision = Decision | { kind: 'cancelled'; summary: string };

export interface WatchResult {
  decision: FinalDecision | { kind: 'cancelled'; summary: string };
  /** The last successful observation. */
  last?: Observation;
  /** Every task of the watched deployment seen, as last described. */
  tasks: TaskInfo[];
  /** Tasks of ours that stopped for reasons that are not the revision's fault (reported, not counted). */
  uncountedStops: TaskInfo[];
  /** Service events that appeared while watching, oldest first. */
  events: ServiceEvent[];
  timeline: TimelineEntry[];
  polls: number;
  /** When the first abnormally stopped task of the deployment was first seen, on the watcher's clock. */
  firstFailureSeenAt?: number;
  /** The watched alarms as last read (their states at the start until the first read); [] when none are watched. */
  alarms: AlarmInfo[];
}

function countsSignature(service: ServiceInfo | undefined): string {
  if (!service) return 'gone';
  return `${service.status}|${service.deployments.map((d) => `${d.id}:${d.status}:${d.runningCount}:${d.pendingCount}:${d.failedTasks}:${d.rolloutState ?? ''}`).join(',')}`;
}

/** Service event texts that say a task stopped or a deployment failed. */
const STOP_EVENT =
  /has stopped \d+ running tasks?|deployment failed|failed (container|ELB) health checks|unable to consistently start tasks|replaced \d+ tasks? due to an unhealthy status/i;

/**
 * Evidence in this poll that a task of ours stopped, so its tasks are read now, whatever the budget says: our
 * deployment's failedTasks rising, its rolloutState turning FAILED, or a new event about a stopped task that is not
 * known to belong to another deployment (old tasks stopping in a healthy rollout are routine).
 */
export function decisiveEvidence(
  ours: DeploymentInfo,
  before: DeploymentInfo | undefined,
  freshEvents: readonly ServiceEvent[],
  isOthersTask: (taskId: string) => boolean = () => false,
): boolean {
  return (
    ours.failedTasks > (before?.failedTasks ?? 0) ||
    (ours.rolloutState === 'FAILED' && before?.rolloutState !== 'FAILED') ||
    freshEvents.some((e) => {
      if (!STOP_EVENT.test(e.message)) return false;
      const ids = [...e.message.matchAll(/\(task ([0-9a-f]+)\)/g)].map((m) => m[1]!);
      return ids.length === 0 || ids.some((id) => !isOthersTask(id));
    })
  );
}

/**
 * A request in flight at the time limit gets this much longer (at most one poll interval) so the last poll's reads
 * complete; then it is aborted, and the watch ends timed-out whatever AWS does.
 */
export const LAST_POLL_GRACE_MS = 10_000;

export async function watchRollout(options: WatchOptions): Promise<WatchResult> {
  const { cluster, clock, logger, callLog, signal } = options;
  // No request outlasts the watch: each is aborted on cancellation and soon after the time limit.
  const apis = deadlineApis(options.apis, {
    deadline:
      options.verdict.startedAt +
      options.verdict.timeoutMs +
      Math.min(options.pollIntervalMs, LAST_POLL_GRACE_MS),
    ...(signal ? { signal } : {}),
  });
  const budget = options.budget ?? DEFAULT_CALL_BUDGET;
  const label = options.label ?? '';
  const timeline = options.timeline ?? [];
  const deploymentId = options.verdict.deploymentId;
  const seenEvents = new Set(options.knownEventIds ?? []);
  const events: ServiceEvent[] = [];
  const known = new Map<string, TaskInfo>();
  const uncounted = new Map<string, TaskInfo>();
  const delays = new Map<string, number | undefined>();
  let state = initialVerdictState;
  let lastSignature = '';
  let lastProgress = '';
  let lastPhase = '';
  let lastOurs: DeploymentInfo | undefined;
  let lastTaskFetch = -Infinity;
  let last: Observation | undefined;
  let polls = 0;
  let firstFailureSeenAt: number | undefined;
  let consecutiveErrors = 0;
  const alarmNames = options.verdict.alarms?.names ?? [];
  const watchesAlarms = alarmNames.length > 0 && apis.cloudwatch !== undefined;
  const alarmStates = new Map<string, AlarmInfo>(
    (options.verdict.alarms?.atStart ?? []).map((a) => [a.name, a]),
  );
  // Their states at the start were read just before the UpdateService: that counts as the first poll's read.
  let lastAlarmPoll = options.verdict.alarms?.atStart.length ? 1 : -Infinity;
  let lastTargets: { poll: number; targets: TargetHealthInfo[] } | undefined;
  const windowMs = budget.perPolls * options.pollIntervalMs;
  // Retries of failed calls are forced on us by faults: they do not use up the budget for evidence.
  const alarmCost = Math.ceil(alarmNames.length / 100);
  const spent = () => callLog.countSince(clock.now() - windowMs, { firstAttemptsOnly: true });
  // Routine task reads leave room for the next alarm read, so a busy rollout does not starve the alarms; target
  // health does not (the success verdict waits for it, an alarm read can wait a poll).
  const withinBudget = (cost: number, reserve = watchesAlarms ? alarmCost : 0) =>
    spent() + cost + reserve <= budget.calls;
  const alarmWithinBudget = () => spent() + alarmCost <= budget.calls;
  const isOurs = (t: TaskInfo, ours: DeploymentInfo | undefined) =>
    tasksOfDeployment([t], { id: deploymentId, ...(ours ? { taskDefinition: ours.taskDefinition } : {}) })
      .length > 0;

  const knownAlarms = () =>
    alarmNames.map((name) => alarmStates.get(name)).filter((a): a is AlarmInfo => a !== undefined);

  const result = (decision: WatchResult['decision']): WatchResult => ({
    decision,
    ...(last ? { last } : {}),
    tasks: [...known.values()].filter((t) => t.startedBy === deploymentId || !t.startedBy),
    uncountedStops: [...uncounted.values()],
    events,
    timeline,
    polls,
    ...(firstFailureSeenAt !== undefined ? { firstFailureSeenAt } : {}),
    alarms: knownAlarms(),
  });

  /** Reads the watched alarms; logs and records each change of state. */
  const readAlarms = async () => {
    const read = await apis.cloudwatch!.describeAlarms(alarmNames);
    lastAlarmPoll = polls;
    for (const alarm of read) {
      const before = alarmStates.get(alarm.name);
      alarmStates.set(alarm.name, alarm);
      const changed =
        !before || before.state !== alarm.state || before.transitionedAt !== alarm.transitionedAt;
      if (!changed) continue;
      const from = before?.state ?? 'unknown';
      const move = from === alarm.state ? `${alarm.state} again` : `${from} → ${alarm.state}`;
      logOutsideText(logger, `${label}alarm ${alarm.name}: ${move}: `, alarmReasonLine(alarm.reason));
      timeline.push({ at: clock.now(), kind: 'alarm', label: `${label}alarm ${alarm.name} ${move}` });
    }
  };

  const fetchTasks = async (ours: DeploymentInfo) => {
    const [running, stopped] = await Promise.all([
      apis.ecs.listTasks(cluster, options.service, 'RUNNING'),
      apis.ecs.listTasks(cluster, options.service, 'STOPPED'),
    ]);
    const toDescribe = new Set<string>();
    for (const arn of running) {
      const t = known.get(arn);
      if (!t || (isOurs(t, ours) && t.lastStatus !== 'RUNNING')) toDescribe.add(arn);
    }
    for (const arn of stopped) {
      const t = known.get(arn);
      // Old tasks are described again once, when they start leaving: their drain is what the rollout waits on.
      if (!t || t.desiredStatus !== 'STOPPED' || (isOurs(t, ours) && t.lastStatus !== 'STOPPED'))
        toDescribe.add(arn);
    }
    if (toDescribe.size > 0) {
      for (const task of await apis.ecs.describeTasks(cluster, [...toDescribe]))
        noteTask(task, isOurs(task, ours));
    }
    lastTaskFetch = clock.now();
  };

  const noteTask = (task: TaskInfo, ours: boolean) => {
    const before = known.get(task.arn);
    known.set(task.arn, task);
    if (!ours) return;
    const at = clock.now();
    const id = shortTaskId(task.id);
    if (isStopped(task) && !(before && isStopped(before))) {
      const c = classifyStoppedTask(task);
      const uncountedStop = !c.abnormal && (c.kind === 'infrastructure' || c.kind === 'stopped-by-user');
      const line = `task ${id} stopped: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${c.exitCode !== undefined ? ` (exit code ${c.exitCode})` : ''}${uncountedStop ? ` — ${task.stopCode ?? c.kind}, not the revision's fault: not counted` : ''}`;
      logger.info(`${label}${line}`);
      timeline.push({ at, kind: 'task-stopped', label: `task ${id} ${c.summary}` });
      if (uncountedStop) uncounted.set(task.arn, task);
      if (c.abnormal && firstFailureSeenAt === undefined) firstFailureSeenAt = at;
    } else if (!before && !isStopped(task)) {
      logger.info(`${label}task ${id} started (${task.lastStatus.toLowerCase()})`);
      timeline.push({ at, kind: 'task-started', label: `task ${id} started` });
    } else if (before && before.lastStatus !== 'RUNNING' && task.lastStatus === 'RUNNING') {
      logger.info(`${label}task ${id} running`);
      timeline.push({ at, kind: 'task-running', label: `task ${id} running` });
    }
  };

  /** Old tasks leaving their target groups, and when the last one is out (stoppingAt + deregistration delay). */
  const drainOf = async (service: ServiceInfo, ours: DeploymentInfo): Promise<Observation['drain']> => {
    const leaving = [...known.values()].filter(
      (t) => !isOurs(t, ours) && t.desiredStatus === 'STOPPED' && t.lastStatus !== 'STOPPED',
    );
    if (leaving.length === 0) return undefined;
    const groups = [
      ...new Set(service.loadBalancers.map((lb) => lb.targetGroupArn).filter((g): g is string => !!g)),
    ];
    let delayMs: number | undefined;
    for (const group of groups) {
      if (!delays.has(group) && withinBudget(1))
        delays.set(group, await apis.elb.deregistrationDelaySeconds?.(group));
      const seconds = delays.get(group);
      if (seconds !== undefined) delayMs = Math.max(delayMs ?? 0, seconds * 1000);
    }
    const since = Math.max(...leaving.map((t) => t.stoppingAt ?? clock.now()));
    const endsAt = delayMs !== undefined ? since + delayMs : undefined;
    const still = endsAt === undefined || endsAt > clock.now() ? leaving.length : 0;
    return still > 0 ? { tasks: still, ...(endsAt !== undefined ? { endsAt } : {}) } : undefined;
  };

  const observe = async (): Promise<Observation> => {
    const service = await apis.ecs.describeService(cluster, options.service);
    const signature = countsSignature(service);
    const fresh = (service?.events ?? []).filter((e) => !seenEvents.has(e.id)).reverse();
    for (const e of fresh) {
      seenEvents.add(e.id);
      events.push(e);
      logOutsideText(logger, `${label}event: `, e.message);
    }
    let targets: TargetHealthInfo[] | undefined;
    let drain: Observation['drain'];
    const ours = service?.deployments.find((d) => d.id === deploymentId);
    // What an alarm can explain is read at once, whatever the budget: ECS failed ours, or put another deployment
    // first (its own rollback on a deployment alarm), or said `alarm detected`.
    const alarmEvidence =
      service !== undefined &&
      watchesAlarms &&
      (service.deployments.find((d) => d.status === 'PRIMARY')?.id !== deploymentId ||
        (ours?.rolloutState === 'FAILED' && lastOurs?.rolloutState !== 'FAILED') ||
        fresh.some((e) => /alarm detected/i.test(e.message)));
    if (alarmEvidence) await readAlarms();
    if (service && ours) {
      const taskCost = 3;
      const othersTask = (id: string) => {
        const t = [...known.values()].find((k) => k.id === id);
        return t !== undefined && !isOurs(t, ours);
      };
      const evidence = decisiveEvidence(ours, lastOurs, fresh, othersTask);
      const changed = signature !== lastSignature || fresh.length > 0;
      const stale = clock.now() - lastTaskFetch >= 3 * options.pollIntervalMs;
      const firstTime = lastTaskFetch === -Infinity;
      if (
        evidence ||
        firstTime ||
        (changed && withinBudget(taskCost)) ||
        (stale && withinBudget(taskCost + 2))
      )
        await fetchTasks(ours);
      const groups = [
        ...new Set(service.loadBalancers.map((lb) => lb.targetGroupArn).filter((g): g is string => !!g)),
      ];
      const looksDone = ours.runningCount >= ours.desiredCount && ours.pendingCount === 0;
      if (options.verdict.checkTargetHealth && groups.length > 0 && looksDone) {
        if (withinBudget(groups.length, 0)) {
          targets = (await Promise.all(groups.map((g) => apis.elb.describeTargetHealth(g)))).flat();
          lastTargets = { poll: polls, targets };
        } else if (lastTargets && polls - lastTargets.poll <= TARGETS_KEPT_POLLS) {
          // Skipped for the budget: the last read stands in (at most a few polls old, as tasks may be), so a busy
          // minute does not restart stable-for.
          targets = lastTargets.targets;
        }
      }
      if (looksDone) drain = await drainOf(service, ours);
    }
    // The routine read every other poll, after the reads the success verdict waits for (tasks leave room for it).
    const due = polls - lastAlarmPoll >= ALARM_READ_EVERY_POLLS;
    if (service && watchesAlarms && !alarmEvidence && due && alarmWithinBudget()) await readAlarms();
    // Only a complete poll moves the baseline: a poll that failed half-way must see the same evidence again.
    lastSignature = signature;
    lastOurs = ours;
    const mine = [...known.values()].filter(
      (t) => t.startedBy === deploymentId || (!t.startedBy && t.taskDefinitionArn === ours?.taskDefinition),
    );
    return {
      at: clock.now(),
      service,
      tasks: mine,
      ...(targets ? { targets } : {}),
      ...(drain ? { drain } : {}),
      ...(watchesAlarms ? { alarms: knownAlarms() } : {}),
    };
  };

  // Fixed-rate polling: the time a poll takes comes out of the wait, so polls do not drift later and a change is
  // seen at most one interval after it happens.
  let nextPollAt = clock.now();
  for (;;) {
    nextPollAt += options.pollIntervalMs;
    if (signal?.aborted)
      return result({ kind: 'cancelled', summary: lastProgress || 'cancelled before the first poll' });
    polls++;
    try {
      last = await observe();
      consecutiveErrors = 0;
      const step = decideVerdict(state, last, options.verdict);
      state = step.state;
      const decision = step.decision;
      if (decision.kind !== 'in-progress') return result(decision);
      if (decision.summary !== lastProgress) {
        logger.info(`${label}${decision.summary}`);
        if (decision.phase !== lastPhase && decision.phase !== 'rolling-out')
          timeline.push({
            at: clock.now(),
            kind: 'stable',
            label: `${label}${decision.phase === 'draining' ? 'new tasks healthy, old ones draining' : 'rollout complete, watching stable-for'}`,
          });
        lastProgress = decision.summary;
        lastPhase = decision.phase;
      }
    } catch (error) {
      // A request cancelled, or still unanswered at the time limit: the watch ends here, with what it saw last.
      if (isRequestAborted(error)) {
        if (error.stoppedBy === 'cancelled' || signal?.aborted)
          return result({ kind: 'cancelled', summary: lastProgress || 'cancelled before the first poll' });
        const elapsed = clock.now() - options.verdict.startedAt;
        const seen = lastProgress ? `; last seen: ${lastProgress}` : '';
        return result({
          kind: 'timed-out',
          cause: 'time-limit',
          reason: `timed out after ${formatDuration(elapsed)}: ${error.operation ?? 'an AWS request'} got no answer before the time limit${seen}`,
          failedTasks: failedTasksOf(
            [...known.values()].filter((t) => t.startedBy === deploymentId || !t.startedBy),
          ),
        });
      }
      // Not a verdict: a transient error (after the adapter's retries) skips this poll; anything else is a bug or a
      // permission problem and ends the watch with the error.
      if (!isTransientAwsError(error)) throw error;
      consecutiveErrors++;
      logger.warning(
        `${label}could not observe the service (${awsErrorName(error) || errorMessage(error)}), ${consecutiveErrors} poll(s) in a row; trying again`,
      );
      const elapsed = clock.now() - options.verdict.startedAt;
      if (elapsed >= options.verdict.timeoutMs) {
        return result({
          kind: 'timed-out',
          cause: 'time-limit',
          reason: `timed out after the service could not be observed (${awsErrorName(error)})`,
          failedTasks: [],
        });
      }
    }
    const now = clock.now();
    if (nextPollAt < now) nextPollAt = now;
    await clock.sleep(nextPollAt - now, signal);
  }
}
