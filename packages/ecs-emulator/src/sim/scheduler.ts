// The service scheduler: after every change, reconcile each service toward its desired state — replace unhealthy
// tasks, stop surplus and old-deployment tasks within minimumHealthyPercent, start primary tasks within
// maximumPercent (subject to the launch backoff), check the circuit breaker and detect the steady state.
import type { Simulation } from '../simulation.js';
import type { Deployment, Service, Task } from './model.js';

/** The throttle logic's longest delay between launches: 27 minutes (docs "service throttle logic"). */
export const THROTTLE_MAX_SECONDS = 27 * 60;
/** After a launch that failed (no task created), the scheduler tries again this much later (emulator's choice). */
export const LAUNCH_RETRY_SECONDS = 10;

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

    const desired = service.desiredCount;
    const maxTotal = Math.floor((desired * service.deploymentConfiguration.maximumPercent) / 100);
    const minHealthy = Math.ceil((desired * service.deploymentConfiguration.minimumHealthyPercent) / 100);
    this.replaceUnhealthy(service, maxTotal);

    const primary = sim.primary(service);
    if (!primary) return;
    sim.deployments.checkCircuitBreaker(service, primary);
    const current = sim.primary(service)!;
    const live = sim.serviceTasks(service).filter((t) => t.desiredStatus === 'RUNNING');
    // Unhealthy tasks waiting for their replacement no longer count: their replacements take their place.
    const ofPrimary = live.filter((t) => t.deploymentId === current.id && !t.unhealthy);
    const older = live.filter((t) => t.deploymentId !== current.id);

    // A primary task becoming healthy resets the failure count (the breaker's resetOnHealthyTask, default true).
    const reset = service.deploymentConfiguration.deploymentCircuitBreaker.resetOnHealthyTask !== false;
    for (const task of ofPrimary) {
      if (task.reachedHealthy || !sim.isHealthy(task)) continue;
      task.reachedHealthy = true;
      if (reset) current.failedTasks = 0;
    }

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

    // Stop old deployments' tasks while the healthy count stays at or above minimumHealthyPercent: unhealthy ones
    // first (they serve nothing), then healthy ones. Unhealthy old tasks wait for their replacement of the same
    // revision, and a replacement still starting is left alone (ECS, November 2025).
    let healthy = live.filter((t) => t.desiredStatus === 'RUNNING' && sim.isHealthy(t)).length;
    const olderByHealth = older
      .filter(
        (t) =>
          t.desiredStatus === 'RUNNING' &&
          !t.unhealthy &&
          !sim.health.failingChecks(t) &&
          !(t.replaces && !sim.isHealthy(t)),
      )
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

    // Start tasks for the primary deployment up to desired, within maximumPercent (a FAILED deployment launches no
    // more), unless the throttle logic holds launches back.
    if (!failedNoRollback) {
      const count = ofPrimary.length - stopped.filter((t) => t.deploymentId === current.id).length;
      this.launchUpTo(service, current, desired - count, maxTotal);
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
      current.rolloutState !== 'FAILED' &&
      this.baked(service, current)
    ) {
      sim.deployments.completeDeployment(service, current, true);
    }
  }

  /**
   * Unhealthy tasks (container health check, or ELB after the grace period) are replaced first: ECS starts a
   * replacement of the same revision and stops the unhealthy task when the replacement is healthy, or cannot become
   * so (stopped, or unhealthy itself). When maximumPercent leaves no room, or the task's deployment launches no more,
   * the unhealthy task is stopped at once (What's New 2023-10 and 2025-11; SDK doc of minimumHealthyPercent).
   */
  private replaceUnhealthy(service: Service, maxTotal: number): void {
    const sim = this.sim;
    for (const task of sim.serviceTasks(service)) {
      if (task.desiredStatus !== 'RUNNING') continue;
      if (!task.unhealthy) {
        const reason = sim.health.replacementReason(task);
        if (!reason) continue;
        task.unhealthy = { since: sim.now, reason };
        task.version++;
      }
      const replacement = task.replacedBy ? sim.tasks.get(task.replacedBy) : undefined;
      if (replacement) {
        if (
          sim.isHealthy(replacement) ||
          replacement.desiredStatus === 'STOPPED' ||
          replacement.unhealthy !== undefined
        ) {
          this.stopUnhealthy(service, task);
        }
        continue;
      }
      const deployment = service.deployments.find((d) => d.id === task.deploymentId);
      const total = sim.serviceTasks(service).filter((t) => t.desiredStatus === 'RUNNING').length;
      const launches =
        deployment !== undefined &&
        deployment.status !== 'INACTIVE' &&
        deployment.rolloutState !== 'FAILED' &&
        this.launchError(deployment) === undefined;
      if (!launches || total >= maxTotal) {
        this.stopUnhealthy(service, task);
        continue;
      }
      const started = sim.lifecycle.launch(service, deployment);
      started.replaces = task.arn;
      task.replacedBy = started.arn;
      service.lastLaunchAt = sim.now;
      sim.serviceEvent(
        service,
        `has started 1 tasks: (task ${started.id}). Amazon ECS replaced 1 tasks due to an unhealthy status.`,
      );
    }
  }

  private stopUnhealthy(service: Service, task: Task): void {
    this.sim.stopTask(task, {
      stopCode: 'ServiceSchedulerInitiated',
      reason: task.unhealthy!.reason,
      failed: true,
      drain: false,
    });
    this.sim.serviceEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
  }

  /** The error the deployment's image fails to launch with (scenario `failToLaunch`), if any. */
  private launchError(deployment: Deployment): string | undefined {
    const td = this.sim.findTaskDefinition(deployment.taskDefinitionArn);
    for (const c of td?.containerDefinitions ?? []) {
      const error = this.sim.behaviourOf(c.image).failToLaunch;
      if (error) return error;
    }
    return undefined;
  }

  /**
   * Launches up to `wanted` tasks of the deployment within maximumPercent, unless the throttle logic (start
   * failures only) or a failed launch's retry delay holds launches back.
   */
  private launchUpTo(service: Service, deployment: Deployment, wanted: number, maxTotal: number): void {
    const sim = this.sim;
    if (wanted <= 0) return;
    let total = sim.serviceTasks(service).filter((t) => t.desiredStatus === 'RUNNING').length;
    if (total >= maxTotal) return;
    const holdUntil = Math.max(
      service.nextLaunchAt ?? 0,
      this.throttledUntil(service) ?? 0,
      deployment.launchNotBefore ?? 0,
    );
    const throttled = service.consecutiveStartFailures >= this.throttleAfter();
    if (sim.now < holdUntil) {
      sim.at(holdUntil, () => undefined);
      if (throttled) this.warnUnableToStart(service);
      return;
    }
    const error = this.launchError(deployment);
    if (error) {
      // No task is created: ECS reports the failed launch and tries again on a later scheduler cycle.
      service.lastLaunchAt = sim.now;
      service.nextLaunchAt = sim.now + LAUNCH_RETRY_SECONDS * 1000;
      sim.serviceEvent(service, `failed to launch a task with (error ${error}).`);
      sim.deployments.countStartFailure(service, deployment);
      return;
    }
    const started: Task[] = [];
    while (started.length < wanted && total < maxTotal) {
      started.push(sim.lifecycle.launch(service, deployment));
      total++;
    }
    service.lastLaunchAt = sim.now;
    sim.serviceEvent(
      service,
      `has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`,
    );
    if (throttled) this.warnUnableToStart(service);
  }

  /** The service event ECS gives when its throttle logic engages (once per run of start failures). */
  private warnUnableToStart(service: Service): void {
    if (service.warnedUnableToStart) return;
    service.warnedUnableToStart = true;
    this.sim.serviceEvent(
      service,
      'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
  }

  /**
   * With deployment alarms enabled, a deployment that reached its steady state stays IN_PROGRESS for a bake time
   * (the longest period x evaluationPeriods of its alarms: ECS computes it from the alarm configuration and does not
   * publish how) during which an alarm still fails it. Rollbacks do not bake.
   */
  private baked(service: Service, deployment: Deployment): boolean {
    const alarms = service.deploymentConfiguration.alarms;
    if (!alarms?.enable || deployment.rolloutState !== 'IN_PROGRESS' || deployment.rollingBackFrom)
      return true;
    if (deployment.bakeUntil === undefined) {
      deployment.bakeUntil = this.sim.now + this.sim.alarms.bakeSeconds(alarms.alarmNames) * 1000;
      this.sim.at(deployment.bakeUntil, () => undefined);
    }
    return this.sim.now >= deployment.bakeUntil;
  }

  /** A task of the service reached RUNNING: the run of start failures is over. */
  taskReachedRunning(service: Service): void {
    service.consecutiveStartFailures = 0;
    service.warnedUnableToStart = false;
  }

  private throttleAfter(): number {
    return this.sim.scenario.launchBackoff?.afterFailures ?? 3;
  }

  /**
   * ECS's service throttle logic, with the scenario's `launchBackoff` as its (unpublished) increments: after
   * `afterFailures` start failures in a row (tasks that never reached RUNNING), each launch waits
   * initialSeconds x 2^(failures - afterFailures), at most maxSeconds (27 minutes, the documented cap), after the
   * previous one. Without `launchBackoff` launches are not delayed (a fast profile).
   */
  private throttledUntil(service: Service): number | undefined {
    const backoff = this.sim.scenario.launchBackoff;
    if (!backoff || service.lastLaunchAt === undefined) return undefined;
    const over = service.consecutiveStartFailures - (backoff.afterFailures ?? 3);
    if (over < 0) return undefined;
    const cap = Math.min(backoff.maxSeconds ?? THROTTLE_MAX_SECONDS, THROTTLE_MAX_SECONDS);
    const seconds = Math.min(cap, (backoff.initialSeconds ?? 10) * 2 ** over);
    return service.lastLaunchAt + seconds * 1000;
  }
}
