// The service scheduler: after every change, reconcile each service toward its desired state — replace unhealthy
// tasks, stop surplus and old-deployment tasks within minimumHealthyPercent, start primary tasks within
// maximumPercent (subject to the launch backoff), check the circuit breaker and detect the steady state.
import type { Simulation } from '../simulation.js';
import type { Service, Task } from './model.js';
import { ELB_REACTION_SECONDS } from './health.js';

export class Scheduler {
  constructor(private readonly sim: Simulation) {}

  reconcileAll(): void {
    for (const service of this.sim.allServices()) {
      if (service.status !== 'INACTIVE') this.reconcile(service);
    }
  }

  private reconcile(service: Service): void {
    const sim = this.sim;
    const tasks = sim.serviceTasks(service);
    const alive = tasks.filter((t) => t.desiredStatus === 'RUNNING');

    if (service.status === 'DRAINING') {
      for (const task of alive) {
        sim.stopTask(task, {
          stopCode: 'ServiceSchedulerInitiated',
          reason: `Service ${service.name} deleted`,
          failed: false,
          drain: true,
        });
      }
      if (tasks.every((t) => t.lastStatus === 'STOPPED')) {
        service.status = 'INACTIVE';
        for (const d of service.deployments) d.status = 'INACTIVE';
        sim.record('service-state', {
          cluster: service.cluster.name,
          service: service.name,
          status: 'INACTIVE',
        });
      }
      return;
    }

    this.replaceUnhealthy(service, alive);

    const primary = sim.primary(service);
    if (!primary) return;
    sim.deployments.checkCircuitBreaker(service, primary);
    const current = sim.primary(service)!;
    const live = sim.serviceTasks(service).filter((t) => t.desiredStatus === 'RUNNING');
    const ofPrimary = live.filter((t) => t.deploymentId === current.id);
    const older = live.filter((t) => t.deploymentId !== current.id);

    // A primary task becoming healthy resets the failure count (the breaker's resetOnHealthyTask, default true).
    const reset = service.deploymentConfiguration.deploymentCircuitBreaker.resetOnHealthyTask !== false;
    for (const task of ofPrimary) {
      if (task.reachedHealthy || !sim.isHealthy(task)) continue;
      task.reachedHealthy = true;
      if (reset) current.failedTasks = 0;
      service.consecutiveFailures = 0;
      service.warnedUnableToStart = false;
    }

    const desired = service.desiredCount;
    const maxTotal = Math.floor((desired * service.deploymentConfiguration.maximumPercent) / 100);
    const minHealthy = Math.ceil((desired * service.deploymentConfiguration.minimumHealthyPercent) / 100);
    const failedNoRollback = current.rolloutState === 'FAILED';

    // Stop surplus primary tasks (scale in), newest first.
    const stopped: Task[] = [];
    for (const task of ofPrimary.slice(desired).reverse()) {
      sim.stopTask(task, {
        stopCode: 'ServiceSchedulerInitiated',
        reason: `Scaling activity initiated by (deployment ${current.id})`,
        failed: false,
        drain: true,
      });
      stopped.push(task);
    }

    // Stop old deployments' tasks while the healthy count stays at or above minimumHealthyPercent:
    // unhealthy ones first (they serve nothing), then healthy ones.
    let healthy = live.filter((t) => t.desiredStatus === 'RUNNING' && sim.isHealthy(t)).length;
    const olderByHealth = older
      .filter((t) => t.desiredStatus === 'RUNNING')
      .sort((a, b) => Number(sim.isHealthy(a)) - Number(sim.isHealthy(b)));
    for (const task of olderByHealth) {
      const taskHealthy = sim.isHealthy(task);
      if (taskHealthy && (healthy - 1 < minHealthy || failedNoRollback)) continue;
      sim.stopTask(task, {
        stopCode: 'ServiceSchedulerInitiated',
        reason: `Scaling activity initiated by (deployment ${current.id})`,
        failed: false,
        drain: true,
      });
      stopped.push(task);
      if (taskHealthy) healthy--;
    }
    if (stopped.length > 0) {
      sim.serviceEvent(
        service,
        `has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${t.id})`).join(' ')}.`,
      );
    }

    // Start tasks for the primary deployment up to desired, within maximumPercent (a FAILED deployment launches no more).
    const started: Task[] = [];
    const backoffUntil = this.launchBackoffUntil(service);
    if (backoffUntil !== undefined && sim.now < backoffUntil) {
      sim.at(backoffUntil, () => undefined);
    } else if (!failedNoRollback) {
      let total = sim.serviceTasks(service).filter((t) => t.desiredStatus === 'RUNNING').length;
      let count = ofPrimary.length - stopped.filter((t) => t.deploymentId === current.id).length;
      while (count < desired && total < maxTotal) {
        started.push(sim.lifecycle.launch(service, current));
        count++;
        total++;
      }
    }
    if (started.length > 0) {
      service.lastLaunchAt = sim.now;
      sim.serviceEvent(
        service,
        `has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`,
      );
      if (service.consecutiveFailures >= 10 && !service.warnedUnableToStart) {
        service.warnedUnableToStart = true;
        sim.serviceEvent(
          service,
          'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
        );
      }
    }

    // Old deployments shrink as their tasks stop, and go INACTIVE when none is left.
    for (const d of service.deployments) {
      if (d.status !== 'ACTIVE') continue;
      const left = sim
        .serviceTasks(service)
        .filter((t) => t.deploymentId === d.id && t.desiredStatus === 'RUNNING').length;
      if (d.desiredCount !== left) {
        d.desiredCount = left;
        d.updatedAt = sim.now;
      }
    }

    // Steady state: the primary has desired healthy tasks and nothing else runs.
    const nowLive = sim
      .serviceTasks(service)
      .filter((t) => t.desiredStatus === 'RUNNING' || t.lastStatus !== 'STOPPED');
    const primaryHealthy = nowLive.filter((t) => t.deploymentId === current.id && sim.isHealthy(t)).length;
    const othersLeft = nowLive.some((t) => t.deploymentId !== current.id && t.lastStatus !== 'STOPPED');
    const primaryExtra = nowLive.filter((t) => t.deploymentId === current.id && !sim.isHealthy(t)).length;
    if (
      !service.steady &&
      primaryHealthy === desired &&
      !othersLeft &&
      primaryExtra === 0 &&
      current.rolloutState !== 'FAILED'
    ) {
      sim.deployments.completeDeployment(service, current, true);
    }
  }

  /** Tasks that fail their container health checks, or their ELB health checks after the grace period, are replaced. */
  private replaceUnhealthy(service: Service, alive: Task[]): void {
    const sim = this.sim;
    for (const task of alive) {
      if (
        task.lastStatus === 'RUNNING' &&
        task.healthStatus === 'UNHEALTHY' &&
        task.desiredStatus === 'RUNNING'
      ) {
        sim.stopTask(task, {
          stopCode: 'ServiceSchedulerInitiated',
          reason: 'Task failed container health checks',
          failed: true,
          drain: false,
        });
        sim.serviceEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
      }
    }

    const grace = (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
    for (const task of alive) {
      if (task.lastStatus !== 'RUNNING' || sim.now < (task.startedAt ?? 0) + grace) continue;
      const failedIn = service.loadBalancers
        .map((lb) => sim.targetGroups.get(lb.targetGroupArn))
        .find((tg) => {
          const target = tg?.targets.get(task.ip);
          return (
            target?.state === 'unhealthy' &&
            sim.now >= (target.unhealthySince ?? 0) + ELB_REACTION_SECONDS * 1000
          );
        });
      if (failedIn) {
        sim.stopTask(task, {
          stopCode: 'ServiceSchedulerInitiated',
          reason: `Task failed ELB health checks in (target-group ${failedIn.arn})`,
          failed: true,
          drain: false,
        });
        sim.serviceEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
      }
    }
  }

  /**
   * The optional ECS-like launch backoff (scenario `launchBackoff`): after `afterFailures` failures in a row, each
   * launch waits initialSeconds x 2^(failures - afterFailures), at most maxSeconds, after the previous one.
   */
  private launchBackoffUntil(service: Service): number | undefined {
    const backoff = this.sim.scenario.launchBackoff;
    if (!backoff || service.lastLaunchAt === undefined) return undefined;
    const over = service.consecutiveFailures - (backoff.afterFailures ?? 3);
    if (over < 0) return undefined;
    const seconds = Math.min(backoff.maxSeconds ?? 900, (backoff.initialSeconds ?? 10) * 2 ** over);
    return service.lastLaunchAt + seconds * 1000;
  }
}
