// The registry: clusters, task definitions (families and revisions) and ELB target groups — the resources a
// deployment refers to, with the validation AWS does when they are created or looked up.
import { ApiError } from '../api-error.js';
import type { ScenarioContainerDefinition, ScenarioTargetGroup, Tags } from '../scenario.js';
import type { Cluster, TargetGroup, TaskDefinition } from './model.js';
import type { Simulation } from '../simulation.js';

export class Registry {
  readonly clusters = new Map<string, Cluster>();
  readonly taskDefinitions = new Map<string, Map<number, TaskDefinition>>();
  readonly targetGroups = new Map<string, TargetGroup>();

  constructor(private readonly sim: Simulation) {}

  createCluster(name: string, tags: Tags): Cluster {
    const existing = this.clusters.get(name);
    if (existing) return existing;
    const cluster: Cluster = { arn: this.sim.ecsArn(`cluster/${name}`), name, tags, createdAt: this.sim.now };
    this.clusters.set(name, cluster);
    return cluster;
  }

  /** By name or ARN; no name is the `default` cluster, as AWS. */
  findCluster(ref: string | undefined): Cluster {
    const name =
      ref === undefined || ref === '' ? 'default' : ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
    const cluster = this.clusters.get(name);
    if (!cluster) throw new ApiError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

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
      arn: this.sim.ecsArn(`task-definition/${family}:${next}`),
      family,
      revision: next,
      status: 'ACTIVE',
      registeredAt: this.sim.now,
      body: { ...body, containerDefinitions },
      containerDefinitions,
      tags,
    };
    revisions.set(next, td);
    for (const c of containerDefinitions) {
      const options = c.logConfiguration?.options;
      if (c.logConfiguration?.logDriver === 'awslogs' && options?.['awslogs-group'])
        this.sim.logGroup(options['awslogs-group']);
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

  /** A scenario's target group with AWS's defaults (interval 30 s, timeout 5 s, healthy 5, unhealthy 2, delay 300 s). */
  addTargetGroup(tg: ScenarioTargetGroup): TargetGroup {
    const arn = `arn:aws:elasticloadbalancing:${this.sim.region}:${this.sim.accountId}:targetgroup/${tg.name}/${this.sim.ids.hex(16)}`;
    const group: TargetGroup = {
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
    };
    this.targetGroups.set(arn, group);
    return group;
  }

  targetGroupByName(name: string): TargetGroup | undefined {
    return [...this.targetGroups.values()].find((tg) => tg.name === name);
  }
}
