// Reads and validates the action's inputs (names exactly as in action.yml); everything is checked here, before the
// first AWS call.
import { ConfigurationError, createInputReader, type Environment } from '@hokusai/action-kit';
import { checkServiceInCluster, parseEcsNameOrArn, resolveRegion } from '@hokusai/aws-kit';
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
  checkServiceInCluster(cluster, service);
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
