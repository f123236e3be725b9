// The four alarms, one builder each. Pure. The metrics and why: README "Design".
// - running tasks: ECS/ContainerInsights DesiredTaskCount − RunningTaskCount (ClusterName, ServiceName);
// - restarts: Hokusai/ECS StoppedTasks (ClusterArn, Group) from the stopped-task pipeline;
// - latency: AWS/ApplicationELB TargetResponseTime p95 (LoadBalancer, TargetGroup);
// - 5xx rate: 100 × (HTTPCode_Target_5XX_Count + HTTPCode_ELB_5XX_Count) / RequestCount, each FILL(m, 0).
import { ConfigurationError } from '@hokusai/action-kit';
import type { Inputs } from './inputs.js';
import type { AlarmDefinition, AlarmSpec, Dimension, MetricStatQuery, ServiceContext } from './model.js';
import {
  STOPPED_TASKS_METRIC,
  STOPPED_TASKS_NAMESPACE,
  alarmName,
  ownershipTags,
  stoppedTaskRuleName,
  type AlarmKind,
} from './names.js';

/** The settings the alarms read (a subset of Inputs, so tests can pass plain data). */
export type AlarmSettings = Pick<
  Inputs,
  | 'latency-threshold'
  | 'error-rate-threshold'
  | 'restart-threshold'
  | 'restart-window'
  | 'period'
  | 'evaluation-periods'
  | 'alarm-actions'
  | 'ok-actions'
  | 'tags'
>;

const MANAGED = 'Managed by hokusai ecs-service-monitoring.';

