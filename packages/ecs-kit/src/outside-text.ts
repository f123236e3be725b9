// The one place ecs-kit and the ECS actions print text that comes from someone else (service event messages, a
// container's log lines, AWS error messages): so making it inert (no workflow commands) happens in one function.
import type { Logger } from '@hokusai/action-kit';

/** Logs `text` from outside (one line per line), after `prefix` (our own words). */
export function logOutsideText(logger: Logger, prefix: string, text: string): void {
  for (const line of text.split(/\r?\n/)) logger.info(`${prefix}${line}`);
}
