// The simulation's state as plain records: clusters, task definitions, target groups, services, deployments,
// tasks, containers and log streams. The parts of the simulation (registry, tasks, health, scheduler) share them.
import type {
  DeploymentAlarms,
  DeploymentCircuitBreaker,
  DeploymentControllerType,
  DeploymentStrategy,
  ImageBehaviourFields,
  ScenarioContainerDefinition,
  Tags,
} from '../scenario.js';

export interface EmulatorEvent {
  /** ISO 8601, simulated time. */
  time: string;
  type: string;
  [field: string]: unknown;
}

export interface Cluster {
  arn: string;
  name: string;
  tags: Tags;
  createdAt: number;
}

export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  registeredAt: number;
  deregisteredAt?: number;
  /** Everything RegisterTaskDefinition was given, AWS-shaped. */
  body: Record<string, unknown>;
  containerDefinitions: ScenarioContainerDefinition[];
  tags: Tags;
}

export interface TargetGroup {
  arn: string;
  name: string;
  port: number;
  protocol: string;
  targetType: string;
  deregistrationDelaySeconds: number;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  targets: Map<string, Target>;
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining';

export interface Target {
  id: string;
  port: number;
  taskArn: string;
  state: TargetState;
  reason?: string;
  description?: string;
  passes: number;
  failures: number;
  registeredAt: number;
  /** When the target last turned unhealthy. */
  unhealthySince?: number;
}

export interface LoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
}

export type DeploymentStatus = 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  id: string;
  status: DeploymentStatus;
  taskDefinitionArn: string;
  desiredCount: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /**
   * Consecutive failed tasks, as AWS's Deployment.failedTasks: counted while the deployment is the PRIMARY one in
   * progress, reset to 0 when one of its tasks becomes healthy (the circuit breaker's resetOnHealthyTask default).
   */
  failedTasks: number;
  /** Every failed task of the deployment, never reset (for the event log and ListServiceDeployments). */
  totalFailedTasks: number;
  /** When its service deployment (ListServiceDeployments) finished: completed, stopped, or its rollback done. */
  finishedAt?: number;
  /**
   * On a deployment that failed and was rolled back: the deployment ECS put back to IN_PROGRESS (under its own id),
   * when and why. ListServiceDeployments shows the rollback as part of this (failed) service deployment.
   */
  rollback?: { toId: string; taskDefinitionArn: string; startedAt: number; reason: string };
  /** On the deployment being rolled back to, while the rollback is in progress: the failed deployment's id. */
  rollingBackFrom?: string;
  /** With deployment alarms: reached its steady state and bakes until then (epoch ms) before COMPLETED. */
  bakeUntil?: number;
  /** Its first tasks are launched no sooner than this (scenario deploymentLaunchDelaySeconds). */
  launchNotBefore?: number;
  /** The deployment alarm that failed it, if one did. */
  triggeredAlarm?: string;
  /** The service deployment (ListServiceDeployments) status. */
  history:
    | 'IN_PROGRESS'
    | 'SUCCESSFUL'
    | 'STOPPED'
    | 'ROLLBACK_IN_PROGRESS'
    | 'ROLLBACK_SUCCESSFUL'
    | 'ROLLBACK_FAILED';
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface Service {
  arn: string;
  name: string;
  cluster: Cluster;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinitionArn: string;
  deploymentConfiguration: {
    minimumHealthyPercent: number;
    maximumPercent: number;
    deploymentCircuitBreaker: DeploymentCircuitBreaker;
    alarms?: DeploymentAlarms;
    strategy?: DeploymentStrategy;
    bakeTimeInMinutes?: number;
  };
  deploymentController: { type: DeploymentControllerType };
  loadBalancers: LoadBalancer[];
  healthCheckGracePeriodSeconds?: number;
  launchType: string;
  networkConfiguration?: Record<string, unknown>;
  deployments: Deployment[];
  events: ServiceEvent[];
  createdAt: number;
  tags: Tags;
  /** The last deployment that COMPLETED: where the circuit breaker rolls back to. */
  lastCompleted?: { id: string; taskDefinitionArn: string };
  steady: boolean;
  /**
   * Tasks in a row that never reached RUNNING (ECS's service throttle logic counts only these): reset when a task
   * of the service reaches RUNNING and when a deployment brings a new task definition.
   */
  consecutiveStartFailures: number;
  /** The throttle event was given for the current run of start failures. */
  warnedUnableToStart: boolean;
  /** When the scheduler last launched (or tried to launch) a task: the throttle delay counts from here. */
  lastLaunchAt?: number;
  /** No launch attempt before this (after a failed launch, the scheduler tries again on a later cycle). */
  nextLaunchAt?: number;
  deletedAt?: number;
}

/** The Fargate task lifecycle (task-lifecycle docs). */
export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';

export interface Container {
  name: string;
  image: string;
  arn: string;
  runtimeId: string;
  essential: boolean;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  behaviour: Required<Pick<ImageBehaviourFields, 'startSeconds' | 'exitCode'>> & ImageBehaviourFields;
  log?: { group: string; stream: string };
  /** The container definition's healthCheck (seconds), if it has one. */
  healthCheck?: { interval: number; retries: number; startPeriod: number };
  healthStatus: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  healthFailures: number;
  /** The container definition's stopTimeout (seconds; default 30): SIGKILL after it. */
  stopTimeout?: number;
  portMappings: { containerPort?: number; hostPort?: number; protocol?: string }[];
}

export interface Task {
  arn: string;
  id: string;
  cluster: Cluster;
  service?: Service;
  deploymentId?: string;
  startedBy?: string;
  group: string;
  taskDefinition: TaskDefinition;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  connectivityAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  /** The installed SDK's TaskStopCode. */
  stopCode?:
    | 'TaskFailedToStart'
    | 'EssentialContainerExited'
    | 'UserInitiated'
    | 'ServiceSchedulerInitiated'
    | 'SpotInterruption'
    | 'TerminationNotice'
    | 'InfrastructureHealth';
  stoppedReason?: string;
  containers: Container[];
  ip: string;
  availabilityZone: string;
  /** Stopped because it failed (crash, failed to start, ELB health checks): counts toward failedTasks. */
  failed: boolean;
  /** Has been healthy once (its first time resets its deployment's failedTasks). */
  reachedHealthy?: boolean;
  /**
   * Found unhealthy (ELB after the grace period, or its container health check): ECS starts a replacement of the
   * same revision first and stops this task when the replacement is healthy (or cannot become so).
   */
  unhealthy?: { since: number; reason: string };
  /** On an unhealthy task: the ARN of its replacement. */
  replacedBy?: string;
  /** On a replacement: the ARN of the unhealthy task it replaces. */
  replaces?: string;
  version: number;
  tags: Tags;
  /** Targets this task is registered as (target group arn). */
  targetGroupArns: string[];
}

export interface LogStream {
  name: string;
  createdAt: number;
  /** `eventId` is unique across every stream of the emulator, as CloudWatch Logs' event ids are. */
  events: { timestamp: number; message: string; ingestionTime: number; eventId: string }[];
}

export interface LogGroup {
  name: string;
  arn: string;
  createdAt: number;
  streams: Map<string, LogStream>;
}
