// The deployment verdict: a pure function from what one poll observed (plus what earlier polls established, the
// clock and the configuration) to a decision. Every final decision carries a typed `cause`; code branches on it,
// never on the wording of `reason`. No I/O here, so every rule is tested on recorded plain data — the emulator's
// shapes and ECS's own (see /work/shared/ECS-FACTS.md).
import { formatDuration } from '@hokusai/action-kit';
import { describeFiredAlarm, firedAlarm, type AlarmWatch } from './alarms.js';
import {
  shortTaskId,
  taskDefinitionName,
  type AlarmInfo,
  type DeploymentInfo,
  type Observation,
  type ServiceInfo,
  type TaskInfo,
  type TargetHealthInfo,
} from './model.js';
import { breakerEventsOf } from './service-events.js';
import { classifyStoppedTask, describeStoppedTask } from './stopped-task.js';

export interface VerdictConfig {
  /** The deployment being watched (ecs-svc/…), as UpdateService returned it. */
  deploymentId: string;
  /**
   * The deployment that served before ours (the PRIMARY one before UpdateService). ECS's circuit breaker rolls back
   * by putting exactly that deployment back to IN_PROGRESS under its old id; seeing it PRIMARY again is how the
   * breaker's rollback is told apart from someone else's deploy.
   */
  previousDeploymentId?: string;
  /** The revision that served before ours: a breaker rollback goes back to it. */
  previousTaskDefinition?: string;
  /** When the deployment started, on the watcher's clock. */
  startedAt: number;
  timeoutMs: number;
  /** After the rollout completes, keep watching this long; a task of the deployment stopping meanwhile fails it. */
  stableForMs: number;
  /** Abnormally stopped tasks of the deployment that make the verdict "failed". */
  maxFailedTasks: number;
  /** When the service has target groups, the deployment's targets must be healthy. */
  checkTargetHealth: boolean;
  /**
   * CloudWatch alarms watched during the rollout and stable-for: one going into ALARM after the deployment started
   * fails it (cause `alarm`); one already in ALARM then is ignored, as ECS ignores it.
   */
  alarms?: AlarmWatch;
}

/** Old tasks leaving while ours already serve: ELB deregistration delay (connection draining). */
export interface DrainState {
  /** Old tasks still draining. */
  tasks: number;
  /** When the last of them leaves its target group, on the watcher's clock (unknown without the delay). */
  endsAt?: number;
}

/** Why a watch ended. `kind` groups causes by what the caller does next; `cause` says exactly what happened. */
export type FinalDecision =
  | { kind: 'succeeded'; cause: 'stable'; summary: string }
  | { kind: 'succeeded'; cause: 'draining-at-time-limit'; summary: string; drain: DrainState }
  | {
      kind: 'failed';
      /** max-failed-tasks tasks of ours stopped abnormally; `task` is the first. */
      cause: 'task-stopped' | 'stopped-during-stable-for';
      reason: string;
      task: TaskInfo;
      failedTasks: TaskInfo[];
    }
  | { kind: 'failed'; cause: 'rollout-failed'; reason: string; failedTasks: TaskInfo[] }
  | {
      kind: 'failed';
      /** A watched CloudWatch alarm went into ALARM after the deployment started. */
      cause: 'alarm';
      reason: string;
      alarm: AlarmInfo;
      failedTasks: TaskInfo[];
    }
  | {
      kind: 'failed';
      cause: 'failures-counted-by-ecs';
      reason: string;
      count: number;
      failedTasks: TaskInfo[];
    }
  | { kind: 'failed'; cause: 'deployment-gone'; reason: string; failedTasks: TaskInfo[] }
  | {
      kind: 'failed';
      cause: 'service-gone';
      reason: string;
      /** DRAINING, INACTIVE, or MISSING when DescribeServices no longer returns it. */
      serviceStatus: string;
      failedTasks: TaskInfo[];
    }
  | { kind: 'timed-out'; cause: 'time-limit'; reason: string; failedTasks: TaskInfo[] }
  | { kind: 'taken-over'; cause: 'taken-over'; reason: string; deploymentId: string; taskDefinition: string }
  | {
      kind: 'rolled-back-by-circuit-breaker';
      cause: 'breaker-rolled-back';
      reason: string;
      /** The deployment ECS rolled back to (the old one under its old id on ECS; a new one on older emulators). */
      deploymentId: string;
      taskDefinition: string;
      /** What tripped it: failed tasks, or a CloudWatch alarm (deployment alarms). */
      trigger: 'tasks' | 'alarm';
      /** With trigger 'alarm': the alarm seen going into ALARM after the deployment started, when one was. */
      alarm?: AlarmInfo;
      failedTasks: TaskInfo[];
    };

