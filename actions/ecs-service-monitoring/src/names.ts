// The names and ownership tags of everything the action keeps for one service. Pure: every name is derived from
// the cluster, the service, the alarm prefix and the dashboard name, so a re-run finds what an earlier run made.
import { createHash } from 'node:crypto';
import { consoleOrigin } from '@hokusai/aws-kit';

/** The kinds of alarm the action keeps, in the order they are listed everywhere. */
export const ALARM_KINDS = ['running-tasks', 'restarts', 'latency', 'error-rate'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** Alarms that judge a deployment (attached to deploymentConfiguration.alarms). */
export const DEPLOYMENT_ALARM_KINDS: readonly AlarmKind[] = ['restarts', 'latency', 'error-rate'];

/** Alarms that need an Application Load Balancer target group. */
export const ALB_ALARM_KINDS: readonly AlarmKind[] = ['latency', 'error-rate'];

const ALARM_SUFFIX: Record<AlarmKind, string> = {
  'running-tasks': 'running-tasks',
  restarts: 'restarts',
  latency: 'latency-p95',
  'error-rate': '5xx-rate',
};

export function alarmName(prefix: string, kind: AlarmKind): string {
  return `${prefix}-${ALARM_SUFFIX[kind]}`;
}

export function alarmNames(prefix: string): string[] {
  return ALARM_KINDS.map((kind) => alarmName(prefix, kind));
}

/** Tag keys and values that mark a resource as this action's, for this service. */
export const MANAGED_BY_KEY = 'hokusai:managed-by';
export const MANAGED_BY = 'ecs-service-monitoring';
export const SERVICE_KEY = 'hokusai:service';
/** On the log group (the per-service anchor): the alarm prefix and dashboard the last run kept. */
export const ALARM_PREFIX_KEY = 'hokusai:alarm-prefix';
export const DASHBOARD_KEY = 'hokusai:dashboard';
/** DASHBOARD_KEY's value when the last run kept no dashboard. */
export const NO_DASHBOARD = '-';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

/** `<cluster>/<service>`, or a hash of it when that is longer than a tag value may be (256). */
export function serviceTagValue(cluster: string, service: string): string {
  const value = `${cluster}/${service}`;
  return value.length <= 256 ? value : `sha256:${shortHash(value)}`;
}

export function ownershipTags(cluster: string, service: string): Record<string, string> {
  return { [MANAGED_BY_KEY]: MANAGED_BY, [SERVICE_KEY]: serviceTagValue(cluster, service) };
}

/** Whose a resource is, judged from its tags. */
export type Ownership = 'ours' | 'other-service' | 'not-managed';

export function ownershipOf(tags: Record<string, string>, cluster: string, service: string): Ownership {
  if (tags[MANAGED_BY_KEY] !== MANAGED_BY) return 'not-managed';
  return tags[SERVICE_KEY] === serviceTagValue(cluster, service) ? 'ours' : 'other-service';
}

/** EventBridge rule names: at most 64 of [.-_A-Za-z0-9]; a long cluster/service pair is shortened with a hash. */
export function stoppedTaskRuleName(cluster: string, service: string): string {
  const full = `hokusai-stopped-tasks-${cluster}-${service}`;
  if (full.length <= 64) return full;
  return `${full.slice(0, 64 - 11)}-${shortHash(`${cluster}/${service}`)}`;
}

/** Log groups the EventBridge target writes to live under this prefix (covered by the resource policy). */
export const LOG_GROUP_ROOT = '/aws/events/hokusai';

export function stoppedTaskLogGroupName(cluster: string, service: string): string {
  return `${LOG_GROUP_ROOT}/${cluster}/${service}/stopped-tasks`;
}

export const METRIC_FILTER_NAME = 'hokusai-stopped-tasks';
export const RULE_TARGET_ID = 'hokusai-stopped-task-log';
export const RESOURCE_POLICY_NAME = 'hokusai-ecs-service-monitoring';
export const LOG_RETENTION_DAYS = 30;

/** The custom metric the metric filter publishes: one count per abnormally stopped task. */
export const STOPPED_TASKS_NAMESPACE = 'Hokusai/ECS';
export const STOPPED_TASKS_METRIC = 'StoppedTasks';

/** The marker line in the dashboard's header widget that says whose dashboard it is. */
export function dashboardMarker(cluster: string, service: string): string {
  return `${MANAGED_BY_KEY}=${MANAGED_BY} ${SERVICE_KEY}=${serviceTagValue(cluster, service)}`;
}

/** `arn:<partition>:<service>:<region>:<account>:…` parts of an ARN. */
export interface ArnParts {
  partition: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): ArnParts | undefined {
  const match = /^arn:([a-z-]+):[a-z0-9-]+:([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  if (!match) return undefined;
  return { partition: match[1]!, region: match[2]!, account: match[3]!, resource: match[4]! };
}

/**
 * The name in an ARN (or the name itself): the last path segment of an ECS ARN (`…:service/prod/hokusai-api`), the
 * name of an ELB target group or load balancer, whose ARNs end in an id (`…:targetgroup/<name>/<id>`,
 * `…:loadbalancer/app/<name>/<id>`: Elastic Load Balancing API reference, TargetGroupArn / LoadBalancerArn).
 */
export function nameOf(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const elb = /:(?:targetgroup|loadbalancer\/(?:app|net|gwy))\/([^/]+)\/[^/]+$/.exec(nameOrArn);
  if (elb) return elb[1]!;
  return nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
}

export function alarmArn(where: Pick<ArnParts, 'partition' | 'region' | 'account'>, name: string): string {
  return `arn:${where.partition}:cloudwatch:${where.region}:${where.account}:alarm:${name}`;
}

/** The CloudWatch console's address for a partition and region (aws-kit consoleOrigin). */
export function consoleBase(partition: string, region: string): string {
  return `${consoleOrigin(region, partition)}/cloudwatch/home?region=${region}`;
}

export function alarmConsoleUrl(partition: string, region: string, name: string): string {
  return `${consoleBase(partition, region)}#alarmsV2:alarm/${encodeURIComponent(name)}`;
}

export function dashboardConsoleUrl(partition: string, region: string, name: string): string {
  return `${consoleBase(partition, region)}#dashboards/dashboard/${encodeURIComponent(name)}`;
}
