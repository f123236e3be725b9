// Task lifecycle and logs: tasks are created for a deployment, go PROVISIONING -> PENDING -> RUNNING (or fail to
// start), write their image's log lines to awslogs streams, exit when their image says so, and stop through
// DEACTIVATING -> STOPPING -> STOPPED. STOPPED tasks stay listed for the retention period.
import { EXTERNAL_STOP_REASONS, imageMatches, type ScenarioContainerDefinition } from '../scenario.js';
import type { Simulation } from '../simulation.js';
import { NO_HEALTH_CHECK_SECONDS } from './health.js';
import type { Container, Deployment, LogGroup, Service, Task, TaskStatus } from './model.js';

const DEFAULT_BEHAVIOUR = { startSeconds: 5, exitCode: 1 } as const;

/** A container definition's healthCheck with AWS's defaults (interval 30 s, retries 3, startPeriod 0). */
function healthCheckOf(c: ScenarioContainerDefinition): Container['healthCheck'] {
  const check = c.healthCheck as
    { command?: unknown; interval?: number; retries?: number; startPeriod?: number } | undefined;
  if (!check || typeof check !== 'object' || !Array.isArray(check.command)) return undefined;
  return { interval: check.interval ?? 30, retries: check.retries ?? 3, startPeriod: check.startPeriod ?? 0 };
}

export interface StopHow {
  stopCode: NonNullable<Task['stopCode']>;
  reason: string;
  /** Counts toward the deployment's failedTasks (crash, failed to start, failed health checks). */
  failed: boolean;
  /** A graceful stop: wait for the targets to drain before STOPPING. */
  drain: boolean;
}

export class TaskLifecycle {
  readonly tasks = new Map<string, Task>();
  readonly logGroups = new Map<string, LogGroup>();
  private readonly tasksByService = new Map<Service, Task[]>();
  private ipCounter = 10;
  private logSequence = 0;
  private readonly retentionMs: number;

  constructor(private readonly sim: Simulation) {
    this.retentionMs = (sim.scenario.stoppedTaskRetentionSeconds ?? 3600) * 1000;
  }

  /** The service's tasks (STOPPED ones until they expire), oldest first; a copy, safe to iterate while changing state. */
  serviceTasks(service: Service): Task[] {
    return [...(this.tasksByService.get(service) ?? [])];
  }

  behaviourOf(image: string): Container['behaviour'] {
    const scenario = this.sim.scenario;
    const match = (scenario.images ?? []).find((b) => imageMatches(b.match, image));
    return { ...DEFAULT_BEHAVIOUR, ...(scenario.defaultImage ?? {}), ...(match ?? {}) };
  }

  newTask(service: Service, deployment: Deployment, createdAt = this.sim.now): Task {
    const sim = this.sim;
    const td = sim.findTaskDefinition(deployment.taskDefinitionArn)!;
    const id = sim.ids.hex(32);
    const arn = sim.ecsArn(`task/${service.cluster.name}/${id}`);
    const octet = this.ipCounter++;
    const task: Task = {
      arn,
      id,
      cluster: service.cluster,
      service,
      deploymentId: deployment.id,
      startedBy: deployment.id,
      group: `service:${service.name}`,
      taskDefinition: td,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      healthStatus: 'UNKNOWN',
      createdAt,
      containers: td.containerDefinitions.map((c) => {
        const options = c.logConfiguration?.options;
        const log =
          c.logConfiguration?.logDriver === 'awslogs' && options?.['awslogs-group']
            ? {
                group: options['awslogs-group'],
                stream: `${options['awslogs-stream-prefix'] ? `${options['awslogs-stream-prefix']}/` : ''}${c.name}/${id}`,
              }
            : undefined;
        return {
          name: c.name,
          image: c.image,
          ...(typeof c.stopTimeout === 'number' ? { stopTimeout: c.stopTimeout } : {}),
          arn: sim.ecsArn(`container/${service.cluster.name}/${id}/${sim.ids.uuid()}`),
          runtimeId: `${id}-${sim.ids.digits(10)}`,
          essential: c.essential !== false,
          lastStatus: 'PENDING' as const,
          behaviour: this.behaviourOf(c.image),
          ...(log ? { log } : {}),
          ...(healthCheckOf(c) ? { healthCheck: healthCheckOf(c)! } : {}),
          healthStatus: 'UNKNOWN' as const,
          healthFailures: 0,
          portMappings: c.portMappings ?? [],
        };
      }),
      ip: `10.0.${Math.floor(octet / 250) % 250}.${(octet % 250) + 2}`,
      availabilityZone: `${sim.region}${'abc'[octet % 3]}`,
      failed: false,
      version: 1,
      tags: {},
      targetGroupArns: [],
    };
    this.tasks.set(arn, task);
    const list = this.tasksByService.get(service);
    if (list) list.push(task);
    else this.tasksByService.set(service, [task]);
    this.recordTask(task);
    return task;
  }

