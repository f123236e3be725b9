// Reads and validates the action's inputs (names exactly as in action.yml); everything is checked here, before the
// first AWS call.
import { ConfigurationError, createInputReader, shorten, type Environment } from '@hokusai/action-kit';
import { parseEcsNameOrArn, resolveRegion } from '@hokusai/aws-kit';
import { parseRollbackTo, type RollbackTo } from './rollback-to.js';

export interface Inputs {
  cluster: string;
  service: string;
  to: RollbackTo;
  reason: string;
  'failure-reason': string;
  'allow-other-family': boolean;
  wait: boolean;
  /** Milliseconds. */
  timeout: number;
  'stable-for': number;
  'poll-interval': number;
  'aws-region': string;
}

/** One line of free text: newlines folded so the value stays one line in logs and outputs. */
function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

export function getInputs(env: Environment): Inputs {
  const input = createInputReader(env);
  const cluster = parseEcsNameOrArn(input.required('cluster'), 'cluster', 'cluster');
  const service = parseEcsNameOrArn(input.required('service'), 'service', 'service');
  const to = parseRollbackTo(input.string('to'));
  const timeout = input.duration('timeout', '10m');
  const stableFor = input.duration('stable-for', '1m');
  const pollInterval = input.duration('poll-interval', '10s');
  if (timeout <= 0)
    throw new ConfigurationError(
      `invalid value ${shorten(input.string('timeout'))} for input "timeout": must be more than 0`,
    );
  if (pollInterval < 1000) {
    throw new ConfigurationError(
      `invalid value ${shorten(input.string('poll-interval'))} for input "poll-interval": must be at least 1s`,
    );
  }
  if (stableFor >= timeout) {
    throw new ConfigurationError(
      `input "stable-for" (${shorten(input.string('stable-for') || '1m')}) must be shorter than input "timeout" (${shorten(input.string('timeout') || '10m')})`,
    );
  }
  return {
    cluster,
    service,
    to,
    reason: oneLine(input.string('reason')),
    'failure-reason': oneLine(input.string('failure-reason')),
    'allow-other-family': input.boolean('allow-other-family', false),
    wait: input.boolean('wait', true),
    timeout,
    'stable-for': stableFor,
    'poll-interval': pollInterval,
    'aws-region': resolveRegion(input.string('aws-region'), env),
  };
}
