// The action's inputs, keyed by their action.yml names, all validated here before anything touches AWS.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigurationError,
  createInputReader,
  parseKeyValueLines,
  type Environment,
} from '@hokusai/action-kit';
import type { TaskDefinition } from '@hokusai/ecs-kit';

/** Where the new revision comes from: exactly one of these. */
export type RevisionSource =
  | { kind: 'image'; image: string }
  | { kind: 'task-definition'; path: string; definition: TaskDefinition; image?: string }
  | { kind: 'task-definition-arn'; reference: string };

export interface Inputs {
  cluster: string;
  service: string;
  source: RevisionSource;
  'container-name': string;
  environment: Array<[string, string]>;
  /** Milliseconds. */
  timeout: number;
  'poll-interval': number;
  'max-failed-tasks': number;
  'stable-for': number;
  'check-target-health': boolean;
  'log-lines': number;
  rollback: boolean;
  wait: boolean;
  'force-new-deployment': boolean;
}

const TASK_DEFINITION_REFERENCE =
  /^(arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[A-Za-z0-9_-]{1,255}:\d+$/;
const IMAGE = /^[a-z0-9][a-z0-9._\-/:@]*$/i;

function readTaskDefinitionFile(file: string, workspace: string): TaskDefinition {
  const full = path.resolve(workspace, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch {
    throw new ConfigurationError(
      `task definition file "${file}" for input "task-definition" not found (looked in ${full})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      `task definition file "${file}" is not valid JSON: ${(error as Error).message}`,
    );
  }
  const definition = (
    parsed && typeof parsed === 'object' && 'taskDefinition' in parsed
      ? (parsed as { taskDefinition: unknown }).taskDefinition
      : parsed
  ) as TaskDefinition;
  if (
    !definition ||
    typeof definition !== 'object' ||
    typeof definition.family !== 'string' ||
    !Array.isArray(definition.containerDefinitions) ||
    definition.containerDefinitions.length === 0
  ) {
    throw new ConfigurationError(
      `task definition file "${file}" needs "family" and a non-empty "containerDefinitions"`,
    );
  }
  return definition;
}

/** Per-input bounds (the ceiling of every duration is MAX_DURATION_MS, 24 h, in parseDuration). */
export const DURATION_BOUNDS = {
  timeout: { min: 1000 },
  // Faster than 100 ms is a busy loop against AWS; slower than 10 minutes cannot fail fast.
  'poll-interval': { min: 100, max: 10 * 60_000 },
  'stable-for': { max: 6 * 3_600_000 },
} as const;

/** The three durations, bounded each, and their cross-input rules (one line naming the inputs). */
function readDurations(input: ReturnType<typeof createInputReader>) {
  const durations = {
    timeout: input.duration('timeout', '15m', DURATION_BOUNDS.timeout),
    'poll-interval': input.duration('poll-interval', '10s', DURATION_BOUNDS['poll-interval']),
    'stable-for': input.duration('stable-for', '1m', DURATION_BOUNDS['stable-for']),
  };
  const shown = (name: 'timeout' | 'poll-interval' | 'stable-for', fallback: string) =>
    input.string(name) || fallback;
  for (const [name, fallback] of [
    ['stable-for', '1m'],
    ['poll-interval', '10s'],
  ] as const) {
    if (durations[name] >= durations.timeout)
      throw new ConfigurationError(
        `input "${name}" (${shown(name, fallback)}) must be shorter than input "timeout" (${shown('timeout', '15m')})`,
      );
  }
  return durations;
}

export function getInputs(env: Environment): Inputs {
  const input = createInputReader(env);
  const cluster = input.required('cluster');
  const service = input.required('service');
  const image = input.string('image');
  const file = input.string('task-definition');
  const reference = input.string('task-definition-arn');
  const containerName = input.string('container-name');

  if (file && reference)
    throw new ConfigurationError(
      'inputs "task-definition" and "task-definition-arn" are both set: give exactly one source of the new revision',
    );
  if (image && reference)
    throw new ConfigurationError(
      'inputs "image" and "task-definition-arn" are both set: an existing revision is deployed as it is (give exactly one source)',
    );
  if (!image && !file && !reference) {
    throw new ConfigurationError(
      'no new revision: set exactly one of the inputs "image", "task-definition" or "task-definition-arn"',
    );
  }
  if (image && !IMAGE.test(image)) throw new ConfigurationError(`invalid image "${image}" for input "image"`);
  if (reference && !TASK_DEFINITION_REFERENCE.test(reference)) {
    throw new ConfigurationError(
      `invalid task definition "${reference}" for input "task-definition-arn" (use an ARN or family:revision)`,
    );
  }
  const environment = parseKeyValueLines(input.raw('environment'), 'environment');
  if (reference && environment.length > 0)
    throw new ConfigurationError(
      'input "environment" cannot change an existing revision given by "task-definition-arn"',
    );
  if (reference && containerName)
    throw new ConfigurationError('input "container-name" has no effect with "task-definition-arn"');

  const durations = readDurations(input);
  let source: RevisionSource;
  if (reference) source = { kind: 'task-definition-arn', reference };
  else if (file) {
    const definition = readTaskDefinitionFile(file, env.GITHUB_WORKSPACE ?? '.');
    source = { kind: 'task-definition', path: file, definition, ...(image ? { image } : {}) };
  } else source = { kind: 'image', image };

  return {
    cluster,
    service,
    source,
    'container-name': containerName,
    environment,
    ...durations,
    'max-failed-tasks': input.integer('max-failed-tasks', 1, { min: 1, max: 1000 }),
    'check-target-health': input.boolean('check-target-health', true),
    'log-lines': input.integer('log-lines', 40, { min: 0, max: 10_000 }),
    rollback: input.boolean('rollback', true),
    wait: input.boolean('wait', true),
    'force-new-deployment': input.boolean('force-new-deployment', false),
  };
}
