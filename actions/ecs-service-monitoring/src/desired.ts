// What the action wants for one service: the four alarms, the dashboard, and the stopped-task pipeline behind the
// restart alarm. Pure: the validated inputs and the discovered service in, plain data out.
//
// Metrics (see README "Design" for the sources):
// - running tasks: ECS/ContainerInsights DesiredTaskCount − RunningTaskCount (ClusterName, ServiceName);
// - restarts: Hokusai/ECS StoppedTasks (ClusterArn, Group), published by a CloudWatch Logs metric filter on the
//   log group an EventBridge rule on "ECS Task State Change" (lastStatus STOPPED, abnormal stops only) writes to;
// - latency: AWS/ApplicationELB TargetResponseTime p95 (LoadBalancer, TargetGroup);
// - 5xx rate: 100 × (HTTPCode_Target_5XX_Count + HTTPCode_ELB_5XX_Count) / RequestCount, each FILL(m, 0).
import { ConfigurationError } from '@hokusai/action-kit';
import { buildDashboard } from './dashboard.js';
import type { Inputs } from './inputs.js';
import type {
  AlarmDefinition,
  AlarmSpec,
  DesiredState,
  Dimension,
  RestartPipelineSpec,
  ServiceContext,
} from './model.js';
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
  alarmName,
  ownershipTags,
  stoppedTaskLogGroupName,
  stoppedTaskRuleName,
  type AlarmKind,
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

/** Whole minutes for people: `1m`, `5m`, `2h`, `90m`. */
export function minutes(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds / 60}m`;
}

/** Alarm names are at most 255 characters. */
function checkedAlarmName(prefix: string, kind: AlarmKind): string {
  const name = alarmName(prefix, kind);
  if (name.length > 255) {
    throw new ConfigurationError(
      `alarm name "${name.slice(0, 60)}..." is longer than CloudWatch's 255 characters: set a shorter alarm-prefix`,
    );
  }
  return name;
}

function definition(
  name: string,
  description: string,
  settings: MonitoringSettings,
  fields: Omit<
    AlarmDefinition,
    | 'AlarmName'
    | 'AlarmDescription'
    | 'ActionsEnabled'
    | 'AlarmActions'
    | 'OKActions'
    | 'InsufficientDataActions'
  >,
): AlarmDefinition {
  return {
    AlarmName: name,
    AlarmDescription: `${description} ${MANAGED}`,
    ActionsEnabled: true,
    AlarmActions: [...settings['alarm-actions']],
    OKActions: [...settings['ok-actions']],
    InsufficientDataActions: [],
    ...fields,
  };
}

function metric(
  id: string,
  namespace: string,
  name: string,
  dimensions: Dimension[],
  period: number,
  stat: string,
) {
  return {
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: name, Dimensions: dimensions },
      Period: period,
      Stat: stat,
    },
  };
}

export function serviceDimensions(context: ServiceContext): Dimension[] {
  return [
    { Name: 'ClusterName', Value: context.clusterName },
    { Name: 'ServiceName', Value: context.serviceName },
  ];
}

export function stoppedTaskDimensions(context: ServiceContext): Dimension[] {
  return [
    { Name: 'ClusterArn', Value: context.clusterArn },
    { Name: 'Group', Value: `service:${context.serviceName}` },
  ];
}

function albDimensions(lb: NonNullable<ServiceContext['loadBalancer']>, withTargetGroup = true): Dimension[] {
  return [
    { Name: 'LoadBalancer', Value: lb.loadBalancer },
    ...(withTargetGroup ? [{ Name: 'TargetGroup', Value: lb.targetGroup }] : []),
  ];
}