/** Whole minutes for people: `1m`, `5m`, `2h`, `90m`. */
export function minutes(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds / 60}m`;
}

/** What every alarm builder gets. */
interface AlarmInput {
  settings: AlarmSettings;
  context: ServiceContext;
  prefix: string;
  tags: Record<string, string>;
  /** `ECS service <name> (cluster <name>)`. */
  who: string;
  /** `for 3 consecutive 1m periods`. */
  over: string;
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

type AlarmFields = Omit<
  AlarmDefinition,
  | 'AlarmName'
  | 'AlarmDescription'
  | 'ActionsEnabled'
  | 'AlarmActions'
  | 'OKActions'
  | 'InsufficientDataActions'
>;

function definition(
  input: AlarmInput,
  kind: AlarmKind,
  description: string,
  fields: AlarmFields,
): AlarmDefinition {
  return {
    AlarmName: checkedAlarmName(input.prefix, kind),
    AlarmDescription: `${description} ${MANAGED}`,
    ActionsEnabled: true,
    AlarmActions: [...input.settings['alarm-actions']],
    OKActions: [...input.settings['ok-actions']],
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
): MetricStatQuery {
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

function runningTasksAlarm(input: AlarmInput): AlarmSpec {
  const { settings, context, over } = input;
  const period = settings.period;
  const periods = settings['evaluation-periods'];
  const dims = serviceDimensions(context);
  return {
    kind: 'running-tasks',
    judgesDeployments: false,
    tags: input.tags,
    metricText: 'ECS/ContainerInsights DesiredTaskCount − RunningTaskCount (ClusterName, ServiceName)',
    statisticText: `Average per ${minutes(period)}`,
    thresholdText: `> 0 tasks missing ${over}`,
    definition: definition(
      input,
      'running-tasks',
      `Fewer tasks of ${input.who} run than it wants, ${over}.`,
      {
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: periods,
        DatapointsToAlarm: periods,
        // No data means Container Insights is not reporting: keep the last state rather than guess.
        TreatMissingData: 'missing',
        Metrics: [
          metric('running', 'ECS/ContainerInsights', 'RunningTaskCount', dims, period, 'Average'),
          metric('desired', 'ECS/ContainerInsights', 'DesiredTaskCount', dims, period, 'Average'),
          { Id: 'missing', Expression: 'desired - running', Label: 'tasks missing', ReturnData: true },
        ],
      },
    ),
  };
}

function restartsAlarm(input: AlarmInput): AlarmSpec {
  const { settings, context } = input;
  const window = settings['restart-window'];
  const restarts = settings['restart-threshold'];
  const rule = stoppedTaskRuleName(context.clusterName, context.serviceName);
  return {
    kind: 'restarts',
    judgesDeployments: true,
    tags: input.tags,
    metricText: `${STOPPED_TASKS_NAMESPACE} ${STOPPED_TASKS_METRIC} (ClusterArn, Group), from the EventBridge rule ${rule}`,
    statisticText: `Sum per ${minutes(window)}`,
    thresholdText: `≥ ${restarts} stopped task${restarts === 1 ? '' : 's'} in ${minutes(window)}`,
    definition: definition(
      input,
      'restarts',
      `${restarts} or more tasks of ${input.who} stopped abnormally (crashed, failed to start or failed health checks) within ${minutes(window)}: a restart loop.`,
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
  };
}

function latencyAlarm(input: AlarmInput, lb: NonNullable<ServiceContext['loadBalancer']>): AlarmSpec {
  const { settings, over } = input;
  const latency = settings['latency-threshold'];
  const periods = settings['evaluation-periods'];
  return {
    kind: 'latency',
    judgesDeployments: true,
    tags: input.tags,
    metricText: 'AWS/ApplicationELB TargetResponseTime (LoadBalancer, TargetGroup)',
    statisticText: `p95 per ${minutes(settings.period)}`,
    thresholdText: `> ${latency}s ${over}`,
    definition: definition(
      input,
      'latency',
      `The p95 response time of ${input.who} is over ${latency}s ${over}.`,
      {
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: latency,
        EvaluationPeriods: periods,
        DatapointsToAlarm: periods,
        // The ALB publishes TargetResponseTime only while requests flow: no requests is not slow.
        TreatMissingData: 'notBreaching',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'TargetResponseTime',
        Dimensions: albDimensions(lb),
        ExtendedStatistic: 'p95',
        Period: settings.period,
      },
    ),
  };
}

function errorRateAlarm(input: AlarmInput, lb: NonNullable<ServiceContext['loadBalancer']>): AlarmSpec {
  const { settings, over } = input;
  const rate = settings['error-rate-threshold'];
  const period = settings.period;
  const periods = settings['evaluation-periods'];
  const alb = 'AWS/ApplicationELB';
  return {
    kind: 'error-rate',
    judgesDeployments: true,
    tags: input.tags,
    metricText:
      '100 × (HTTPCode_Target_5XX_Count + HTTPCode_ELB_5XX_Count) / RequestCount, AWS/ApplicationELB, each FILL(m, 0)',
    statisticText: `Sum per ${minutes(period)}`,
    thresholdText: `> ${rate}% ${over}`,
    definition: definition(
      input,
      'error-rate',
      `More than ${rate}% of the requests to ${input.who} got a 5xx (from the targets or the load balancer) ${over}.`,
      {
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: rate,
        EvaluationPeriods: periods,
        DatapointsToAlarm: periods,
        TreatMissingData: 'notBreaching',
        Metrics: [
          metric('requests', alb, 'RequestCount', albDimensions(lb), period, 'Sum'),
          metric('target5xx', alb, 'HTTPCode_Target_5XX_Count', albDimensions(lb), period, 'Sum'),
          // ELB-generated 5xx are published per load balancer only.
          metric('elb5xx', alb, 'HTTPCode_ELB_5XX_Count', albDimensions(lb, false), period, 'Sum'),
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
  };
}

/** The alarms for the service: running tasks and restarts always, latency and 5xx rate when it has an ALB. */
export function alarmSpecs(settings: AlarmSettings, context: ServiceContext, prefix: string): AlarmSpec[] {
  const periods = settings['evaluation-periods'];
  const input: AlarmInput = {
    settings,
    context,
    prefix,
    tags: { ...settings.tags, ...ownershipTags(context.clusterName, context.serviceName) },
    who: `ECS service ${context.serviceName} (cluster ${context.clusterName})`,
    over: `for ${periods} consecutive ${minutes(settings.period)} period${periods === 1 ? '' : 's'}`,
  };
  const lb = context.loadBalancer;
  return [
    runningTasksAlarm(input),
    restartsAlarm(input),
    ...(lb ? [latencyAlarm(input, lb), errorRateAlarm(input, lb)] : []),
  ];
}
