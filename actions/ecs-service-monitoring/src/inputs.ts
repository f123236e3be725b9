// Reads and validates the action's inputs (names exactly as in action.yml). Every check is here, before the first
// AWS call: a bad value is one line naming the input and the (shortened) value.
import { ConfigurationError, createInputReader, parseDuration, type Environment } from '@hokusai/action-kit';
import { checkServiceInCluster, resolveRegion } from '@hokusai/aws-kit';

export interface Inputs {
  /** Cluster name or ARN, as given. */
  cluster: string;
  /** Service name or ARN, as given. */
  service: string;
  /** Target group name or ARN; '' = the service's own. */
  'target-group': string;
  /** Seconds (p95 TargetResponseTime is reported in seconds). */
  'latency-threshold': number;
  /** Percent, 0–100. */
  'error-rate-threshold': number;
  'restart-threshold': number;
  /** Seconds, a whole number of minutes. */
  'restart-window': number;
  /** Seconds, a whole number of minutes. */
  period: number;
  'evaluation-periods': number;
  'alarm-actions': string[];
  'ok-actions': string[];
  /** '' = the service name (resolved once the service is known). */
  'alarm-prefix': string;
  dashboard: boolean;
  /** '' = <cluster>-<service> (resolved once the service is known). */
  'dashboard-name': string;
  'deployment-alarms': boolean;
  'enable-container-insights': boolean;
  tags: Record<string, string>;
  'aws-region': string;
}

/** The ALB's idle timeout tops out at 4000 s, so a slower p95 cannot be observed (ELB attributes reference). */
export const MAX_LATENCY_SECONDS = 4000;
/** PutMetricAlarm: at most 5 actions per state. */
export const MAX_ACTIONS = 5;
/** PutMetricAlarm: Period × EvaluationPeriods at most one day when Period is under an hour, else seven days. */
const ONE_DAY = 86_400;
const SEVEN_DAYS = 604_800;

