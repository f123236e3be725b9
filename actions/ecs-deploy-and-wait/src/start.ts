// Step 2, start: register the new revision (unless an existing one is deployed) and UpdateService to it. Both are
// retried through throttling and 5xx for a while; an UpdateService whose answer was lost is looked for before it
// is reported as not made. A cancellation right before either call ends the deploy there, nothing (more) changed.
import { ConfigurationError, type Logger } from '@hokusai/action-kit';
import { awsErrorName, explainAwsError, isRequestAborted, isTransientAwsError } from '@hokusai/aws-kit';
import {
  persistentApis,
  taskDefinitionName,
  type AwsApis,
  type Clock,
  type ServiceInfo,
} from '@hokusai/ecs-kit';
import type { Inputs } from './inputs.js';
import {
  CancelledBeforeChangeError,
  endedByCancellation,
  NothingChangedError,
  PLAN_RETRY_LIMIT_MS,
} from './before-change.js';
import type { Plan } from './plan.js';

export interface Started {
  taskDefinitionArn: string;
  /** The deployment UpdateService started (ecs-svc/…); '' when ECS lists none of our revision (see `unwatchable`). */
  deploymentId: string;
  /** When UpdateService was answered, on the action's clock. */
  startedAt: number;
  /** The deployment's createdAt as ECS reports it (AWS's clock): alarms are judged against it. */
  deploymentCreatedAt?: number;
  /** The service as the UpdateService answered it (or as read right after). */
  service: ServiceInfo;
  /**
   * Set when the answer (and one more read) shows no PRIMARY deployment of our revision — an endpoint whose
   * deployments do not follow UpdateService (moto's are static): there is nothing of ours to watch.
   */
  unwatchable?: string;
}

export async function start(
  inputs: Inputs,
  p: Plan,
  apis: AwsApis,
  clock: Clock,
  logger: Logger,
  signal?: AbortSignal,
): Promise<Started> {
  // A cancel stops the retries, not a change in flight: its answer (registered? updated?) decides what to report.
  // The adapters' own signal (the runner's grace time after a cancel) still bounds it.
  const { ecs } = persistentApis(apis, {
    deadline: clock.now() + Math.min(inputs.timeout, PLAN_RETRY_LIMIT_MS),
    ...(signal ? { stopRetries: signal } : {}),
  });
  let taskDefinitionArn = p.existing ?? '';
  if (p.register) {
    if (signal?.aborted) throw new CancelledBeforeChangeError('start');
    try {
      taskDefinitionArn = await ecs.registerTaskDefinition(p.register.definition, p.register.tags);
    } catch (error) {
      if (endedByCancellation(error, signal)) throw new CancelledBeforeChangeError('start');
      if (isTransientAwsError(error) || isRequestAborted(error))
        throw new NothingChangedError('RegisterTaskDefinition', error, 'start');
      const explained = explainAwsError(error, 'registering the new task definition');
      if (explained !== error) throw explained;
      if (/ClientException|InvalidParameter/.test(awsErrorName(error)))
        throw new ConfigurationError(
          `RegisterTaskDefinition refused the new revision: ${(error as Error).message}`,
        );
      throw error;
    }
    logger.info(
      `registered ${taskDefinitionName(taskDefinitionArn)} (from ${taskDefinitionName(p.current)})`,
    );
  }
  const registered = p.register ? taskDefinitionArn : undefined;
  // The last moment a cancelled job leaves the service as it is.
  if (signal?.aborted) throw new CancelledBeforeChangeError('start', registered);
  let updated: ServiceInfo;
  try {
    updated = await ecs.updateService({
      cluster: p.cluster,
      service: p.serviceName,
      taskDefinition: taskDefinitionArn,
      forceNewDeployment: inputs['force-new-deployment'],
    });
  } catch (error) {
    // An answer lost to a reset, a 5xx or a cancel may hide a change that was made: look before saying nothing
    // changed (the adapters' own signal still lets this read through for the runner's grace time after a cancel).
    const now = await apis.ecs.describeService(p.cluster, p.serviceName).catch(() => undefined);
    const primary = now?.deployments.find((d) => d.status === 'PRIMARY');
    if (
      now &&
      primary &&
      primary.taskDefinition === taskDefinitionArn &&
      primary.id !== p.currentDeploymentId
    )
      updated = now;
    else if (endedByCancellation(error, signal)) throw new CancelledBeforeChangeError('start', registered);
    else if (isTransientAwsError(error) || isRequestAborted(error)) {
      const unused = registered ? ` (${taskDefinitionName(registered)} was registered, unused)` : '';
      throw new NothingChangedError(`UpdateService${unused}`, error, 'start');
    } else throw explainAwsError(error, `updating service ${p.serviceName}`);
  }
  const startedAt = clock.now();
  const ours = (s: ServiceInfo) =>
    s.deployments.find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinitionArn);
  let primary = ours(updated);
  if (!primary) {
    // ECS answers UpdateService with the new PRIMARY; look once more before concluding it lists none of ours.
    const again = await apis.ecs.describeService(p.cluster, p.serviceName).catch(() => undefined);
    if (again) {
      updated = again;
      primary = ours(again);
    }
  }
  const from = taskDefinitionName(p.current);
  const to = taskDefinitionName(taskDefinitionArn);
  if (!primary) {
    const listed = updated.deployments
      .map((d) => `${d.status} ${d.id} (${taskDefinitionName(d.taskDefinition)})`)
      .join(', ');
    const unwatchable = `UpdateService ${from} -> ${to} was answered, but the service lists no PRIMARY deployment of ${to} (${listed || 'no deployments'}): the deployment to watch is unknown, nothing was verified`;
    logger.warning(unwatchable);
    return { taskDefinitionArn, deploymentId: '', startedAt, service: updated, unwatchable };
  }
  logger.info(`updated service ${p.serviceName}: ${from} -> ${to} (deployment ${primary.id})`);
  return {
    taskDefinitionArn,
    deploymentId: primary.id,
    startedAt,
    service: updated,
    ...(primary.createdAt !== undefined ? { deploymentCreatedAt: primary.createdAt } : {}),
  };
}
