// Health: ELB target registration, health checks and draining, and container health checks — what makes a task
// count as healthy for the scheduler, and what makes ECS replace it.
import type { ImageBehaviourFields } from '../scenario.js';
import type { Simulation } from '../simulation.js';
import type { Container, Target, TargetGroup, Task } from './model.js';

/** ECS notices an unhealthy target on its next look at target health, not instantly. */
export const ELB_REACTION_SECONDS = 10;

/**
 * A task with no health check (no load balancer, no essential container health check) counts toward
 * minimumHealthyPercent this long after it reaches RUNNING (SDK doc of DeploymentConfiguration.minimumHealthyPercent).
 */
export const NO_HEALTH_CHECK_SECONDS = 40;

export class Health {
  constructor(private readonly sim: Simulation) {}

  /** Registers a task that just reached RUNNING in its service's target groups (`initial`). */
  registerTargets(task: Task): void {
    const sim = this.sim;
    const service = task.service;
    if (!service) return;
    for (const lb of service.loadBalancers) {
      const tg = sim.targetGroups.get(lb.targetGroupArn);
      if (!tg) continue;
      const target: Target = {
        id: task.ip,
        port: lb.containerPort,
        taskArn: task.arn,
        state: 'initial',
        reason: 'Elb.RegistrationInProgress',
        description: 'Target registration is in progress',
        passes: 0,
        failures: 0,
        registeredAt: sim.now,
      };
      tg.targets.set(task.ip, target);
      task.targetGroupArns.push(tg.arn);
      this.recordTarget(tg, target);
      sim.serviceEvent(service, `registered 1 targets in (target-group ${tg.arn})`);
      this.scheduleHealthCheck(tg, task.ip);
    }
  }

  /** A scenario's starting task: registered and already healthy in its service's target groups. */
  registerHealthyTargets(task: Task, registeredAt: number): void {
    const service = task.service;
    if (!service) return;
    for (const lb of service.loadBalancers) {
      const tg = this.sim.targetGroups.get(lb.targetGroupArn);
      if (!tg) continue;
      tg.targets.set(task.ip, {
        id: task.ip,
        port: lb.containerPort,
        taskArn: task.arn,
        state: 'healthy',
        passes: tg.healthyThreshold,
        failures: 0,
        registeredAt,
      });
      task.targetGroupArns.push(tg.arn);
      this.scheduleHealthCheck(tg, task.ip);
    }
  }

  /**
   * Puts a stopping task's targets into `draining`; each is removed after its group's deregistration delay.
   * Returns the longest delay in seconds (0 without targets).
   */
  drainTargets(task: Task): number {
    const sim = this.sim;
    const service = task.service;
    let drainSeconds = 0;
    for (const tgArn of task.targetGroupArns) {
      const tg = sim.targetGroups.get(tgArn);
      const target = tg?.targets.get(task.ip);
      if (!tg || !target) continue;
      target.state = 'draining';
      target.reason = 'Target.DeregistrationInProgress';
      target.description = 'Target deregistration is in progress';
      this.recordTarget(tg, target);
      drainSeconds = Math.max(drainSeconds, tg.deregistrationDelaySeconds);
      sim.after(tg.deregistrationDelaySeconds, () => {
        tg.targets.delete(task.ip);
        sim.record('target-health', {
          targetGroupArn: tg.arn,
          targetId: target.id,
          taskArn: task.arn,
          state: 'unused',
          reason: 'Target.NotRegistered',
        });
        if (service) sim.serviceEvent(service, `deregistered 1 targets in (target-group ${tg.arn})`);
      });
    }
    return drainSeconds;
  }

  private recordTarget(tg: TargetGroup, target: Target): void {
    this.sim.record('target-health', {
      targetGroupArn: tg.arn,
      targetId: target.id,
      taskArn: target.taskArn,
      state: target.state,
      ...(target.reason ? { reason: target.reason } : {}),
    });
  }

  private scheduleHealthCheck(tg: TargetGroup, targetId: string): void {
    this.sim.after(tg.intervalSeconds, () => {
      const target = tg.targets.get(targetId);
      if (!target || target.state === 'draining') return;
      const task = this.sim.tasks.get(target.taskArn);
      if (!task) return;
      this.healthCheck(tg, target, task);
      this.scheduleHealthCheck(tg, targetId);
    });
  }

  private healthCheck(tg: TargetGroup, target: Target, task: Task): void {
    const sim = this.sim;
    const lb = task.service?.loadBalancers.find((l) => l.targetGroupArn === tg.arn);
    const container = task.containers.find((c) => c.name === lb?.containerName) ?? task.containers[0];
    const passes = this.elbPasses(task, lb?.containerName);
    const before = target.state;
    if (passes) {
      target.passes++;
      target.failures = 0;
      if (target.state !== 'healthy' && target.passes >= tg.healthyThreshold) {
        target.state = 'healthy';
        delete target.reason;
        delete target.description;
      } else if (target.state === 'initial') {
        target.reason = 'Elb.InitialHealthChecking';
        target.description = 'Initial health checks in progress';
      }
    } else {
      target.failures++;
      target.passes = 0;
      if (target.state !== 'unhealthy' && target.failures >= tg.unhealthyThreshold) {
        const description =
          container?.behaviour.unhealthyReason ?? 'Health checks failed with these codes: [502]';
        target.state = 'unhealthy';
        target.unhealthySince = sim.now;
        sim.after(ELB_REACTION_SECONDS, () => undefined);
        target.reason = /timed out|timeout/i.test(description)
          ? 'Target.Timeout'
          : 'Target.ResponseCodeMismatch';
        target.description = description;
      } else if (target.state === 'initial') {
        target.reason = 'Elb.InitialHealthChecking';
        target.description = 'Initial health checks in progress';
      }
    }
    if (target.state !== before) {
      this.recordTarget(tg, target);
      const service = task.service;
      if (service && target.state === 'unhealthy') {
        sim.serviceEvent(
          service,
          `(task ${task.id}) (port ${target.port}) is unhealthy in (target-group ${tg.arn}) due to (reason ${target.description}).`,
        );
      }
    }
  }

