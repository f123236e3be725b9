// Step 1, plan: every read and every check before the first call that changes anything. A service this action
// cannot deploy safely (CodeDeploy or external controller, ECS-native blue/green, linear or canary) is refused here;
// what the rollback will need (the previous revision's content, even when deregistered) is read here.
import { ConfigurationError, type Logger } from '@hokusai/action-kit';
import { awsErrorName } from '@hokusai/aws-kit';
import {
  describeBreaker,
  persistentApis,
  unsupportedDeploymentReason,
  taskDefinitionName,
  type AwsApis,
  type Clock,
  type RegisteredTaskDefinition,
  type ServiceInfo,
  type Tag,
  type TaskDefinition,
} from '@hokusai/ecs-kit';
import { planAlarms, type PlannedAlarms } from './alarms.js';
import { PLAN_RETRY_LIMIT_MS, readBeforeChange } from './before-change.js';
import type { Inputs } from './inputs.js';
import { applyRevisionChange, pickContainer } from './revision.js';

export { NothingChangedError, PLAN_RETRY_LIMIT_MS, readBeforeChange } from './before-change.js';

export interface Plan {
  service: ServiceInfo;
  /** The cluster's name as the service reports it. */
  cluster: string;
  serviceName: string;
  /** The revision the service runs now: the rollback target. */
  previous: string;
  /** The PRIMARY deployment before ours: ECS's breaker rolls back by making it PRIMARY again. */
  previousDeploymentId?: string;
  /** Set when `previous` is INACTIVE: a rollback registers this content again as a new revision. */
  reRegisterPrevious?: RegisteredTaskDefinition;
  /** Deploy this existing revision as it is … */
  existing?: string;
  /** … or register this one. */
  register?: { definition: TaskDefinition; tags: Tag[] };
  /** The container whose logs matter most. */
  container?: string;
  /** desiredCount 0: no task will run the new revision, so nothing can be verified. */
  nothingToVerify: boolean;
  /** The CloudWatch alarms the watch reads, and their states before any change; undefined when none. */
  alarms?: PlannedAlarms;
  /** Warnings for the log and the summary, one line each. */
  notes: string[];
}

export async function plan(inputs: Inputs, apis: AwsApis, clock: Clock, logger: Logger): Promise<Plan> {
  const { ecs } = persistentApis(apis, {
    deadline: clock.now() + Math.min(inputs.timeout, PLAN_RETRY_LIMIT_MS),
  });
  const where = `service "${inputs.service}" in cluster "${inputs.cluster}"`;
  const service = await readBeforeChange('DescribeServices', `describing ${where}`, async () => {
    try {
      return await ecs.describeService(inputs.cluster, inputs.service);
    } catch (error) {
      if (awsErrorName(error) === 'ClusterNotFoundException')
        throw new ConfigurationError(`cluster "${inputs.cluster}" not found`);
      throw error;
    }
  });
  if (!service) throw new ConfigurationError(`${where} not found`);
  if (service.status !== 'ACTIVE') throw new ConfigurationError(`${where} is ${service.status}, not ACTIVE`);
  const refused = unsupportedDeploymentReason(service, where);
  if (refused) throw new ConfigurationError(refused);
  const previous = service.taskDefinition;
  // The watch needs ListTasks; a missing permission should fail here, before anything changes.
  await readBeforeChange('ListTasks', `listing the tasks of ${where}`, () =>
    ecs.listTasks(inputs.cluster, inputs.service, 'RUNNING'),
  );
  const current = await readBeforeChange(
    'DescribeTaskDefinition',
    `describing task definition ${taskDefinitionName(previous)}`,
    () => ecs.describeTaskDefinition(previous),
  );
  if (!current)
    throw new ConfigurationError(
      `the service's current task definition ${taskDefinitionName(previous)} cannot be described`,
    );
  const notes: string[] = [];
  const inactive = current.taskDefinition.status !== undefined && current.taskDefinition.status !== 'ACTIVE';
  if (inactive)
    notes.push(
      `the revision the service runs, ${taskDefinitionName(previous)}, is ${current.taskDefinition.status} (deregistered): a rollback will register its exact content again as a new revision and deploy that`,
    );
  const nothingToVerify = service.desiredCount === 0;
  if (nothingToVerify)
    notes.push(
      `desiredCount is 0: no task will run the new revision, so nothing is verified, and the last-good tag is not written`,
    );
  logger.info(`ECS circuit breaker: ${describeBreaker(service.circuitBreaker, service.desiredCount)}`);
  const alarms = inputs.wait ? await planAlarms(inputs, service, apis, clock, notes, logger) : undefined;
  for (const note of notes) logger.warning(note);
  const base = {
    service,
    cluster: service.clusterArn
      ? service.clusterArn.slice(service.clusterArn.lastIndexOf('/') + 1)
      : inputs.cluster,
    serviceName: service.name || inputs.service,
    previous,
    ...(service.deployments.find((d) => d.status === 'PRIMARY')
      ? { previousDeploymentId: service.deployments.find((d) => d.status === 'PRIMARY')!.id }
      : {}),
    ...(inactive ? { reRegisterPrevious: current } : {}),
    nothingToVerify,
    ...(alarms ? { alarms } : {}),
    notes,
  };
  return { ...base, ...(await revisionPlan(inputs, ecs, previous, current)) };
}

/** Which revision to deploy: an existing one, the current one changed, or a file. */
async function revisionPlan(
  inputs: Inputs,
  ecs: AwsApis['ecs'],
  previous: string,
  current: RegisteredTaskDefinition,
): Promise<Pick<Plan, 'existing' | 'register' | 'container'>> {
  const source = inputs.source;
  const change = {
    ...(source.kind !== 'task-definition-arn' && source.image ? { image: source.image } : {}),
    ...(inputs['container-name'] ? { containerName: inputs['container-name'] } : {}),
    environment: inputs.environment,
  };
  if (source.kind === 'task-definition-arn') {
    const target = await readBeforeChange(
      'DescribeTaskDefinition',
      `describing task definition ${source.reference}`,
      () => ecs.describeTaskDefinition(source.reference),
    );
    if (!target)
      throw new ConfigurationError(
        `task definition "${source.reference}" (input "task-definition-arn") not found`,
      );
    if (target.taskDefinition.status && target.taskDefinition.status !== 'ACTIVE') {
      throw new ConfigurationError(
        `task definition "${source.reference}" (input "task-definition-arn") is ${target.taskDefinition.status}`,
      );
    }
    return { existing: target.taskDefinition.taskDefinitionArn ?? source.reference };
  }
  if (source.kind === 'image') {
    const container = pickContainer(
      current.taskDefinition,
      inputs['container-name'] || undefined,
      `task definition ${taskDefinitionName(previous)}`,
    );
    return {
      register: { definition: applyRevisionChange(current.taskDefinition, change), tags: current.tags },
      container,
    };
  }
  const fileTags = (source.definition as { tags?: Tag[] }).tags;
  const definition = applyRevisionChange(source.definition, change, `task definition file ${source.path}`);
  delete (definition as { tags?: unknown }).tags;
  const container =
    change.image || change.environment.length > 0
      ? pickContainer(definition, inputs['container-name'] || undefined, source.path)
      : undefined;
  return { register: { definition, tags: fileTags ?? current.tags }, ...(container ? { container } : {}) };
}
