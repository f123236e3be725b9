// Plain-data builders for recorded ECS states (as DescribeServices / DescribeTasks return them, mapped).
import type { DeploymentInfo, Observation, ServiceInfo, TaskInfo } from '../src/model.js';

export const TD108 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108';
export const TD109 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:109';
export const TD110 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:110';
export const OURS = 'ecs-svc/1111111111111111111';
export const OLD = 'ecs-svc/0000000000000000000';
export const OTHER = 'ecs-svc/2222222222222222222';
export const TG =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/hokusai-api/0123456789abcdef';

export function deployment(partial: Partial<DeploymentInfo> & Pick<DeploymentInfo, 'id'>): DeploymentInfo {
  return {
    status: 'PRIMARY',
    taskDefinition: TD109,
    desiredCount: 2,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    ...partial,
  };
}

export function service(deployments: DeploymentInfo[], partial: Partial<ServiceInfo> = {}): ServiceInfo {
  return {
    arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/api',
    name: 'api',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    status: 'ACTIVE',
    taskDefinition: deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? TD109,
    desiredCount: 2,
    runningCount: deployments.reduce((n, d) => n + d.runningCount, 0),
    pendingCount: deployments.reduce((n, d) => n + d.pendingCount, 0),
    deployments,
    events: [],
    loadBalancers: [],
    ...partial,
  };
}

export function task(id: string, partial: Partial<TaskInfo> = {}): TaskInfo {
  return {
    arn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`,
    id,
    taskDefinitionArn: TD109,
    startedBy: OURS,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    containers: [{ name: 'api', lastStatus: 'RUNNING' }],
    privateIps: [],
    ...partial,
  };
}

export function crashed(id: string, exitCode = 1, partial: Partial<TaskInfo> = {}): TaskInfo {
  return task(id, {
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: [{ name: 'api', lastStatus: 'STOPPED', exitCode }],
    ...partial,
  });
}

export function obs(
  at: number,
  svc: ServiceInfo | undefined,
  tasks: TaskInfo[] = [],
  extra: Partial<Observation> = {},
): Observation {
  return { at, service: svc, tasks, ...extra };
}
