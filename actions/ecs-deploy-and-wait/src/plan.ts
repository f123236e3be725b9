// Step 1, plan: every read and every check before the first call that changes anything. A service this action
// cannot deploy safely (CodeDeploy or external controller, ECS-native blue/green, linear or canary) is refused here,
// and so is one whose last deployment is still in progress (unless `replace-in-progress`); what the rollback will need
// (the last proven revision and its content, even when deregistered) is read here.
import { ConfigurationError, type Logger } from '@hokusai/action-kit';
import { awsErrorName } from '@hokusai/aws-kit';
import {
  awsCliCommand,
  describeBreaker,
  persistentApis,
  readLastGood,
  unsupportedDeploymentReason,
  taskDefinitionName,
  type AwsApis,
  type Clock,
  type RegisteredTaskDefinition,
  type DeploymentInfo,
  type ServiceInfo,
  type Tag,
  type TaskDefinition,
} from '@hokusai/ecs-kit';
import { planAlarms, type PlannedAlarms } from './alarms.js';
import { PLAN_RETRY_LIMIT_MS, readBeforeChange } from './before-change.js';
import type { Inputs } from './inputs.js';
import { applyRevisionChange, pickContainer } from './revision.js';

export {
  CancelledBeforeChangeError,
  NothingChangedError,
  PLAN_RETRY_LIMIT_MS,
  readBeforeChange,
} from './before-change.js';

export interface Plan {
  service: ServiceInfo;
  /** The cluster's name as the service reports it. */
  cluster: string;
  serviceName: string;
  /** The revision the service is configured with now (the base of a new revision made from `image`). */
  current: string;
  /** The PRIMARY deployment before ours, whatever its state: a lost UpdateService answer is told apart from it. */
  currentDeploymentId?: string;
  /**
   * The rollback target: the revision the service runs now, proven (its deployment COMPLETED) — or, when a deployment
   * still in progress is replaced, the last proven one (a COMPLETED deployment, the last-good tag, ECS's history).
   */
  previous: string;
  /** Where `previous` was found, for the log and the summary when it is not simply the current revision. */
  previousSource: 'current' | 'completed-deployment' | 'last-good-tag' | 'deployment-history';
  /** The COMPLETED deployment of `previous`, when listed: ECS's breaker rolls back by making it PRIMARY again. */
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
  /** Warnings for the log (logged in the plan) and the summary, one line each. */
  notes: string[];
}

/** The deployment still rolling out when the deploy starts, if any (ECS's rolloutState; absent = not reported). */
export function inProgressDeployment(service: ServiceInfo): DeploymentInfo | undefined {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  return primary?.rolloutState === 'IN_PROGRESS' ? primary : undefined;
}

