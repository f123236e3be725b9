// The AWS side behind one narrow interface: reads mapped to the plain data of model.ts here, each planned Write
// carried out by exactly one API call (aws-writes.ts). Clients, call counting and retries: aws-clients.ts.
import {
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListTagsForResourceCommand as CloudWatchListTags,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeResourcePoliciesCommand,
  ListTagsForResourceCommand as LogsListTags,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClustersCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeRuleCommand,
  ListTagsForResourceCommand as EventsListTags,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { awsErrorName, explainAwsError } from '@hokusai/aws-kit';
import { canonicalAlarm, type DescribedAlarm } from './alarm-definition.js';
import {
  call,
  createClients,
  destroyClients,
  isNotFound,
  tagMap,
  type ClientOptions,
} from './aws-clients.js';
import { applyWrite } from './aws-writes.js';
import type { CurrentAlarm, CurrentState, DeploymentConfiguration, MetricFilterDefinition } from './model.js';
import type { Write } from './plan.js';

export type { ApiCallRecord } from './aws-clients.js';

/** An ECS service as the action needs it. */
export interface ServiceInfo {
  serviceName: string;
  serviceArn: string;
  clusterArn: string;
  targetGroupArns: string[];
  deploymentController: string;
  deploymentConfiguration: DeploymentConfiguration;
}

export interface ClusterInfo {
  clusterName: string;
  clusterArn: string;
  containerInsights: boolean;
}

export interface TargetGroupInfo {
  arn: string;
  name: string;
  loadBalancerArns: string[];
}

/** Everything the action reads and writes, as plain data. */
export interface MonitoringApi {
  describeService(cluster: string, service: string): Promise<ServiceInfo | undefined>;
  describeCluster(cluster: string): Promise<ClusterInfo | undefined>;
  describeTargetGroup(nameOrArn: string): Promise<TargetGroupInfo | undefined>;
  describeAlarms(names: string[]): Promise<Record<string, CurrentAlarm>>;
  getDashboard(name: string): Promise<string | undefined>;
  describeRule(name: string): Promise<CurrentState['rule']>;
  describeLogGroup(name: string): Promise<CurrentState['logGroup']>;
  describeResourcePolicy(name: string): Promise<CurrentState['resourcePolicy']>;
  apply(write: Write): Promise<void>;
  close(): void;
}

export function createMonitoringApi(options: ClientOptions): MonitoringApi {
  const clients = createClients(options);
  const { ecs, elb, cloudwatch, events, logs } = clients;
  return {
    async describeService(cluster, service) {
      const out = await call(`describing service ${service}`, () =>
        ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
      );
      const found = out.services?.[0];
      if (!found || found.status === 'INACTIVE') return undefined;
      return {
        serviceName: found.serviceName ?? service,
        serviceArn: found.serviceArn ?? '',
        clusterArn: found.clusterArn ?? '',
        targetGroupArns: [
          ...new Set(
            (found.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((a): a is string => !!a),
          ),
        ],
        deploymentController: found.deploymentController?.type ?? 'ECS',
        deploymentConfiguration: (found.deploymentConfiguration ?? {}) as DeploymentConfiguration,
      };
    },

    async describeCluster(cluster) {
      const out = await call(`describing cluster ${cluster}`, () =>
        ecs.send(new DescribeClustersCommand({ clusters: [cluster], include: ['SETTINGS'] })),
      );
      const found = out.clusters?.[0];
      if (!found || found.status === 'INACTIVE') return undefined;
      const setting = found.settings?.find((s) => s.name === 'containerInsights')?.value;
      return {
        clusterName: found.clusterName ?? cluster,
        clusterArn: found.clusterArn ?? '',
        containerInsights: setting === 'enabled' || setting === 'enhanced',
      };
    },

    async describeTargetGroup(nameOrArn) {
      const byArn = nameOrArn.startsWith('arn:');
      try {
        const out = await elb.send(
          new DescribeTargetGroupsCommand(byArn ? { TargetGroupArns: [nameOrArn] } : { Names: [nameOrArn] }),
        );
        const tg = out.TargetGroups?.[0];
        if (!tg?.TargetGroupArn) return undefined;
        return {
          arn: tg.TargetGroupArn,
          name: tg.TargetGroupName ?? '',
          loadBalancerArns: tg.LoadBalancerArns ?? [],
        };
      } catch (error) {
        if (awsErrorName(error) === 'TargetGroupNotFoundException') return undefined;
        throw explainAwsError(error, `describing target group ${nameOrArn}`);
      }
    },

    async describeAlarms(names) {
      const found: Record<string, CurrentAlarm> = {};
      for (let i = 0; i < names.length; i += 100) {
        const batch = names.slice(i, i + 100);
        const out = await call('describing the alarms', () =>
          cloudwatch.send(
            new DescribeAlarmsCommand({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
          ),
        );
        for (const alarm of out.MetricAlarms ?? []) {
          if (!alarm.AlarmName || !alarm.AlarmArn) continue;
          const tags = await call(`reading the tags of alarm ${alarm.AlarmName}`, () =>
            cloudwatch.send(new CloudWatchListTags({ ResourceARN: alarm.AlarmArn })),
          );
          found[alarm.AlarmName] = {
            definition: canonicalAlarm(alarm as DescribedAlarm),
            arn: alarm.AlarmArn,
            tags: tagMap(tags.Tags),
            state: alarm.StateValue ?? '',
            stateReason: alarm.StateReason ?? '',
          };
        }
        // A composite alarm with one of our names can only be someone else's: no tags, so never ours.
        for (const alarm of out.CompositeAlarms ?? []) {
          if (!alarm.AlarmName) continue;
          found[alarm.AlarmName] = {
            definition: canonicalAlarm({ AlarmName: alarm.AlarmName }),
            arn: alarm.AlarmArn ?? '',
            tags: {},
            state: alarm.StateValue ?? '',
            stateReason: alarm.StateReason ?? '',
          };
        }
      }
      return found;
    },

    async getDashboard(name) {
      try {
        const out = await cloudwatch.send(new GetDashboardCommand({ DashboardName: name }));
        return out.DashboardBody ?? '';
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw explainAwsError(error, `reading dashboard ${name}`);
      }
    },

    async describeRule(name) {
      let rule;
      try {
        rule = await events.send(new DescribeRuleCommand({ Name: name }));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw explainAwsError(error, `describing EventBridge rule ${name}`);
      }
      const arn = rule.Arn ?? '';
      const [tags, targets] = await Promise.all([
        call(`reading the tags of EventBridge rule ${name}`, () =>
          events.send(new EventsListTags({ ResourceARN: arn })),
        ),
        call(`listing the targets of EventBridge rule ${name}`, () =>
          events.send(new ListTargetsByRuleCommand({ Rule: name })),
        ),
      ]);
      return {
        arn,
        eventPattern: rule.EventPattern ?? '',
        description: rule.Description ?? '',
        state: rule.State ?? '',
        tags: tagMap(tags.Tags),
        targets: (targets.Targets ?? []).map((t) => ({ Id: t.Id ?? '', Arn: t.Arn ?? '' })),
      };
    },

    async describeLogGroup(name) {
      const out = await call(`describing log group ${name}`, () =>
        logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name })),
      );
      const group = out.logGroups?.find((g) => g.logGroupName === name);
      if (!group) return undefined;
      const arn = group.logGroupArn ?? (group.arn ?? '').replace(/:\*$/, '');
      const [tags, filters] = await Promise.all([
        call(`reading the tags of log group ${name}`, () =>
          logs.send(new LogsListTags({ resourceArn: arn })),
        ),
        call(`describing the metric filters of log group ${name}`, () =>
          logs.send(new DescribeMetricFiltersCommand({ logGroupName: name })),
        ),
      ]);
      return {
        arn,
        ...(group.retentionInDays !== undefined ? { retentionDays: group.retentionInDays } : {}),
        tags: tags.tags ?? {},
        metricFilters: (filters.metricFilters ?? []).map((f): MetricFilterDefinition => ({
          filterName: f.filterName ?? '',
          filterPattern: f.filterPattern ?? '',
          metricTransformations: (f.metricTransformations ?? []).map((t) => ({
            metricName: t.metricName ?? '',
            metricNamespace: t.metricNamespace ?? '',
            metricValue: t.metricValue ?? '',
            ...(t.unit ? { unit: t.unit } : {}),
            ...(t.dimensions ? { dimensions: t.dimensions } : {}),
          })),
        })),
      };
    },

    async describeResourcePolicy(name) {
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const out = await call('reading the CloudWatch Logs resource policies', () =>
          logs.send(
            new DescribeResourcePoliciesCommand({ limit: 50, ...(token ? { nextToken: token } : {}) }),
          ),
        );
        const policy = out.resourcePolicies?.find((p) => p.policyName === name);
        if (policy) return { document: policy.policyDocument ?? '' };
        nextToken = out.nextToken;
      } while (nextToken);
      return undefined;
    },

    apply: (write) => applyWrite(clients, write),

    close: () => destroyClients(clients),
  };
}
