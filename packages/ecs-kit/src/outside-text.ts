// The one place ecs-kit and the ECS actions print text that comes from someone else (service event messages, a
// container's log lines, AWS error messages): so making it inert (no workflow commands) happens in one function.
import type { Logger } from '@hokusai/action-kit';
import type { ServiceInfo, TaskInfo } from './model.js';

/** Logs `text` from outside (one line per line), after `prefix` (our own words). */
export function logOutsideText(logger: Logger, prefix: string, text: string): void {
  for (const line of text.split(/\r?\n/)) logger.info(`${prefix}${line}`);
}

/** Replaces the secrets in a piece of outside text, e.g. `(t) => redactSecrets(t, credentials)` (action-kit). */
export type Redact = (text: string) => string;

/**
 * `task` with its outside text — the stopped reason and the containers' reasons — passed through `redact`. The AWS
 * adapters apply it as the text is read (`createAwsApis({ redact })`), before classifyStoppedTask() and
 * describeStoppedTask() cut it to one line of ~300 characters or a summary escapes it for markdown: a secret cut in
 * half, or escaped, no longer matches the secret and would escape redaction. Pure.
 */
export function redactTaskInfo(task: TaskInfo, redact: Redact): TaskInfo {
  return {
    ...task,
    ...(task.stoppedReason !== undefined ? { stoppedReason: redact(task.stoppedReason) } : {}),
    containers: task.containers.map((c) => (c.reason !== undefined ? { ...c, reason: redact(c.reason) } : c)),
  };
}

/** `service` with its event messages and deployments' rollout reasons passed through `redact` (see redactTaskInfo). Pure. */
export function redactServiceInfo(service: ServiceInfo, redact: Redact): ServiceInfo {
  return {
    ...service,
    deployments: service.deployments.map((d) =>
      d.rolloutStateReason !== undefined ? { ...d, rolloutStateReason: redact(d.rolloutStateReason) } : d,
    ),
    events: service.events.map((e) => ({ ...e, message: redact(e.message) })),
  };
}
