// The ECS operations (JSON 1.1, AmazonEC2ContainerServiceV20141113.*): request fields in, AWS-shaped responses out,
// over the Simulation. Timestamps are simulated epoch seconds, as the SDK expects.
import { ApiError, RequestFields, invalidParameter } from './api-error.js';
import {
  DEPLOYMENT_CONTROLLER_TYPES,
  DEPLOYMENT_STRATEGIES,
  THRESHOLD_TYPES,
  type DeploymentAlarms,
  type DeploymentCircuitBreaker,
  type DeploymentConfiguration,
  type DeploymentControllerType,
  type Tags,
} from './scenario.js';
import {
  circuitBreakerThreshold,
  type Deployment,
  type LoadBalancer,
  type Service,
  type Simulation,
  type Task,
  type TaskDefinition,
} from './simulation.js';

type Body = Record<string, unknown>;
type Handler = (sim: Simulation, body: Body) => Body;

/** Tasks on their way to RUNNING count as pending (pendingCount). */
const PENDING_STATES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/** Drops undefined fields so the JSON carries only what AWS would send. */
function compact<T extends Body>(object: T): T {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}

const tagList = (tags: Tags): { key: string; value: string }[] =>
  Object.entries(tags).map(([key, value]) => ({ key, value }));

function readTags(fields: RequestFields, name = 'tags'): Tags {
  const tags: Tags = {};
  for (const tag of fields.objects(name) ?? []) {
    if (typeof tag.key !== 'string' || tag.key === '')
      throw invalidParameter('Tag keys must be non-empty strings.');
    tags[tag.key] = typeof tag.value === 'string' ? tag.value : '';
  }
  return tags;
}

