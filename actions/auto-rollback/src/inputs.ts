// Reads and validates the action's inputs (names exactly as in action.yml); everything is checked here, before the
// first AWS call.
import { ConfigurationError, createInputReader, type Environment } from '@hokusai/action-kit';
import { resolveRegion } from '@hokusai/aws-kit';
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

// Cluster and service may be given as names or ARNs.
const NAME_OR_ARN =
  /^(?:[A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(?:cluster|service)\/[A-Za-z0-9_/-]+)$/;

function nameOrArn(value: string, input: string): string {
  if (!NAME_OR_ARN.test(value)) {
    throw new ConfigurationError(
      `invalid value "${value}" for input "${input}" (a name of letters, digits, - and _, or an ARN)`,
    );
  }
  return value;
}

/** One line of free text: newlines folded so the value stays one line in logs and outputs. */
function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

export function getInputs(env: Environment): Inputs {
  const input = createInputReader(env);
  const cluster = nameOrArn(input.required('cluster'), 'cluster');
  const service = nameOrArn(input.required('service'), 'service');
  const to = parseRollbackTo(input.string('to'));
  const timeout = input.duration('timeout', '10m', { min: 1000 });
  const stableFor = input.duration('stable-for', '1m', { max: 6 * 3_600_000 });
  const pollInterval = input.duration('poll-interval', '10s', { min: 1000, max: 10 * 60_000 });
  for (const [name, value, fallback] of [
    ['stable-for', stableFor, '1m'],
    ['poll-interval', pollInterval, '10s'],
  ] as const) {
    if (value >= timeout)
      throw new ConfigurationError(
        `input "${name}" (${input.string(name) || fallback}) must be shorter than input "timeout" (${input.string('timeout') || '10m'})`,
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
