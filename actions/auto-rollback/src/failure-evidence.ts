// What the service still shows about the deployment being rolled back: when it started, its first abnormally
// stopped task and that task's log tail. Read before the rollback (ECS lists stopped tasks for about an hour).
import type { Logger } from '@hokusai/action-kit';
import { awsErrorName } from '@hokusai/aws-kit';
import {
  describeStoppedTask,
  failedTasksOf,
  fetchFailedTaskLogs,
  tasksOfDeployment,
  type AwsApis,
  type ServiceInfo,
  type TaskInfo,
  type TaskLogTail,
} from '@hokusai/ecs-kit';

/** Log lines kept of the first failed task. */
export const LOG_LINES = 30;

export interface FailureEvidence {
  /** The deployment that put the failing revision on the service. */
  deploymentId?: string;
  deployedAt?: number;
  firstFailureAt?: number;
  /** One line, e.g. `task 3f2a… exited with code 1: …`. */
  firstFailure?: string;
  /** Abnormally stopped tasks of that deployment still listed. */
  failedTasks: number;
  /** The first failed task's log tail (CloudWatch Logs, from the task definition's awslogs options). */
  log?: TaskLogTail;
}

export async function gatherFailureEvidence(
  apis: AwsApis,
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
  const ecs = apis.ecs;
  let firstFailedTask: TaskInfo | undefined;
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
    firstFailedTask = first;
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
    return evidence;
  }
  const first = firstFailedTask;
  if (!first) return evidence;
  try {
    const definition = (await ecs.describeTaskDefinition(failingTaskDefinitionArn))?.taskDefinition;
    const [tail] = await fetchFailedTaskLogs(apis.logs, () => definition, [first], {
      lines: LOG_LINES,
      maxTasks: 1,
    });
    if (tail) {
      evidence.log = tail;
      if (tail.lastLine) evidence.firstFailure = describeStoppedTask(first, tail.lastLine);
    }
  } catch (error) {
    logger.warning(
      `could not read the log of the first failed task (${awsErrorName(error) || String(error)}); the report will lack it`,
    );
  }
  return evidence;
}
