// What the service still shows about the deployment being rolled back: when it started and its first abnormally
// stopped task. Read before the rollback (ECS lists stopped tasks for about an hour) for the incident timeline.
import type { Logger } from '@hokusai/action-kit';
import { awsErrorName } from '@hokusai/aws-kit';
import {
  describeStoppedTask,
  failedTasksOf,
  tasksOfDeployment,
  type EcsApi,
  type ServiceInfo,
} from '@hokusai/ecs-kit';

export interface FailureEvidence {
  /** The deployment that put the failing revision on the service. */
  deploymentId?: string;
  deployedAt?: number;
  firstFailureAt?: number;
  /** One line, e.g. `task 3f2a… exited with code 1: …`. */
  firstFailure?: string;
  /** Abnormally stopped tasks of that deployment still listed. */
  failedTasks: number;
}

export async function gatherFailureEvidence(
  ecs: EcsApi,
  cluster: string,
  service: ServiceInfo,
  failingTaskDefinitionArn: string,
  logger: Logger,
): Promise<FailureEvidence> {
  const deployment = service.deployments.find((d) => d.taskDefinition === failingTaskDefinitionArn);
  const evidence: FailureEvidence = {
    ...(deployment ? { deploymentId: deployment.id } : {}),
    ...(deployment?.createdAt !== undefined ? { deployedAt: deployment.createdAt } : {}),
    failedTasks: 0,
  };
  try {
    const stopped = await ecs.listTasks(cluster, service.name, 'STOPPED');
    // The newest 100 are enough to find the first failures of a deployment that crash-loops.
    const tasks = stopped.length > 0 ? await ecs.describeTasks(cluster, stopped.slice(0, 100)) : [];
    const mine = deployment
      ? tasksOfDeployment(tasks, { id: deployment.id, taskDefinition: deployment.taskDefinition })
      : tasks.filter((t) => t.taskDefinitionArn === failingTaskDefinitionArn);
    const failed = failedTasksOf(mine);
    evidence.failedTasks = failed.length;
    const first = failed[0];
    if (first) {
      evidence.firstFailure = describeStoppedTask(first);
      const at = first.stoppedAt ?? first.startedAt;
      if (at !== undefined) evidence.firstFailureAt = at;
    }
  } catch (error) {
    // Evidence only: the rollback must not wait on it or fail for it.
    logger.warning(
      `could not read the stopped tasks of the failing deployment (${awsErrorName(error) || String(error)}); the report will lack them`,
    );
  }
  return evidence;
}
