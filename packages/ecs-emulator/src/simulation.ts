// The emulator's pure core: ECS clusters, services, deployments, tasks, ELB targets and awslogs streams as a
// discrete-event state machine advanced by advanceTo(simulated ms). No HTTP and no real clock in here, so unit tests
// step it deterministically.
import { ApiError, invalidParameter } from './api-error.js';
import {
  imageMatches,
  type DeploymentConfiguration,
  type ImageBehaviourFields,
  type Scenario,
  type ScenarioAction,
  type ScenarioContainerDefinition,
  type Tags,
} from './scenario.js';

export interface EmulatorEvent {
  /** ISO 8601, simulated time. */
  time: string;
  type: string;
  [field: string]: unknown;
}

export interface Cluster {
  arn: string;
  name: string;
  tags: Tags;
  createdAt: number;
}

export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  registeredAt: number;
  deregisteredAt?: number;
  /** Everything RegisterTaskDefinition was given, AWS-shaped. */
  body: Record<string, unknown>;
  containerDefinitions: ScenarioContainerDefinition[];
  tags: Tags;
}

export interface TargetGroup {
  arn: string;
  name: string;
  port: number;
  protocol: string;
  targetType: string;
  deregistrationDelaySeconds: number;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  targets: Map<string, Target>;
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining';

export interface Target {
  id: string;
  port: number;
  taskArn: string;
  state: TargetState;
  reason?: string;
  description?: string;
  passes: number;
  failures: number;
  registeredAt: number;
  /** When the target last turned unhealthy. */
  unhealthySince?: number;
}

/** ECS notices an unhealthy target on its next look at target health, not instantly. */
export const ELB_REACTION_SECONDS = 10;

export interface LoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
}

export type DeploymentStatus = 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  id: string;
  status: DeploymentStatus;
  taskDefinitionArn: string;
  desiredCount: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /**
   * Consecutive failed tasks, as AWS's Deployment.failedTasks: counted while the deployment is the PRIMARY one in
   * progress, reset to 0 when one of its tasks becomes healthy (the circuit breaker's resetOnHealthyTask default).
   */
  failedTasks: number;
  /** Every failed task of the deployment, never reset (for the event log and ListServiceDeployments). */
  totalFailedTasks: number;
  finishedAt?: number;
  rollbackOf?: string;
  /** Why this rollback deployment was started (kept after its rolloutStateReason moves on). */
  rollbackReason?: string;
  /** The service deployment (ListServiceDeployments) status. */
  history:
    | 'IN_PROGRESS'
    | 'SUCCESSFUL'
    | 'STOPPED'
    | 'ROLLBACK_IN_PROGRESS'
    | 'ROLLBACK_SUCCESSFUL'
    | 'ROLLBACK_FAILED';
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface Service {
  arn: string;
  name: string;
  cluster: Cluster;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinitionArn: string;
  deploymentConfiguration: Required<
    Pick<DeploymentConfiguration, 'minimumHealthyPercent' | 'maximumPercent'>
  > & {
    deploymentCircuitBreaker: { enable: boolean; rollback: boolean };
  };
  loadBalancers: LoadBalancer[];
  healthCheckGracePeriodSeconds?: number;
  launchType: string;
  networkConfiguration?: Record<string, unknown>;
  deployments: Deployment[];
  events: ServiceEvent[];
  createdAt: number;
  tags: Tags;
  /** The last deployment that COMPLETED: where the circuit breaker rolls back to. */
  lastCompleted?: { id: string; taskDefinitionArn: string };
  steady: boolean;
  consecutiveFailures: number;
  warnedUnableToStart: boolean;
  /** When the scheduler last launched a task (for the optional launch backoff). */
  lastLaunchAt?: number;
  deletedAt?: number;
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'STOPPED';

export interface Container {
  name: string;
  image: string;
  arn: string;
  runtimeId: string;
  essential: boolean;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  behaviour: Required<Pick<ImageBehaviourFields, 'startSeconds' | 'exitCode'>> & ImageBehaviourFields;
  log?: { group: string; stream: string };
  /** The container definition's healthCheck (seconds), if it has one. */
  healthCheck?: { interval: number; retries: number; startPeriod: number };
  healthStatus: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  healthFailures: number;
  portMappings: { containerPort?: number; hostPort?: number; protocol?: string }[];
}

export interface Task {
  arn: string;
  id: string;
  cluster: Cluster;
  service?: Service;
  deploymentId?: string;
  startedBy?: string;
  group: string;
  taskDefinition: TaskDefinition;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  connectivityAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  stopCode?: 'TaskFailedToStart' | 'EssentialContainerExited' | 'UserInitiated' | 'ServiceSchedulerInitiated';
  stoppedReason?: string;
  containers: Container[];
  ip: string;
  availabilityZone: string;
  /** Stopped because it failed (crash, failed to start, ELB health checks): counts toward failedTasks. */
  failed: boolean;
  /** Has been healthy once (its first time resets its deployment's failedTasks). */
  reachedHealthy?: boolean;
  version: number;
  tags: Tags;
  /** Targets this task is registered as (target group arn). */
  targetGroupArns: string[];
}

export interface LogStream {
  name: string;
  createdAt: number;
  events: { timestamp: number; message: string; ingestionTime: number }[];
}

export interface LogGroup {
  name: string;
  arn: string;
  createdAt: number;
  streams: Map<string, LogStream>;
}

interface Timer {
  at: number;
  seq: number;
  run: () => void;
}

const DEFAULT_BEHAVIOUR = { startSeconds: 5, exitCode: 1 } as const;

/** A container definition's healthCheck with AWS's defaults (interval 30 s, retries 3, startPeriod 0). */
function healthCheckOf(c: ScenarioContainerDefinition): Container['healthCheck'] {
  const check = c.healthCheck as
    { command?: unknown; interval?: number; retries?: number; startPeriod?: number } | undefined;
  if (!check || typeof check !== 'object' || !Array.isArray(check.command)) return undefined;
  return { interval: check.interval ?? 30, retries: check.retries ?? 3, startPeriod: check.startPeriod ?? 0 };
}

/** The circuit breaker's failure threshold, as AWS documents it. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(Math.max(Math.ceil(0.5 * desiredCount), 3), 200);
}

/** A small seeded PRNG (mulberry32) so ids and injected faults repeat run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimulationOptions {
  /** Simulated time at start, epoch ms. */
  startTime: number;
}

