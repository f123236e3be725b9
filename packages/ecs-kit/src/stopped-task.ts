// Why a task stopped, in words a person acts on, and whether the stop counts as a failure of the deployment.
import { shortTaskId, type ContainerInfo, type TaskInfo } from './model.js';

export type StopKind =
  | 'exited'
  | 'out-of-memory'
  | 'elb-health-check'
  | 'container-health-check'
  | 'image-pull'
  | 'resource-initialization'
  | 'failed-to-start'
  | 'scaled-in'
  | 'stopped-by-user'
  | 'infrastructure'
  | 'unknown';

export interface StoppedTaskClassification {
  /** True when the stop counts against the deployment (crash, failed health check, failed start). */
  abnormal: boolean;
  kind: StopKind;
  /** The container that failed, when one can be named. */
  container?: string;
  exitCode?: number;
  /** One line without the task id, e.g. `exited with code 1`, `failed ELB health checks in target-group api`. */
  summary: string;
}

/**
 * Stop codes that say AWS stopped the task (the installed SDK's TaskStopCode): Fargate Spot interruptions and their
 * two-minute notice, and tasks moved off unhealthy infrastructure. UserInitiated is handled beside them.
 */
const NOT_THE_REVISIONS_FAULT = new Set(['SpotInterruption', 'TerminationNotice', 'InfrastructureHealth']);

/** The container that ended the task: OOM-killed, else the first one with a non-zero exit code, else one that exited. */
function culprit(containers: ContainerInfo[]): ContainerInfo | undefined {
  return (
    containers.find((c) => /OutOfMemory/i.test(c.reason ?? '')) ??
    containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0) ??
    containers.find((c) => c.reason) ??
    containers.find((c) => c.exitCode !== undefined)
  );
}

function targetGroupName(reason: string): string {
  const match = /targetgroup\/([^/)\s]+)/.exec(reason) ?? /target-group ([^)\s]+)/.exec(reason);
  return match?.[1] ?? 'its target group';
}

/** Classifies a STOPPED (or stopping) task from its stopCode, stoppedReason and containers' exit codes and reasons. */
export function classifyStoppedTask(task: TaskInfo): StoppedTaskClassification {
  const reason = task.stoppedReason ?? '';
  const code = task.stopCode ?? '';
  const container = culprit(task.containers);
  const containerReason = container?.reason ?? '';
  const base = { container: container?.name, exitCode: container?.exitCode };
  const all = `${reason} ${containerReason} ${task.containers.map((c) => c.reason ?? '').join(' ')}`;

  // Stops that are not the revision's fault, whatever the containers' exit codes say (a task stopped by a person or
  // by AWS is killed with SIGTERM/SIGKILL): reported, never counted toward max-failed-tasks.
  if (code === 'UserInitiated') {
    return {
      ...base,
      abnormal: false,
      kind: 'stopped-by-user',
      summary: oneLine(reason || 'stopped by a user'),
    };
  }
  if (NOT_THE_REVISIONS_FAULT.has(code)) {
    return {
      ...base,
      abnormal: false,
      kind: 'infrastructure',
      summary: oneLine(reason || code),
    };
  }

  if (/CannotPullContainer|pull image|manifest .*not found|ImagePull/i.test(all)) {
    return {
      ...base,
      abnormal: true,
      kind: 'image-pull',
      summary: `could not pull the image: ${oneLine(firstOf(containerReason, reason))}`,
    };
  }
  if (/ResourceInitializationError/i.test(all)) {
    return {
      ...base,
      abnormal: true,
      kind: 'resource-initialization',
      summary: oneLine(firstOf(reason, containerReason)),
    };
  }
  if (/OutOfMemory/i.test(all) || (container?.exitCode === 137 && /memory/i.test(all))) {
    return {
      ...base,
      abnormal: true,
      kind: 'out-of-memory',
      summary: `${container ? `container ${container.name} ` : ''}was killed for using too much memory (OutOfMemoryError)`,
    };
  }
  if (/ELB health checks?/i.test(reason)) {
    return {
      ...base,
      abnormal: true,
      kind: 'elb-health-check',
      summary: `failed ELB health checks in target group ${targetGroupName(reason)}`,
    };
  }
  if (/container health checks?/i.test(reason)) {
    const unhealthy = task.containers.find((c) => c.healthStatus === 'UNHEALTHY') ?? container;
    return {
      ...base,
      container: unhealthy?.name,
      abnormal: true,
      kind: 'container-health-check',
      summary: `failed container health checks${unhealthy ? ` (${unhealthy.name})` : ''}`,
    };
  }
  if (
    code === 'TaskFailedToStart' ||
    /CannotStartContainer|CannotCreateContainer|failed to start/i.test(all)
  ) {
    return {
      ...base,
      abnormal: true,
      kind: 'failed-to-start',
      summary: `failed to start: ${oneLine(firstOf(containerReason, reason, code))}`,
    };
  }
  if (code === 'EssentialContainerExited' || /Essential container in task exited/i.test(reason)) {
    const exit = container?.exitCode;
    const who = container ? `container ${container.name} ` : '';
    const summary = exit === undefined ? `${who}exited (essential container)` : `exited with code ${exit}`;
    return {
      ...base,
      abnormal: true,
      kind: 'exited',
      summary: container && exit !== undefined && task.containers.length > 1 ? `${who}${summary}` : summary,
    };
  }
  if (/Scaling activity|deployment .*(completed|rolled back)|Service .*(deleted|draining)/i.test(reason)) {
    return { ...base, abnormal: false, kind: 'scaled-in', summary: oneLine(reason) };
  }
  if (code === 'UserInitiated' || /stopped by user|Task stopped by/i.test(reason)) {
    return {
      ...base,
      abnormal: false,
      kind: 'stopped-by-user',
      summary: oneLine(reason || 'stopped by a user'),
    };
  }
  if (
    code === 'SpotInterruption' ||
    code === 'TerminationNotice' ||
    /maintenance|host .*terminat|interrupt/i.test(reason)
  ) {
    return { ...base, abnormal: false, kind: 'infrastructure', summary: oneLine(reason || code) };
  }
  if (container?.exitCode !== undefined && container.exitCode !== 0) {
    return { ...base, abnormal: true, kind: 'exited', summary: `exited with code ${container.exitCode}` };
  }
  return { ...base, abnormal: false, kind: 'unknown', summary: oneLine(reason || code || 'stopped') };
}

/** `task 3f2a9c0e… exited with code 1`, with `: detail` appended when given (e.g. the last exception line). */
export function describeStoppedTask(task: TaskInfo, detail?: string): string {
  const c = classifyStoppedTask(task);
  const line = `task ${shortTaskId(task.id)} ${c.summary}`;
  return detail ? `${line}: ${oneLine(detail)}` : line;
}

function firstOf(...texts: string[]): string {
  return texts.find((t) => t.trim() !== '') ?? '';
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}
