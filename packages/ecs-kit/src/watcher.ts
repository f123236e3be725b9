// The rollout watcher: polls the service (tasks and target health only when something changed), feeds each
// observation to the verdict, logs one line per change of state, records a timeline, and stops on a final
// decision or when its AbortSignal fires. An API error is logged and the poll skipped, never taken for a verdict.
import { errorMessage, type Logger } from '@hokusai/action-kit';
import { awsErrorName, isTransientAwsError } from '@hokusai/aws-kit';
import type { AwsApis } from './api.js';
import type { ApiCallLog } from './clock.js';
import { type Clock } from './clock.js';
import {
  shortTaskId,
  type Observation,
  type ServiceEvent,
  type ServiceInfo,
  type TargetHealthInfo,
  type TaskInfo,
} from './model.js';
import { classifyStoppedTask } from './stopped-task.js';
import type { TimelineEntry } from './timeline.js';
import {
  decideVerdict,
  initialVerdictState,
  isStopped,
  tasksOfDeployment,
  type Decision,
  type VerdictConfig,
} from './verdict.js';

export interface CallBudget {
  /** At most this many optional calls (tasks, target health) … */
  calls: number;
  /** … within this many poll intervals (20 per 6 polls = 20 per minute at the default 10 s). */
  perPolls: number;
}

export const DEFAULT_CALL_BUDGET: CallBudget = { calls: 20, perPolls: 6 };

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
  decision: WatchDecision;
  /** The last successful observation. */
  last?: Observation;
  /** Every task of the watched deployment seen, as last described. */
  tasks: TaskInfo[];
  /** Service events that appeared while watching, oldest first. */
  events: ServiceEvent[];
  timeline: TimelineEntry[];
  polls: number;
  /** When the first abnormally stopped task of the deployment was first seen, on the watcher's clock. */
  firstFailureSeenAt?: number;
}

function countsSignature(service: ServiceInfo | undefined): string {
  if (!service) return 'gone';
  return `${service.status}|${service.deployments.map((d) => `${d.id}:${d.status}:${d.runningCount}:${d.pendingCount}:${d.failedTasks}:${d.rolloutState ?? ''}`).join(',')}`;
}