export async function plan(
  inputs: Inputs,
  apis: AwsApis,
  clock: Clock,
  logger: Logger,
  signal?: AbortSignal,
): Promise<Plan> {
  const { ecs } = persistentApis(apis, {
    deadline: clock.now() + Math.min(inputs.timeout, PLAN_RETRY_LIMIT_MS),
    ...(signal ? { signal } : {}),
  });
  const read = <T>(call: string, what: string, run: () => Promise<T>) =>
    readBeforeChange(call, what, run, signal);
  const where = `service "${inputs.service}" in cluster "${inputs.cluster}"`;
  const service = await read('DescribeServices', `describing ${where}`, async () => {
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
  const current = service.taskDefinition;
  const inFlight = inProgressDeployment(service);
  // One whose tasks keep failing will not finish (without the circuit breaker ECS retries forever): the deploy that
  // replaces it is the way out — the fix for a crash-looping service — and its rollback goes to the last completed
  // revision, as with replace-in-progress.
  const failing = inFlight !== undefined && inFlight.failedTasks > 0;
  if (inFlight && !failing && !inputs['replace-in-progress'])
    throw new ConfigurationError(
      `deployment ${inFlight.id} (${taskDefinitionName(inFlight.taskDefinition)}) of ${where} is still IN_PROGRESS: its revision is not proven; wait for it to finish (${awsCliCommand(['ecs', 'wait', 'services-stable', '--cluster', inputs.cluster, '--services', inputs.service])}), or set "replace-in-progress: true" to replace it (the rollback then goes to the last completed revision); nothing was changed`,
    );
  // The watch needs ListTasks; a missing permission should fail here, before anything changes.
  await read('ListTasks', `listing the tasks of ${where}`, () =>
    ecs.listTasks(inputs.cluster, inputs.service, 'RUNNING'),
  );
  const described = await read(
    'DescribeTaskDefinition',
    `describing task definition ${taskDefinitionName(current)}`,
    () => ecs.describeTaskDefinition(current),
  );
  if (!described)
    throw new ConfigurationError(
      `the service's current task definition ${taskDefinitionName(current)} cannot be described`,
    );
  const notes: string[] = [];
  const target = inFlight
    ? await provenRevision(service, inFlight, ecs, read, inputs)
    : { taskDefinition: current, source: 'current' as const };
  if (inFlight)
    notes.push(
      `deployment ${inFlight.id} (${taskDefinitionName(inFlight.taskDefinition)}) was still IN_PROGRESS${failing && !inputs['replace-in-progress'] ? ` with ${inFlight.failedTasks} failed task${inFlight.failedTasks === 1 ? '' : 's'}: replaced, it was not going to finish` : ': replaced ("replace-in-progress")'}; a rollback goes to ${taskDefinitionName(target.taskDefinition)}, the last completed revision (${SOURCE_WORDS[target.source]})`,
    );
  const previousContent =
    target.taskDefinition === current
      ? described
      : await read(
          'DescribeTaskDefinition',
          `describing task definition ${taskDefinitionName(target.taskDefinition)}`,
          () => ecs.describeTaskDefinition(target.taskDefinition),
        );
  if (!previousContent)
    throw new ConfigurationError(
      `the rollback target ${taskDefinitionName(target.taskDefinition)} cannot be described; nothing was changed`,
    );
  const status = previousContent.taskDefinition.status;
  const inactive = status !== undefined && status !== 'ACTIVE';
  const previousName = taskDefinitionName(target.taskDefinition);
  if (inactive)
    notes.push(
      target.taskDefinition === current
        ? `the revision the service runs, ${previousName}, is ${status} (deregistered): a rollback will register its exact content again as a new revision and deploy that`
        : `the rollback target ${previousName} is ${status} (deregistered): a rollback will register its exact content again as a new revision and deploy that`,
    );
  const nothingToVerify = service.desiredCount === 0;
  if (nothingToVerify)
    notes.push(
      `desiredCount is 0: no task will run the new revision, so nothing is verified, and the last-good tag is not written`,
    );
  logger.info(`ECS circuit breaker: ${describeBreaker(service.circuitBreaker, service.desiredCount)}`);
  const alarms = inputs.wait
    ? await planAlarms(inputs, service, apis, clock, notes, logger, signal)
    : undefined;
  for (const note of notes) logger.warning(note);
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  const base = {
    service,
    cluster: service.clusterArn
      ? service.clusterArn.slice(service.clusterArn.lastIndexOf('/') + 1)
      : inputs.cluster,
    serviceName: service.name || inputs.service,
    current,
    ...(primary ? { currentDeploymentId: primary.id } : {}),
    previous: target.taskDefinition,
    previousSource: target.source,
    ...(target.source === 'current' && primary
      ? { previousDeploymentId: primary.id }
      : 'deployment' in target && target.deployment
        ? { previousDeploymentId: target.deployment.id }
        : {}),
    ...(inactive ? { reRegisterPrevious: previousContent } : {}),
    nothingToVerify,
    ...(alarms ? { alarms } : {}),
    notes,
  };
  return { ...base, ...(await revisionPlan(inputs, ecs, current, described, read)) };
}

const SOURCE_WORDS: Record<Plan['previousSource'], string> = {
  current: 'the revision the service runs',
  'completed-deployment': 'its deployment COMPLETED and is still listed',
  'last-good-tag': 'the hokusai:last-good-task-definition tag',
  'deployment-history': "the newest successful deployment in ECS's history",
};

type Read = <T>(call: string, what: string, run: () => Promise<T>) => Promise<T>;

/**
 * The last proven revision while `inFlight` is still rolling out: a COMPLETED deployment still listed (newest
 * first), else the last-good tag, else ECS's deployment history (newest SUCCESSFUL); never the in-flight one. None:
 * refused, nothing changed.
 */
async function provenRevision(
  service: ServiceInfo,
  inFlight: DeploymentInfo,
  ecs: AwsApis['ecs'],
  read: Read,
  inputs: Pick<Inputs, 'cluster' | 'service'>,
): Promise<{ taskDefinition: string; source: Plan['previousSource']; deployment?: DeploymentInfo }> {
  const completed = service.deployments
    .filter((d) => d !== inFlight && d.rolloutState === 'COMPLETED')
    .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))[0];
  if (completed)
    return {
      taskDefinition: completed.taskDefinition,
      source: 'completed-deployment',
      deployment: completed,
    };
  const where = `service "${inputs.service}" in cluster "${inputs.cluster}"`;
  const tagged = await read('ListTagsForResource', `reading the tags of ${where}`, () =>
    readLastGood(ecs, service.arn),
  );
  if (tagged) return { taskDefinition: tagged, source: 'last-good-tag' };
  const history = await read('ListServiceDeployments', `reading the deployment history of ${where}`, () =>
    ecs.deploymentHistory(inputs.cluster, inputs.service),
  );
  const successful = history?.find((h) => h.status === 'SUCCESSFUL' && h.taskDefinition);
  if (successful?.taskDefinition)
    return { taskDefinition: successful.taskDefinition, source: 'deployment-history' };
  throw new ConfigurationError(
    `deployment ${inFlight.id} (${taskDefinitionName(inFlight.taskDefinition)}) is still IN_PROGRESS and no completed revision is known to roll back to (no COMPLETED deployment listed, no hokusai:last-good-task-definition tag, no successful deployment in ECS's history); wait for it to finish; nothing was changed`,
  );
}

/** Which revision to deploy: an existing one, the current one changed, or a file. */
async function revisionPlan(
  inputs: Inputs,
  ecs: AwsApis['ecs'],
  previous: string,
  current: RegisteredTaskDefinition,
  read: Read,
): Promise<Pick<Plan, 'existing' | 'register' | 'container'>> {
  const source = inputs.source;
  const change = {
    ...(source.kind !== 'task-definition-arn' && source.image ? { image: source.image } : {}),
    ...(inputs['container-name'] ? { containerName: inputs['container-name'] } : {}),
    environment: inputs.environment,
  };
  if (source.kind === 'task-definition-arn') {
    const target = await read(
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
