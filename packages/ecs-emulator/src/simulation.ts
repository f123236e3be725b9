// The emulator's pure core: ECS clusters, services, deployments, tasks, ELB targets and awslogs streams as a
// discrete-event state machine advanced by advanceTo(simulated ms). No HTTP and no real clock in here, so unit tests
// step it deterministically. This class is the façade the API handlers and tests use; the parts live in sim/:
// timers (clock), registry (clusters, task definitions, target groups), tasks (lifecycle and logs), health (ELB and
// container checks), services, deployments (circuit breaker) and the scheduler (reconcile, throttle logic).
import type { Scenario } from './scenario.js';
import { Alarms } from './sim/alarms.js';
import { Deployments } from './sim/deployments.js';
import { Health } from './sim/health.js';
import { IdSource, seededRandom } from './sim/ids.js';
import type {
  Cluster,
  Container,
  Deployment,
  EmulatorEvent,
  LogGroup,
  Service,
  TargetGroup,
  Task,
  TaskDefinition,
} from './sim/model.js';
import { Registry } from './sim/registry.js';
import { Scheduler } from './sim/scheduler.js';
import { Services, type CreateServiceInput, type UpdateServiceInput } from './sim/services.js';
import { TaskLifecycle, type StopHow } from './sim/tasks.js';
import { TimerQueue } from './sim/timers.js';
import type { Tags } from './scenario.js';

export type * from './sim/model.js';
export { circuitBreakerThreshold } from './sim/deployments.js';
export { ELB_REACTION_SECONDS } from './sim/health.js';
export { seededRandom } from './sim/ids.js';
export type { CreateServiceInput, UpdateServiceInput } from './sim/services.js';
export type { StopHow } from './sim/tasks.js';
export type { Alarm, AlarmHistoryItem, AlarmState } from './sim/alarms.js';

export interface SimulationOptions {
  /** Simulated time at start, epoch ms. */
  startTime: number;
}

export class Simulation {
  readonly region: string;
  readonly accountId: string;
  readonly startTime: number;
  /** Simulated time, epoch ms. */
  now: number;
  readonly random: () => number;
  readonly ids: IdSource;
  readonly eventLog: EmulatorEvent[] = [];
  /** The scenario's initial state is loaded (what happens from now on is the scenario's story). */
  ready = false;
  private readonly timers = new TimerQueue();

  // The parts, in dependency order.
  readonly registry: Registry;
  readonly lifecycle: TaskLifecycle;
  readonly health: Health;
  readonly services: Services;
  readonly deployments: Deployments;
  readonly scheduler: Scheduler;
  readonly alarms: Alarms;

  constructor(
    readonly scenario: Scenario,
    options: SimulationOptions,
  ) {
    this.region = scenario.region ?? 'us-east-1';
    this.accountId = scenario.accountId ?? '123456789012';
    this.startTime = options.startTime;
    this.now = options.startTime;
    this.random = seededRandom(scenario.seed ?? 1);
    this.ids = new IdSource(this.random);
    this.registry = new Registry(this);
    this.lifecycle = new TaskLifecycle(this);
    this.health = new Health(this);
    this.services = new Services(this);
    this.deployments = new Deployments(this);
    this.scheduler = new Scheduler(this);
    this.alarms = new Alarms(this);
    this.loadInitialState();
    this.ready = true;
  }