// Cluster and service may be given as names or ARNs (ECS names: letters, digits, - and _, up to 255).
const NAME_OR_ARN =
  /^(?:[A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(?:cluster|service)\/[A-Za-z0-9_/-]+)$/;
// ELBv2 target group: a name (up to 32 letters, digits and hyphens) or an ARN.
const TARGET_GROUP =
  /^(?:[A-Za-z0-9-]{1,32}|arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+)$/;
// SNS topic ARN: arn:<partition>:sns:<region>:<account>:<topic> (topic: up to 256 letters, digits, - and _, .fifo).
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
// Alarm names allow more, but the prefix also names files in links and the summary: keep it plain.
const ALARM_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
// PutDashboard: "up to 255 characters; valid characters are A-Z, a-z, 0-9, '-', and '_'".
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** A value as it appears in an error line: one line, at most 80 characters. */
export function shown(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function invalid(input: string, value: string, why: string): ConfigurationError {
  return new ConfigurationError(`invalid value "${shown(value)}" for input "${input}": ${why}`);
}

function nameOrArn(value: string, input: string): string {
  if (!NAME_OR_ARN.test(value)) throw invalid(input, value, 'a name of letters, digits, - and _, or an ARN');
  return value;
}

/** A duration in seconds that is a whole number of minutes within [minSeconds, maxSeconds]. */
function wholeMinutes(text: string, input: string, minSeconds: number, maxSeconds: number): number {
  if (text.startsWith('-')) throw invalid(input, text, 'must not be negative');
  const seconds = parseDuration(text, input) / 1000;
  if (seconds % 60 !== 0 || seconds < minSeconds || seconds > maxSeconds) {
    throw invalid(
      input,
      text,
      `must be a whole number of minutes from ${minSeconds / 60}m to ${maxSeconds / 3600}h`,
    );
  }
  return seconds;
}

/** p95 latency threshold in seconds: more than 0, at most the ALB's 4000 s. */
export function parseLatencyThreshold(text: string): number {
  const input = 'latency-threshold';
  if (text.startsWith('-')) throw invalid(input, text, 'must not be negative');
  const seconds = parseDuration(text, input) / 1000;
  if (!(seconds > 0) || seconds > MAX_LATENCY_SECONDS) {
    throw invalid(
      input,
      text,
      `must be more than 0s and at most ${MAX_LATENCY_SECONDS}s (the ALB's maximum)`,
    );
  }
  return seconds;
}

/**
 * A percentage with its % sign (`1%`, `0.5%`), 0 to 100. A bare number is refused: `1` would read as 1 % to some and
 * as 100 % (a fraction) to others.
 */
export function parseErrorRate(text: string): number {
  const input = 'error-rate-threshold';
  const match = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (!match) throw invalid(input, text, 'use a percentage such as 1% or 0.5%');
  const percent = Number(match[1]);
  if (percent < 0) throw invalid(input, text, 'must not be negative');
  if (percent > 100) throw invalid(input, text, 'a rate cannot be over 100%');
  return percent;
}

function snsTopics(lines: string[], input: string): string[] {
  for (const arn of lines) {
    if (!SNS_TOPIC_ARN.test(arn)) {
      throw invalid(input, arn, 'not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)');
    }
  }
  if (lines.length > MAX_ACTIONS) {
    throw new ConfigurationError(
      `input "${input}" lists ${lines.length} topics; CloudWatch allows at most ${MAX_ACTIONS} per alarm state`,
    );
  }
  return [...new Set(lines)];
}

/** Tag keys this action sets itself; a user tag may not overwrite them. */
export const RESERVED_TAG_KEYS = [
  'hokusai:managed-by',
  'hokusai:service',
  'hokusai:alarm-prefix',
  'hokusai:dashboard',
];

// AWS tag rules (CloudWatch, EventBridge, CloudWatch Logs): letters, digits, spaces and _ . : / = + - @; keys 1–128
// characters, values up to 256.
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function tags(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq === -1 ? line : line.slice(0, eq).trim();
    const value = eq === -1 ? '' : line.slice(eq + 1).trim();
    if (eq === -1 || key === '' || key.length > 128 || !TAG_TEXT.test(key)) {
      throw invalid(
        'tags',
        line,
        'use KEY=VALUE lines; keys are 1-128 letters, digits, spaces and _ . : / = + - @',
      );
    }
    if (key.toLowerCase().startsWith('aws:') || RESERVED_TAG_KEYS.includes(key)) {
      throw invalid(
        'tags',
        key,
        'keys starting with aws: and the hokusai: keys this action sets are reserved',
      );
    }
    if (value.length > 256 || !TAG_TEXT.test(value)) {
      throw invalid('tags', line, 'tag values are at most 256 letters, digits, spaces and _ . : / = + - @');
    }
    result[key] = value;
  }
  return result;
}

export function getInputs(env: Environment): Inputs {
  const input = createInputReader(env);
  const cluster = nameOrArn(input.required('cluster'), 'cluster');
  const service = nameOrArn(input.required('service'), 'service');
  checkServiceInCluster(cluster, service);
  const targetGroup = input.string('target-group');
  if (targetGroup !== '' && !TARGET_GROUP.test(targetGroup)) {
    throw invalid(
      'target-group',
      targetGroup,
      'a target group name (up to 32 letters, digits and -) or its ARN',
    );
  }
  const latency = parseLatencyThreshold(input.string('latency-threshold') || '5s');
  const errorRate = parseErrorRate(input.string('error-rate-threshold') || '1%');
  const restartText = input.string('restart-threshold');
  if (restartText.startsWith('-')) throw invalid('restart-threshold', restartText, 'must not be negative');
  const restartThreshold = input.integer('restart-threshold', 3, { min: 1, max: 10_000 });
  const restartWindow = wholeMinutes(input.string('restart-window') || '5m', 'restart-window', 60, ONE_DAY);
  const period = wholeMinutes(input.string('period') || '1m', 'period', 60, ONE_DAY);
  const evaluationText = input.string('evaluation-periods');
  if (evaluationText.startsWith('-'))
    throw invalid('evaluation-periods', evaluationText, 'must not be negative');
  const evaluationPeriods = input.integer('evaluation-periods', 3, { min: 1, max: 1440 });
  const longest = period < 3600 ? ONE_DAY : SEVEN_DAYS;
  if (period * evaluationPeriods > longest) {
    throw new ConfigurationError(
      `input "period" (${input.string('period') || '1m'}) times "evaluation-periods" (${evaluationPeriods}) is more than ${longest === ONE_DAY ? 'one day' : 'seven days'}, the longest CloudWatch evaluates`,
    );
  }
  const prefix = input.string('alarm-prefix');
  if (prefix !== '' && !ALARM_PREFIX.test(prefix)) {
    throw invalid(
      'alarm-prefix',
      prefix,
      'letters, digits, . _ / and -, starting with a letter or digit, at most 200',
    );
  }
  const dashboardName = input.string('dashboard-name');
  if (dashboardName !== '' && !DASHBOARD_NAME.test(dashboardName)) {
    throw invalid('dashboard-name', dashboardName, 'letters, digits, - and _, at most 255');
  }
  return {
    cluster,
    service,
    'target-group': targetGroup,
    'latency-threshold': latency,
    'error-rate-threshold': errorRate,
    'restart-threshold': restartThreshold,
    'restart-window': restartWindow,
    period,
    'evaluation-periods': evaluationPeriods,
    'alarm-actions': snsTopics(input.list('alarm-actions'), 'alarm-actions'),
    'ok-actions': snsTopics(input.list('ok-actions'), 'ok-actions'),
    'alarm-prefix': prefix,
    dashboard: input.boolean('dashboard', true),
    'dashboard-name': dashboardName,
    'deployment-alarms': input.boolean('deployment-alarms', true),
    'enable-container-insights': input.boolean('enable-container-insights', false),
    tags: tags(input.raw('tags')),
    'aws-region': resolveRegion(input.string('aws-region'), env),
  };
}