  /** Whether the container behind the target answers its health check now. */
  elbPasses(task: Task, containerName?: string): boolean {
    const container = task.containers.find((c) => c.name === containerName) ?? task.containers[0];
    if (!container || container.lastStatus !== 'RUNNING') return false;
    return this.healthyNow(task, container.behaviour.elbHealthy);
  }

  /** A behaviour's health (a boolean, or steps over time since RUNNING) at the current simulated time. */
  private healthyNow(task: Task, healthy: ImageBehaviourFields['elbHealthy']): boolean {
    if (healthy === undefined || typeof healthy === 'boolean') return healthy ?? true;
    const since = (this.sim.now - (task.startedAt ?? this.sim.now)) / 1000;
    let state = true;
    for (const step of [...healthy].sort((a, b) => a.afterSeconds - b.afterSeconds))
      if (since >= step.afterSeconds) state = step.healthy;
    return state;
  }

  scheduleContainerHealthCheck(task: Task, container: Container): void {
    const check = container.healthCheck;
    if (!check) return;
    this.sim.after(check.interval, () => {
      if (task.desiredStatus !== 'RUNNING' || container.lastStatus !== 'RUNNING') return;
      const passes = this.healthyNow(task, container.behaviour.containerHealthy);
      const inStartPeriod = this.sim.now < (task.startedAt ?? this.sim.now) + check.startPeriod * 1000;
      if (passes) {
        container.healthFailures = 0;
        container.healthStatus = 'HEALTHY';
      } else if (!inStartPeriod) {
        container.healthFailures++;
        if (container.healthFailures >= check.retries) container.healthStatus = 'UNHEALTHY';
      }
      this.updateTaskHealth(task);
      this.scheduleContainerHealthCheck(task, container);
    });
  }

  /** The task's healthStatus from its essential containers' health checks, as ECS derives it. */
  updateTaskHealth(task: Task): void {
    const checked = task.containers.filter((c) => c.healthCheck && c.essential);
    let status: Task['healthStatus'] = 'UNKNOWN';
    if (checked.some((c) => c.healthStatus === 'UNHEALTHY')) status = 'UNHEALTHY';
    else if (checked.length > 0 && checked.every((c) => c.healthStatus === 'HEALTHY')) status = 'HEALTHY';
    if (status !== task.healthStatus) {
      task.healthStatus = status;
      task.version++;
      this.sim.record('task-health', {
        cluster: task.cluster.name,
        service: task.service?.name,
        taskArn: task.arn,
        healthStatus: status,
      });
      if (status === 'UNHEALTHY' && task.service)
        this.sim.serviceEvent(task.service, `(task ${task.id}) failed container health checks.`);
    }
  }

  /**
   * Whether the task counts as healthy (toward minimumHealthyPercent, the breaker's reset and the steady state),
   * as the SDK doc of minimumHealthyPercent says: RUNNING; with essential container health checks, HEALTHY; behind a
   * load balancer, healthy in every target group; with neither, 40 s after RUNNING.
   */
  isHealthy(task: Task): boolean {
    if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING' || task.unhealthy) return false;
    const checked = task.containers.some((c) => c.healthCheck && c.essential);
    if (checked && task.healthStatus !== 'HEALTHY') return false;
    const service = task.service;
    if (service && service.loadBalancers.length > 0) {
      return service.loadBalancers.every(
        (lb) => this.sim.targetGroups.get(lb.targetGroupArn)?.targets.get(task.ip)?.state === 'healthy',
      );
    }
    return checked || this.sim.now >= (task.startedAt ?? this.sim.now) + NO_HEALTH_CHECK_SECONDS * 1000;
  }

  /** Its checks are failing (container UNHEALTHY, or a target unhealthy), whether or not ECS has acted yet. */
  failingChecks(task: Task): boolean {
    if (task.healthStatus === 'UNHEALTHY') return true;
    return task.targetGroupArns.some(
      (arn) => this.sim.targetGroups.get(arn)?.targets.get(task.ip)?.state === 'unhealthy',
    );
  }

  /**
   * Why ECS replaces this RUNNING task, if it does: an UNHEALTHY container health check, or a target unhealthy
   * (noticed ELB_REACTION_SECONDS later) once the service's health check grace period since RUNNING is over.
   */
  replacementReason(task: Task): string | undefined {
    if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return undefined;
    if (task.healthStatus === 'UNHEALTHY') return 'Task failed container health checks';
    const service = task.service;
    if (!service) return undefined;
    const now = this.sim.now;
    if (now < (task.startedAt ?? 0) + (service.healthCheckGracePeriodSeconds ?? 0) * 1000) return undefined;
    const failedIn = service.loadBalancers
      .map((lb) => this.sim.targetGroups.get(lb.targetGroupArn))
      .find((tg) => {
        const target = tg?.targets.get(task.ip);
        return (
          target?.state === 'unhealthy' && now >= (target.unhealthySince ?? 0) + ELB_REACTION_SECONDS * 1000
        );
      });
    return failedIn ? `Task failed ELB health checks in (target-group ${failedIn.arn})` : undefined;
  }
}