  // ---------- ids, arns, the event log ----------
  uuid(): string {
    return this.ids.uuid();
  }
  ecsArn(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:${resource}`;
  }
  record(type: string, fields: Record<string, unknown>): void {
    this.eventLog.push({ time: new Date(this.now).toISOString(), type, ...fields });
  }

  // ---------- clock and timers ----------
  /** Schedules `run` at simulated time `time` (epoch ms). */
  at(time: number, run: () => void): void {
    this.timers.at(time, run);
  }
  /** Schedules `run` `seconds` of simulated time from now. */
  after(seconds: number, run: () => void): void {
    this.timers.at(this.now + Math.max(0, seconds) * 1000, run);
  }
  /** The next simulated time something is scheduled, if any. */
  nextTimerAt(): number | undefined {
    return this.timers.nextAt();
  }
  /** Runs every scheduled change up to `time` (epoch ms, simulated), in order, then sets the clock to it. */
  advanceTo(time: number): void {
    for (let timer = this.timers.takeDue(time); timer; timer = this.timers.takeDue(time)) {
      if (timer.at > this.now) this.now = timer.at;
      timer.run();
      this.scheduler.reconcileAll();
    }
    if (time > this.now) this.now = time;
    this.scheduler.reconcileAll();
    this.lifecycle.expireStoppedTasks();
  }
  /** Advances by `seconds` of simulated time. */
  step(seconds: number): void {
    this.advanceTo(this.now + seconds * 1000);
  }

  // ---------- registry ----------
  get clusters(): Map<string, Cluster> {
    return this.registry.clusters;
  }
  get taskDefinitions(): Map<string, Map<number, TaskDefinition>> {
    return this.registry.taskDefinitions;
  }
  get targetGroups(): Map<string, TargetGroup> {
    return this.registry.targetGroups;
  }
  createCluster(name: string, tags: Tags): Cluster {
    return this.registry.createCluster(name, tags);
  }
  findCluster(ref: string | undefined): Cluster {
    return this.registry.findCluster(ref);
  }
  registerTaskDefinition(body: Record<string, unknown>, tags: Tags, revision?: number): TaskDefinition {
    return this.registry.registerTaskDefinition(body, tags, revision);
  }
  findTaskDefinition(ref: string): TaskDefinition | undefined {
    return this.registry.findTaskDefinition(ref);
  }
  targetGroupByName(name: string): TargetGroup | undefined {
    return this.registry.targetGroupByName(name);
  }
  availabilityZoneOf(taskArn: string): string | undefined {
    return this.tasks.get(taskArn)?.availabilityZone;
  }

  // ---------- tasks and logs ----------
  get tasks(): Map<string, Task> {
    return this.lifecycle.tasks;
  }
  get logGroups(): Map<string, LogGroup> {
    return this.lifecycle.logGroups;
  }
  serviceTasks(service: Service): Task[] {
    return this.lifecycle.serviceTasks(service);
  }
  behaviourOf(image: string): Container['behaviour'] {
    return this.lifecycle.behaviourOf(image);
  }
  stopTask(task: Task, how: StopHow): void {
    this.lifecycle.stopTask(task, how);
  }
  writeLog(container: Container, timestamp: number, message: string): void {
    this.lifecycle.writeLog(container, timestamp, message);
  }
  logGroup(name: string): LogGroup {
    return this.lifecycle.logGroup(name);
  }

  // ---------- health ----------
  isHealthy(task: Task): boolean {
    return this.health.isHealthy(task);
  }
  elbPasses(task: Task, containerName?: string): boolean {
    return this.health.elbPasses(task, containerName);
  }

  // ---------- services and deployments ----------
  allServices(): IterableIterator<Service> {
    return this.services.all();
  }
  serviceList(cluster: Cluster): Service[] {
    return [...this.services.all()].filter((s) => s.cluster === cluster);
  }
  findService(cluster: Cluster, ref: string, includeInactive = false): Service | undefined {
    return this.services.find(cluster, ref, includeInactive);
  }
  createService(cluster: Cluster, input: CreateServiceInput): Service {
    return this.services.create(cluster, input);
  }
  updateService(service: Service, input: UpdateServiceInput): void {
    this.services.update(service, input);
  }
  deleteService(service: Service, force: boolean): void {
    this.services.delete(service, force);
  }
  serviceEvent(service: Service, message: string): void {
    this.services.event(service, message);
  }
  primary(service: Service): Deployment | undefined {
    return this.deployments.primary(service);
  }

  // ---------- initial state ----------
  private loadInitialState(): void {
    const s = this.scenario;
    for (const alarm of s.cloudWatchAlarms ?? []) this.alarms.load(alarm);
    for (const c of s.clusters ?? []) this.createCluster(c.name, c.tags ?? {});
    for (const td of s.taskDefinitions ?? []) {
      this.registerTaskDefinition(
        {
          family: td.family,
          containerDefinitions: td.containerDefinitions,
          ...(td.cpu ? { cpu: td.cpu } : {}),
          ...(td.memory ? { memory: td.memory } : {}),
          networkMode: td.networkMode ?? 'awsvpc',
          requiresCompatibilities: td.requiresCompatibilities ?? ['FARGATE'],
          ...(td.executionRoleArn ? { executionRoleArn: td.executionRoleArn } : {}),
          ...(td.taskRoleArn ? { taskRoleArn: td.taskRoleArn } : {}),
        },
        td.tags ?? {},
        td.revision,
      );
    }
    for (const tg of s.targetGroups ?? []) this.registry.addTargetGroup(tg);
    for (const svc of s.services ?? []) {
      const cluster = this.findCluster(svc.cluster);
      const service = this.createService(cluster, {
        name: svc.name,
        taskDefinition: svc.taskDefinition,
        desiredCount: svc.desiredCount,
        deploymentConfiguration: svc.deploymentConfiguration ?? {},
        loadBalancers: (svc.loadBalancers ?? []).map((lb) => ({
          targetGroupArn: lb.targetGroupArn ?? this.targetGroupByName(lb.targetGroup ?? '')?.arn ?? '',
          containerName: lb.containerName,
          containerPort: lb.containerPort,
        })),
        ...(svc.healthCheckGracePeriodSeconds !== undefined
          ? { healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds }
          : {}),
        tags: svc.tags ?? {},
        launchType: 'FARGATE',
        ...(svc.deploymentController ? { deploymentController: svc.deploymentController } : {}),
      });
      this.services.startSteady(service);
    }
    for (const action of s.actions ?? [])
      this.at(this.startTime + action.atSeconds * 1000, () => this.services.runAction(action));
  }
}