export type Decision =
  | {
      kind: 'in-progress';
      phase: 'rolling-out' | 'stabilizing' | 'draining';
      summary: string;
      drain?: DrainState;
    }
  | FinalDecision;

export type DecisionKind = Decision['kind'];
export type DecisionCause = FinalDecision['cause'];

/** What earlier polls established. */
export interface VerdictState {
  /** When every task of ours was first seen running (and healthy) with the old ones off (and has stayed so since). */
  stableSince?: number;
  /** Abnormally stopped tasks of the deployment seen so far (below max-failed-tasks). */
  failedSeen: number;
}

export const initialVerdictState: VerdictState = Object.freeze({ failedSeen: 0 });

export interface VerdictStep {
  state: VerdictState;
  decision: Decision;
}

/** True when a decision ends the watch. */
export function isFinal(decision: Decision): decision is FinalDecision {
  return decision.kind !== 'in-progress';
}

/** The one line for people a final decision carries (`reason`, or `summary` for a success). */
export function decisionLine(decision: Decision): string {
  return 'reason' in decision ? decision.reason : decision.summary;
}

/** Tasks ECS started for a deployment: startedBy is the deployment id; tasks without it are matched on revision. */
export function tasksOfDeployment(
  tasks: readonly TaskInfo[],
  deployment: { id: string; taskDefinition?: string },
): TaskInfo[] {
  return tasks.filter((t) =>
    t.startedBy
      ? t.startedBy === deployment.id
      : deployment.taskDefinition !== undefined && t.taskDefinitionArn === deployment.taskDefinition,
  );
}

export function isStopped(task: TaskInfo): boolean {
  return task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED';
}

/** Stopped tasks that count against the deployment, oldest stop first. */
export function failedTasksOf(tasks: readonly TaskInfo[]): TaskInfo[] {
  return tasks
    .filter((t) => isStopped(t) && classifyStoppedTask(t).abnormal)
    .sort((a, b) => (a.stoppedAt ?? Infinity) - (b.stoppedAt ?? Infinity));
}

/** `deployment ecs-svc/123 (api:109): 1/2 running, 1 pending; older deployments 2 running [IN_PROGRESS]`. */
export function describeProgress(deployment: DeploymentInfo, others: readonly DeploymentInfo[]): string {
  let line = `deployment ${deployment.id} (${taskDefinitionName(deployment.taskDefinition)}): ${deployment.runningCount}/${deployment.desiredCount} running`;
  if (deployment.pendingCount > 0) line += `, ${deployment.pendingCount} pending`;
  if (deployment.failedTasks > 0) line += `, ${deployment.failedTasks} failed`;
  const oldRunning = others.reduce((n, d) => n + d.runningCount, 0);
  if (oldRunning > 0) line += `; older deployments ${oldRunning} running`;
  if (deployment.rolloutState) line += ` [${deployment.rolloutState}]`;
  return line;
}