export class Simulation {
  readonly region: string;
  readonly accountId: string;
  readonly startTime: number;
  now: number;
  readonly random: () => number;
  readonly clusters = new Map<string, Cluster>();
  readonly taskDefinitions = new Map<string, Map<number, TaskDefinition>>();
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly tasks = new Map<string, Task>();
  readonly logGroups = new Map<string, LogGroup>();
  readonly eventLog: EmulatorEvent[] = [];
  private readonly timers: Timer[] = [];
  private timerSeq = 0;
  private ipCounter = 10;
  private readonly retentionMs: number;

  constructor(
    readonly scenario: Scenario,
    options: SimulationOptions,
  ) {
    this.region = scenario.region ?? 'us-east-1';
    this.accountId = scenario.accountId ?? '123456789012';
    this.startTime = options.startTime;
    this.now = options.startTime;
    this.random = seededRandom(scenario.seed ?? 1);
    this.retentionMs = (scenario.stoppedTaskRetentionSeconds ?? 3600) * 1000;
    this.loadInitialState();
  }

  // ---------- ids and arns ----------
  private hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.random() * 16).toString(16);
    return out;
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  private digits(length: number): string {
    let out = String(1 + Math.floor(this.random() * 9));
    while (out.length < length) out += Math.floor(this.random() * 10);
    return out;
  }
  ecsArn(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:${resource}`;
  }

  // ---------- event log ----------
  record(type: string, fields: Record<string, unknown>): void {
    this.eventLog.push({ time: new Date(this.now).toISOString(), type, ...fields });
  }

  // ---------- timers ----------
  private at(time: number, run: () => void): void {
    this.timers.push({ at: time, seq: this.timerSeq++, run });
  }
  private after(seconds: number, run: () => void): void {
    this.at(this.now + Math.max(0, seconds) * 1000, run);
  }

  /** The next simulated time something is scheduled, if any. */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers) if (next === undefined || t.at < next) next = t.at;
    return next;
  }

  /** Runs every scheduled change up to `time` (epoch ms, simulated), in order, then sets the clock to it. */
  advanceTo(time: number): void {
    for (;;) {
      let index = -1;
      for (let i = 0; i < this.timers.length; i++) {
        const t = this.timers[i]!;
        if (t.at > time) continue;
        const best = index >= 0 ? this.timers[index]! : undefined;
        if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) index = i;
      }
      if (index < 0) break;
      const [timer] = this.timers.splice(index, 1);
      if (timer!.at > this.now) this.now = timer!.at;
      timer!.run();
      this.reconcileAll();
    }
    if (time > this.now) this.now = time;
    this.reconcileAll();
    this.expireStoppedTasks();
  }

  /** Advances by `seconds` of simulated time. */
  step(seconds: number): void {
    this.advanceTo(this.now + seconds * 1000);
  }

  // ---------- initial state ----------
  private loadInitialState(): void {
    const s = this.scenario;
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
    for (const tg of s.targetGroups ?? []) {
      const arn = `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:targetgroup/${tg.name}/${this.hex(16)}`;
      this.targetGroups.set(arn, {
        arn,
        name: tg.name,
        port: tg.port ?? 80,
        protocol: tg.protocol ?? 'HTTP',
        targetType: tg.targetType ?? 'ip',
        deregistrationDelaySeconds: tg.deregistrationDelaySeconds ?? 300,
        path: tg.healthCheck?.path ?? '/',
        intervalSeconds: tg.healthCheck?.intervalSeconds ?? 30,
        timeoutSeconds: tg.healthCheck?.timeoutSeconds ?? 5,
        healthyThreshold: tg.healthCheck?.healthyThreshold ?? 5,
        unhealthyThreshold: tg.healthCheck?.unhealthyThreshold ?? 2,
        targets: new Map(),
      });
    }
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
      });
      this.startSteady(service);
    }
    for (const action of s.actions ?? [])
      this.at(this.startTime + action.atSeconds * 1000, () => this.runAction(action));
  }

  /** A scenario's service starts as it would be found in AWS: its tasks running and healthy, the deployment COMPLETED. */
  private startSteady(service: Service): void {
    const deployment = service.deployments[0]!;
    const startedAt = this.now - 3600_000;
    for (let i = 0; i < service.desiredCount; i++) {
      const task = this.newTask(service, deployment, startedAt);
      task.lastStatus = 'RUNNING';
      task.pullStartedAt = startedAt + 1000;
      task.pullStoppedAt = startedAt + 5000;
      task.startedAt = startedAt + 6000;
      task.connectivityAt = startedAt + 1000;
      for (const c of task.containers) {
        c.lastStatus = 'RUNNING';
        if (c.healthCheck) c.healthStatus = 'HEALTHY';
      }
      this.updateTaskHealth(task);
      for (const lb of service.loadBalancers) {
        const tg = this.targetGroups.get(lb.targetGroupArn);
        if (!tg) continue;
        tg.targets.set(task.ip, {
          id: task.ip,
          port: lb.containerPort,
          taskArn: task.arn,
          state: 'healthy',
          passes: tg.healthyThreshold,
          failures: 0,
          registeredAt: startedAt + 6000,
        });
        task.targetGroupArns.push(tg.arn);
        this.scheduleHealthCheck(tg, task.ip);
      }
      this.scheduleRunningBehaviour(task);
    }
    deployment.createdAt = deployment.updatedAt = startedAt;
    this.completeDeployment(service, deployment, false);
  }

  // ---------- clusters ----------
  createCluster(name: string, tags: Tags): Cluster {
    const existing = this.clusters.get(name);
    if (existing) return existing;
    const cluster: Cluster = { arn: this.ecsArn(`cluster/${name}`), name, tags, createdAt: this.now };
    this.clusters.set(name, cluster);
    return cluster;
  }

  findCluster(ref: string | undefined): Cluster {
    const name =
      ref === undefined || ref === '' ? 'default' : ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
    const cluster = this.clusters.get(name);
    if (!cluster) throw new ApiError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  // ---------- task definitions ----------
  registerTaskDefinition(body: Record<string, unknown>, tags: Tags, revision?: number): TaskDefinition {
    const family = body.family;
    if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
      throw new ApiError('ClientException', 'Family contains invalid characters or is too long.');
    }
    const containers = body.containerDefinitions;
    if (!Array.isArray(containers) || containers.length === 0) {
      throw new ApiError('ClientException', 'Container list cannot be empty.');
    }
    for (const c of containers as Record<string, unknown>[]) {
      if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || typeof c.image !== 'string') {
        throw new ApiError(
          'ClientException',
          'Container.name and Container.image should not be null or empty.',
        );
      }
    }
    const revisions = this.taskDefinitions.get(family) ?? new Map<number, TaskDefinition>();
    this.taskDefinitions.set(family, revisions);
    const next = revision ?? Math.max(0, ...revisions.keys()) + 1;
    const containerDefinitions = (containers as ScenarioContainerDefinition[]).map((c) => ({
      ...c,
      cpu: c.cpu ?? 0,
      portMappings: (c.portMappings ?? []).map((p) => ({ ...p, protocol: p.protocol ?? 'tcp' })),
      essential: c.essential ?? true,
      environment: c.environment ?? [],
      mountPoints: c.mountPoints ?? [],
      volumesFrom: c.volumesFrom ?? [],
    }));
    const td: TaskDefinition = {
      arn: this.ecsArn(`task-definition/${family}:${next}`),
      family,
      revision: next,
      status: 'ACTIVE',
      registeredAt: this.now,
      body: { ...body, containerDefinitions },
      containerDefinitions,
      tags,
    };
    revisions.set(next, td);
    for (const c of containerDefinitions) {
      const options = c.logConfiguration?.options;
      if (c.logConfiguration?.logDriver === 'awslogs' && options?.['awslogs-group'])
        this.logGroup(options['awslogs-group']);
    }
    return td;
  }

  /** family, family:revision, or the full ARN; `family` alone is its latest ACTIVE revision. */
  findTaskDefinition(ref: string): TaskDefinition | undefined {
    const short = ref.startsWith('arn:')
      ? ref.slice(ref.indexOf('task-definition/') + 'task-definition/'.length)
      : ref;
    const [family, revision] = short.split(':');
    const revisions = this.taskDefinitions.get(family ?? '');
    if (!revisions) return undefined;
    if (revision !== undefined) return revisions.get(Number(revision));
    const active = [...revisions.values()].filter((td) => td.status === 'ACTIVE');
    return active.sort((a, b) => b.revision - a.revision)[0];
  }

  // ---------- target groups ----------
  availabilityZoneOf(taskArn: string): string | undefined {
    return this.tasks.get(taskArn)?.availabilityZone;
  }

  targetGroupByName(name: string): TargetGroup | undefined {
    return [...this.targetGroups.values()].find((tg) => tg.name === name);
  }

  // ---------- services ----------
  serviceList(cluster: Cluster): Service[] {
    return [...this.allServices()].filter((s) => s.cluster === cluster);
  }

  private readonly services = new Map<string, Service>();
  allServices(): IterableIterator<Service> {
    return this.services.values();
  }

  /** The service by name or ARN; INACTIVE ones only when `includeInactive`. */
  findService(cluster: Cluster, ref: string, includeInactive = false): Service | undefined {
    const name = ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
    const service = this.services.get(`${cluster.name}/${name}`);
    if (!service || (service.status === 'INACTIVE' && !includeInactive)) return undefined;
    return service;
  }

  createService(
    cluster: Cluster,
    input: {
      name: string;
      taskDefinition: string;
      desiredCount: number;
      deploymentConfiguration: DeploymentConfiguration;
      loadBalancers: LoadBalancer[];
      healthCheckGracePeriodSeconds?: number;
      tags: Tags;
      launchType: string;
      networkConfiguration?: Record<string, unknown>;
    },
  ): Service {
    const key = `${cluster.name}/${input.name}`;
    const existing = this.services.get(key);
    if (existing && existing.status !== 'INACTIVE') {
      throw invalidParameter('Creation of service was not idempotent.');
    }
    const td = this.findTaskDefinition(input.taskDefinition);
    if (!td) throw invalidParameter('TaskDefinition not found.');
    if (td.status !== 'ACTIVE') throw invalidParameter('TaskDefinition is inactive');
    for (const lb of input.loadBalancers) {
      if (!this.targetGroups.has(lb.targetGroupArn)) {
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
      arn: this.ecsArn(`service/${cluster.name}/${input.name}`),
      name: input.name,
      cluster,
      status: 'ACTIVE',
      desiredCount: input.desiredCount,
      taskDefinitionArn: td.arn,
      deploymentConfiguration: config,
      loadBalancers: input.loadBalancers,
      ...(input.healthCheckGracePeriodSeconds !== undefined
        ? { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds }
        : {}),
      launchType: input.launchType,
      ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
      deployments: [],
      events: [],
      createdAt: this.now,
      tags: input.tags,
      steady: false,
      consecutiveFailures: 0,
      warnedUnableToStart: false,
    };
    this.services.set(key, service);
    this.newDeployment(service, td.arn);
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
    return {
      minimumHealthyPercent: min,
      maximumPercent: max,
      deploymentCircuitBreaker: { enable: breaker.enable, rollback: breaker.rollback },
    };
  }

  private newDeployment(service: Service, taskDefinitionArn: string, rollbackOf?: string): Deployment {
    for (const d of service.deployments) {
      if (d.status === 'PRIMARY') {
        d.status = 'ACTIVE';
        d.updatedAt = this.now;
        if (d.rolloutState === 'IN_PROGRESS' && !rollbackOf) {
          d.history = 'STOPPED';
          d.finishedAt = this.now;
        }
      }
    }
    const id = `ecs-svc/${this.digits(19)}`;
    const deployment: Deployment = {
      id,
      status: 'PRIMARY',
      taskDefinitionArn,
      desiredCount: service.desiredCount,
      createdAt: this.now,
      updatedAt: this.now,
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

  private recordDeployment(service: Service, d: Deployment): void {
    this.record('deployment-state', {
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

  updateService(
    service: Service,
    input: {
      desiredCount?: number;
      taskDefinition?: string;
      forceNewDeployment?: boolean;
      deploymentConfiguration?: DeploymentConfiguration;
      healthCheckGracePeriodSeconds?: number;
    },
  ): void {
    if (service.status !== 'ACTIVE')
      throw new ApiError('ServiceNotActiveException', 'Service was not ACTIVE.');
    let td: TaskDefinition | undefined;
    if (input.taskDefinition !== undefined) {
      td = this.findTaskDefinition(input.taskDefinition);
      if (!td) throw invalidParameter('TaskDefinition not found.');
      if (td.status !== 'ACTIVE') throw new ApiError('ClientException', 'TaskDefinition is inactive');
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
      const primary = this.primary(service);
      if (primary) primary.desiredCount = input.desiredCount;
      service.steady = false;
    }
    if ((td && td.arn !== service.taskDefinitionArn) || input.forceNewDeployment) {
      this.newDeployment(service, td?.arn ?? service.taskDefinitionArn);
    }
    this.reconcileAll();
  }

  deleteService(service: Service, force: boolean): void {
    if (service.status !== 'ACTIVE')
      throw new ApiError('ServiceNotActiveException', 'Service was not ACTIVE.');
    if (!force && service.desiredCount > 0) {
      throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
    }
    service.status = 'DRAINING';
    service.desiredCount = 0;
    service.deletedAt = this.now;
    for (const d of service.deployments) if (d.status !== 'INACTIVE') d.desiredCount = 0;
    this.record('service-state', {
      cluster: service.cluster.name,
      service: service.name,
      status: 'DRAINING',
    });
    this.reconcileAll();
  }

  private runAction(action: ScenarioAction): void {
    this.record('scenario-action', { ...action });
    try {
      if (action.deleteService) {
        const cluster = this.findCluster(action.deleteService.cluster);
        const service = this.findService(cluster, action.deleteService.service);
        if (service) this.deleteService(service, true);
      } else if (action.updateService) {
        const cluster = this.findCluster(action.updateService.cluster);
        const service = this.findService(cluster, action.updateService.service);
        if (service) {
          this.updateService(service, {
            ...(action.updateService.taskDefinition
              ? { taskDefinition: action.updateService.taskDefinition }
              : {}),
            ...(action.updateService.desiredCount !== undefined
              ? { desiredCount: action.updateService.desiredCount }
              : {}),
          });
        }
      } else if (action.stopTask) {
        const cluster = this.findCluster(action.stopTask.cluster);
        const service = this.findService(cluster, action.stopTask.service);
        const task = service && this.serviceTasks(service).find((t) => t.desiredStatus === 'RUNNING');
        if (task) {
          this.stopTask(task, {
            stopCode: 'UserInitiated',
            reason: action.stopTask.reason ?? 'Task stopped by user',
            failed: false,
            drain: true,
          });
        }
      }
    } catch (error) {
      this.record('scenario-action-failed', { message: (error as Error).message });
    }
  }

  // ---------- service events ----------
  private serviceEvent(service: Service, message: string): void {
    const full = `(service ${service.name}) ${message}`;
    service.events.unshift({ id: this.uuid(), createdAt: this.now, message: full });
    if (service.events.length > 100) service.events.length = 100;
    this.record('service-event', { cluster: service.cluster.name, service: service.name, message: full });
  }

  // ---------- tasks ----------
  /** The service's tasks (STOPPED ones until they expire), oldest first; a copy, safe to iterate while changing state. */
  serviceTasks(service: Service): Task[] {
    return [...(this.tasksByService.get(service) ?? [])];
  }
  private readonly tasksByService = new Map<Service, Task[]>();

  behaviourOf(image: string): Container['behaviour'] {
    const match = (this.scenario.images ?? []).find((b) => imageMatches(b.match, image));
    return { ...DEFAULT_BEHAVIOUR, ...(this.scenario.defaultImage ?? {}), ...(match ?? {}) };
  }

  private newTask(service: Service, deployment: Deployment, createdAt = this.now): Task {
    const td = this.findTaskDefinition(deployment.taskDefinitionArn)!;
    const id = this.hex(32);
    const arn = this.ecsArn(`task/${service.cluster.name}/${id}`);
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
          arn: this.ecsArn(`container/${service.cluster.name}/${id}/${this.uuid()}`),
          runtimeId: `${id}-${this.digits(10)}`,
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
      availabilityZone: `${this.region}${'abc'[octet % 3]}`,
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
    this.record('task-state', {
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

  private setStatus(task: Task, status: TaskStatus): void {
    if (task.lastStatus === status) return;
    task.lastStatus = status;
    task.version++;
    this.recordTask(task);
  }

  /** Launches a task for the deployment and schedules its way to RUNNING (or its failure to start). */
  private launch(service: Service, deployment: Deployment): Task {
    const task = this.newTask(service, deployment);
    this.after(1, () => {
      if (task.desiredStatus !== 'RUNNING') return;
      task.pullStartedAt = this.now;
      task.connectivityAt = this.now;
      this.setStatus(task, 'PENDING');
      const failure = task.containers.find((c) => c.behaviour.failToStart);
      const startSeconds = Math.max(...task.containers.map((c) => c.behaviour.startSeconds));
      this.after(startSeconds, () => {
        if (task.desiredStatus !== 'RUNNING') return;
        if (failure) {
          failure.reason = failure.behaviour.failToStart!;
          this.stopTask(task, {
            stopCode: 'TaskFailedToStart',
            reason: failure.behaviour.failToStart!,
            failed: true,
            drain: false,
          });
          return;
        }
        task.pullStoppedAt = this.now;
        task.startedAt = this.now;
        for (const c of task.containers) c.lastStatus = 'RUNNING';
        this.setStatus(task, 'RUNNING');
        this.registerTargets(task);
        this.scheduleRunningBehaviour(task);
      });
    });
    return task;
  }

  /** Log lines, a scheduled exit, and the end of the grace period (when ELB health starts to count). */
  private scheduleRunningBehaviour(task: Task): void {
    const startedAt = task.startedAt ?? this.now;
    for (const container of task.containers) {
      const lines = container.behaviour.logLines ?? [];
      lines.forEach((line, index) => {
        const text = typeof line === 'string' ? line : line.message;
        const offset = typeof line === 'string' ? 0 : (line.atSeconds ?? 0);
        // Lines written at the same second keep their order with a millisecond apart, like a real stream.
        const at = startedAt + offset * 1000 + index;
        if (at <= this.now) this.writeLog(container, at, text);
        else this.at(at, () => task.lastStatus !== 'STOPPED' && this.writeLog(container, at, text));
      });
      const exitAfter = container.behaviour.exitAfterSeconds;
      if (exitAfter !== undefined) {
        this.at(Math.max(this.now, startedAt + exitAfter * 1000), () =>
          this.containerExited(task, container),
        );
      }
    }
    const grace = task.service?.healthCheckGracePeriodSeconds;
    if (grace) this.at(startedAt + grace * 1000, () => undefined);
    for (const container of task.containers) this.scheduleContainerHealthCheck(task, container);
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
    stream.events.push({ timestamp, message, ingestionTime: timestamp + 200 });
  }

  logGroup(name: string): LogGroup {
    let group = this.logGroups.get(name);
    if (!group) {
      group = {
        name,
        arn: `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}:*`,
        createdAt: this.now,
        streams: new Map(),
      };
      this.logGroups.set(name, group);
    }
    return group;
  }

  /**
   * Stops a task: desiredStatus STOPPED now, then DEACTIVATING (targets draining; a graceful stop waits for the
   * deregistration delay) -> STOPPING -> STOPPED.
   */
  stopTask(
    task: Task,
    how: { stopCode: NonNullable<Task['stopCode']>; reason: string; failed: boolean; drain: boolean },
  ): void {
    if (task.desiredStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stopCode = how.stopCode;
    task.stoppedReason = how.reason;
    task.stoppingAt = this.now;
    task.failed = how.failed;
    task.version++;
    if (task.service) task.service.steady = false;
    const service = task.service;
    if (service && how.failed) this.countFailure(service, task);
    const wasRunning = task.lastStatus === 'RUNNING';
    let drainSeconds = 0;
    for (const tgArn of task.targetGroupArns) {
      const tg = this.targetGroups.get(tgArn);
      const target = tg?.targets.get(task.ip);
      if (!tg || !target) continue;
      target.state = 'draining';
      target.reason = 'Target.DeregistrationInProgress';
      target.description = 'Target deregistration is in progress';
      this.recordTarget(tg, target);
      drainSeconds = Math.max(drainSeconds, tg.deregistrationDelaySeconds);
      this.after(tg.deregistrationDelaySeconds, () => {
        tg.targets.delete(task.ip);
        this.record('target-health', {
          targetGroupArn: tg.arn,
          targetId: target.id,
          taskArn: task.arn,
          state: 'unused',
          reason: 'Target.NotRegistered',
        });
        if (service) this.serviceEvent(service, `deregistered 1 targets in (target-group ${tg.arn})`);
      });
    }
    if (service && task.targetGroupArns.length > 0 && how.drain) {
      this.serviceEvent(service, `has begun draining connections on 1 tasks.`);
    }
    const finish = (): void => {
      this.setStatus(task, 'STOPPING');
      this.after(2, () => {
        task.stoppedAt = this.now;
        task.executionStoppedAt = this.now;
        for (const c of task.containers) {
          if (c.lastStatus === 'RUNNING') c.exitCode = 0;
          c.lastStatus = 'STOPPED';
        }
        this.setStatus(task, 'STOPPED');
      });
    };
    if (wasRunning) {
      this.setStatus(task, 'DEACTIVATING');
      this.after(how.drain ? drainSeconds || 1 : 1, finish);
    } else {
      finish();
    }
  }

  private countFailure(service: Service, task: Task): void {
    const deployment = service.deployments.find((d) => d.id === task.deploymentId);
    if (!deployment) return;
    deployment.totalFailedTasks++;
    deployment.updatedAt = this.now;
    if (deployment.status === 'PRIMARY' && deployment.rolloutState === 'IN_PROGRESS') {
      deployment.failedTasks++;
      service.consecutiveFailures++;
    }
    service.steady = false;
  }

  private expireStoppedTasks(): void {
    for (const [arn, task] of this.tasks) {
      if (
        task.lastStatus === 'STOPPED' &&
        task.stoppedAt !== undefined &&
        this.now - task.stoppedAt > this.retentionMs
      ) {
        this.tasks.delete(arn);
        const list = task.service && this.tasksByService.get(task.service);
        if (list) list.splice(list.indexOf(task), 1);
      }
    }
  }

  // ---------- ELB targets ----------
  private registerTargets(task: Task): void {
    const service = task.service;
    if (!service) return;
    for (const lb of service.loadBalancers) {
      const tg = this.targetGroups.get(lb.targetGroupArn);
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
        registeredAt: this.now,
      };
      tg.targets.set(task.ip, target);
      task.targetGroupArns.push(tg.arn);
      this.recordTarget(tg, target);
      this.serviceEvent(service, `registered 1 targets in (target-group ${tg.arn})`);
      this.scheduleHealthCheck(tg, task.ip);
    }
  }

  private recordTarget(tg: TargetGroup, target: Target): void {
    this.record('target-health', {
      targetGroupArn: tg.arn,
      targetId: target.id,
      taskArn: target.taskArn,
      state: target.state,
      ...(target.reason ? { reason: target.reason } : {}),
    });
  }

  private scheduleHealthCheck(tg: TargetGroup, targetId: string): void {
    this.after(tg.intervalSeconds, () => {
      const target = tg.targets.get(targetId);
      if (!target || target.state === 'draining') return;
      const task = this.tasks.get(target.taskArn);
      if (!task) return;
      this.healthCheck(tg, target, task);
      this.scheduleHealthCheck(tg, targetId);
    });
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
    const since = (this.now - (task.startedAt ?? this.now)) / 1000;
    let state = true;
    for (const step of [...healthy].sort((a, b) => a.afterSeconds - b.afterSeconds))
      if (since >= step.afterSeconds) state = step.healthy;
    return state;
  }

  // ---------- container health checks ----------
  private scheduleContainerHealthCheck(task: Task, container: Container): void {
    const check = container.healthCheck;
    if (!check) return;
    this.after(check.interval, () => {
      if (task.desiredStatus !== 'RUNNING' || container.lastStatus !== 'RUNNING') return;
      const passes = this.healthyNow(task, container.behaviour.containerHealthy);
      const inStartPeriod = this.now < (task.startedAt ?? this.now) + check.startPeriod * 1000;
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
  private updateTaskHealth(task: Task): void {
    const checked = task.containers.filter((c) => c.healthCheck && c.essential);
    let status: Task['healthStatus'] = 'UNKNOWN';
    if (checked.some((c) => c.healthStatus === 'UNHEALTHY')) status = 'UNHEALTHY';
    else if (checked.length > 0 && checked.every((c) => c.healthStatus === 'HEALTHY')) status = 'HEALTHY';
    if (status !== task.healthStatus) {
      task.healthStatus = status;
      task.version++;
      this.record('task-health', {
        cluster: task.cluster.name,
        service: task.service?.name,
        taskArn: task.arn,
        healthStatus: status,
      });
      if (status === 'UNHEALTHY' && task.service)
        this.serviceEvent(task.service, `(task ${task.id}) failed container health checks.`);
    }
  }

  private healthCheck(tg: TargetGroup, target: Target, task: Task): void {
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
        target.unhealthySince = this.now;
        this.after(ELB_REACTION_SECONDS, () => undefined);
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
        this.serviceEvent(
          service,
          `(task ${task.id}) (port ${target.port}) is unhealthy in (target-group ${tg.arn}) due to (reason ${target.description}).`,
        );
      }
    }
  }

  /** RUNNING and, behind a load balancer, healthy in every target group. */
  isHealthy(task: Task): boolean {
    if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return false;
    // With container health checks ECS waits for HEALTHY.
    if (task.containers.some((c) => c.healthCheck && c.essential) && task.healthStatus !== 'HEALTHY')
      return false;
    const service = task.service;
    if (!service || service.loadBalancers.length === 0) return true;
    return service.loadBalancers.every(
      (lb) => this.targetGroups.get(lb.targetGroupArn)?.targets.get(task.ip)?.state === 'healthy',
    );
  }

  // ---------- the service scheduler ----------
  primary(service: Service): Deployment | undefined {
    return service.deployments.find((d) => d.status === 'PRIMARY');
  }

  private reconcileAll(): void {
    for (const service of this.services.values()) {
      if (service.status !== 'INACTIVE') this.reconcile(service);
    }
  }

  private reconcile(service: Service): void {
    const tasks = this.serviceTasks(service);
    const alive = tasks.filter((t) => t.desiredStatus === 'RUNNING');

    if (service.status === 'DRAINING') {
      for (const task of alive) {
        this.stopTask(task, {
          stopCode: 'ServiceSchedulerInitiated',
          reason: `Service ${service.name} deleted`,
          failed: false,
          drain: true,
        });
      }
      if (tasks.every((t) => t.lastStatus === 'STOPPED')) {
        service.status = 'INACTIVE';
        for (const d of service.deployments) d.status = 'INACTIVE';
        this.record('service-state', {
          cluster: service.cluster.name,
          service: service.name,
          status: 'INACTIVE',
        });
      }
      return;
    }

    // Tasks whose essential containers fail their health checks are replaced.
    for (const task of alive) {
      if (
        task.lastStatus === 'RUNNING' &&
        task.healthStatus === 'UNHEALTHY' &&
        task.desiredStatus === 'RUNNING'
      ) {
        this.stopTask(task, {
          stopCode: 'ServiceSchedulerInitiated',
          reason: 'Task failed container health checks',
          failed: true,
          drain: false,
        });
        this.serviceEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
      }
    }

    // Tasks that fail their ELB health checks after the grace period are replaced.
    const grace = (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
    for (const task of alive) {
      if (task.lastStatus !== 'RUNNING' || this.now < (task.startedAt ?? 0) + grace) continue;
      const failedIn = service.loadBalancers
        .map((lb) => this.targetGroups.get(lb.targetGroupArn))
        .find((tg) => {
          const target = tg?.targets.get(task.ip);
          return (
            target?.state === 'unhealthy' &&
            this.now >= (target.unhealthySince ?? 0) + ELB_REACTION_SECONDS * 1000
          );
        });
      if (failedIn) {
        this.stopTask(task, {
          stopCode: 'ServiceSchedulerInitiated',
          reason: `Task failed ELB health checks in (target-group ${failedIn.arn})`,
          failed: true,
          drain: false,
        });
        this.serviceEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
      }
    }

    const primary = this.primary(service);
    if (!primary) return;
    this.checkCircuitBreaker(service, primary);
    const current = this.primary(service)!;
    const live = this.serviceTasks(service).filter((t) => t.desiredStatus === 'RUNNING');
    const ofPrimary = live.filter((t) => t.deploymentId === current.id);
    const older = live.filter((t) => t.deploymentId !== current.id);

    // A primary task becoming healthy resets the failure count (AWS's default resetOnHealthyTask).
    for (const task of ofPrimary) {
      if (task.reachedHealthy || !this.isHealthy(task)) continue;
      task.reachedHealthy = true;
      current.failedTasks = 0;
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
      this.stopTask(task, {
        stopCode: 'ServiceSchedulerInitiated',
        reason: `Scaling activity initiated by (deployment ${current.id})`,
        failed: false,
        drain: true,
      });
      stopped.push(task);
    }

    // Stop old deployments' tasks while the healthy count stays at or above minimumHealthyPercent:
    // unhealthy ones first (they serve nothing), then healthy ones.
    let healthy = live.filter((t) => t.desiredStatus === 'RUNNING' && this.isHealthy(t)).length;
    const olderByHealth = older
      .filter((t) => t.desiredStatus === 'RUNNING')
      .sort((a, b) => Number(this.isHealthy(a)) - Number(this.isHealthy(b)));
    for (const task of olderByHealth) {
      const taskHealthy = this.isHealthy(task);
      if (taskHealthy && (healthy - 1 < minHealthy || failedNoRollback)) continue;
      this.stopTask(task, {
        stopCode: 'ServiceSchedulerInitiated',
        reason: `Scaling activity initiated by (deployment ${current.id})`,
        failed: false,
        drain: true,
      });
      stopped.push(task);
      if (taskHealthy) healthy--;
    }
    if (stopped.length > 0) {
      this.serviceEvent(
        service,
        `has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${t.id})`).join(' ')}.`,
      );
    }

    // Start tasks for the primary deployment up to desired, within maximumPercent (a FAILED deployment launches no more).
    const started: Task[] = [];
    const backoffUntil = this.launchBackoffUntil(service);
    if (backoffUntil !== undefined && this.now < backoffUntil) {
      this.at(backoffUntil, () => undefined);
    } else if (!failedNoRollback) {
      let total = this.serviceTasks(service).filter((t) => t.desiredStatus === 'RUNNING').length;
      let count = ofPrimary.length - stopped.filter((t) => t.deploymentId === current.id).length;
      while (count < desired && total < maxTotal) {
        started.push(this.launch(service, current));
        count++;
        total++;
      }
    }
    if (started.length > 0) {
      service.lastLaunchAt = this.now;
      this.serviceEvent(
        service,
        `has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`,
      );
      if (service.consecutiveFailures >= 10 && !service.warnedUnableToStart) {
        service.warnedUnableToStart = true;
        this.serviceEvent(
          service,
          'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
        );
      }
    }

    // Old deployments shrink as their tasks stop, and go INACTIVE when none is left.
    for (const d of service.deployments) {
      if (d.status !== 'ACTIVE') continue;
      const left = this.serviceTasks(service).filter(
        (t) => t.deploymentId === d.id && t.desiredStatus === 'RUNNING',
      ).length;
      if (d.desiredCount !== left) {
        d.desiredCount = left;
        d.updatedAt = this.now;
      }
    }

    // Steady state: the primary has desired healthy tasks and nothing else runs.
    const nowLive = this.serviceTasks(service).filter(
      (t) => t.desiredStatus === 'RUNNING' || t.lastStatus !== 'STOPPED',
    );
    const primaryHealthy = nowLive.filter((t) => t.deploymentId === current.id && this.isHealthy(t)).length;
    const othersLeft = nowLive.some((t) => t.deploymentId !== current.id && t.lastStatus !== 'STOPPED');
    const primaryExtra = nowLive.filter((t) => t.deploymentId === current.id && !this.isHealthy(t)).length;
    if (
      !service.steady &&
      primaryHealthy === desired &&
      !othersLeft &&
      primaryExtra === 0 &&
      current.rolloutState !== 'FAILED'
    ) {
      this.completeDeployment(service, current, true);
    }
  }

  /**
   * The optional ECS-like launch backoff (scenario `launchBackoff`): after `afterFailures` failures in a row, each
   * launch waits initialSeconds x 2^(failures - afterFailures), at most maxSeconds, after the previous one.
   */
  private launchBackoffUntil(service: Service): number | undefined {
    const backoff = this.scenario.launchBackoff;
    if (!backoff || service.lastLaunchAt === undefined) return undefined;
    const over = service.consecutiveFailures - (backoff.afterFailures ?? 3);
    if (over < 0) return undefined;
    const seconds = Math.min(backoff.maxSeconds ?? 900, (backoff.initialSeconds ?? 10) * 2 ** over);
    return service.lastLaunchAt + seconds * 1000;
  }

  private completeDeployment(service: Service, deployment: Deployment, announce: boolean): void {
    for (const d of service.deployments) {
      if (d !== deployment && d.status !== 'INACTIVE') {
        d.status = 'INACTIVE';
        d.updatedAt = this.now;
        d.finishedAt ??= this.now;
        if (d.history === 'IN_PROGRESS' || d.history === 'ROLLBACK_IN_PROGRESS') d.history = 'STOPPED';
        this.recordDeployment(service, d);
      }
    }
    const wasInProgress = deployment.rolloutState === 'IN_PROGRESS';
    if (wasInProgress) {
      deployment.rolloutState = 'COMPLETED';
      deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
      deployment.updatedAt = this.now;
      deployment.finishedAt = this.now;
      deployment.history = deployment.rollbackOf ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
      this.recordDeployment(service, deployment);
      if (announce) this.serviceEvent(service, `(deployment ${deployment.id}) deployment completed.`);
    }
    service.lastCompleted = { id: deployment.id, taskDefinitionArn: deployment.taskDefinitionArn };
    service.steady = true;
    if (announce) this.serviceEvent(service, 'has reached a steady state.');
    this.record('steady-state', {
      cluster: service.cluster.name,
      service: service.name,
      deploymentId: deployment.id,
    });
  }

  private checkCircuitBreaker(service: Service, primary: Deployment): void {
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    if (!breaker.enable || primary.rolloutState !== 'IN_PROGRESS') return;
    const threshold = circuitBreakerThreshold(primary.desiredCount);
    if (primary.failedTasks < threshold) return;
    primary.rolloutState = 'FAILED';
    primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    primary.updatedAt = this.now;
    primary.finishedAt = this.now;
    primary.history = primary.rollbackOf ? 'ROLLBACK_FAILED' : 'STOPPED';
    this.recordDeployment(service, primary);
    const target = breaker.rollback && !primary.rollbackOf ? service.lastCompleted : undefined;
    this.record('circuit-breaker', {
      cluster: service.cluster.name,
      service: service.name,
      deploymentId: primary.id,
      failedTasks: primary.failedTasks,
      threshold,
      rollback: breaker.rollback,
      ...(target ? { rollbackTo: target.id, rollbackTaskDefinition: target.taskDefinitionArn } : {}),
    });
    this.serviceEvent(service, `deployment ${primary.id} deployment failed: tasks failed to start.`);
    if (!target) return;
    // Roll back: a new PRIMARY on the last COMPLETED deployment's task definition; the failed one drains away.
    const rollback = this.newDeployment(service, target.taskDefinitionArn, primary.id);
    rollback.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`;
    rollback.rollbackReason = rollback.rolloutStateReason;
    this.serviceEvent(service, `rolling back to deployment ${target.id}.`);
    for (const task of this.serviceTasks(service)) {
      if (task.deploymentId === primary.id && task.desiredStatus === 'RUNNING' && !this.isHealthy(task)) {
        this.stopTask(task, {
          stopCode: 'ServiceSchedulerInitiated',
          reason: `Scaling activity initiated by (deployment ${rollback.id})`,
          failed: false,
          drain: false,
        });
      }
    }
  }
}
