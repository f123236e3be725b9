// The narrow interfaces the rollout code talks to. The SDK-backed implementations are in aws-adapters.ts; tests
// point them at moto or the ECS emulator.
import type { TaskDefinition, Tag } from '@aws-sdk/client-ecs';
import { PERSISTENT_RETRY_POLICY, type RetryContext, type RetryPolicy } from '@hokusai/aws-kit';
import type { AlarmInfo, ServiceInfo, TaskInfo, TargetHealthInfo } from './model.js';

export type { TaskDefinition, Tag };

export interface RegisteredTaskDefinition {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

/** A service deployment from ECS's deployment history (ListServiceDeployments), newest first. */
export interface DeploymentHistoryEntry {
  id: string;
  status: string;
  /** The task definition the deployment rolled out. */
  taskDefinition?: string;
  finishedAt?: number;
}

export interface EcsApi {
  /** Undefined when the service does not exist (a missing cluster throws ClusterNotFoundException). */
  describeService(cluster: string, service: string): Promise<ServiceInfo | undefined>;
  /** Undefined when no such task definition exists. */
  describeTaskDefinition(reference: string): Promise<RegisteredTaskDefinition | undefined>;
  /** Registers a new revision and returns its ARN. */
  registerTaskDefinition(definition: TaskDefinition, tags: Tag[]): Promise<string>;
  updateService(request: {
    cluster: string;
    service: string;
    taskDefinition: string;
    forceNewDeployment?: boolean;
  }): Promise<ServiceInfo>;
  listTasks(cluster: string, service: string, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<string[]>;
  /** Batched by 100 per call. */
  describeTasks(cluster: string, taskArns: string[]): Promise<TaskInfo[]>;
  listTags(resourceArn: string): Promise<Record<string, string>>;
  tagResource(resourceArn: string, tags: Record<string, string>): Promise<void>;
  /** Newest first; undefined when the endpoint does not offer ListServiceDeployments. */
  deploymentHistory(cluster: string, service: string): Promise<DeploymentHistoryEntry[] | undefined>;
}

export interface LogsApi {
  /** The last `lines` lines of a log stream, oldest first; [] when the stream does not exist. */
  tail(group: string, stream: string, lines: number): Promise<string[]>;
}

export interface ElbApi {
  describeTargetHealth(targetGroupArn: string): Promise<TargetHealthInfo[]>;
  /** The target group's deregistration delay (connection draining) in seconds; undefined where not offered. */
  deregistrationDelaySeconds?(targetGroupArn: string): Promise<number | undefined>;
}

export interface CloudWatchApi {
  /**
   * The metric and composite alarms of these names that exist (a name with no alarm is left out), sorted by name.
   * DescribeAlarms takes at most 100 names, so one call per 100.
   */
  describeAlarms(names: readonly string[]): Promise<AlarmInfo[]>;
}

export interface AwsApis {
  ecs: EcsApi;
  logs: LogsApi;
  elb: ElbApi;
  /** CloudWatch alarms; absent where an adapter offers none (then no alarm is watched). */
  cloudwatch?: CloudWatchApi;
  /**
   * The same APIs (same clients, same call log) with another retry policy (undefined: this one's) and context, e.g.
   * a rollback's: retried until its deadline, honouring cancellation; a request in flight is aborted at either.
   * Closing a view closes nothing.
   */
  retrying?(policy: RetryPolicy | undefined, context?: RetryContext): AwsApis;
  /** Closes the clients' connections (the SDK keeps sockets open otherwise). */
  close?(): void;
}

/**
 * `apis` retrying transient errors with PERSISTENT_RETRY_POLICY until `deadline` (epoch ms on the apis' clock),
 * for calls that must get through; `apis` itself where it offers no such view.
 */
export function persistentApis(
  apis: AwsApis,
  context: Pick<RetryContext, 'deadline' | 'signal' | 'stopRetries'>,
): AwsApis {
  return apis.retrying ? apis.retrying(PERSISTENT_RETRY_POLICY, context) : apis;
}

/**
 * `apis` with its retry policy unchanged, whose requests end at `deadline` (epoch ms on the apis' clock) and on
 * `signal` (RequestAbortedError): no single request outlasts the step's time limit. `apis` itself where it offers
 * no views.
 */
export function deadlineApis(apis: AwsApis, context: Pick<RetryContext, 'deadline' | 'signal'>): AwsApis {
  return apis.retrying ? apis.retrying(undefined, context) : apis;
}
