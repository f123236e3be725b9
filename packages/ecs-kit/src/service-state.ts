// The service's state in one line, for every end of a deploy or a rollback ("what state is the service in").
import { taskDefinitionName, type ServiceInfo } from './model.js';

/**
 * `hokusai-api runs hokusai-api:108 (PRIMARY ecs-svc/1…, IN_PROGRESS): 1/2 running, 1 pending; also hokusai-api:109
 * ACTIVE 0/2 running`, or `hokusai-api: state unknown` without an observation.
 */
export function describeServiceState(
  service: ServiceInfo | undefined,
  name = service?.name ?? 'the service',
): string {
  if (!service) return `${name}: state unknown (it could not be read)`;
  if (service.status !== 'ACTIVE') return `${service.name || name} is ${service.status}`;
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary)
    return `${service.name} runs ${taskDefinitionName(service.taskDefinition)}: ${service.runningCount}/${service.desiredCount} running`;
  let line = `${service.name} runs ${taskDefinitionName(primary.taskDefinition)} (PRIMARY ${primary.id}${primary.rolloutState ? `, ${primary.rolloutState}` : ''}): ${primary.runningCount}/${primary.desiredCount} running`;
  if (primary.pendingCount > 0) line += `, ${primary.pendingCount} pending`;
  const others = service.deployments.filter((d) => d !== primary);
  if (others.length > 0)
    line += `; also ${others.map((d) => `${taskDefinitionName(d.taskDefinition)} ${d.status} ${d.runningCount}/${d.desiredCount} running`).join(', ')}`;
  return line;
}
