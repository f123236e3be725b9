// Deployments of a service: creating one (the previous PRIMARY becomes ACTIVE), completing one (the others go
// INACTIVE), counting failed tasks, and the deployment circuit breaker with its rollback.
import type { Simulation } from '../simulation.js';
import type { Deployment, Service, Task } from './model.js';

/** The circuit breaker's failure threshold, as AWS documents it. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(Math.max(Math.ceil(0.5 * desiredCount), 3), 200);
}

export class Deployments {
  constructor(private readonly sim: Simulation) {}

  primary(service: Service): Deployment | undefined {
    return service.deployments.find((d) => d.status === 'PRIMARY');
  }

  newDeployment(service: Service, taskDefinitionArn: string, rollbackOf?: string): Deployment {
    const sim = this.sim;
    for (const d of service.deployments) {
      if (d.status === 'PRIMARY') {
        d.status = 'ACTIVE';
        d.updatedAt = sim.now;
        if (d.rolloutState === 'IN_PROGRESS' && !rollbackOf) {
          d.history = 'STOPPED';
          d.finishedAt = sim.now;
        }
      }
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
      rolloutStateReason: rollbackOf
        ? `ECS deployment circuit breaker: rolling back to deploymentId ${id}.`
        : `ECS deployment ${id} in progress.`,
      failedTasks: 0,
      totalFailedTasks: 0,
      history: rollbackOf ? 'ROLLBACK_IN_PROGRESS' : 'IN_PROGRESS',
      ...(rollbackOf ? { rollbackOf } : {}),
    };
    service.deployments.unshift(deployment);
    service.taskDefinitionArn = taskDefinitionArn;
    service.steady = false;
    this.recordDeployment(service, deployment);
    return deployment;
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
        if (d.history === 'IN_PROGRESS' || d.history === 'ROLLBACK_IN_PROGRESS') d.history = 'STOPPED';
        this.recordDeployment(service, d);
      }
    }
    const wasInProgress = deployment.rolloutState === 'IN_PROGRESS';
    if (wasInProgress) {
      deployment.rolloutState = 'COMPLETED';
      deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
      deployment.updatedAt = sim.now;
      deployment.finishedAt = sim.now;
      deployment.history = deployment.rollbackOf ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
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

  /** A task of the service stopped because it failed: counts toward its deployment while that is the PRIMARY in progress. */
  countFailure(service: Service, task: Task): void {
    const deployment = service.deployments.find((d) => d.id === task.deploymentId);
    if (!deployment) return;
    deployment.totalFailedTasks++;
    deployment.updatedAt = this.sim.now;
    if (deployment.status === 'PRIMARY' && deployment.rolloutState === 'IN_PROGRESS') {
      deployment.failedTasks++;
      service.consecutiveFailures++;
    }
    service.steady = false;
  }

  checkCircuitBreaker(service: Service, primary: Deployment): void {
    const sim = this.sim;
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    if (!breaker.enable || primary.rolloutState !== 'IN_PROGRESS') return;
    const threshold = circuitBreakerThreshold(primary.desiredCount);
    if (primary.failedTasks < threshold) return;
    primary.rolloutState = 'FAILED';
    primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    primary.updatedAt = sim.now;
    primary.finishedAt = sim.now;
    primary.history = primary.rollbackOf ? 'ROLLBACK_FAILED' : 'STOPPED';
    this.recordDeployment(service, primary);
    const target = breaker.rollback && !primary.rollbackOf ? service.lastCompleted : undefined;
    sim.record('circuit-breaker', {
      cluster: service.cluster.name,
      service: service.name,
      deploymentId: primary.id,
      failedTasks: primary.failedTasks,
      threshold,
      rollback: breaker.rollback,
      ...(target ? { rollbackTo: target.id, rollbackTaskDefinition: target.taskDefinitionArn } : {}),
    });
    sim.serviceEvent(service, `deployment ${primary.id} deployment failed: tasks failed to start.`);
    if (!target) return;
    // Roll back: a new PRIMARY on the last COMPLETED deployment's task definition; the failed one drains away.
    const rollback = this.newDeployment(service, target.taskDefinitionArn, primary.id);
    rollback.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`;
    rollback.rollbackReason = rollback.rolloutStateReason;
    sim.serviceEvent(service, `rolling back to deployment ${target.id}.`);
    for (const task of sim.serviceTasks(service)) {
      if (task.deploymentId === primary.id && task.desiredStatus === 'RUNNING' && !sim.isHealthy(task)) {
        sim.stopTask(task, {
          stopCode: 'ServiceSchedulerInitiated',
          reason: `Scaling activity initiated by (deployment ${rollback.id})`,
          failed: false,
          drain: false,
        });
      }
    }
  }
}
