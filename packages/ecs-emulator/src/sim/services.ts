// Services: CreateService / UpdateService / DeleteService with AWS's validation, the service event list, a
// scenario's starting state (steady, as found in AWS) and its timed actions.
import { ApiError, invalidParameter } from '../api-error.js';
import type { DeploymentConfiguration, DeploymentControllerType, ScenarioAction, Tags } from '../scenario.js';
import type { Simulation } from '../simulation.js';
import type { Cluster, LoadBalancer, Service, TaskDefinition } from './model.js';

export interface CreateServiceInput {
  name: string;
  taskDefinition: string;
  desiredCount: number;
  deploymentConfiguration: DeploymentConfiguration;
  loadBalancers: LoadBalancer[];
  healthCheckGracePeriodSeconds?: number;
  tags: Tags;
  launchType: string;
  networkConfiguration?: Record<string, unknown>;
  /** Default ECS. */
  deploymentController?: { type: DeploymentControllerType };
}

export interface UpdateServiceInput {
  desiredCount?: number;
  taskDefinition?: string;
  forceNewDeployment?: boolean;
  deploymentConfiguration?: DeploymentConfiguration;
  healthCheckGracePeriodSeconds?: number;
}

export class Services {
  private readonly services = new Map<string, Service>();

  constructor(private readonly sim: Simulation) {}

  all(): IterableIterator<Service> {
    return this.services.values();
  }

  /** The service by name or ARN; INACTIVE ones only when `includeInactive`. */
  find(cluster: Cluster, ref: string, includeInactive = false): Service | undefined {
    const name = ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
    const service = this.services.get(`${cluster.name}/${name}`);
    if (!service || (service.status === 'INACTIVE' && !includeInactive)) return undefined;
    return service;
  }

  create(cluster: Cluster, input: CreateServiceInput): Service {
    const sim = this.sim;
    const key = `${cluster.name}/${input.name}`;
    const existing = this.services.get(key);
    if (existing && existing.status !== 'INACTIVE') {
      throw invalidParameter('Creation of service was not idempotent.');
    }
    const td = sim.findTaskDefinition(input.taskDefinition);
    if (!td) throw invalidParameter('TaskDefinition not found.');
    if (td.status !== 'ACTIVE') throw invalidParameter('TaskDefinition is inactive');
    for (const lb of input.loadBalancers) {
      if (!sim.targetGroups.has(lb.targetGroupArn)) {
        throw invalidParameter(
          `Unable to assume role and validate the specified targetGroupArn. Target group ${lb.targetGroupArn} not found.`,
        );
      }
      const container = td.containerDefinitions.find((c) => c.name === lb.containerName);
      if (!container) {
        throw invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
      }
    }
    const config = this.deploymentConfiguration(input.deploymentConfiguration);
    const service: Service = {
      arn: sim.ecsArn(`service/${cluster.name}/${input.name}`),
      name: input.name,
      cluster,
      status: 'ACTIVE',
      desiredCount: input.desiredCount,
      taskDefinitionArn: '',
      deploymentConfiguration: config,
      deploymentController: { type: input.deploymentController?.type ?? 'ECS' },
      loadBalancers: input.loadBalancers,
      ...(input.healthCheckGracePeriodSeconds !== undefined
        ? { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds }
        : {}),
      launchType: input.launchType,
      ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
      deployments: [],
      events: [],
      createdAt: sim.now,
      tags: input.tags,
      steady: false,
      consecutiveStartFailures: 0,
      warnedUnableToStart: false,
    };
    this.services.set(key, service);
    sim.deployments.newDeployment(service, td.arn);
    return service;
  }

  private deploymentConfiguration(
    input: DeploymentConfiguration,
    base?: Service['deploymentConfiguration'],
  ): Service['deploymentConfiguration'] {
    const min = input.minimumHealthyPercent ?? base?.minimumHealthyPercent ?? 100;
    const max = input.maximumPercent ?? base?.maximumPercent ?? 200;
    if (min < 0 || min > 100) throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
    if (max < 100) throw invalidParameter('maximumPercent must be at least 100.');
    const breaker = input.deploymentCircuitBreaker ??
      base?.deploymentCircuitBreaker ?? { enable: false, rollback: false };
    const alarms = input.alarms ?? base?.alarms;
    const strategy = input.strategy ?? base?.strategy;
    const bake = input.bakeTimeInMinutes ?? base?.bakeTimeInMinutes;
    return {
      minimumHealthyPercent: min,
      maximumPercent: max,
      deploymentCircuitBreaker: {
        enable: breaker.enable,
        rollback: breaker.rollback,
        ...(breaker.resetOnHealthyTask !== undefined
          ? { resetOnHealthyTask: breaker.resetOnHealthyTask }
          : {}),
        ...(breaker.thresholdConfiguration
          ? { thresholdConfiguration: { ...breaker.thresholdConfiguration } }
          : {}),
      },
      ...(alarms ? { alarms: { ...alarms, alarmNames: [...alarms.alarmNames] } } : {}),
      ...(strategy ? { strategy } : {}),
      ...(bake !== undefined ? { bakeTimeInMinutes: bake } : {}),
    };
  }