function targetsHealthy(
  obs: Observation,
  mine: TaskInfo[],
  desired: number,
): { healthy: boolean; detail: string } {
  const groups = [
    ...new Set(
      (obs.service?.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((g): g is string => !!g),
    ),
  ];
  if (groups.length === 0) return { healthy: true, detail: '' };
  if (!obs.targets) return { healthy: false, detail: 'target health not checked yet' };
  const running = mine.filter((t) => !isStopped(t) && t.lastStatus === 'RUNNING');
  for (const group of groups) {
    const targets = obs.targets.filter((t: TargetHealthInfo) => t.targetGroupArn === group);
    const ips = running.flatMap((t) => t.privateIps);
    const relevant = ips.length > 0 ? targets.filter((t) => ips.includes(t.targetId)) : targets;
    const healthy = relevant.filter((t) => t.state === 'healthy').length;
    if (healthy < desired) {
      const states = relevant.map((t) => t.state).join(', ') || 'no targets registered';
      return {
        healthy: false,
        detail: `${healthy}/${desired} targets healthy in ${group.slice(group.lastIndexOf('/', group.lastIndexOf('/') - 1) + 1)} (${states})`,
      };
    }
  }
  return { healthy: true, detail: '' };
}

/** `2 old tasks draining (about 4m10s left)`. */
export function describeDrain(drain: DrainState, now: number): string {
  const tasks = `${drain.tasks} old task${drain.tasks === 1 ? '' : 's'} draining`;
  if (drain.endsAt === undefined) return `${tasks} (deregistration delay unknown)`;
  // In whole minutes, so the progress line (logged when it changes) changes at most once a minute.
  const minutes = Math.ceil(Math.max(0, drain.endsAt - now) / 60_000);
  return `${tasks} (${minutes <= 1 ? 'under a minute' : `about ${minutes} minutes`} left)`;
}

/**
 * A rollback by ECS's circuit breaker, in either shape: ECS's own (our deployment left the list and the deployment
 * that served before is PRIMARY again under its old id; events `(deployment ecs-svc/N) deployment failed: …` and
 * `rolling back to deployment ecs-svc/M.`), or the older emulator's (ours FAILED and still listed, a new PRIMARY on
 * the old revision).
 */
function breakerRollback(
  service: ServiceInfo,
  ours: DeploymentInfo | undefined,
  primary: DeploymentInfo,
  config: VerdictConfig,
  failed: TaskInfo[],
  alarm: AlarmInfo | undefined,
): FinalDecision | undefined {
  const events = breakerEventsOf(service.events, config.deploymentId);
  // Only ECS puts an old deployment id back to PRIMARY: a person's UpdateService always makes a new one.
  const backToPrevious =
    config.previousDeploymentId !== undefined && primary.id === config.previousDeploymentId;
  const ontoPrevious =
    config.previousTaskDefinition === undefined || primary.taskDefinition === config.previousTaskDefinition;
  // `rolling back to deployment X` names the deployment it goes back to: ECS's own (PRIMARY again), or on older
  // emulators the previous one whose revision a new PRIMARY carries.
  const announced =
    events.rollingBackTo !== undefined &&
    (events.rollingBackTo === primary.id || events.rollingBackTo === config.previousDeploymentId) &&
    ontoPrevious;
  // Without the events (they scrolled away): ours FAILED, a PRIMARY on the revision that served before.
  const failedThenPrevious =
    ours?.rolloutState === 'FAILED' && ontoPrevious && events.rollingBackTo === undefined;
  if (!backToPrevious && !announced && !failedThenPrevious) return undefined;
  // A watched alarm that went into ALARM names the rollback's alarm, when ECS watches it too
  // (deploymentConfiguration.alarms); it also explains the rollback when the events saying why have scrolled away.
  const named =
    alarm && service.deploymentAlarms?.enable && service.deploymentAlarms.alarmNames.includes(alarm.name)
      ? alarm
      : undefined;
  const byAlarm = events.failed
    ? events.alarm
    : /alarm/i.test(ours?.rolloutStateReason ?? '') || named !== undefined;
  const trigger = byAlarm ? 'alarm' : 'tasks';
  const why =
    trigger === 'alarm' && named
      ? describeFiredAlarm(named)
      : (events.failureText ??
        ours?.rolloutStateReason ??
        (trigger === 'alarm'
          ? 'deployment failed: alarm detected.'
          : 'deployment failed: tasks failed to start.'));
  return {
    kind: 'rolled-back-by-circuit-breaker',
    cause: 'breaker-rolled-back',
    reason: breakerReason(trigger, primary, why),
    deploymentId: primary.id,
    taskDefinition: primary.taskDefinition,
    trigger,
    ...(trigger === 'alarm' && named ? { alarm: named } : {}),
    failedTasks: failed,
  };
}

function breakerReason(
  trigger: 'tasks' | 'alarm',
  rolledBackTo: { id: string; taskDefinition: string },
  why: string,
): string {
  const who = trigger === 'alarm' ? 'ECS deployment alarms' : 'ECS circuit breaker';
  return `${who} rolled back to ${taskDefinitionName(rolledBackTo.taskDefinition)} (deployment ${rolledBackTo.id}): ${why}`;
}

export type BreakerRollback = Extract<FinalDecision, { cause: 'breaker-rolled-back' }>;

/** ECS's rollback on a deployment alarm with the alarm named, when it was found only after the verdict. */
export function nameRollbackAlarm(decision: BreakerRollback, alarm: AlarmInfo): BreakerRollback {
  return {
    ...decision,
    trigger: 'alarm',
    alarm,
    reason: breakerReason(
      'alarm',
      { id: decision.deploymentId, taskDefinition: decision.taskDefinition },
      describeFiredAlarm(alarm),
    ),
  };
}

/**
 * ECS's rollback on a deployment alarm when no alarm could be named (none of them was still in ALARM when read after
 * the rollback, or the read failed): the reason lists the service's deployment alarms it was one of.
 */
export function nameRollbackAlarmCandidates(
  decision: BreakerRollback,
  alarmNames: readonly string[],
): BreakerRollback {
  if (decision.trigger !== 'alarm' || decision.alarm || alarmNames.length === 0) return decision;
  const shown = alarmNames.slice(0, 5).join(', ');
  const more = alarmNames.length > 5 ? ` and ${alarmNames.length - 5} more` : '';
  return {
    ...decision,
    reason: `${decision.reason} (one of the service's deployment alarms: ${shown}${more}; none was still in ALARM when read after the rollback)`,
  };
}

/** Decides what one observation means for the deployment, given what earlier polls established. */
export function decideVerdict(state: VerdictState, obs: Observation, config: VerdictConfig): VerdictStep {
  const service = obs.service;
  const elapsed = obs.at - config.startedAt;
  if (!service || service.status !== 'ACTIVE') {
    const status = service?.status ?? 'MISSING';
    const what = service ? `is ${service.status}` : 'no longer exists';
    return {
      state,
      decision: {
        kind: 'failed',
        cause: 'service-gone',
        reason: `service ${service?.name ?? ''} ${what} (deleted during the deployment?)`.replace('  ', ' '),
        serviceStatus: status,
        failedTasks: [],
      },
    };
  }
  const ours = service.deployments.find((d) => d.id === config.deploymentId);
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  const mine = ours
    ? tasksOfDeployment(obs.tasks, ours)
    : obs.tasks.filter((t) => t.startedBy === config.deploymentId);
  const failed = failedTasksOf(mine);
  const alarm = config.alarms && obs.alarms ? firedAlarm(obs.alarms, config.alarms) : undefined;

  if (primary && primary.id !== config.deploymentId) {
    const breaker = breakerRollback(service, ours, primary, config, failed, alarm);
    if (breaker) return { state, decision: breaker };
    return {
      state,
      decision: {
        kind: 'taken-over',
        cause: 'taken-over',
        reason: `another deployment ${primary.id} (${taskDefinitionName(primary.taskDefinition)}) replaced ours; not rolling back over it`,
        deploymentId: primary.id,
        taskDefinition: primary.taskDefinition,
      },
    };
  }
  if (!ours) {
    return {
      state,
      decision: {
        kind: 'failed',
        cause: 'deployment-gone',
        reason: `deployment ${config.deploymentId} is no longer listed on the service`,
        failedTasks: failed,
      },
    };
  }

  const firstFailure = failed[0];
  // Once the rollout looked complete, any new abnormal stop fails the deploy, whatever max-failed-tasks says.
  if (state.stableSince !== undefined && failed.length > state.failedSeen) {
    const late = failed[failed.length - 1]!;
    return {
      state,
      decision: {
        kind: 'failed',
        cause: 'stopped-during-stable-for',
        reason: `${describeStoppedTask(late)} during stable-for`,
        task: late,
        failedTasks: failed,
      },
    };
  }
  if (failed.length >= config.maxFailedTasks && firstFailure) {
    return {
      state,
      decision: {
        kind: 'failed',
        cause: 'task-stopped',
        reason: describeStoppedTask(firstFailure),
        task: firstFailure,
        failedTasks: failed,
      },
    };
  }
  // An alarm going into ALARM is decisive evidence: it fails the deploy in the poll that reads it, during the rollout
  // and stable-for alike (before rollout-failed: ECS fails a deployment on the same alarm, and the name says more).
  if (alarm) {
    return {
      state,
      decision: {
        kind: 'failed',
        cause: 'alarm',
        reason: describeFiredAlarm(alarm),
        alarm,
        failedTasks: failed,
      },
    };
  }
  if (ours.rolloutState === 'FAILED') {
    return {
      state,
      decision: {
        kind: 'failed',
        cause: 'rollout-failed',
        reason: `deployment failed: ${ours.rolloutStateReason ?? 'ECS marked the rollout FAILED'}`,
        failedTasks: failed,
      },
    };
  }
  if (
    failed.length === 0 &&
    ours.failedTasks >= config.maxFailedTasks &&
    config.maxFailedTasks > 0 &&
    obs.tasks.length === 0
  ) {
    return {
      state,
      decision: {
        kind: 'failed',
        cause: 'failures-counted-by-ecs',
        reason: `ECS counted ${ours.failedTasks} failed tasks in ${ours.id}`,
        count: ours.failedTasks,
        failedTasks: [],
      },
    };
  }

  const others = service.deployments.filter((d) => d.id !== ours.id);
  const progress = describeProgress(ours, others);
  const completed = ours.rolloutState === undefined || ours.rolloutState === 'COMPLETED';
  // Every task of ours is up and the scheduler has taken the old deployments to 0: what is left is their drain.
  const allOursUp =
    ours.runningCount >= ours.desiredCount &&
    ours.pendingCount === 0 &&
    others.every((d) => d.desiredCount === 0 || d.runningCount === 0);
  const health =
    allOursUp && config.checkTargetHealth
      ? targetsHealthy(obs, mine, ours.desiredCount)
      : { healthy: true, detail: '' };
  const up = allOursUp && health.healthy;
  // Old tasks still leaving (running, or draining from their target groups) while ECS has not completed ours.
  // Once ECS says COMPLETED with no old task running, what still drains is ECS's business, not a reason to wait.
  const draining =
    up &&
    (others.some((d) => d.runningCount > 0) ||
      (!completed && ((obs.drain?.tasks ?? 0) > 0 || others.length > 0)));
  const timedOut = elapsed >= config.timeoutMs;

  if (up) {
    const stableSince = state.stableSince ?? obs.at;
    const next: VerdictState = { stableSince, failedSeen: failed.length };
    const stableFor = obs.at - stableSince;
    if (completed && !draining && stableFor >= config.stableForMs) {
      return {
        state: next,
        decision: {
          kind: 'succeeded',
          cause: 'stable',
          summary: `${progress}; stable for ${formatDuration(stableFor)}`,
        },
      };
    }
    const drain: DrainState = obs.drain ?? { tasks: others.reduce((n, d) => n + d.runningCount, 0) };
    // An old deployment still listed with no task left is ECS finishing up (e.g. a deployment alarms' bake time).
    const leaving =
      drain.tasks > 0 ? describeDrain(drain, obs.at) : 'ECS had not completed the deployment yet';
    // The drain is forgiven at the time limit, stable-for is not: new tasks healthy for less than stable-for are
    // not proven, however long the old ones take to leave.
    if (timedOut && draining && stableFor >= config.stableForMs) {
      return {
        state: next,
        decision: {
          kind: 'succeeded',
          cause: 'draining-at-time-limit',
          summary: `${progress}; every new task running and healthy for ${formatDuration(stableFor)}, ${leaving} at the time limit (${formatDuration(config.timeoutMs)})`,
          drain,
        },
      };
    }
    if (timedOut && draining) {
      return {
        state: next,
        decision: {
          kind: 'timed-out',
          cause: 'time-limit',
          reason: `timed out after ${formatDuration(elapsed)}: every new task running and healthy for only ${formatDuration(stableFor)} of stable-for ${formatDuration(config.stableForMs)}, ${leaving}: ${progress}`,
          failedTasks: failed,
        },
      };
    }
    if (timedOut) {
      return {
        state: next,
        decision: {
          kind: 'timed-out',
          cause: 'time-limit',
          reason: `timed out after ${formatDuration(elapsed)} while watching stable-for: ${progress}`,
          failedTasks: failed,
        },
      };
    }
    if (draining) {
      return {
        state: next,
        decision: {
          kind: 'in-progress',
          phase: 'draining',
          // An old deployment still listed with no task left is ECS finishing up, not a drain.
          summary:
            drain.tasks > 0
              ? `${progress}; every new task running and healthy; ${leaving}`
              : `${progress}; every new task running and healthy, waiting for ECS to complete the deployment`,
          drain,
        },
      };
    }
    return {
      state: next,
      decision: {
        kind: 'in-progress',
        phase: 'stabilizing',
        summary: completed
          ? `${progress}; rollout complete, watching for ${formatDuration(config.stableForMs)}`
          : `${progress}; every new task running and healthy, waiting for ECS to complete the deployment`,
      },
    };
  }
  const next: VerdictState = { failedSeen: failed.length };
  const summary = health.detail ? `${progress}; ${health.detail}` : progress;
  if (timedOut) {
    return {
      state: next,
      decision: {
        kind: 'timed-out',
        cause: 'time-limit',
        reason: `timed out after ${formatDuration(elapsed)}: ${summary}`,
        failedTasks: failed,
      },
    };
  }
  return { state: next, decision: { kind: 'in-progress', phase: 'rolling-out', summary } };
}

/** `task 3f2a9c0e… stopped: …` for a stop of ours that is not the revision's fault (reported, not counted). */
export function describeUncountedStop(task: TaskInfo): string {
  return `task ${shortTaskId(task.id)} ${classifyStoppedTask(task).summary} (not counted: not the revision's fault)`;
}
