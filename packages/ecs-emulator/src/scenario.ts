// Scenario files: the types, loading YAML/JSON, and validation against scenario.schema.json with the path of the
// bad field in the message (`services[0].desiredCount: expected an integer`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export type Tags = Record<string, string>;

export interface ScenarioCluster {
  name: string;
  tags?: Tags;
}

export interface ScenarioContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  logConfiguration?: { logDriver: string; options?: Record<string, string> };
  [field: string]: unknown;
}

export interface ScenarioTaskDefinition {
  family: string;
  revision?: number;
  cpu?: string;
  memory?: string;
  networkMode?: string;
  requiresCompatibilities?: string[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  tags?: Tags;
  containerDefinitions: ScenarioContainerDefinition[];
}

export interface ScenarioTargetGroup {
  name: string;
  port?: number;
  protocol?: string;
  targetType?: string;
  deregistrationDelaySeconds?: number;
  healthCheck?: {
    path?: string;
    intervalSeconds?: number;
    timeoutSeconds?: number;
    healthyThreshold?: number;
    unhealthyThreshold?: number;
  };
}

/** deploymentController.type values (the installed SDK's DeploymentControllerType). */
export const DEPLOYMENT_CONTROLLER_TYPES = ['ECS', 'CODE_DEPLOY', 'EXTERNAL'] as const;
export type DeploymentControllerType = (typeof DEPLOYMENT_CONTROLLER_TYPES)[number];
/** deploymentConfiguration.strategy values (the installed SDK's DeploymentStrategy). */
export const DEPLOYMENT_STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
export type DeploymentStrategy = (typeof DEPLOYMENT_STRATEGIES)[number];
/** deploymentCircuitBreaker.thresholdConfiguration.type values (the installed SDK's ThresholdType). */
export const THRESHOLD_TYPES = ['BOUNDED_PERCENT', 'UNBOUNDED_PERCENT', 'COUNT'] as const;
export type ThresholdType = (typeof THRESHOLD_TYPES)[number];

/** The SDK's DeploymentCircuitBreaker. */
export interface DeploymentCircuitBreaker {
  enable: boolean;
  rollback: boolean;
  /** Default true: a task reaching healthy resets the failure count; false: failures add up. */
  resetOnHealthyTask?: boolean;
  /** Default { type: BOUNDED_PERCENT, value: 50 }. */
  thresholdConfiguration?: { type: ThresholdType; value: number };
}

/** The SDK's DeploymentAlarms: CloudWatch alarms that fail a deployment when they go into ALARM during it. */
export interface DeploymentAlarms {
  alarmNames: string[];
  enable: boolean;
  rollback: boolean;
}

export interface DeploymentConfiguration {
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  deploymentCircuitBreaker?: DeploymentCircuitBreaker;
  alarms?: DeploymentAlarms;
  /** Recognised and echoed; every strategy rolls out as ROLLING here (see FIDELITY.md). */
  strategy?: DeploymentStrategy;
  bakeTimeInMinutes?: number;
}

export interface ScenarioLoadBalancer {
  targetGroup?: string;
  targetGroupArn?: string;
  containerName: string;
  containerPort: number;
}

export interface ScenarioService {
  name: string;
  cluster: string;
  taskDefinition: string;
  desiredCount: number;
  healthCheckGracePeriodSeconds?: number;
  tags?: Tags;
  deploymentConfiguration?: DeploymentConfiguration;
  /** Default ECS (rolling). CODE_DEPLOY / EXTERNAL: UpdateService refuses a task definition change. */
  deploymentController?: { type: DeploymentControllerType };
  loadBalancers?: ScenarioLoadBalancer[];
}

export type LogLine = string | { atSeconds?: number; message: string };

export interface ImageBehaviourFields {
  startSeconds?: number;
  exitAfterSeconds?: number;
  exitCode?: number;
  exitReason?: string;
  failToStart?: string;
  /**
   * The scheduler cannot even create the task (e.g. the execution role cannot be assumed): no task, the service
   * event `failed to launch a task with (error …).`, a start failure.
   */
  failToLaunch?: string;
  /** After SIGTERM the container exits this long later (default 2), or is killed at its stopTimeout (default 30). */
  stopSeconds?: number;
  logLines?: LogLine[];
  elbHealthy?: boolean | { afterSeconds: number; healthy: boolean }[];
  /** The container health check's result (only for containers whose definition has a healthCheck). */
  containerHealthy?: boolean | { afterSeconds: number; healthy: boolean }[];
  unhealthyReason?: string;
  /** A stop that is not the image's fault, `stopAfterSeconds` after RUNNING (see STOP_CODES). */
  stopCode?: ExternalStopCode;
  stopAfterSeconds?: number;
  /** Default per stop code (EXTERNAL_STOP_REASONS). */
  stoppedReason?: string;
}

/** Stop codes a scenario can give an image: stops that are not the new revision's fault. */
export const EXTERNAL_STOP_CODES = [
  'InfrastructureHealth',
  'TerminationNotice',
  'SpotInterruption',
  'UserInitiated',
] as const;
export type ExternalStopCode = (typeof EXTERNAL_STOP_CODES)[number];

/**
 * stoppedReason for each, when the scenario gives none. TerminationNotice / SpotInterruption: the Fargate Spot text
 * (ECS-FACTS, Fargate Spot termination notice article); the others are the emulator's choice (see FIDELITY.md).
 */
export const EXTERNAL_STOP_REASONS: Record<ExternalStopCode, string> = {
  InfrastructureHealth: 'Task stopped due to an underlying infrastructure health issue.',
  TerminationNotice: 'Your Spot Task was interrupted.',
  SpotInterruption: 'Your Spot Task was interrupted.',
  UserInitiated: 'Task stopped by user',
};

export interface ImageBehaviour extends ImageBehaviourFields {
  match: string;
  description?: string;
}

export interface ScenarioFault {
  operation: string;
  error: string;
  message?: string;
  rate?: number;
  calls?: number[];
  fromSeconds?: number;
  untilSeconds?: number;
}

export interface ScenarioAction {
  atSeconds: number;
  deleteService?: { cluster: string; service: string };
  updateService?: { cluster: string; service: string; taskDefinition?: string; desiredCount?: number };
  stopTask?: { cluster: string; service: string; reason?: string };
}

/** A state change of a scenario alarm: at a time since start, or since the start of each deployment (of an image). */
export interface ScenarioAlarmState {
  atSeconds?: number;
  afterDeploymentSeconds?: number;
  /** With afterDeploymentSeconds: only deployments whose task definition has a matching image (glob). */
  image?: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason?: string;
}

/** A CloudWatch metric alarm the scenario starts with (DescribeAlarms shows it; deployment alarms watch it). */
export interface ScenarioAlarm {
  name: string;
  description?: string;
  namespace?: string;
  metricName?: string;
  statistic?: string;
  dimensions?: { name: string; value: string }[];
  /** Seconds (default 60); period x evaluationPeriods is the deployment bake time it asks for. */
  period?: number;
  evaluationPeriods?: number;
  threshold?: number;
  comparisonOperator?: string;
  treatMissingData?: string;
  /** The state at start (default OK). */
  state?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  states?: ScenarioAlarmState[];
}

export interface Scenario {
  name?: string;
  description?: string;
  region?: string;
  accountId?: string;
  startTime?: string;
  timeScale?: number;
  seed?: number;
  stoppedTaskRetentionSeconds?: number;
  /**
   * How long after a deployment starts (UpdateService, or a rollback) its first tasks are launched (default 0;
   * Fargate measured 17-48 s from UpdateService to the first new task). Replacements are not delayed.
   */
  deploymentLaunchDelaySeconds?: number;
  /** How long a stopping task stays DEPROVISIONING (default 1). */
  deprovisioningSeconds?: number;
  /** ECS-like backoff of task launches after repeated failures (default: none, replacement is immediate). */
  launchBackoff?: { afterFailures?: number; initialSeconds?: number; maxSeconds?: number };
  clusters?: ScenarioCluster[];
  taskDefinitions?: ScenarioTaskDefinition[];
  targetGroups?: ScenarioTargetGroup[];
  services?: ScenarioService[];
  images?: ImageBehaviour[];
  defaultImage?: ImageBehaviourFields;
  faults?: ScenarioFault[];
  actions?: ScenarioAction[];
  /** CloudWatch alarms, served by the CloudWatch API and watched by deployment alarms. */
  cloudWatchAlarms?: ScenarioAlarm[];
}

/** A scenario that is not what the schema allows; the message starts with the path of the bad field. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCENARIO_SCHEMA_PATH = path.join(packageDir, 'scenario.schema.json');
export const SCENARIOS_DIR = path.join(packageDir, 'scenarios');

type Schema = Record<string, unknown>;
let cachedSchema: Schema | undefined;
function scenarioSchema(): Schema {
  cachedSchema ??= JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')) as Schema;
  return cachedSchema;
}

/** Reads a .yaml/.yml/.json scenario file and validates it. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(
      `${file}: cannot read scenario file (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ScenarioError(
      `${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  try {
    return validateScenario(data);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(`${path.basename(file)}: ${error.message}`);
    throw error;
  }
}

/** Validates plain data against the schema and the cross references (clusters, task definitions, target groups). */
export function validateScenario(data: unknown): Scenario {
  const schema = scenarioSchema();
  const problem = checkSchema(data, schema, schema, '');
  if (problem) throw new ScenarioError(problem);
  const scenario = data as Scenario;
  checkReferences(scenario);
  return scenario;
}

function checkReferences(s: Scenario): void {
  const clusters = new Set((s.clusters ?? []).map((c) => c.name));
  const families = new Map<string, number[]>();
  for (const td of s.taskDefinitions ?? [])
    families.set(td.family, [...(families.get(td.family) ?? []), td.revision ?? 0]);
  const targetGroups = new Set((s.targetGroups ?? []).map((t) => t.name));
  (s.services ?? []).forEach((service, i) => {
    if (!clusters.has(service.cluster))
      throw new ScenarioError(`services[${i}].cluster: no cluster "${service.cluster}" in clusters`);
    const [family, revision] = service.taskDefinition.split(':');
    if (!families.has(family ?? '')) {
      throw new ScenarioError(
        `services[${i}].taskDefinition: no task definition family "${family}" in taskDefinitions`,
      );
    }
    if (revision !== undefined && !families.get(family ?? '')?.includes(Number(revision))) {
      throw new ScenarioError(
        `services[${i}].taskDefinition: no revision ${revision} of "${family}" in taskDefinitions (give it a revision)`,
      );
    }
    (service.loadBalancers ?? []).forEach((lb, j) => {
      const at = `services[${i}].loadBalancers[${j}]`;
      if (!lb.targetGroup && !lb.targetGroupArn)
        throw new ScenarioError(`${at}: needs targetGroup or targetGroupArn`);
      if (lb.targetGroup && !targetGroups.has(lb.targetGroup)) {
        throw new ScenarioError(`${at}.targetGroup: no target group "${lb.targetGroup}" in targetGroups`);
      }
    });
  });
  (s.actions ?? []).forEach((action, i) => {
    const kinds = ['deleteService', 'updateService', 'stopTask'].filter((k) => k in action);
    if (kinds.length !== 1)
      throw new ScenarioError(
        `actions[${i}]: expected exactly one of deleteService, updateService, stopTask`,
      );
  });
  const checkStop = (image: ImageBehaviourFields, at: string): void => {
    if (image.stopCode !== undefined && image.stopAfterSeconds === undefined)
      throw new ScenarioError(`${at}.stopAfterSeconds: is required with stopCode`);
    if (image.stopAfterSeconds !== undefined && image.stopCode === undefined)
      throw new ScenarioError(`${at}.stopCode: is required with stopAfterSeconds`);
  };
  (s.images ?? []).forEach((image, i) => checkStop(image, `images[${i}]`));
  if (s.defaultImage) checkStop(s.defaultImage, 'defaultImage');
  const alarmNames = new Set<string>();
  (s.cloudWatchAlarms ?? []).forEach((alarm, i) => {
    if (alarmNames.has(alarm.name))
      throw new ScenarioError(`cloudWatchAlarms[${i}].name: "${alarm.name}" is defined twice`);
    alarmNames.add(alarm.name);
    (alarm.states ?? []).forEach((change, j) => {
      const at = `cloudWatchAlarms[${i}].states[${j}]`;
      if ((change.atSeconds === undefined) === (change.afterDeploymentSeconds === undefined))
        throw new ScenarioError(`${at}: expected exactly one of atSeconds, afterDeploymentSeconds`);
      if (change.image !== undefined && change.afterDeploymentSeconds === undefined)
        throw new ScenarioError(`${at}.image: only with afterDeploymentSeconds`);
    });
  });
  (s.faults ?? []).forEach((fault, i) => {
    if (
      fault.rate === undefined &&
      fault.calls === undefined &&
      fault.fromSeconds === undefined &&
      fault.untilSeconds === undefined
    ) {
      throw new ScenarioError(`faults[${i}]: needs rate, calls, or a fromSeconds/untilSeconds window`);
    }
  });
}

// A small JSON Schema interpreter for the keywords scenario.schema.json uses, so the schema in the repo is the
// one source of truth and every message names the path of the bad field.
function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
  if (!node || typeof node !== 'object') throw new Error(`unresolved $ref ${ref}`);
  return node as Schema;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const join = (at: string, key: string): string => (at === '' ? key : `${at}.${key}`);
const label = (at: string): string => (at === '' ? '(scenario)' : at);

function checkSchema(value: unknown, schemaIn: Schema, root: Schema, at: string): string | undefined {
  const schema = typeof schemaIn.$ref === 'string' ? resolveRef(root, schemaIn.$ref) : schemaIn;
  if (Array.isArray(schema.anyOf)) {
    const problems = (schema.anyOf as Schema[]).map((option) => checkSchema(value, option, root, at));
    if (problems.some((p) => p === undefined)) return undefined;
    // Report the branch whose type matched (the deeper problem), else list the accepted types.
    const typed = (schema.anyOf as Schema[]).findIndex((option) =>
      typeMatches(value, resolveSchema(option, root).type),
    );
    if (typed >= 0) return problems[typed];
    const types = (schema.anyOf as Schema[]).map((o) => String(resolveSchema(o, root).type ?? 'value'));
    return `${label(at)}: expected ${types.map(article).join(' or ')}`;
  }
  if (schema.type !== undefined && !typeMatches(value, schema.type)) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    return `${label(at)}: expected ${types.map(article).join(' or ')}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    return `${label(at)}: expected one of ${(schema.enum as unknown[]).join(', ')} (got ${JSON.stringify(value)})`;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      return `${label(at)}: must be >= ${schema.minimum} (got ${value})`;
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      return `${label(at)}: must be <= ${schema.maximum} (got ${value})`;
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) {
      return `${label(at)}: must be > ${schema.exclusiveMinimum} (got ${value})`;
    }
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      return `${label(at)}: must not be empty`;
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) {
      return `${label(at)}: ${JSON.stringify(value)} does not match ${schema.pattern}`;
    }
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value)))
      return `${label(at)}: expected an ISO 8601 date-time (got ${JSON.stringify(value)})`;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      return `${label(at)}: expected at least ${schema.minItems} item(s)`;
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        const problem = checkSchema(value[i], schema.items as Schema, root, `${at}[${i}]`);
        if (problem) return problem;
      }
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (object[key] === undefined) return `${join(at, key)}: is required`;
    }
    for (const [key, child] of Object.entries(object)) {
      const childSchema = properties[key];
      if (childSchema) {
        const problem = checkSchema(child, childSchema, root, join(at, key));
        if (problem) return problem;
      } else if (schema.additionalProperties === false) {
        const known = Object.keys(properties).join(', ');
        return `${join(at, key)}: unknown field (expected one of ${known})`;
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        const problem = checkSchema(child, schema.additionalProperties as Schema, root, join(at, key));
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

function resolveSchema(schema: Schema, root: Schema): Schema {
  return typeof schema.$ref === 'string' ? resolveRef(root, schema.$ref) : schema;
}

function typeMatches(value: unknown, type: unknown): boolean {
  if (type === undefined) return true;
  const actual = typeOf(value);
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

/** Whether an image matches a behaviour's `match`: exactly, or as a glob (`*` any characters, `?` one). */
export function imageMatches(pattern: string, image: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === image;
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(image);
}