  update(service: Service, input: UpdateServiceInput): void {
    const sim = this.sim;
    if (service.status !== 'ACTIVE')
      throw new ApiError('ServiceNotActiveException', 'Service was not ACTIVE.');
    let td: TaskDefinition | undefined;
    if (input.taskDefinition !== undefined) {
      td = sim.findTaskDefinition(input.taskDefinition);
      if (!td) throw invalidParameter('TaskDefinition not found.');
      if (td.status !== 'ACTIVE') throw new ApiError('ClientException', 'TaskDefinition is inactive');
      // UpdateService API reference: with the CODE_DEPLOY or EXTERNAL controller the task definition is changed by
      // a new CodeDeploy deployment (or a task set), not by UpdateService. Text as AWS answers it (boto3#1936).
      const controller = service.deploymentController.type;
      if (controller === 'CODE_DEPLOY') {
        throw invalidParameter(
          'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
        );
      }
      if (controller === 'EXTERNAL') {
        throw invalidParameter(
          'Unable to update task definition on services with a EXTERNAL deployment controller. Use task sets to deploy a new task definition.',
        );
      }
    }
    const config = input.deploymentConfiguration
      ? this.deploymentConfiguration(input.deploymentConfiguration, service.deploymentConfiguration)
      : undefined;
    // Validated: apply.
    if (config) service.deploymentConfiguration = config;
    if (input.healthCheckGracePeriodSeconds !== undefined)
      service.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
    if (input.desiredCount !== undefined && input.desiredCount !== service.desiredCount) {
      service.desiredCount = input.desiredCount;
      const primary = sim.primary(service);
      if (primary) primary.desiredCount = input.desiredCount;
      service.steady = false;
    }
    // A forced new deployment on a CODE_DEPLOY / EXTERNAL service changes nothing here (task sets are not modelled).
    const rolling = service.deploymentController.type === 'ECS';
    if ((td && td.arn !== service.taskDefinitionArn) || (input.forceNewDeployment && rolling)) {
      sim.deployments.newDeployment(service, td?.arn ?? service.taskDefinitionArn);
    }
    sim.scheduler.reconcileAll();
  }

  delete(service: Service, force: boolean): void {
    const sim = this.sim;
    if (service.status !== 'ACTIVE')
      throw new ApiError('ServiceNotActiveException', 'Service was not ACTIVE.');
    if (!force && service.desiredCount > 0) {
      throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
    }
    service.status = 'DRAINING';
    service.desiredCount = 0;
    service.deletedAt = sim.now;
    for (const d of service.deployments) if (d.status !== 'INACTIVE') d.desiredCount = 0;
    sim.record('service-state', {
      cluster: service.cluster.name,
      service: service.name,
      status: 'DRAINING',
    });
    sim.scheduler.reconcileAll();
  }

  /** Adds `(service NAME) message` to the service's events (the newest 100 kept, as DescribeServices shows). */
  event(service: Service, message: string): void {
    const sim = this.sim;
    const full = `(service ${service.name}) ${message}`;
    service.events.unshift({ id: sim.ids.uuid(), createdAt: sim.now, message: full });
    if (service.events.length > 100) service.events.length = 100;
    sim.record('service-event', { cluster: service.cluster.name, service: service.name, message: full });
  }

  /** A scenario's service starts as it would be found in AWS: its tasks running and healthy, the deployment COMPLETED. */
  startSteady(service: Service): void {
    const sim = this.sim;
    const deployment = service.deployments[0]!;
    const startedAt = sim.now - 3600_000;
    for (let i = 0; i < service.desiredCount; i++) {
      const task = sim.lifecycle.newTask(service, deployment, startedAt);
      task.lastStatus = 'RUNNING';
      task.pullStartedAt = startedAt + 1000;
      task.pullStoppedAt = startedAt + 5000;
      task.startedAt = startedAt + 6000;
      task.connectivityAt = startedAt + 1000;
      for (const c of task.containers) {
        c.lastStatus = 'RUNNING';
        if (c.healthCheck) c.healthStatus = 'HEALTHY';
      }
      sim.health.updateTaskHealth(task);
      sim.health.registerHealthyTargets(task, startedAt + 6000);
      sim.lifecycle.scheduleRunningBehaviour(task);
    }
    // Created with its first deployment, an hour ago.
    deployment.createdAt = deployment.updatedAt = startedAt;
    service.createdAt = startedAt;
    sim.deployments.completeDeployment(service, deployment, false);
  }

  runAction(action: ScenarioAction): void {
    const sim = this.sim;
    sim.record('scenario-action', { ...action });
    try {
      if (action.deleteService) {
        const cluster = sim.findCluster(action.deleteService.cluster);
        const service = this.find(cluster, action.deleteService.service);
        if (service) this.delete(service, true);
      } else if (action.updateService) {
        const cluster = sim.findCluster(action.updateService.cluster);
        const service = this.find(cluster, action.updateService.service);
        if (service) {
          this.update(service, {
            ...(action.updateService.taskDefinition
              ? { taskDefinition: action.updateService.taskDefinition }
              : {}),
            ...(action.updateService.desiredCount !== undefined
              ? { desiredCount: action.updateService.desiredCount }
              : {}),
          });
        }
      } else if (action.stopTask) {
        const cluster = sim.findCluster(action.stopTask.cluster);
        const service = this.find(cluster, action.stopTask.service);
        const task = service && sim.serviceTasks(service).find((t) => t.desiredStatus === 'RUNNING');
        if (task) {
          sim.stopTask(task, {
            stopCode: 'UserInitiated',
            reason: action.stopTask.reason ?? 'Task stopped by user',
            failed: false,
            drain: true,
          });
        }
      }
    } catch (error) {
      sim.record('scenario-action-failed', { message: (error as Error).message });
    }
  }
}
