// Where a task's container logs go (the awslogs options of its task definition) and the tail of them for
// failed tasks, with the exception line a person needs first.
import type { LogsApi, TaskDefinition } from './api.js';
import { lastExceptionLine } from './log-tail.js';
import type { TaskInfo } from './model.js';
import { classifyStoppedTask } from './stopped-task.js';

export interface TaskLogTail {
  taskId: string;
  container: string;
  group: string;
  stream: string;
  /** The log's region when the task definition names one. */
  region?: string;
  lines: string[];
  /** The last exception line (or last line) of the tail. */
  lastLine?: string;
}

/** The awslogs group and stream (`prefix/container/task-id`) of a container, or undefined without awslogs. */
export function awslogsStreamOf(
  definition: TaskDefinition,
  containerName: string,
  taskId: string,
): { group: string; stream: string; region?: string } | undefined {
  const container = definition.containerDefinitions?.find((c) => c.name === containerName);
  const config = container?.logConfiguration;
  if (!config || config.logDriver !== 'awslogs') return undefined;
  const group = config.options?.['awslogs-group'];
  const prefix = config.options?.['awslogs-stream-prefix'];
  if (!group || !prefix) return undefined;
  const region = config.options?.['awslogs-region'];
  return { group, stream: `${prefix}/${containerName}/${taskId}`, ...(region ? { region } : {}) };
}

/**
 * The log tails of failed tasks (at most `maxTasks`, first failures first). The container read is the one that
 * failed, else `preferredContainer`, else the first essential container with awslogs.
 */
export async function fetchFailedTaskLogs(
  logs: LogsApi,
  definitionOf: (taskDefinitionArn: string) => TaskDefinition | undefined,
  tasks: readonly TaskInfo[],
  options: { lines: number; maxTasks?: number; preferredContainer?: string },
): Promise<TaskLogTail[]> {
  const tails: TaskLogTail[] = [];
  if (options.lines <= 0) return tails;
  for (const task of tasks.slice(0, options.maxTasks ?? 5)) {
    const definition = definitionOf(task.taskDefinitionArn);
    if (!definition) continue;
    const candidates = [
      classifyStoppedTask(task).container,
      options.preferredContainer,
      ...(definition.containerDefinitions ?? []).filter((c) => c.essential !== false).map((c) => c.name),
    ].filter((n): n is string => !!n);
    for (const container of candidates) {
      const where = awslogsStreamOf(definition, container, task.id);
      if (!where) continue;
      const lines = await logs.tail(where.group, where.stream, options.lines);
      const lastLine = lastExceptionLine(lines);
      tails.push({ taskId: task.id, container, ...where, lines, ...(lastLine ? { lastLine } : {}) });
      break;
    }
  }
  return tails;
}
