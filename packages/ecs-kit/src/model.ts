// The ECS rollout as plain data: what the adapters return and what the verdict reads. Times are epoch milliseconds.

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface DeploymentInfo {
  id: string;
  /** PRIMARY (the newest), ACTIVE (older ones still running tasks) or INACTIVE. */
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  /** IN_PROGRESS, COMPLETED or FAILED; absent on services that do not report it. */
  rolloutState?: string;
  rolloutStateReason?: string;
  createdAt?: number;
  updatedAt?: number;
}

export interface LoadBalancerInfo {
  targetGroupArn?: string;
  containerName?: string;
  containerPort?: number;
}

export interface ServiceInfo {
  arn: string;
  name: string;
  clusterArn: string;
  /** ACTIVE, DRAINING or INACTIVE (deleted). */
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  deployments: DeploymentInfo[];
  /** Newest first, as ECS returns them. */
  events: ServiceEvent[];
  loadBalancers: LoadBalancerInfo[];
  circuitBreaker?: CircuitBreakerInfo;
  /** deploymentController.type: ECS (default), CODE_DEPLOY or EXTERNAL. */
  deploymentController?: string;
  /** deploymentConfiguration.strategy: ROLLING (default), BLUE_GREEN, LINEAR or CANARY (ECS-native). */
  deploymentStrategy?: string;
  /** deploymentConfiguration.alarms: the CloudWatch alarms ECS itself watches during a deployment. */
  deploymentAlarms?: DeploymentAlarmsInfo;
}

/**
 * deploymentConfiguration.alarms, as DescribeServices returns it: with `enable`, an alarm going into ALARM during a
 * deployment fails it (`deployment failed: alarm detected.`), and with `rollback` ECS rolls it back.
 */
export interface DeploymentAlarmsInfo {
  alarmNames: string[];
  enable: boolean;
  rollback: boolean;
}

/** A CloudWatch alarm's state, as DescribeAlarms returns it (metric or composite alarm). */
export interface AlarmInfo {
  name: string;
  /** OK, ALARM or INSUFFICIENT_DATA. */
  state: string;
  /** StateReason: outside text (CloudWatch's words, or whoever called SetAlarmState). */
  reason: string;
  /**
   * When its state last changed, epoch ms on CloudWatch's clock (StateTransitionedTimestamp, else
   * StateUpdatedTimestamp); undefined when the endpoint returns neither.
   */
  transitionedAt?: number;
}

/** deploymentConfiguration.deploymentCircuitBreaker, as DescribeServices returns it. */
export interface CircuitBreakerInfo {
  enable: boolean;
  rollback: boolean;
  /** BOUNDED_PERCENT (default, value 50), UNBOUNDED_PERCENT or COUNT (since July 2026). */
  thresholdConfiguration?: { type?: string; value?: number };
  /** Default true: a healthy task resets the failure count. */
  resetOnHealthyTask?: boolean;
}

export interface ContainerInfo {
  name: string;
  lastStatus?: string;
  exitCode?: number;
  reason?: string;
  healthStatus?: string;
}

export interface TaskInfo {
  arn: string;
  /** The last part of the ARN, e.g. 3f2a9c0e…; the CloudWatch stream name ends with it. */
  id: string;
  taskDefinitionArn: string;
  /** ECS sets this to the deployment id (ecs-svc/…) for tasks a service starts. */
  startedBy?: string;
  lastStatus: string;
  desiredStatus: string;
  healthStatus?: string;
  stopCode?: string;
  stoppedReason?: string;
  createdAt?: number;
  startedAt?: number;
  /** When ECS began stopping it (DEACTIVATING: deregistering from its target groups). */
  stoppingAt?: number;
  stoppedAt?: number;
  containers: ContainerInfo[];
  /** Private IPv4 addresses of the task's network interfaces (awsvpc), to match ELB targets. */
  privateIps: string[];
}

export interface TargetHealthInfo {
  targetGroupArn: string;
  /** An IP address (awsvpc) or an instance id. */
  targetId: string;
  port?: number;
  /** initial, healthy, unhealthy, unused, draining, unavailable. */
  state: string;
  reason?: string;
  description?: string;
}

/** One poll of the rollout: the service, the tasks of the watched deployment (stopped ones too) and target health. */
export interface Observation {
  /** The watcher's clock when the poll finished. */
  at: number;
  /** Undefined when the service no longer exists (deleted mid-deploy). */
  service: ServiceInfo | undefined;
  /** Tasks of the watched deployment, running and stopped, as last described (may lag one poll behind). */
  tasks: TaskInfo[];
  /** Health of the targets in the service's target groups; undefined when not checked this poll. */
  targets?: TargetHealthInfo[];
  /** Old tasks draining from their target groups, when the watcher saw some. */
  drain?: { tasks: number; endsAt?: number };
  /** The watched CloudWatch alarms as last read (may lag a poll behind); undefined when none are watched. */
  alarms?: AlarmInfo[];
}

export function taskIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `family:revision` of a task definition ARN (or the text unchanged when it is not an ARN). */
export function taskDefinitionName(arnOrName: string): string {
  const slash = arnOrName.lastIndexOf('task-definition/');
  return slash === -1 ? arnOrName : arnOrName.slice(slash + 'task-definition/'.length);
}

export function shortTaskId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}
