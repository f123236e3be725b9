// Step 2, start: register the new revision (unless an existing one is deployed) and UpdateService to it. Both are
// retried through throttling and 5xx for a while; an UpdateService whose answer was lost is looked for before it
// is reported as not made.
import { ConfigurationError, type Logger } from '@hokusai/action-kit';
import { awsErrorName, explainAwsError, isTransientAwsError } from '@hokusai/aws-kit';
import { persistentApis, taskDefinitionName, type AwsApis, type Clock } from '@hokusai/ecs-kit';
import type { Inputs } from './inputs.js';
import { NothingChangedError, PLAN_RETRY_LIMIT_MS, type Plan } from './plan.js';

export interface Started {
  taskDefinitionArn: string;
  /** The deployment UpdateService started (ecs-svc/…). */
  deploymentId: string;
  /** When UpdateService was answered, on the action's clock. */
  startedAt: number;
  /** The deployment's createdAt as ECS reports it (AWS's clock): alarms are judged against it. */
  deploymentCreatedAt?: number;
}

export async function start(
  inputs: Inputs,
  p: Plan,
  apis: AwsApis,
  clock: Clock,
  logger: Logger,
): Promise<Started> {
  const { ecs } = persistentApis(apis, {
    deadline: clock.now() + Math.min(inputs.timeout, PLAN_RETRY_LIMIT_MS),
  });
  let taskDefinitionArn = p.existing ?? '';
  if (p.register) {
    try {
      taskDefinitionArn = await ecs.registerTaskDefinition(p.register.definition, p.register.tags);
    } catch (error) {
      if (isTransientAwsError(error)) throw new NothingChangedError('RegisterTaskDefinition', error);
      const explained = explainAwsError(error, 'registering the new task definition');
      if (explained !== error) throw explained;
      if (/ClientException|InvalidParameter/.test(awsErrorName(error)))
        throw new ConfigurationError(
          `RegisterTaskDefinition refused the new revision: ${(error as Error).message}`,
        );
      throw error;
    }
    logger.info(
      `registered ${taskDefinitionName(taskDefinitionArn)} (from ${taskDefinitionName(p.previous)})`,
    );
  }
  let updated;
  try {
    updated = await ecs.updateService({
      cluster: p.cluster,
      service: p.serviceName,
      taskDefinition: taskDefinitionArn,
      forceNewDeployment: inputs['force-new-deployment'],
    });
  } catch (error) {
    // An answer lost to a reset or a 5xx may hide a change that was made: look before saying nothing changed.
    const now = await apis.ecs.describeService(p.cluster, p.serviceName).catch(() => undefined);
    const primary = now?.deployments.find((d) => d.status === 'PRIMARY');
    if (
      now &&
      primary &&
      primary.taskDefinition === taskDefinitionArn &&
      primary.id !== p.previousDeploymentId
    )
      updated = now;
    else if (isTransientAwsError(error)) {
      const registered = p.register
        ? ` (${taskDefinitionName(taskDefinitionArn)} was registered, unused)`
        : '';
      throw new NothingChangedError(`UpdateService${registered}`, error);
    } else throw explainAwsError(error, `updating service ${p.serviceName}`);
  }
  const startedAt = clock.now();
  const primary =
    updated.deployments.find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinitionArn) ??
    updated.deployments.find((d) => d.status === 'PRIMARY');
  const deploymentId = primary?.id ?? '';
  logger.info(
    `updated service ${p.serviceName}: ${taskDefinitionName(p.previous)} -> ${taskDefinitionName(taskDefinitionArn)} (deployment ${deploymentId})`,
  );
  return {
    taskDefinitionArn,
    deploymentId,
    startedAt,
    ...(primary?.createdAt !== undefined ? { deploymentCreatedAt: primary.createdAt } : {}),
  };
}