export function taskDefinitionShape(td: TaskDefinition): Body {
  const body = td.body;
  return compact({
    ...body,
    taskDefinitionArn: td.arn,
    family: td.family,
    revision: td.revision,
    status: td.status,
    containerDefinitions: td.containerDefinitions,
    volumes: body.volumes ?? [],
    placementConstraints: body.placementConstraints ?? [],
    networkMode: body.networkMode ?? 'awsvpc',
    requiresAttributes: [
      { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
      { name: 'ecs.capability.task-eni' },
    ],
    compatibilities: ['EC2', 'FARGATE'],
    requiresCompatibilities: body.requiresCompatibilities ?? ['FARGATE'],
    registeredAt: seconds(td.registeredAt),
    deregisteredAt: seconds(td.deregisteredAt),
    registeredBy: `arn:aws:iam::123456789012:user/emulator`,
  });
}

function deploymentShape(sim: Simulation, service: Service, d: Deployment): Body {
  const tasks = sim
    .serviceTasks(service)
    .filter((t) => t.deploymentId === d.id && t.desiredStatus === 'RUNNING');
  return compact({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinitionArn,
    desiredCount: d.desiredCount,
    pendingCount: tasks.filter((t) => PENDING_STATES.has(t.lastStatus)).length,
    runningCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    failedTasks: d.failedTasks,
    createdAt: seconds(d.createdAt),
    updatedAt: seconds(d.updatedAt),
    launchType: service.launchType,
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    networkConfiguration: service.networkConfiguration,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  });
}

export function serviceShape(sim: Simulation, service: Service): Body {
  const tasks = sim.serviceTasks(service).filter((t) => t.desiredStatus === 'RUNNING');
  return compact({
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.cluster.arn,
    loadBalancers: service.loadBalancers.map((lb) => ({ ...lb })),
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: tasks.filter((t) => PENDING_STATES.has(t.lastStatus)).length,
    launchType: service.launchType,
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: service.taskDefinitionArn,
    deploymentConfiguration: deploymentConfigurationShape(service),
    // PRIMARY first, then the ACTIVE ones newest first (a rollback makes an older deployment PRIMARY again).
    deployments: service.deployments
      .filter((d) => d.status !== 'INACTIVE')
      .sort((a, b) => Number(b.status === 'PRIMARY') - Number(a.status === 'PRIMARY'))
      .map((d) => deploymentShape(sim, service, d)),
    roleArn: `arn:aws:iam::${sim.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: service.events.map((e) => ({ id: e.id, createdAt: seconds(e.createdAt), message: e.message })),
    createdAt: seconds(service.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: service.networkConfiguration,
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: 'REPLICA',
    deploymentController: { ...service.deploymentController },
    tags: tagList(service.tags),
    createdBy: `arn:aws:iam::${sim.accountId}:role/deployer`,
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'DISABLED',
  });
}

export function taskShape(task: Task): Body {
  const eni = `eni-${task.id.slice(0, 17)}`;
  return compact({
    attachments: [
      {
        id: `${task.id.slice(0, 8)}-attach`,
        type: 'ElasticNetworkInterface',
        status: task.lastStatus === 'STOPPED' ? 'DELETED' : 'ATTACHED',
        details: [
          { name: 'subnetId', value: 'subnet-0emulator' },
          { name: 'networkInterfaceId', value: eni },
          { name: 'privateIPv4Address', value: task.ip },
        ],
      },
    ],
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: task.availabilityZone,
    clusterArn: task.cluster.arn,
    connectivity: task.connectivityAt !== undefined ? 'CONNECTED' : undefined,
    connectivityAt: seconds(task.connectivityAt),
    containers: task.containers.map((c) =>
      compact({
        containerArn: c.arn,
        taskArn: task.arn,
        name: c.name,
        image: c.image,
        runtimeId: c.lastStatus === 'PENDING' ? undefined : c.runtimeId,
        lastStatus: c.lastStatus,
        exitCode: c.exitCode,
        reason: c.reason,
        networkBindings: [],
        networkInterfaces: [{ attachmentId: `${task.id.slice(0, 8)}-attach`, privateIpv4Address: task.ip }],
        healthStatus: c.healthStatus,
        cpu: '0',
      }),
    ),
    cpu: (task.taskDefinition.body.cpu as string | undefined) ?? '256',
    createdAt: seconds(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: false,
    executionStoppedAt: seconds(task.executionStoppedAt),
    group: task.group,
    healthStatus: task.healthStatus,
    lastStatus: task.lastStatus,
    launchType: task.service?.launchType ?? 'FARGATE',
    memory: (task.taskDefinition.body.memory as string | undefined) ?? '512',
    overrides: {
      containerOverrides: task.containers.map((c) => ({ name: c.name })),
      inferenceAcceleratorOverrides: [],
    },
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    pullStartedAt: seconds(task.pullStartedAt),
    pullStoppedAt: seconds(task.pullStoppedAt),
    startedAt: seconds(task.startedAt),
    startedBy: task.startedBy,
    stopCode: task.stopCode,
    stoppedAt: seconds(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: seconds(task.stoppingAt),
    tags: tagList(task.tags),
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinition.arn,
    version: task.version,
    ephemeralStorage: { sizeInGiB: 20 },
  });
}

function clusterShape(sim: Simulation, name: string): Body {
  const cluster = sim.clusters.get(name)!;
  const services = sim.serviceList(cluster).filter((s) => s.status === 'ACTIVE');
  const tasks = [...sim.tasks.values()].filter((t) => t.cluster === cluster && t.lastStatus !== 'STOPPED');
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => PENDING_STATES.has(t.lastStatus)).length,
    activeServicesCount: services.length,
    statistics: [],
    tags: tagList(cluster.tags),
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

function requireService(sim: Simulation, fields: RequestFields): Service {
  const cluster = sim.findCluster(fields.string('cluster'));
  const ref = fields.string('service');
  if (!ref) throw invalidParameter('service is required');
  // A deleted (INACTIVE) service is still found: AWS answers ServiceNotActiveException for it, not NotFound.
  const service = sim.findService(cluster, ref, true);
  if (!service) throw new ApiError('ServiceNotFoundException', 'Service not found.');
  return service;
}

/** AWS's answer to a value outside an enum, naming the allowed ones. */
function enumValue<T extends string>(value: string, allowed: readonly T[], at: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalidParameter(
    `1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

function readCircuitBreaker(breaker: Body): DeploymentCircuitBreaker {
  if (typeof breaker.enable !== 'boolean' || typeof breaker.rollback !== 'boolean') {
    throw invalidParameter('deploymentCircuitBreaker needs enable and rollback (booleans).');
  }
  const f = new RequestFields(breaker);
  const reset = f.boolean('resetOnHealthyTask');
  const threshold = f.object('thresholdConfiguration');
  let thresholdConfiguration: DeploymentCircuitBreaker['thresholdConfiguration'];
  if (threshold) {
    const t = new RequestFields(threshold);
    const type = enumValue(
      t.string('type') ?? 'BOUNDED_PERCENT',
      THRESHOLD_TYPES,
      'deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration.type',
    );
    const value = t.integer('value') ?? 50;
    if (value < 1) throw invalidParameter('thresholdConfiguration.value must be at least 1.');
    thresholdConfiguration = { type, value };
  }
  return {
    enable: breaker.enable,
    rollback: breaker.rollback,
    ...(reset !== undefined ? { resetOnHealthyTask: reset } : {}),
    ...(thresholdConfiguration ? { thresholdConfiguration } : {}),
  };
}

function readAlarms(alarms: Body): DeploymentAlarms {
  const f = new RequestFields(alarms);
  const alarmNames = f.strings('alarmNames');
  const enable = f.boolean('enable');
  const rollback = f.boolean('rollback');
  if (!alarmNames || enable === undefined || rollback === undefined) {
    throw invalidParameter('alarms needs alarmNames (strings), enable and rollback (booleans).');
  }
  return { alarmNames, enable, rollback };
}

function readDeploymentConfiguration(value: Body | undefined): DeploymentConfiguration | undefined {
  if (!value) return undefined;
  const fields = new RequestFields(value);
  const breaker = fields.object('deploymentCircuitBreaker');
  const alarms = fields.object('alarms');
  const strategy = fields.string('strategy');
  const bake = fields.integer('bakeTimeInMinutes');
  const min = fields.integer('minimumHealthyPercent');
  const max = fields.integer('maximumPercent');
  return {
    ...(min !== undefined ? { minimumHealthyPercent: min } : {}),
    ...(max !== undefined ? { maximumPercent: max } : {}),
    ...(breaker ? { deploymentCircuitBreaker: readCircuitBreaker(breaker) } : {}),
    ...(alarms ? { alarms: readAlarms(alarms) } : {}),
    ...(strategy !== undefined
      ? { strategy: enumValue(strategy, DEPLOYMENT_STRATEGIES, 'deploymentConfiguration.strategy') }
      : {}),
    ...(bake !== undefined ? { bakeTimeInMinutes: bake } : {}),
  };
}

function readDeploymentController(f: RequestFields): { type: DeploymentControllerType } | undefined {
  const controller = f.object('deploymentController');
  if (!controller) return undefined;
  const type = new RequestFields(controller).string('type') ?? 'ECS';
  return { type: enumValue(type, DEPLOYMENT_CONTROLLER_TYPES, 'deploymentController.type') };
}

/** The service's deploymentConfiguration as DescribeServices shows it (optional fields only when set). */
function deploymentConfigurationShape(service: Service): Body {
  const c = service.deploymentConfiguration;
  return compact({
    deploymentCircuitBreaker: { ...c.deploymentCircuitBreaker },
    maximumPercent: c.maximumPercent,
    minimumHealthyPercent: c.minimumHealthyPercent,
    alarms: c.alarms ? { ...c.alarms } : undefined,
    strategy: c.strategy,
    bakeTimeInMinutes: c.bakeTimeInMinutes,
  });
}

function readLoadBalancers(fields: RequestFields): LoadBalancer[] {
  return (fields.objects('loadBalancers') ?? []).map((lb) => {
    const f = new RequestFields(lb);
    const targetGroupArn = f.string('targetGroupArn');
    const containerName = f.string('containerName');
    const containerPort = f.integer('containerPort');
    if (!targetGroupArn || !containerName || containerPort === undefined) {
      throw invalidParameter('loadBalancers need targetGroupArn, containerName and containerPort.');
    }
    return { targetGroupArn, containerName, containerPort };
  });
}

/** Pages a list with nextToken as the index of the next item (as a string). */
function page<T>(items: T[], fields: RequestFields, defaultMax = 100): { items: T[]; nextToken?: string } {
  const max = fields.integer('maxResults') ?? defaultMax;
  if (max < 1 || max > 100) throw invalidParameter('maxResults must be between 1 and 100.');
  const token = fields.string('nextToken');
  const start = token === undefined ? 0 : Number.parseInt(token, 10);
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid nextToken.');
  const slice = items.slice(start, start + max);
  return { items: slice, ...(start + max < items.length ? { nextToken: String(start + max) } : {}) };
}

/** The resource an ARN names, for the tag operations. */
function taggable(sim: Simulation, arn: string): { tags: Tags } {
  if (!arn.startsWith('arn:aws:ecs:')) throw invalidParameter('The ARN provided is invalid.');
  const resource = arn.split(':').slice(5).join(':');
  const [kind, ...rest] = resource.split('/');
  let found: { tags: Tags } | undefined;
  if (kind === 'cluster') found = sim.clusters.get(rest[0] ?? '');
  else if (kind === 'service') {
    const cluster = rest.length === 2 ? sim.clusters.get(rest[0]!) : undefined;
    found = cluster
      ? sim.findService(cluster, rest[rest.length - 1]!, true)
      : [...sim.allServices()].find((s) => s.arn === arn);
  } else if (kind === 'task-definition') found = sim.findTaskDefinition(rest.join('/'));
  else if (kind === 'task') found = sim.tasks.get(arn);
  if (!found) throw new ApiError('ResourceNotFoundException', 'The specified resource was not found.');
  return found;
}

/** A ServiceRevisionSummary: the revision's requested, running and pending task counts now. */
function revisionSummary(sim: Simulation, service: Service, d: Deployment): Body {
  const tasks = sim
    .serviceTasks(service)
    .filter((t) => t.deploymentId === d.id && t.desiredStatus === 'RUNNING');
  return {
    arn: serviceRevisionArn(service, d),
    requestedTaskCount: d.status === 'INACTIVE' ? 0 : d.desiredCount,
    runningTaskCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTaskCount: tasks.filter((t) => t.lastStatus !== 'RUNNING').length,
  };
}

function serviceDeploymentArn(service: Service, d: Pick<Deployment, 'id'>): string {
  return `${service.arn.replace(':service/', ':service-deployment/')}/${d.id.replace('ecs-svc/', '')}`;
}
function serviceRevisionArn(service: Service, d: Pick<Deployment, 'id'>): string {
  return `${service.arn.replace(':service/', ':service-revision/')}/${d.id.replace('ecs-svc/', '')}`;
}

export const ecsOperations: Record<string, Handler> = {
  CreateCluster(sim, body) {
    const f = new RequestFields(body);
    const name = f.string('clusterName') ?? 'default';
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name))
      throw invalidParameter('Cluster name contains invalid characters.');
    sim.createCluster(name, readTags(f));
    return { cluster: clusterShape(sim, name) };
  },

  DescribeClusters(sim, body) {
    const f = new RequestFields(body);
    const refs = f.strings('clusters') ?? ['default'];
    const clusters: Body[] = [];
    const failures: Body[] = [];
    for (const ref of refs) {
      const name = ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
      if (sim.clusters.has(name)) clusters.push(clusterShape(sim, name));
      else failures.push({ arn: sim.ecsArn(`cluster/${name}`), reason: 'MISSING' });
    }
    return { clusters, failures };
  },

  RegisterTaskDefinition(sim, body) {
    const f = new RequestFields(body, 'ClientException');
    f.requiredString('family');
    f.objects('containerDefinitions');
    const tags = readTags(f);
    const rest: Body = { ...body };
    delete rest.tags;
    const td = sim.registerTaskDefinition(rest, tags);
    return { taskDefinition: taskDefinitionShape(td), tags: tagList(tags) };
  },

  DescribeTaskDefinition(sim, body) {
    const f = new RequestFields(body, 'ClientException');
    const ref = f.requiredString('taskDefinition');
    const td = sim.findTaskDefinition(ref);
    if (!td) throw new ApiError('ClientException', 'Unable to describe task definition.');
    const include = f.strings('include') ?? [];
    return {
      taskDefinition: taskDefinitionShape(td),
      ...(include.includes('TAGS') ? { tags: tagList(td.tags) } : {}),
    };
  },

  ListTaskDefinitions(sim, body) {
    const f = new RequestFields(body);
    const prefix = f.string('familyPrefix');
    const status = f.string('status') ?? 'ACTIVE';
    const sort = f.string('sort') ?? 'ASC';
    if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status))
      throw invalidParameter(`Invalid status ${status}.`);
    if (!['ASC', 'DESC'].includes(sort)) throw invalidParameter(`Invalid sort ${sort}.`);
    const all = [...sim.taskDefinitions.values()]
      .flatMap((revisions) => [...revisions.values()])
      .filter((td) => td.status === status && (prefix === undefined || td.family === prefix))
      .sort((a, b) => (a.family === b.family ? a.revision - b.revision : a.family < b.family ? -1 : 1));
    if (sort === 'DESC') all.reverse();
    const { items, nextToken } = page(all, f);
    return compact({ taskDefinitionArns: items.map((td) => td.arn), nextToken });
  },

  DeregisterTaskDefinition(sim, body) {
    const f = new RequestFields(body, 'ClientException');
    const ref = f.requiredString('taskDefinition');
    if (!ref.includes(':'))
      throw invalidParameter('The specified task definition does not include a revision.');
    const td = sim.findTaskDefinition(ref);
    if (!td) throw new ApiError('ClientException', 'The specified task definition does not exist.');
    if (td.status === 'ACTIVE') {
      td.status = 'INACTIVE';
      td.deregisteredAt = sim.now;
    }
    return { taskDefinition: taskDefinitionShape(td) };
  },

  CreateService(sim, body) {
    const f = new RequestFields(body);
    const cluster = sim.findCluster(f.string('cluster'));
    const name = f.requiredString('serviceName');
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name))
      throw invalidParameter('Service name contains invalid characters.');
    const taskDefinition = f.string('taskDefinition');
    if (!taskDefinition) throw invalidParameter('TaskDefinition must be specified.');
    const desiredCount = f.integer('desiredCount') ?? 0;
    if (desiredCount < 0) throw invalidParameter('desiredCount must be at least 0.');
    const grace = f.integer('healthCheckGracePeriodSeconds');
    const network = f.object('networkConfiguration');
    const controller = readDeploymentController(f);
    const service = sim.createService(cluster, {
      name,
      taskDefinition,
      desiredCount,
      deploymentConfiguration: readDeploymentConfiguration(f.object('deploymentConfiguration')) ?? {},
      loadBalancers: readLoadBalancers(f),
      ...(grace !== undefined ? { healthCheckGracePeriodSeconds: grace } : {}),
      tags: readTags(f),
      launchType: f.string('launchType') ?? 'FARGATE',
      ...(network ? { networkConfiguration: network } : {}),
      ...(controller ? { deploymentController: controller } : {}),
    });
    sim.advanceTo(sim.now);
    return { service: serviceShape(sim, service) };
  },

  DescribeServices(sim, body) {
    const f = new RequestFields(body);
    const cluster = sim.findCluster(f.string('cluster'));
    const refs = f.strings('services');
    if (!refs || refs.length === 0) throw invalidParameter('Services cannot be empty.');
    if (refs.length > 10) throw invalidParameter('At most 10 services can be described at once.');
    const services: Body[] = [];
    const failures: Body[] = [];
    for (const ref of refs) {
      const service = sim.findService(cluster, ref, true);
      if (service) {
        const shape = serviceShape(sim, service);
        // As AWS: tags only when asked for with include: ['TAGS'].
        if (!(f.strings('include') ?? []).includes('TAGS')) delete shape.tags;
        services.push(shape);
      } else
        failures.push({
          arn: ref.startsWith('arn:') ? ref : sim.ecsArn(`service/${cluster.name}/${ref}`),
          reason: 'MISSING',
        });
    }
    return { services, failures };
  },

  ListServices(sim, body) {
    const f = new RequestFields(body);
    const cluster = sim.findCluster(f.string('cluster'));
    const arns = sim
      .serviceList(cluster)
      .filter((s) => s.status !== 'INACTIVE')
      .map((s) => s.arn);
    const { items, nextToken } = page(arns, f, 10);
    return compact({ serviceArns: items, nextToken });
  },

  UpdateService(sim, body) {
    const f = new RequestFields(body);
    const service = requireService(sim, f);
    const desiredCount = f.integer('desiredCount');
    if (desiredCount !== undefined && desiredCount < 0)
      throw invalidParameter('desiredCount must be at least 0.');
    const taskDefinition = f.string('taskDefinition');
    const force = f.boolean('forceNewDeployment');
    const config = readDeploymentConfiguration(f.object('deploymentConfiguration'));
    const grace = f.integer('healthCheckGracePeriodSeconds');
    sim.updateService(service, {
      ...(desiredCount !== undefined ? { desiredCount } : {}),
      ...(taskDefinition !== undefined ? { taskDefinition } : {}),
      ...(force !== undefined ? { forceNewDeployment: force } : {}),
      ...(config ? { deploymentConfiguration: config } : {}),
      ...(grace !== undefined ? { healthCheckGracePeriodSeconds: grace } : {}),
    });
    return { service: serviceShape(sim, service) };
  },

  DeleteService(sim, body) {
    const f = new RequestFields(body);
    const service = requireService(sim, f);
    sim.deleteService(service, f.boolean('force') ?? false);
    return { service: serviceShape(sim, service) };
  },

  ListTasks(sim, body) {
    const f = new RequestFields(body);
    const cluster = sim.findCluster(f.string('cluster'));
    const serviceName = f.string('serviceName');
    const desiredStatus = f.string('desiredStatus') ?? 'RUNNING';
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus))
      throw invalidParameter(`Invalid desiredStatus ${desiredStatus}.`);
    const family = f.string('family');
    const startedBy = f.string('startedBy');
    let service: Service | undefined;
    if (serviceName !== undefined) {
      service = sim.findService(cluster, serviceName, true);
      if (!service) throw new ApiError('ServiceNotFoundException', 'Service not found.');
    }
    const tasks = [...sim.tasks.values()].filter(
      (t) =>
        t.cluster === cluster &&
        (service === undefined || t.service === service) &&
        (desiredStatus === 'PENDING'
          ? t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING'
          : t.desiredStatus === desiredStatus) &&
        (family === undefined || t.taskDefinition.family === family) &&
        (startedBy === undefined || t.startedBy === startedBy),
    );
    const { items, nextToken } = page(
      tasks.map((t) => t.arn),
      f,
    );
    return compact({ taskArns: items, nextToken });
  },

  DescribeTasks(sim, body) {
    const f = new RequestFields(body);
    const cluster = sim.findCluster(f.string('cluster'));
    const refs = f.strings('tasks');
    if (!refs || refs.length === 0) throw invalidParameter('Tasks cannot be empty.');
    if (refs.length > 100) throw invalidParameter('At most 100 tasks can be described at once.');
    const include = f.strings('include') ?? [];
    const tasks: Body[] = [];
    const failures: Body[] = [];
    for (const ref of refs) {
      const arn = ref.startsWith('arn:') ? ref : sim.ecsArn(`task/${cluster.name}/${ref}`);
      const task = sim.tasks.get(arn);
      if (task && task.cluster === cluster) {
        const shape = taskShape(task);
        if (!include.includes('TAGS')) delete shape.tags;
        tasks.push(shape);
      } else failures.push({ arn, reason: 'MISSING' });
    }
    return { tasks, failures };
  },

  TagResource(sim, body) {
    const f = new RequestFields(body);
    const resource = taggable(sim, f.requiredString('resourceArn'));
    Object.assign(resource.tags, readTags(f));
    return {};
  },

  UntagResource(sim, body) {
    const f = new RequestFields(body);
    const resource = taggable(sim, f.requiredString('resourceArn'));
    for (const key of f.strings('tagKeys') ?? []) delete resource.tags[key];
    return {};
  },

  ListTagsForResource(sim, body) {
    const f = new RequestFields(body);
    return { tags: tagList(taggable(sim, f.requiredString('resourceArn')).tags) };
  },

  ListServiceDeployments(sim, body) {
    const f = new RequestFields(body);
    const service = (() => {
      const cluster = sim.findCluster(f.string('cluster'));
      const found = sim.findService(cluster, f.requiredString('service'), true);
      if (!found) throw new ApiError('ServiceNotFoundException', 'Service not found.');
      return found;
    })();
    const statuses = f.strings('status');
    const all = service.deployments.filter((d) => !statuses || statuses.includes(d.history));
    const { items, nextToken } = page(all, f, 20);
    return compact({
      serviceDeployments: items.map((d) =>
        compact({
          serviceDeploymentArn: serviceDeploymentArn(service, d),
          serviceArn: service.arn,
          clusterArn: service.cluster.arn,
          startedAt: seconds(d.createdAt),
          createdAt: seconds(d.createdAt),
          finishedAt: seconds(d.finishedAt),
          targetServiceRevisionArn: serviceRevisionArn(service, d),
          status: d.history,
          statusReason: d.rolloutStateReason,
        }),
      ),
      nextToken,
    });
  },

  DescribeServiceDeployments(sim, body) {
    const f = new RequestFields(body);
    const arns = f.strings('serviceDeploymentArns') ?? [];
    const found: Body[] = [];
    const failures: Body[] = [];
    for (const arn of arns) {
      let match: { service: Service; d: Deployment } | undefined;
      for (const service of sim.allServices()) {
        const d = service.deployments.find((x) => serviceDeploymentArn(service, x) === arn);
        if (d) match = { service, d };
      }
      if (!match) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      const { service, d } = match;
      const sources = service.deployments.filter(
        (x) => x !== d && x.createdAt <= d.createdAt && x.status !== 'INACTIVE',
      );
      found.push(
        compact({
          serviceDeploymentArn: arn,
          serviceArn: service.arn,
          clusterArn: service.cluster.arn,
          createdAt: seconds(d.createdAt),
          startedAt: seconds(d.createdAt),
          finishedAt: seconds(d.finishedAt),
          updatedAt: seconds(d.updatedAt),
          sourceServiceRevisions: sources.map((x) => revisionSummary(sim, service, x)),
          targetServiceRevision: revisionSummary(sim, service, d),
          status: d.history,
          statusReason: d.rolloutStateReason,
          deploymentConfiguration: deploymentConfigurationShape(service),
          deploymentCircuitBreaker: {
            status: service.deploymentConfiguration.deploymentCircuitBreaker.enable
              ? d.rolloutState === 'FAILED'
                ? 'TRIGGERED'
                : 'MONITORING'
              : 'DISABLED',
            failureCount: d.failedTasks,
            threshold: circuitBreakerThreshold(
              d.desiredCount,
              service.deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration,
            ),
          },
          alarms: (() => {
            const alarms = service.deploymentConfiguration.alarms;
            if (!alarms?.enable) return { status: 'DISABLED' };
            return {
              status: d.triggeredAlarm ? 'TRIGGERED' : 'MONITORING',
              alarmNames: [...alarms.alarmNames],
              ...(d.triggeredAlarm ? { triggeredAlarmNames: [d.triggeredAlarm] } : {}),
            };
          })(),
          rollback: d.rollback
            ? {
                reason: d.rollback.reason,
                startedAt: seconds(d.rollback.startedAt),
                serviceRevisionArn: serviceRevisionArn(service, {
                  id: d.rollback.toId,
                }),
              }
            : undefined,
        }),
      );
    }
    return { serviceDeployments: found, failures };
  },

  DescribeServiceRevisions(sim, body) {
    const f = new RequestFields(body);
    const arns = f.strings('serviceRevisionArns') ?? [];
    const revisions: Body[] = [];
    const failures: Body[] = [];
    for (const arn of arns) {
      let match: { service: Service; d: Deployment } | undefined;
      for (const service of sim.allServices()) {
        const d = service.deployments.find((x) => serviceRevisionArn(service, x) === arn);
        if (d) match = { service, d };
      }
      if (!match) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      revisions.push({
        serviceRevisionArn: arn,
        serviceArn: match.service.arn,
        clusterArn: match.service.cluster.arn,
        taskDefinition: match.d.taskDefinitionArn,
        launchType: match.service.launchType,
        platformVersion: '1.4.0',
        platformFamily: 'Linux',
        loadBalancers: match.service.loadBalancers.map((lb) => ({ ...lb })),
        createdAt: seconds(match.d.createdAt),
      });
    }
    return { serviceRevisions: revisions, failures };
  },
};
