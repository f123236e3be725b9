// The narrow interfaces the rollout code talks to. The SDK-backed implementations are in aws-adapters.ts; tests
// point them at moto or the ECS emulator.
import type { TaskDefinition, Tag } from '@aws-sdk/client-ecs';
import type { ServiceInfo, TaskInfo, TargetHealthInfo } from './model.js';

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
}

export interface AwsApis {
  ecs: EcsApi;
  logs: LogsApi;
  elb: ElbApi;
  /** Closes the clients' connections (the SDK keeps sockets open otherwise). */
  close?(): void;
}