  private recordTask(task: Task): void {
    const essentialExit = task.containers.find((c) => c.essential && c.exitCode !== undefined);
    this.sim.record('task-state', {
      cluster: task.cluster.name,
      service: task.service?.name,
      taskArn: task.arn,
      taskId: task.id,
      lastStatus: task.lastStatus,
      desiredStatus: task.desiredStatus,
      deploymentId: task.deploymentId,
      taskDefinition: task.taskDefinition.arn,
      image: task.containers[0]?.image,
      ...(essentialExit ? { exitCode: essentialExit.exitCode } : {}),
      ...(task.stopCode ? { stopCode: task.stopCode } : {}),
      ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
    });
  }

  setStatus(task: Task, status: TaskStatus): void {
    if (task.lastStatus === status) return;
    task.lastStatus = status;
    task.version++;
    this.recordTask(task);
  }

  /**
   * Launches a task for the deployment and schedules its way to RUNNING: PROVISIONING (1 s) -> PENDING (the image
   * pull, startSeconds - 1) -> ACTIVATING (1 s) -> RUNNING; an image that fails to start stops from PENDING without
   * ever reaching RUNNING (a start failure, the kind ECS's throttle logic counts).
   */
  launch(service: Service, deployment: Deployment): Task {
    const sim = this.sim;
    const task = this.newTask(service, deployment);
    sim.after(1, () => {
      if (task.desiredStatus !== 'RUNNING') return;
      task.pullStartedAt = sim.now;
      task.connectivityAt = sim.now;
      this.setStatus(task, 'PENDING');
      const failure = task.containers.find((c) => c.behaviour.failToStart);
      const startSeconds = Math.max(...task.containers.map((c) => c.behaviour.startSeconds));
      if (failure) {
        // The pull (or resource initialisation) fails after startSeconds: PENDING -> STOPPED, never RUNNING.
        sim.after(startSeconds, () => {
          if (task.desiredStatus !== 'RUNNING') return;
          failure.reason = failure.behaviour.failToStart!;
          this.stopTask(task, {
            stopCode: 'TaskFailedToStart',
            reason: failure.behaviour.failToStart!,
            failed: true,
            drain: false,
          });
        });
        return;
      }
      const activating = Math.min(1, startSeconds);
      sim.after(startSeconds - activating, () => {
        if (task.desiredStatus !== 'RUNNING') return;
        task.pullStoppedAt = sim.now;
        this.setStatus(task, 'ACTIVATING');
        sim.after(activating, () => {
          if (task.desiredStatus !== 'RUNNING') return;
          task.startedAt = sim.now;
          for (const c of task.containers) c.lastStatus = 'RUNNING';
          this.setStatus(task, 'RUNNING');
          sim.scheduler.taskReachedRunning(service);
          sim.health.registerTargets(task);
          this.scheduleRunningBehaviour(task);
        });
      });
    });
    return task;
  }

  /** Log lines, a scheduled exit, and the end of the grace period (when ELB health starts to count). */
  scheduleRunningBehaviour(task: Task): void {
    const sim = this.sim;
    const startedAt = task.startedAt ?? sim.now;
    for (const container of task.containers) {
      const lines = container.behaviour.logLines ?? [];
      lines.forEach((line, index) => {
        const text = typeof line === 'string' ? line : line.message;
        const offset = typeof line === 'string' ? 0 : (line.atSeconds ?? 0);
        // Lines written at the same second keep their order with a millisecond apart, like a real stream.
        const at = startedAt + offset * 1000 + index;
        if (at <= sim.now) this.writeLog(container, at, text);
        else sim.at(at, () => task.lastStatus !== 'STOPPED' && this.writeLog(container, at, text));
      });
      const exitAfter = container.behaviour.exitAfterSeconds;
      if (exitAfter !== undefined) {
        sim.at(Math.max(sim.now, startedAt + exitAfter * 1000), () => this.containerExited(task, container));
      }
    }
    // A stop that is not the image's fault (infrastructure, Spot, a user): drained, replaced, not a failure.
    const stopper = task.containers.find(
      (c) => c.behaviour.stopCode && c.behaviour.stopAfterSeconds !== undefined,
    );
    if (stopper) {
      const { stopCode, stopAfterSeconds, stoppedReason } = stopper.behaviour;
      sim.at(Math.max(sim.now, startedAt + stopAfterSeconds! * 1000), () => {
        if (task.desiredStatus !== 'RUNNING') return;
        this.stopTask(task, {
          stopCode: stopCode!,
          reason: stoppedReason ?? EXTERNAL_STOP_REASONS[stopCode!],
          failed: false,
          drain: true,
        });
      });
    }
    // Wake the scheduler when the grace period ends (ELB health starts to count) and when a task without health
    // checks starts to count as healthy (40 s after RUNNING).
    const grace = task.service?.healthCheckGracePeriodSeconds;
    if (grace) sim.at(startedAt + grace * 1000, () => undefined);
    sim.at(startedAt + NO_HEALTH_CHECK_SECONDS * 1000, () => undefined);
    for (const container of task.containers) sim.health.scheduleContainerHealthCheck(task, container);
  }

