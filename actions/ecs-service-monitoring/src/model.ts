// Plain-data shapes shared by the planner, the adapters and the summary: what the action wants (desired), what AWS
// has (current), and the service it watches. Field names follow the AWS APIs they map to.
import type { AlarmKind } from './names.js';

export interface Dimension {
  Name: string;
  Value: string;
}

/** One metric of a metric-math alarm (MetricDataQuery with MetricStat). */
export interface MetricStatQuery {
  Id: string;
  Label?: string;
  ReturnData: boolean;
  MetricStat: {
    Metric: { Namespace: string; MetricName: string; Dimensions: Dimension[] };
    Period: number;
    Stat: string;
  };
}

/** One expression of a metric-math alarm (MetricDataQuery with Expression). */
export interface ExpressionQuery {
  Id: string;
  Label?: string;
  ReturnData: boolean;
  Expression: string;
}

export type MetricQuery = MetricStatQuery | ExpressionQuery;

/**
 * The PutMetricAlarm fields the action sets, in a canonical form: DescribeAlarms' answer is mapped to the same
 * shape (alarmDefinitionFromDescribed) so the two compare field by field.
 */
export interface AlarmDefinition {
  AlarmName: string;
  AlarmDescription: string;
  ActionsEnabled: boolean;
  AlarmActions: string[];
  OKActions: string[];
  InsufficientDataActions: string[];
  ComparisonOperator: string;
  /** Seconds, percent or a count, as the metric reports it. */
  Threshold: number;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  TreatMissingData: string;
  // A single-metric alarm:
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  Statistic?: string;
  ExtendedStatistic?: string;
  /** Seconds. */
  Period?: number;
  // A metric-math alarm:
  Metrics?: MetricQuery[];
}

/** An alarm the action wants, with what the summary says about it. */
export interface AlarmSpec {
  kind: AlarmKind;
  definition: AlarmDefinition;
  /** Attached to the service's deployment configuration when deployment-alarms is on. */
  judgesDeployments: boolean;
  tags: Record<string, string>;
  /** For people: the metric, the statistic and the threshold. */
  metricText: string;
  statisticText: string;
  thresholdText: string;
}

export interface DashboardSpec {
  name: string;
  /** The DashboardBody JSON. */
  body: string;
  /** Widget titles, in layout order. */
  widgets: string[];
}

/** ECS deploymentConfiguration as DescribeServices returns it (kept whole: UpdateService gets it back). */
export interface DeploymentConfiguration {
  alarms?: { alarmNames?: string[]; enable?: boolean; rollback?: boolean };
  [field: string]: unknown;
}

export interface MetricFilterDefinition {
  filterName: string;
  filterPattern: string;
  metricTransformations: Array<{
    metricName: string;
    metricNamespace: string;
    metricValue: string;
    unit?: string;
    dimensions?: Record<string, string>;
  }>;
}

/** The EventBridge → CloudWatch Logs → metric filter chain that counts the service's abnormally stopped tasks. */
export interface RestartPipelineSpec {
  resourcePolicy: { name: string; document: string };
  logGroup: { name: string; arn: string; retentionDays: number; tags: Record<string, string> };
  metricFilter: MetricFilterDefinition & { logGroupName: string };
  rule: {
    name: string;
    arn: string;
    eventPattern: string;
    description: string;
    tags: Record<string, string>;
  };
  target: { id: string; arn: string };
}

/** The service and what was found out about it before anything is planned. */
export interface ServiceContext {
  region: string;
  partition: string;
  account: string;
  clusterName: string;
  clusterArn: string;
  serviceName: string;
  serviceArn: string;
  /** Container Insights is on (enabled or enhanced) for the cluster. */
  containerInsights: boolean;
  /** The ALB the latency and 5xx alarms watch; absent when the service has none (those alarms are skipped). */
  loadBalancer?: {
    /** The LoadBalancer dimension: `app/<name>/<id>`. */
    loadBalancer: string;
    /** The TargetGroup dimension: `targetgroup/<name>/<id>`. */
    targetGroup: string;
    targetGroupArn: string;
  };
  deploymentController: string;
  deploymentConfiguration: DeploymentConfiguration;
}

export interface DesiredState {
  cluster: string;
  service: string;
  prefix: string;
  alarms: AlarmSpec[];
  /** The dashboard's name (dashboard-name or <cluster>-<service>), also when dashboard is false. */
  dashboardName: string;
  /** Absent when dashboard is false. */
  dashboard?: DashboardSpec;
  restartPipeline: RestartPipelineSpec;
  /**
   * Our alarm names that belong in deploymentConfiguration.alarms; undefined = leave the deployment configuration
   * alone (the controller does not support deployment alarms).
   */
  deploymentAlarmNames?: string[];
  enableContainerInsights: boolean;
  /** The tags the log group carries so the next run knows the prefix and dashboard this run kept. */
  anchorTags: Record<string, string>;
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface CurrentAlarm {
  definition: AlarmDefinition;
  arn: string;
  tags: Record<string, string>;
  state: AlarmStateValue | string;
  /** CloudWatch's text: outside text, shown only escaped. */
  stateReason: string;
}

export interface CurrentState {
  /** By alarm name; only names the action looked for. */
  alarms: Record<string, CurrentAlarm>;
  /** Dashboard bodies by name; only names the action looked for. */
  dashboards: Record<string, string>;
  resourcePolicy?: { document: string };
  logGroup?: {
    arn: string;
    retentionDays?: number;
    tags: Record<string, string>;
    metricFilters: MetricFilterDefinition[];
  };
  rule?: {
    arn: string;
    eventPattern: string;
    description: string;
    state: string;
    tags: Record<string, string>;
    targets: Array<{ Id: string; Arn: string }>;
  };
  deploymentConfiguration: DeploymentConfiguration;
  containerInsights: boolean;
}
