// Reads what AWS has of everything the action keeps for the service (read-only): the log group first, because its
// tags say which alarm prefix and dashboard the last run kept, so resources it no longer wants are found too.
import type { MonitoringApi } from './aws.js';
import type { CurrentState, DesiredState, ServiceContext } from './model.js';
import { candidateNames } from './plan.js';

export async function readCurrentState(
  api: MonitoringApi,
  desired: DesiredState,
  context: ServiceContext,
): Promise<CurrentState> {
  const pipeline = desired.restartPipeline;
  const logGroup = await api.describeLogGroup(pipeline.logGroup.name);
  const candidates = candidateNames(desired, logGroup?.tags);
  const [alarms, rule, resourcePolicy, bodies] = await Promise.all([
    api.describeAlarms(candidates.alarms),
    api.describeRule(pipeline.rule.name),
    api.describeResourcePolicy(pipeline.resourcePolicy.name),
    Promise.all(candidates.dashboards.map(async (name) => [name, await api.getDashboard(name)] as const)),
  ]);
  const dashboards: Record<string, string> = {};
  for (const [name, body] of bodies) if (body !== undefined) dashboards[name] = body;
  return {
    alarms,
    dashboards,
    ...(resourcePolicy ? { resourcePolicy } : {}),
    ...(logGroup ? { logGroup } : {}),
    ...(rule ? { rule } : {}),
    deploymentConfiguration: context.deploymentConfiguration,
    containerInsights: context.containerInsights,
  };
}