  private containerExited(task: Task, container: Container): void {
    if (task.desiredStatus !== 'RUNNING' || container.lastStatus !== 'RUNNING') return;
    container.lastStatus = 'STOPPED';
    container.exitCode = container.behaviour.exitCode;
    if (container.behaviour.exitReason) container.reason = container.behaviour.exitReason;
    if (!container.essential) return;
    this.stopTask(task, {
      stopCode: 'EssentialContainerExited',
      reason: 'Essential container in task exited',
      failed: true,
      drain: false,
    });
  }

  writeLog(container: Container, timestamp: number, message: string): void {
    if (!container.log) return;
    const group = this.logGroup(container.log.group);
    let stream = group.streams.get(container.log.stream);
    if (!stream) {
      stream = { name: container.log.stream, createdAt: timestamp, events: [] };
      group.streams.set(stream.name, stream);
    }
    // CloudWatch Logs event ids are long digit strings, unique across streams: the timestamp and a global sequence.
    const eventId = `${String(timestamp).padStart(16, '0')}${String(++this.logSequence).padStart(20, '0')}`;
    stream.events.push({ timestamp, message, ingestionTime: timestamp + 200, eventId });
  }

  logGroup(name: string): LogGroup {
    let group = this.logGroups.get(name);
    if (!group) {
      group = {
        name,
        arn: `arn:aws:logs:${this.sim.region}:${this.sim.accountId}:log-group:${name}:*`,
        createdAt: this.sim.now,
        streams: new Map(),
      };
      this.logGroups.set(name, group);
    }
    return group;
  }

  /**
   * Stops a task: desiredStatus STOPPED now, then DEACTIVATING (targets draining; a graceful stop waits for the
   * deregistration delay) -> STOPPING (containers still running get SIGTERM and exit after their image's
   * stopSeconds, or are killed with exit code 137 at the container's stopTimeout, default 30 s) -> DEPROVISIONING
   * (the scenario's deprovisioningSeconds, default 1) -> STOPPED. A task that never ran goes straight to STOPPING.
   */
  stopTask(task: Task, how: StopHow): void {
    const sim = this.sim;
    if (task.desiredStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stopCode = how.stopCode;
    task.stoppedReason = how.reason;
    task.stoppingAt = sim.now;
    task.failed = how.failed;
    task.version++;
    if (task.service) task.service.steady = false;
    const service = task.service;
    if (service && how.failed) sim.deployments.countFailure(service, task);
    const wasRunning = task.lastStatus === 'RUNNING';
    const drainSeconds = sim.health.drainTargets(task);
    if (service && task.targetGroupArns.length > 0 && how.drain) {
      sim.serviceEvent(service, `has begun draining connections on 1 tasks.`);
    }
    const finish = (): void => {
      this.setStatus(task, 'STOPPING');
      const running = task.containers.filter((c) => c.lastStatus === 'RUNNING');
      const stopping = running.map((c) => {
        const timeout = typeof c.stopTimeout === 'number' ? c.stopTimeout : 30;
        const takes = c.behaviour.stopSeconds ?? 2;
        return { c, seconds: Math.min(takes, timeout), killed: takes > timeout };
      });
      const seconds = Math.max(1, ...stopping.map((s) => s.seconds));
      sim.after(seconds, () => {
        for (const { c, killed } of stopping) c.exitCode = killed ? 137 : 0;
        for (const c of task.containers) c.lastStatus = 'STOPPED';
        task.executionStoppedAt = sim.now;
        this.setStatus(task, 'DEPROVISIONING');
        sim.after(sim.scenario.deprovisioningSeconds ?? 1, () => {
          task.stoppedAt = sim.now;
          this.setStatus(task, 'STOPPED');
        });
      });
    };
    if (wasRunning) {
      this.setStatus(task, 'DEACTIVATING');
      sim.after(how.drain ? drainSeconds || 1 : 1, finish);
    } else {
      finish();
    }
  }

  expireStoppedTasks(): void {
    for (const [arn, task] of this.tasks) {
      if (
        task.lastStatus === 'STOPPED' &&
        task.stoppedAt !== undefined &&
        this.sim.now - task.stoppedAt > this.retentionMs
      ) {
        this.tasks.delete(arn);
        const list = task.service && this.tasksByService.get(task.service);
        if (list) list.splice(list.indexOf(task), 1);
      }
    }
  }
}
