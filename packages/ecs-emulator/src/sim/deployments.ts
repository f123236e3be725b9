// Deployments of a service: creating one (the previous PRIMARY becomes ACTIVE), completing one (the others go
// INACTIVE), counting failed tasks, and the deployment circuit breaker with its rollback.
import type { DeploymentCircuitBreaker } from '../scenario.js';
import type { Simulation } from '../simulation.js';
import type { Deployment, Service, Task } from './model.js';

/**
 * The circuit breaker's failure threshold for a desired count, as the SDK documents ThresholdType:
 * BOUNDED_PERCENT (the default, value 50) ceil(value% x desired) clamped to 3..200; UNBOUNDED_PERCENT the same
 * without the clamp (at least 1); COUNT the value itself.
 */
export function circuitBreakerThreshold(
  desiredCount: number,
  threshold: DeploymentCircuitBreaker['thresholdConfiguration'] = { type: 'BOUNDED_PERCENT', value: 50 },
): number {
  const percent = Math.ceil((threshold.value / 100) * desiredCount);
  switch (threshold.type) {
    case 'COUNT':
      return threshold.value;
    case 'UNBOUNDED_PERCENT':
      return Math.max(1, percent);
    default:
      return Math.min(Math.max(percent, 3), 200);
  }
}

export class Deployments {
  constructor(private readonly sim: Simulation) {}

  primary(service: Service): Deployment | undefined {
    return service.deployments.find((d) => d.status === 'PRIMARY');
  }