export async function watchRollout(options: WatchOptions): Promise<WatchResult> {
  const { apis, cluster, clock, logger, callLog, signal } = options;
  const budget = options.budget ?? DEFAULT_CALL_BUDGET;
  const label = options.label ?? '';
  const timeline = options.timeline ?? [];
  const seenEvents = new Set(options.knownEventIds ?? []);
  const events: ServiceEvent[] = [];
  const known = new Map<string, TaskInfo>();
  let state = initialVerdictState;
  let lastSignature = '';
  let lastProgress = '';
  let lastTaskFetch = -Infinity;
  let last: Observation | undefined;
  let polls = 0;
  let firstFailureSeenAt: number | undefined;
  let consecutiveErrors = 0;
  const windowMs = budget.perPolls * options.pollIntervalMs;
  const withinBudget = (cost: number) => callLog.countSince(clock.now() - windowMs) + cost <= budget.calls;

  const result = (decision: WatchDecision): WatchResult => ({
    decision,
    ...(last ? { last } : {}),
    tasks: [...known.values()].filter((t) => t.startedBy === options.verdict.deploymentId || !t.startedBy),
    events,
    timeline,
    polls,
    ...(firstFailureSeenAt !== undefined ? { firstFailureSeenAt } : {}),
  });

  const fetchTasks = async (deploymentId: string, taskDefinition: string | undefined) => {
    const [running, stopped] = await Promise.all([
      apis.ecs.listTasks(cluster, options.service, 'RUNNING'),
      apis.ecs.listTasks(cluster, options.service, 'STOPPED'),
    ]);
    const mine = (t: TaskInfo) =>
      tasksOfDeployment([t], { id: deploymentId, ...(taskDefinition ? { taskDefinition } : {}) }).length > 0;
    const toDescribe = new Set<string>();
    for (const arn of running) {
      const t = known.get(arn);
      if (!t || (mine(t) && t.lastStatus !== 'RUNNING')) toDescribe.add(arn);
    }
    for (const arn of stopped) {
      const t = known.get(arn);
      if (!t || (mine(t) && t.lastStatus !== 'STOPPED')) toDescribe.add(arn);
    }
    if (toDescribe.size > 0) {
      for (const task of await apis.ecs.describeTasks(cluster, [...toDescribe])) noteTask(task, mine(task));
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
      const line = `task ${id} stopped: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${c.exitCode !== undefined ? ` (exit code ${c.exitCode})` : ''}`;
      logger.info(`${label}${line}`);
      timeline.push({ at, kind: 'task-stopped', label: `task ${id} ${c.summary}` });
      if (c.abnormal && firstFailureSeenAt === undefined) firstFailureSeenAt = at;
    } else if (!before && !isStopped(task)) {
      logger.info(`${label}task ${id} started (${task.lastStatus.toLowerCase()})`);
      timeline.push({ at, kind: 'task-started', label: `task ${id} started` });
    } else if (before && before.lastStatus !== 'RUNNING' && task.lastStatus === 'RUNNING') {
      logger.info(`${label}task ${id} running`);
      timeline.push({ at, kind: 'task-running', label: `task ${id} running` });
    }
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
      const service = await apis.ecs.describeService(cluster, options.service);
      const signature = countsSignature(service);
      const fresh = (service?.events ?? []).filter((e) => !seenEvents.has(e.id)).reverse();
      for (const e of fresh) {
        seenEvents.add(e.id);
        events.push(e);
        logger.info(`${label}event: ${e.message}`);
      }
      let targets: TargetHealthInfo[] | undefined;
      const ours = service?.deployments.find((d) => d.id === options.verdict.deploymentId);
      if (service && ours) {
        const taskCost = 3;
        const changed = signature !== lastSignature || fresh.length > 0;
        const stale = clock.now() - lastTaskFetch >= 3 * options.pollIntervalMs;
        const firstTime = lastTaskFetch === -Infinity;
        if (firstTime || (changed && withinBudget(taskCost)) || (stale && withinBudget(taskCost + 2))) {
          await fetchTasks(ours.id, ours.taskDefinition);
        }
        const groups = [
          ...new Set(service.loadBalancers.map((lb) => lb.targetGroupArn).filter((g): g is string => !!g)),
        ];
        const looksDone = ours.runningCount >= ours.desiredCount && ours.pendingCount === 0;
        if (
          options.verdict.checkTargetHealth &&
          groups.length > 0 &&
          looksDone &&
          withinBudget(groups.length)
        ) {
          targets = (await Promise.all(groups.map((g) => apis.elb.describeTargetHealth(g)))).flat();
        }
      }
      lastSignature = signature;
      consecutiveErrors = 0;
      const mine = [...known.values()].filter(
        (t) =>
          t.startedBy === options.verdict.deploymentId ||
          (!t.startedBy && t.taskDefinitionArn === ours?.taskDefinition),
      );
      last = { at: clock.now(), service, tasks: mine, ...(targets ? { targets } : {}) };
      const step = decideVerdict(state, last, options.verdict);
      state = step.state;
      const decision = step.decision;
      if (decision.kind === 'in-progress') {
        if (decision.summary !== lastProgress) {
          logger.info(`${label}${decision.summary}`);
          if (decision.phase === 'stabilizing' && !lastProgress.includes('rollout complete')) {
            timeline.push({
              at: clock.now(),
              kind: 'stable',
              label: `${label}rollout complete, watching stable-for`,
            });
          }
          lastProgress = decision.summary;
        }
      } else {
        return result(decision);
      }
    } catch (error) {
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
