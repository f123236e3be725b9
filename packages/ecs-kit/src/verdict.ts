// The deployment verdict: a pure function from what one poll observed (plus what earlier polls established, the
// clock and the configuration) to a decision. No I/O here, so every rule is tested on recorded plain data.
import { formatDuration } from '@hokusai/action-kit';
import {
  taskDefinitionName,
  type DeploymentInfo,
  type Observation,
  type TaskInfo,
  type TargetHealthInfo,
} from './model.js';
import { classifyStoppedTask, describeStoppedTask } from './stopped-task.js';

export interface VerdictConfig {
  /** The deployment being watched (ecs-svc/…), as UpdateService returned it. */
  deploymentId: string;
  /** When the deployment started, on the watcher's clock. */
  startedAt: number;
  timeoutMs: number;
  /** After the rollout completes, keep watching this long; a task of the deployment stopping meanwhile fails it. */
  stableForMs: number;
  /** Abnormally stopped tasks of the deployment that make the verdict "failed". */
  maxFailedTasks: number;
  /** When the service has target groups, the deployment's targets must be healthy. */
  checkTargetHealth: boolean;
}

export type Decision =
  | { kind: 'in-progress'; phase: 'rolling-out' | 'stabilizing'; summary: string }
  | { kind: 'succeeded'; summary: string }
  | { kind: 'failed'; reason: string; failedTasks: TaskInfo[]; serviceGone?: boolean }
  | { kind: 'timed-out'; reason: string; failedTasks: TaskInfo[] }
  | { kind: 'taken-over'; reason: string; deploymentId: string; taskDefinition: string }
  | {
      kind: 'rolled-back-by-circuit-breaker';
      reason: string;
      deploymentId?: string;
      taskDefinition?: string;
      failedTasks: TaskInfo[];
    };

export type DecisionKind = Decision['kind'];

/** What earlier polls established. */
export interface VerdictState {
  /** When the rollout was first seen complete (and has stayed so since). */
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
export function isFinal(decision: Decision): boolean {
  return decision.kind !== 'in-progress';
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

/** `deployment ecs-svc/123 (api:109): 1/2 running, 1 pending; previous revision 2 running`. */
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

/** Decides what one observation means for the deployment, given what earlier polls established. */
export function decideVerdict(state: VerdictState, obs: Observation, config: VerdictConfig): VerdictStep {
  const service = obs.service;
  const elapsed = obs.at - config.startedAt;
  if (!service || service.status !== 'ACTIVE') {
    const what = service ? `is ${service.status}` : 'no longer exists';
    return {
      state,
      decision: {
        kind: 'failed',
        reason: `service ${service?.name ?? ''} ${what} (deleted during the deployment?)`.replace('  ', ' '),
        failedTasks: [],
        serviceGone: true,
      },
    };
  }
  const ours = service.deployments.find((d) => d.id === config.deploymentId);
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  const mine = ours
    ? tasksOfDeployment(obs.tasks, ours)
    : obs.tasks.filter((t) => t.startedBy === config.deploymentId);
  const failed = failedTasksOf(mine);

  if (primary && primary.id !== config.deploymentId) {
    const breaker =
      ours?.rolloutState === 'FAILED' ||
      (!ours &&
        service.events.some(
          (e) =>
            e.message.includes(config.deploymentId) &&
            /rolling back|rolled back|circuit breaker/i.test(e.message),
        ));
    if (breaker) {
      const why = ours?.rolloutStateReason ?? 'the deployment circuit breaker failed the deployment';
      return {
        state,
        decision: {
          kind: 'rolled-back-by-circuit-breaker',
          reason: `ECS circuit breaker rolled back to ${taskDefinitionName(primary.taskDefinition)}: ${why}`,
          deploymentId: primary.id,
          taskDefinition: primary.taskDefinition,
          failedTasks: failed,
        },
      };
    }
    return {
      state,
      decision: {
        kind: 'taken-over',
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
        reason: `${describeStoppedTask(late)} during stable-for`,
        failedTasks: failed,
      },
    };
  }
  if (failed.length >= config.maxFailedTasks && firstFailure) {
    return {
      state,
      decision: { kind: 'failed', reason: describeStoppedTask(firstFailure), failedTasks: failed },
    };
  }
  if (ours.rolloutState === 'FAILED') {
    return {
      state,
      decision: {
        kind: 'failed',
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
        reason: `ECS counted ${ours.failedTasks} failed tasks in ${ours.id}`,
        failedTasks: [],
      },
    };
  }

  const others = service.deployments.filter((d) => d.id !== ours.id);
  const progress = describeProgress(ours, others);
  const rolledOut =
    (ours.rolloutState === undefined || ours.rolloutState === 'COMPLETED') &&
    ours.runningCount >= ours.desiredCount &&
    ours.pendingCount === 0 &&
    others.every((d) => d.runningCount === 0);
  const health =
    rolledOut && config.checkTargetHealth
      ? targetsHealthy(obs, mine, ours.desiredCount)
      : { healthy: true, detail: '' };
  if (rolledOut && health.healthy) {
    const stableSince = state.stableSince ?? obs.at;
    const next: VerdictState = { stableSince, failedSeen: failed.length };
    if (obs.at - stableSince >= config.stableForMs) {
      return {
        state: next,
        decision: {
          kind: 'succeeded',
          summary: `${progress}; stable for ${formatDuration(obs.at - stableSince)}`,
        },
      };
    }
    if (elapsed >= config.timeoutMs) {
      return {
        state: next,
        decision: {
          kind: 'timed-out',
          reason: `timed out after ${formatDuration(elapsed)} while watching stable-for: ${progress}`,
          failedTasks: failed,
        },
      };
    }
    return {
      state: next,
      decision: {
        kind: 'in-progress',
        phase: 'stabilizing',
        summary: `${progress}; rollout complete, watching for ${formatDuration(config.stableForMs)}`,
      },
    };
  }
  const next: VerdictState = { failedSeen: failed.length };
  const summary = health.detail ? `${progress}; ${health.detail}` : progress;
  if (elapsed >= config.timeoutMs) {
    return {
      state: next,
      decision: {
        kind: 'timed-out',
        reason: `timed out after ${formatDuration(elapsed)}: ${summary}`,
        failedTasks: failed,
      },
    };
  }
  return { state: next, decision: { kind: 'in-progress', phase: 'rolling-out', summary } };
}
