// The action's inputs, keyed by their action.yml names, all validated here before anything touches AWS.
import { readFileSync, statSync } from 'node:fs';
import {
  ConfigurationError,
  confinePath,
  createInputReader,
  parseImageReference,
  parseKeyValueLines,
  shorten,
  type Environment,
} from '@hokusai/action-kit';
import { checkServiceInCluster, parseContainerName, parseEcsNameOrArn } from '@hokusai/aws-kit';
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
  /** Deploy even when the service's last deployment is still IN_PROGRESS (the rollback goes to the last proven one). */
  'replace-in-progress': boolean;
  /**
   * CloudWatch alarm names to watch; [] = the service's deployment alarms (deploymentConfiguration.alarms); 'none' =
   * no alarm at all (for a role without cloudwatch:DescribeAlarms; ECS still acts on its deployment alarms).
   */
  alarms: string[] | 'none';
}

/** DescribeAlarms reads up to 100 names a call; more would take more than one call of the poll budget each read. */
export const MAX_ALARMS = 100;
/** CloudWatch's rule for alarm names: 1–255 characters, no ASCII control characters (PutMetricAlarm reference). */
// eslint-disable-next-line no-control-regex
const ALARM_NAME_CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Alarm names, one per line (names may hold commas, spaces and `#`, so nothing else separates them): each checked
 * against CloudWatch's rules; duplicates dropped. One line naming the input on the first bad name.
 */
export function parseAlarmNames(value: string, inputName: string): string[] {
  const names: string[] = [];
  for (const [index, line] of value.split(/\r?\n/).entries()) {
    const name = line.trim();
    if (name === '') continue;
    const where = `input "${inputName}", line ${index + 1}`;
    if ([...name].length > 255)
      throw new ConfigurationError(
        `invalid alarm name ${shorten(name)} (${where}): CloudWatch alarm names are at most 255 characters`,
      );
    if (ALARM_NAME_CONTROL.test(name))
      throw new ConfigurationError(
        `invalid alarm name ${shorten(name)} (${where}): control characters are not allowed in CloudWatch alarm names`,
      );
    if (!names.includes(name)) names.push(name);
  }
  if (names.length > MAX_ALARMS)
    throw new ConfigurationError(
      `input "${inputName}" names ${names.length} alarms: at most ${MAX_ALARMS} (one DescribeAlarms call) are watched`,
    );
  return names;
}

const TASK_DEFINITION_REFERENCE =
  /^(arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[A-Za-z0-9_-]{1,255}:\d+$/;
/** A task definition JSON file is a few KB; anything far bigger is not one (RegisterTaskDefinition caps at 64 KiB). */
const TASK_DEFINITION_MAX_BYTES = 1024 * 1024;
/** Environment variable names as ECS and the shells in containers accept them. */
const ENV_NAME = {
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  rule: 'letters, digits and "_", not starting with a digit',
};

/**
 * Reads the task definition file, confined to the workspace and RUNNER_TEMP (render steps write there). Errors name
 * the input and the path, never the file's content (a JSON parse error would quote it).
 */
function readTaskDefinitionFile(file: string, env: Environment): TaskDefinition {
  const full = confinePath(file, 'task-definition', {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP,
    kind: 'file',
  });
  const shown = shorten(file);
  if (statSync(full).size > TASK_DEFINITION_MAX_BYTES) {
    throw new ConfigurationError(
      `input "task-definition": file ${shown} is larger than 1 MiB, not a task definition`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(full, 'utf8'));
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new ConfigurationError(
      `input "task-definition": file ${shown} is not valid JSON${position ? ` (at character ${position})` : ''}`,
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
      `input "task-definition": file ${shown} needs "family" and a non-empty "containerDefinitions"`,
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
  // Both values parsed as durations above, so they are short and plain: quoted as written.
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
  const cluster = parseEcsNameOrArn(input.required('cluster'), 'cluster', 'cluster');
  const service = parseEcsNameOrArn(input.required('service'), 'service', 'service');
  checkServiceInCluster(cluster, service);
  const image = input.string('image');
  const file = input.string('task-definition');
  const reference = input.string('task-definition-arn');
  const containerName = input.string('container-name');
  if (containerName) parseContainerName(containerName, 'container-name');

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
  if (image) parseImageReference(image, 'image');
  if (reference && !TASK_DEFINITION_REFERENCE.test(reference)) {
    throw new ConfigurationError(
      `invalid task definition ${shorten(reference)} for input "task-definition-arn" (use an ARN or family:revision)`,
    );
  }
  const environment = parseKeyValueLines(input.raw('environment'), 'environment', ENV_NAME);
  if (reference && environment.length > 0)
    throw new ConfigurationError(
      'input "environment" cannot change an existing revision given by "task-definition-arn"',
    );
  if (reference && containerName)
    throw new ConfigurationError('input "container-name" has no effect with "task-definition-arn"');

  const durations = readDurations(input);
  const alarms = input.string('alarms') === 'none' ? 'none' : parseAlarmNames(input.raw('alarms'), 'alarms');
  const wait = input.boolean('wait', true);
  if (alarms !== 'none' && alarms.length > 0 && !wait)
    throw new ConfigurationError('input "alarms" has no effect with "wait: false" (nothing is watched)');
  let source: RevisionSource;
  if (reference) source = { kind: 'task-definition-arn', reference };
  else if (file) {
    const definition = readTaskDefinitionFile(file, env);
    // The container must be in the file whatever else is set: a name that is not there would otherwise go
    // unnoticed when neither image nor environment changes it.
    if (containerName) {
      const names = definition.containerDefinitions!.map((c) => c.name ?? '');
      if (!names.includes(containerName)) {
        throw new ConfigurationError(
          `container ${shorten(containerName)} (input "container-name") is not in task definition file ${shorten(file)}; it has: ${names.map((n) => shorten(n, 40)).join(', ')}`,
        );
      }
    }
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
    wait,
    'force-new-deployment': input.boolean('force-new-deployment', false),
    'replace-in-progress': input.boolean('replace-in-progress', false),
    alarms,
  };
}
