// Finds out about the service before anything is planned: its cluster (and whether Container Insights is on), the
// ALB target group its latency and 5xx alarms watch, its deployment controller and configuration. Read-only.
// A missing cluster, service or target group is the user's mistake: one line, before any change.
import { ConfigurationError } from '@hokusai/action-kit';
import type { MonitoringApi, TargetGroupInfo } from './aws.js';
import type { Inputs } from './inputs.js';
import type { ServiceContext } from './model.js';
import { nameOf, parseArn } from './names.js';

/** Which target group to look up: the input, the service's only one, or none. Pure. */
export type TargetGroupChoice =
  | { kind: 'none' }
  | { kind: 'lookup'; nameOrArn: string; fromInput: boolean }
  | { kind: 'ambiguous'; arns: string[] };

export function chooseTargetGroup(input: string, serviceTargetGroups: string[]): TargetGroupChoice {
  if (input !== '') return { kind: 'lookup', nameOrArn: input, fromInput: true };
  if (serviceTargetGroups.length === 0) return { kind: 'none' };
  if (serviceTargetGroups.length > 1) return { kind: 'ambiguous', arns: serviceTargetGroups };
  return { kind: 'lookup', nameOrArn: serviceTargetGroups[0]!, fromInput: false };
}

/**
 * The ALB dimensions of a target group (CloudWatch metrics for your Application Load Balancer: LoadBalancer =
 * `app/<name>/<id>`, TargetGroup = `targetgroup/<name>/<id>`), or why it has none. Pure.
 */
export function albOf(
  tg: TargetGroupInfo,
): { ok: true; loadBalancer: string; targetGroup: string } | { ok: false; reason: string } {
  const targetGroup = tg.arn.slice(tg.arn.indexOf(':targetgroup/') + 1);
  if (tg.loadBalancerArns.length === 0) {
    return { ok: false, reason: `target group ${tg.name} is not attached to a load balancer` };
  }
  const loadBalancer = tg.loadBalancerArns[0]!.replace(/^.*:loadbalancer\//, '');
  if (!loadBalancer.startsWith('app/')) {
    return {
      ok: false,
      reason: `target group ${tg.name} is behind a ${loadBalancer.startsWith('net/') ? 'network' : 'non-application'} load balancer, which publishes no TargetResponseTime or HTTP 5xx metrics`,
    };
  }
  return { ok: true, loadBalancer, targetGroup };
}

export interface Discovery {
  context: ServiceContext;
  /** One line each, for the log and the summary. */
  warnings: string[];
}

export async function discoverService(api: MonitoringApi, inputs: Inputs): Promise<Discovery> {
  const warnings: string[] = [];
  const cluster = await api.describeCluster(inputs.cluster);
  if (!cluster)
    throw new ConfigurationError(`cluster "${nameOf(inputs.cluster)}" not found in ${inputs['aws-region']}`);
  const service = await api.describeService(inputs.cluster, inputs.service);
  if (!service) {
    throw new ConfigurationError(
      `service "${nameOf(inputs.service)}" not found in cluster "${cluster.clusterName}" (${inputs['aws-region']})`,
    );
  }
  const arn = parseArn(cluster.clusterArn) ?? parseArn(service.serviceArn);
  if (!arn) throw new Error(`cannot read the account from cluster ARN "${cluster.clusterArn}"`);

  let loadBalancer: ServiceContext['loadBalancer'];
  const choice = chooseTargetGroup(inputs['target-group'], service.targetGroupArns);
  if (choice.kind === 'ambiguous') {
    throw new ConfigurationError(
      `service "${service.serviceName}" has ${choice.arns.length} target groups (${choice.arns.map((a) => nameOf(a)).join(', ')}): set target-group to the one its API serves`,
    );
  }
  if (choice.kind === 'none') {
    warnings.push(
      `service ${service.serviceName} has no load balancer: skipping the latency and 5xx alarms (set target-group to watch an ALB target group)`,
    );
  } else {
    const tg = await api.describeTargetGroup(choice.nameOrArn);
    if (!tg) {
      throw new ConfigurationError(
        choice.fromInput
          ? `target group "${nameOf(choice.nameOrArn)}" not found (input "target-group") in ${inputs['aws-region']}`
          : `the service's target group "${nameOf(choice.nameOrArn)}" not found in ${inputs['aws-region']}`,
      );
    }
    const alb = albOf(tg);
    if (alb.ok)
      loadBalancer = { loadBalancer: alb.loadBalancer, targetGroup: alb.targetGroup, targetGroupArn: tg.arn };
    else warnings.push(`${alb.reason}: skipping the latency and 5xx alarms`);
  }

  if (!cluster.containerInsights && !inputs['enable-container-insights']) {
    warnings.push(
      `Container Insights is off for cluster ${cluster.clusterName}: the running-tasks alarm stays INSUFFICIENT_DATA until it is on; set enable-container-insights: true, or run: aws ecs update-cluster-settings --cluster ${cluster.clusterName} --settings name=containerInsights,value=enabled`,
    );
  }
  if (inputs['deployment-alarms'] && service.deploymentController !== 'ECS') {
    warnings.push(
      `service ${service.serviceName} uses the ${service.deploymentController} deployment controller: ECS deployment alarms need the ECS controller, so its deployment configuration is left as it is`,
    );
  }

  return {
    context: {
      region: inputs['aws-region'],
      partition: arn.partition,
      account: arn.account,
      clusterName: cluster.clusterName,
      clusterArn: cluster.clusterArn,
      serviceName: service.serviceName,
      serviceArn: service.serviceArn,
      containerInsights: cluster.containerInsights,
      ...(loadBalancer ? { loadBalancer } : {}),
      deploymentController: service.deploymentController,
      deploymentConfiguration: service.deploymentConfiguration,
    },
    warnings,
  };
}
