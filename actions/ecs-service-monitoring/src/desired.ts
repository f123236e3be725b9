// What the action wants for one service: the alarms (alarms.ts), the dashboard (dashboard.ts), the stopped-task
// pipeline behind the restart alarm, and which alarms judge deployments. Pure: the validated inputs and the
// discovered service in, plain data out. The pipeline: an EventBridge rule on "ECS Task State Change" (lastStatus
// STOPPED, abnormal stops only) → a CloudWatch Logs log group → a metric filter → Hokusai/ECS StoppedTasks.
import { ConfigurationError } from '@hokusai/action-kit';
import { buildDashboard } from './dashboard.js';
import type { Inputs } from './inputs.js';
import { alarmSpecs } from './alarms.js';
import type { DesiredState, RestartPipelineSpec, ServiceContext } from './model.js';
import {
  ALARM_PREFIX_KEY,
  DASHBOARD_KEY,
  LOG_GROUP_ROOT,
  LOG_RETENTION_DAYS,
  METRIC_FILTER_NAME,
  NO_DASHBOARD,
  RESOURCE_POLICY_NAME,
  RULE_TARGET_ID,
  STOPPED_TASKS_METRIC,
  STOPPED_TASKS_NAMESPACE,
  ownershipTags,
  stoppedTaskLogGroupName,
  stoppedTaskRuleName,
} from './names.js';

/** The settings desiredState() reads (a subset of Inputs, so tests can pass plain data). */
export type MonitoringSettings = Pick<
  Inputs,
  | 'latency-threshold'
  | 'error-rate-threshold'
  | 'restart-threshold'
  | 'restart-window'
  | 'period'
  | 'evaluation-periods'
  | 'alarm-actions'
  | 'ok-actions'
  | 'alarm-prefix'
  | 'dashboard'
  | 'dashboard-name'
  | 'deployment-alarms'
  | 'enable-container-insights'
  | 'tags'
>;

/** Stopped tasks that are the revision's fault: a crashed essential container, a start failure, failed health checks. */
export const ABNORMAL_STOP_CODES = ['EssentialContainerExited', 'TaskFailedToStart'];
export const HEALTH_CHECK_STOP_REASONS = [
  'Task failed ELB health checks',
  'Task failed container health checks',
];

const MANAGED = 'Managed by hokusai ecs-service-monitoring.';

/** EventBridge pattern for the service's abnormally stopped tasks (ECS task state change events reference). */
export function stoppedTaskEventPattern(context: ServiceContext): string {
  return JSON.stringify({
    source: ['aws.ecs'],
    'detail-type': ['ECS Task State Change'],
    detail: {
      clusterArn: [context.clusterArn],
      group: [`service:${context.serviceName}`],
      lastStatus: ['STOPPED'],
      $or: [
        { stopCode: ABNORMAL_STOP_CODES },
        { stoppedReason: HEALTH_CHECK_STOP_REASONS.map((prefix) => ({ prefix })) },
      ],
    },
  });
}

function restartPipeline(
  settings: MonitoringSettings,
  context: ServiceContext,
  anchorTags: Record<string, string>,
): RestartPipelineSpec {
  const { partition, region, account, clusterName, serviceName } = context;
  const logGroupName = stoppedTaskLogGroupName(clusterName, serviceName);
  const logGroupArn = `arn:${partition}:logs:${region}:${account}:log-group:${logGroupName}`;
  const ruleName = stoppedTaskRuleName(clusterName, serviceName);
  const tags = { ...settings.tags, ...ownershipTags(clusterName, serviceName) };
  return {
    // EventBridge writes to CloudWatch Logs only with a resource policy that lets it (EventBridge user guide,
    // "CloudWatch Logs permissions"); one policy covers every log group under LOG_GROUP_ROOT.
    resourcePolicy: {
      name: RESOURCE_POLICY_NAME,
      document: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'HokusaiStoppedTaskEvents',
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `arn:${partition}:logs:${region}:${account}:log-group:${LOG_GROUP_ROOT}/*:*`,
          },
        ],
      }),
    },
    logGroup: {
      name: logGroupName,
      arn: logGroupArn,
      retentionDays: LOG_RETENTION_DAYS,
      tags: { ...tags, ...anchorTags },
    },
    metricFilter: {
      logGroupName,
      filterName: METRIC_FILTER_NAME,
      filterPattern: '{ $.detail.lastStatus = "STOPPED" }',
      metricTransformations: [
        {
          metricName: STOPPED_TASKS_METRIC,
          metricNamespace: STOPPED_TASKS_NAMESPACE,
          metricValue: '1',
          unit: 'Count',
          dimensions: { ClusterArn: '$.detail.clusterArn', Group: '$.detail.group' },
        },
      ],
    },
    rule: {
      name: ruleName,
      arn: `arn:${partition}:events:${region}:${account}:rule/${ruleName}`,
      eventPattern: stoppedTaskEventPattern(context),
      description:
        `Abnormally stopped tasks of ECS service ${serviceName} in cluster ${clusterName}, for its restart alarm. ${MANAGED}`.slice(
          0,
          512,
        ),
      tags,
    },
    target: { id: RULE_TARGET_ID, arn: logGroupArn },
  };
}

export function resolvedPrefix(
  settings: Pick<MonitoringSettings, 'alarm-prefix'>,
  context: ServiceContext,
): string {
  return settings['alarm-prefix'] || context.serviceName;
}

export function resolvedDashboardName(
  settings: Pick<MonitoringSettings, 'dashboard-name'>,
  context: ServiceContext,
): string {
  const name = settings['dashboard-name'] || `${context.clusterName}-${context.serviceName}`;
  if (name.length > 255) {
    throw new ConfigurationError(
      `the dashboard name "${name.slice(0, 60)}..." is longer than CloudWatch's 255 characters: set dashboard-name`,
    );
  }
  return name;
}

export function desiredState(settings: MonitoringSettings, context: ServiceContext): DesiredState {
  const prefix = resolvedPrefix(settings, context);
  const dashboardName = resolvedDashboardName(settings, context);
  const alarms = alarmSpecs(settings, context, prefix);
  const anchorTags = {
    [ALARM_PREFIX_KEY]: prefix,
    [DASHBOARD_KEY]: settings.dashboard ? dashboardName : NO_DASHBOARD,
  };
  const pipeline = restartPipeline(settings, context, anchorTags);
  const deploymentAlarmsSupported = context.deploymentController === 'ECS';
  return {
    cluster: context.clusterName,
    service: context.serviceName,
    prefix,
    alarms,
    dashboardName,
    ...(settings.dashboard
      ? {
          dashboard: buildDashboard({
            name: dashboardName,
            context,
            alarms,
            period: settings.period,
            logGroupName: pipeline.logGroup.name,
          }),
        }
      : {}),
    restartPipeline: pipeline,
    ...(deploymentAlarmsSupported
      ? {
          deploymentAlarmNames: settings['deployment-alarms']
            ? alarms.filter((a) => a.judgesDeployments).map((a) => a.definition.AlarmName)
            : [],
        }
      : {}),
    enableContainerInsights: settings['enable-container-insights'],
    anchorTags,
  };
}
