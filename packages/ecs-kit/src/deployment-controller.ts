// Services whose task definition UpdateService cannot change (CODE_DEPLOY, EXTERNAL controllers; AWS's UpdateService
// reference), or whose rollout is not a rolling one (ECS-native BLUE_GREEN, LINEAR, CANARY: traffic shifts, bake
// time, lifecycle hooks): neither action deploys or rolls them back. Said before any change, one line.
import type { ServiceInfo } from './model.js';

/**
 * Why the ECS actions must not deploy or roll back `service` (`where` names it, e.g. `service "api" in cluster
 * "prod"`), naming the controller or strategy and what deploys such a service; undefined for a rolling ECS service.
 */
export function unsupportedDeploymentReason(service: ServiceInfo, where: string): string | undefined {
  const controller = service.deploymentController ?? 'ECS';
  if (controller === 'CODE_DEPLOY')
    return `${where} uses the CODE_DEPLOY deployment controller: UpdateService cannot change its task definition; deploy it with a CodeDeploy deployment (aws deploy create-deployment with an AppSpec, or aws-actions/amazon-ecs-deploy-task-definition with codedeploy-appspec); nothing was changed`;
  if (controller === 'EXTERNAL')
    return `${where} uses the EXTERNAL deployment controller: UpdateService cannot change its task definition; its task sets are deployed by that controller (CreateTaskSet, UpdateServicePrimaryTaskSet); nothing was changed`;
  const strategy = service.deploymentStrategy ?? 'ROLLING';
  if (strategy !== 'ROLLING')
    return `${where} uses the ECS-native ${strategy} deployment strategy, which this action does not watch or roll back (ECS shifts traffic between revisions, with bake time and lifecycle hooks, and rolls back itself); deploy it with aws ecs update-service and follow it in the console's deployment view, or switch the service to ROLLING; nothing was changed`;
  return undefined;
}