  /** A new PRIMARY deployment (IN_PROGRESS); the previous PRIMARY becomes ACTIVE and, if still in progress, is stopped. */
  newDeployment(service: Service, taskDefinitionArn: string): Deployment {
    const sim = this.sim;
    for (const d of service.deployments) {
      if (d.status !== 'PRIMARY') continue;
      d.status = 'ACTIVE';
      d.updatedAt = sim.now;
      if (d.rolloutState !== 'IN_PROGRESS') continue;
      // Superseded: its service deployment (or the rollback it was carrying out) is STOPPED.
      const stopped = d.rollingBackFrom ? this.byId(service, d.rollingBackFrom) : d;
      delete d.rollingBackFrom;
      if (stopped) {
        stopped.history = 'STOPPED';
        stopped.finishedAt = sim.now;
      }
    }
    // A new task definition ends the throttling at once (docs "service throttle logic").
    if (taskDefinitionArn !== service.taskDefinitionArn) {
      service.consecutiveStartFailures = 0;
      service.warnedUnableToStart = false;
      delete service.nextLaunchAt;
    }
    const id = `ecs-svc/${sim.ids.digits(19)}`;
    const deployment: Deployment = {
      id,
      status: 'PRIMARY',
      taskDefinitionArn,
      desiredCount: service.desiredCount,
      createdAt: sim.now,
      updatedAt: sim.now,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${id} in progress.`,
      failedTasks: 0,
      totalFailedTasks: 0,
      history: 'IN_PROGRESS',
    };
    if (sim.ready)
      deployment.launchNotBefore = sim.now + (sim.scenario.deploymentLaunchDelaySeconds ?? 0) * 1000;
    service.deployments.unshift(deployment);
    service.taskDefinitionArn = taskDefinitionArn;
    service.steady = false;
    this.recordDeployment(service, deployment);
    sim.alarms.deploymentStarted(deployment);
    return deployment;
  }

  byId(service: Service, id: string): Deployment | undefined {
    return service.deployments.find((d) => d.id === id);
  }

  recordDeployment(service: Service, d: Deployment): void {
    this.sim.record('deployment-state', {
      cluster: service.cluster.name,
      service: service.name,
      id: d.id,
      status: d.status,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
      taskDefinition: d.taskDefinitionArn,
      failedTasks: d.failedTasks,
      totalFailedTasks: d.totalFailedTasks,
    });
  }

  completeDeployment(service: Service, deployment: Deployment, announce: boolean): void {
    const sim = this.sim;
    for (const d of service.deployments) {
      if (d !== deployment && d.status !== 'INACTIVE') {
        d.status = 'INACTIVE';
        d.updatedAt = sim.now;
        d.finishedAt ??= sim.now;
        if (d.history === 'IN_PROGRESS') d.history = 'STOPPED';
        this.recordDeployment(service, d);
      }
    }
    if (deployment.rolloutState === 'IN_PROGRESS') {
      deployment.rolloutState = 'COMPLETED';
      deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
      deployment.updatedAt = sim.now;
      // A rollback completing finishes the failed deployment's service deployment; this one's own finished before.
      const failed = deployment.rollingBackFrom && this.byId(service, deployment.rollingBackFrom);
      delete deployment.rollingBackFrom;
      if (failed) {
        failed.history = 'ROLLBACK_SUCCESSFUL';
        failed.finishedAt = sim.now;
      } else {
        deployment.finishedAt = sim.now;
        deployment.history = 'SUCCESSFUL';
      }
      this.recordDeployment(service, deployment);
      if (announce) sim.serviceEvent(service, `(deployment ${deployment.id}) deployment completed.`);
    }
    service.lastCompleted = { id: deployment.id, taskDefinitionArn: deployment.taskDefinitionArn };
    service.steady = true;
    if (announce) sim.serviceEvent(service, 'has reached a steady state.');
    sim.record('steady-state', {
      cluster: service.cluster.name,
      service: service.name,
      deploymentId: deployment.id,
    });
  }

  /**
   * A task of the service stopped because it failed: counts toward its deployment's failedTasks while that is the
   * PRIMARY in progress; a task that never reached RUNNING is also a start failure (the throttle logic's count).
   */
  countFailure(service: Service, task: Task): void {
    const deployment = service.deployments.find((d) => d.id === task.deploymentId);
    if (task.stopCode === 'TaskFailedToStart') service.consecutiveStartFailures++;
    service.steady = false;
    if (!deployment) return;
    deployment.totalFailedTasks++;
    deployment.updatedAt = this.sim.now;
    if (deployment.status === 'PRIMARY' && deployment.rolloutState === 'IN_PROGRESS')
      deployment.failedTasks++;
  }

  /** A launch that failed before any task existed (scenario `failToLaunch`): a start failure of the deployment. */
  countStartFailure(service: Service, deployment: Deployment): void {
    service.consecutiveStartFailures++;
    service.steady = false;
    deployment.totalFailedTasks++;
    deployment.updatedAt = this.sim.now;
    if (deployment.status === 'PRIMARY' && deployment.rolloutState === 'IN_PROGRESS')
      deployment.failedTasks++;
  }

  checkCircuitBreaker(service: Service, primary: Deployment): void {
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    // The breaker belongs to the rolling (ECS) controller (DeploymentCircuitBreaker docs).
    if (!breaker.enable || primary.rolloutState !== 'IN_PROGRESS') return;
    if (service.deploymentController.type !== 'ECS') return;
    const threshold = circuitBreakerThreshold(service.desiredCount, breaker.thresholdConfiguration);
    if (primary.failedTasks < threshold) return;
    this.fail(service, primary, { cause: 'tasks-failed-to-start', rollback: breaker.rollback, threshold });
  }

  /**
   * Deployment alarms: an alarm that goes into ALARM while a service watching it (deploymentConfiguration.alarms,
   * enabled) has a deployment IN_PROGRESS (rollout or bake time) fails that deployment — "alarm detected" — and rolls
   * back when `rollback` is set. Alarms already in ALARM when the deployment started never fire this (only a
   * change into ALARM does); a rollback in progress is not failed by alarms (ECS-FACTS; deployment-alarm-failure
   * docs).
   */
  alarmWentIntoAlarm(alarmName: string): void {
    for (const service of this.sim.allServices()) {
      const alarms = service.deploymentConfiguration.alarms;
      if (service.status !== 'ACTIVE' || !alarms?.enable || !alarms.alarmNames.includes(alarmName)) continue;
      const primary = this.primary(service);
      if (!primary || primary.rolloutState !== 'IN_PROGRESS' || primary.rollingBackFrom) continue;
      if (primary.createdAt > this.sim.now) continue;
      this.fail(service, primary, { cause: 'alarm-detected', rollback: alarms.rollback, alarmName });
    }
  }

  /**
   * Fails the PRIMARY deployment, as the circuit breaker (or a deployment alarm) does: rolloutState FAILED, the
   * service event `(deployment ecs-svc/N) deployment failed: …`, no more launches for it. With rollback, ECS puts
   * the last COMPLETED deployment back to PRIMARY / IN_PROGRESS under its existing id (event `rolling back to
   * deployment ecs-svc/M.`) and the failed deployment leaves the deployments list (circuit-breaker docs;
   * aws-actions/amazon-ecs-deploy-task-definition#860). A deployment that fails while it is itself a rollback is
   * not rolled back again: the failed deployment's rollback is ROLLBACK_FAILED.
   */
  private fail(
    service: Service,
    primary: Deployment,
    how:
      | { cause: 'tasks-failed-to-start'; rollback: boolean; threshold: number }
      | { cause: 'alarm-detected'; rollback: boolean; alarmName: string },
  ): void {
    const sim = this.sim;
    const byAlarm = how.cause === 'alarm-detected';
    if (byAlarm) primary.triggeredAlarm = how.alarmName;
    primary.rolloutState = 'FAILED';
    primary.rolloutStateReason = byAlarm
      ? `ECS deployment alarms: alarm detected (${how.alarmName}).`
      : 'ECS deployment circuit breaker: tasks failed to start.';
    primary.updatedAt = sim.now;
    const rollingBackFrom = primary.rollingBackFrom && this.byId(service, primary.rollingBackFrom);
    delete primary.rollingBackFrom;
    if (rollingBackFrom) {
      rollingBackFrom.history = 'ROLLBACK_FAILED';
      rollingBackFrom.finishedAt = sim.now;
    } else {
      primary.history = 'STOPPED';
      primary.finishedAt = sim.now;
    }
    const target =
      how.rollback && !rollingBackFrom && service.lastCompleted && service.lastCompleted.id !== primary.id
        ? this.byId(service, service.lastCompleted.id)
        : undefined;
    sim.record(byAlarm ? 'deployment-alarm' : 'circuit-breaker', {
      cluster: service.cluster.name,
      service: service.name,
      deploymentId: primary.id,
      failedTasks: primary.failedTasks,
      ...(byAlarm ? { alarmName: how.alarmName } : { threshold: how.threshold }),
      rollback: how.rollback,
      ...(target ? { rollbackTo: target.id, rollbackTaskDefinition: target.taskDefinitionArn } : {}),
    });
    sim.serviceEvent(
      service,
      `(deployment ${primary.id}) deployment failed: ${byAlarm ? 'alarm detected' : 'tasks failed to start'}.`,
    );
    if (!target) {
      this.recordDeployment(service, primary);
      return;
    }
    // Roll back: the last COMPLETED deployment is PRIMARY and IN_PROGRESS again under its own id; the failed
    // deployment leaves the list and its unhealthy tasks stop now (healthy ones drain as the rollback proceeds).
    primary.status = 'INACTIVE';
    primary.history = 'ROLLBACK_IN_PROGRESS';
    delete primary.finishedAt;
    const reason = `${byAlarm ? 'ECS deployment alarms' : 'ECS deployment circuit breaker'}: rolling back to deploymentId ${target.id}.`;
    primary.rollback = {
      toId: target.id,
      taskDefinitionArn: target.taskDefinitionArn,
      startedAt: sim.now,
      reason,
    };
    this.recordDeployment(service, primary);
    target.status = 'PRIMARY';
    target.rolloutState = 'IN_PROGRESS';
    target.rolloutStateReason = reason;
    target.desiredCount = service.desiredCount;
    target.failedTasks = 0;
    target.updatedAt = sim.now;
    target.rollingBackFrom = primary.id;
    target.launchNotBefore = sim.now + (sim.scenario.deploymentLaunchDelaySeconds ?? 0) * 1000;
    service.taskDefinitionArn = target.taskDefinitionArn;
    service.steady = false;
    this.recordDeployment(service, target);
    sim.serviceEvent(service, `rolling back to deployment ${target.id}.`);
    for (const task of sim.serviceTasks(service)) {
      if (task.deploymentId === primary.id && task.desiredStatus === 'RUNNING' && !sim.isHealthy(task)) {
        sim.stopTask(task, {
          stopCode: 'ServiceSchedulerInitiated',
          reason: `Scaling activity initiated by (deployment ${target.id})`,
          failed: false,
          drain: false,
        });
      }
    }
  }
}