function alarmSpecs(settings: MonitoringSettings, context: ServiceContext, prefix: string): AlarmSpec[] {
  const period = settings.period;
  const periods = settings['evaluation-periods'];
  const over = `for ${periods} consecutive ${minutes(period)} period${periods === 1 ? '' : 's'}`;
  const tags = { ...settings.tags, ...ownershipTags(context.clusterName, context.serviceName) };
  const who = `ECS service ${context.serviceName} (cluster ${context.clusterName})`;
  const specs: AlarmSpec[] = [];

  const runningName = checkedAlarmName(prefix, 'running-tasks');
  specs.push({
    kind: 'running-tasks',
    judgesDeployments: false,
    tags,
    metricText: 'ECS/ContainerInsights DesiredTaskCount − RunningTaskCount (ClusterName, ServiceName)',
    statisticText: `Average per ${minutes(period)}`,
    thresholdText: `> 0 tasks missing ${over}`,
    definition: definition(runningName, `Fewer tasks of ${who} run than it wants, ${over}.`, settings, {
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: periods,
      DatapointsToAlarm: periods,
      // No data means Container Insights is not reporting: keep the last state rather than guess.
      TreatMissingData: 'missing',
      Metrics: [
        metric(
          'running',
          'ECS/ContainerInsights',
          'RunningTaskCount',
          serviceDimensions(context),
          period,
          'Average',
        ),
        metric(
          'desired',
          'ECS/ContainerInsights',
          'DesiredTaskCount',
          serviceDimensions(context),
          period,
          'Average',
        ),
        { Id: 'missing', Expression: 'desired - running', Label: 'tasks missing', ReturnData: true },
      ],
    }),
  });

  const window = settings['restart-window'];
  const restarts = settings['restart-threshold'];
  specs.push({
    kind: 'restarts',
    judgesDeployments: true,
    tags,
    metricText: `${STOPPED_TASKS_NAMESPACE} ${STOPPED_TASKS_METRIC} (ClusterArn, Group), from the EventBridge rule ${stoppedTaskRuleName(context.clusterName, context.serviceName)}`,
    statisticText: `Sum per ${minutes(window)}`,
    thresholdText: `≥ ${restarts} stopped task${restarts === 1 ? '' : 's'} in ${minutes(window)}`,
    definition: definition(
      checkedAlarmName(prefix, 'restarts'),
      `${restarts} or more tasks of ${who} stopped abnormally (crashed, failed to start or failed health checks) within ${minutes(window)}: a restart loop.`,
      settings,
      {
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: restarts,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        // The metric filter publishes only when a task stops: no data is no stop.
        TreatMissingData: 'notBreaching',
        Namespace: STOPPED_TASKS_NAMESPACE,
        MetricName: STOPPED_TASKS_METRIC,
        Dimensions: stoppedTaskDimensions(context),
        Statistic: 'Sum',
        Period: window,
      },
    ),
  });

  const lb = context.loadBalancer;
  if (lb) {
    const latency = settings['latency-threshold'];
    specs.push({
      kind: 'latency',
      judgesDeployments: true,
      tags,
      metricText: 'AWS/ApplicationELB TargetResponseTime (LoadBalancer, TargetGroup)',
      statisticText: `p95 per ${minutes(period)}`,
      thresholdText: `> ${latency}s ${over}`,
      definition: definition(
        checkedAlarmName(prefix, 'latency'),
        `The p95 response time of ${who} is over ${latency}s ${over}.`,
        settings,
        {
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: latency,
          EvaluationPeriods: periods,
          DatapointsToAlarm: periods,
          // ALB publishes TargetResponseTime only while requests flow: no requests is not slow.
          TreatMissingData: 'notBreaching',
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'TargetResponseTime',
          Dimensions: albDimensions(lb),
          ExtendedStatistic: 'p95',
          Period: period,
        },
      ),
    });
    const rate = settings['error-rate-threshold'];
    specs.push({
      kind: 'error-rate',
      judgesDeployments: true,
      tags,
      metricText:
        '100 × (HTTPCode_Target_5XX_Count + HTTPCode_ELB_5XX_Count) / RequestCount, AWS/ApplicationELB, each FILL(m, 0)',
      statisticText: `Sum per ${minutes(period)}`,
      thresholdText: `> ${rate}% ${over}`,
      definition: definition(
        checkedAlarmName(prefix, 'error-rate'),
        `More than ${rate}% of the requests to ${who} got a 5xx (from the targets or the load balancer) ${over}.`,
        settings,
        {
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: rate,
          EvaluationPeriods: periods,
          DatapointsToAlarm: periods,
          TreatMissingData: 'notBreaching',
          Metrics: [
            metric('requests', 'AWS/ApplicationELB', 'RequestCount', albDimensions(lb), period, 'Sum'),
            metric(
              'target5xx',
              'AWS/ApplicationELB',
              'HTTPCode_Target_5XX_Count',
              albDimensions(lb),
              period,
              'Sum',
            ),
            // ELB-generated 5xx are published per load balancer only.
            metric(
              'elb5xx',
              'AWS/ApplicationELB',
              'HTTPCode_ELB_5XX_Count',
              albDimensions(lb, false),
              period,
              'Sum',
            ),
            {
              Id: 'errors',
              Expression: 'FILL(target5xx, 0) + FILL(elb5xx, 0)',
              Label: '5xx responses',
              ReturnData: false,
            },
            { Id: 'served', Expression: 'FILL(requests, 0)', Label: 'requests', ReturnData: false },
            // RequestCount counts only requests a target was chosen for: a 503 with no healthy target is an error
            // without a request. MAX keeps the rate at most 100 % and defined whenever there is any error.
            {
              Id: 'rate',
              Expression: '100 * errors / MAX([served, errors])',
              Label: '5xx %',
              ReturnData: true,
            },
          ],
        },
      ),
    });
  }
  return specs;
}

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
