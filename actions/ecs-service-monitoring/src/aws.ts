// The AWS side: SDK v3 clients behind one narrow interface, reads mapped to the plain data of model.ts and each
// planned Write carried out by exactly one API call. Every request is counted (read or write) for the log.
// Retries on throttling and 5xx are the SDK's own (adaptive mode, aws-kit's client configuration).
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DeleteDashboardsCommand,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListTagsForResourceCommand as CloudWatchListTags,
  PutDashboardCommand,
  PutMetricAlarmCommand,
  TagResourceCommand as CloudWatchTagResource,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeResourcePoliciesCommand,
  ListTagsForResourceCommand as LogsListTags,
  PutMetricFilterCommand,
  PutResourcePolicyCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand as LogsTagResource,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  UpdateClusterCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTagsForResourceCommand as EventsListTags,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  TagResourceCommand as EventsTagResource,
} from '@aws-sdk/client-eventbridge';
import { ConfigurationError, type Environment } from '@hokusai/action-kit';
import { awsClientConfig, awsErrorName, explainAwsError } from '@hokusai/aws-kit';
import { canonicalAlarm, type DescribedAlarm } from './alarm-definition.js';
import type { CurrentAlarm, CurrentState, DeploymentConfiguration, MetricFilterDefinition } from './model.js';
import type { Write } from './plan.js';

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

export interface ApiCallRecord {
  service: string;
  operation: string;
  write: boolean;
}

const READ_OPERATION = /^(Describe|Get|List)/;

export interface MonitoringApiOptions {
  region: string;
  env: Environment;
  onCall?: (call: ApiCallRecord) => void;
}

function tagMap(list: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));
}

function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function isNotFound(error: unknown): boolean {
  return /NotFound/.test(awsErrorName(error));
}

export function createMonitoringApi(options: MonitoringApiOptions): MonitoringApi {
  const config = (serviceId: string) =>
    awsClientConfig(serviceId, { region: options.region, env: options.env });
  const ecs = new ECSClient(config('ECS'));
  const elb = new ElasticLoadBalancingV2Client(config('ELASTIC_LOAD_BALANCING_V2'));
  const cloudwatch = new CloudWatchClient(config('CLOUDWATCH'));
  const events = new EventBridgeClient(config('EVENTBRIDGE'));
  const logs = new CloudWatchLogsClient(config('CLOUDWATCH_LOGS'));
  const clients = { ECS: ecs, ELBv2: elb, CloudWatch: cloudwatch, EventBridge: events, Logs: logs };
  type Next = (args: unknown) => Promise<unknown>;
  for (const [service, client] of Object.entries(clients)) {
    // One record per command (the SDK's own retries of a command are not counted twice). The five clients' stacks
    // have different type parameters; this middleware reads only the command name.
    const stack = client.middlewareStack as unknown as {
      add(middleware: (next: Next, context: { commandName?: string }) => Next, options: object): void;
    };
    stack.add(
      (next, context) => (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        options.onCall?.({ service, operation, write: !READ_OPERATION.test(operation) });
        return next(args);
      },
      { step: 'initialize', name: 'hokusaiCallLog' },
    );
  }

  /** Runs one call; AWS errors a user can fix (credentials, access denied) become one line. */
  async function call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw explainAwsError(error, doing);
    }
  }

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

    async apply(write) {
      switch (write.kind) {
        case 'put-resource-policy':
          try {
            await logs.send(
              new PutResourcePolicyCommand({ policyName: write.name, policyDocument: write.document }),
            );
          } catch (error) {
            if (awsErrorName(error) === 'LimitExceededException') {
              throw new ConfigurationError(
                `this account already has the most CloudWatch Logs resource policies a region allows (10): ` +
                  `remove one, or add the statement from the README to an existing one and name it ${write.name}`,
              );
            }
            throw explainAwsError(error, `creating CloudWatch Logs resource policy ${write.name}`);
          }
          return;
        case 'create-log-group':
          await call(`creating log group ${write.name}`, () =>
            logs.send(new CreateLogGroupCommand({ logGroupName: write.name, tags: write.tags })),
          );
          return;
        case 'put-retention-policy':
          await call(`setting the retention of log group ${write.logGroupName}`, () =>
            logs.send(
              new PutRetentionPolicyCommand({
                logGroupName: write.logGroupName,
                retentionInDays: write.retentionDays,
              }),
            ),
          );
          return;
        case 'put-metric-filter':
          await call(`putting metric filter ${write.filter.filterName}`, () =>
            logs.send(
              new PutMetricFilterCommand(
                write.filter as ConstructorParameters<typeof PutMetricFilterCommand>[0],
              ),
            ),
          );
          return;
        case 'tag-log-group':
          await call(`tagging log group ${write.name}`, () =>
            logs.send(new LogsTagResource({ resourceArn: write.arn, tags: write.tags })),
          );
          return;
        case 'put-rule':
          await call(`${write.create ? 'creating' : 'updating'} EventBridge rule ${write.name}`, () =>
            events.send(
              new PutRuleCommand({
                Name: write.name,
                EventPattern: write.eventPattern,
                Description: write.description,
                State: 'ENABLED',
                ...(write.create ? { Tags: tagList(write.tags) } : {}),
              }),
            ),
          );
          return;
        case 'tag-rule':
          await call(`tagging EventBridge rule ${write.name}`, () =>
            events.send(new EventsTagResource({ ResourceARN: write.arn, Tags: tagList(write.tags) })),
          );
          return;
        case 'put-targets': {
          const out = await call(`setting the target of EventBridge rule ${write.rule}`, () =>
            events.send(new PutTargetsCommand({ Rule: write.rule, Targets: write.targets })),
          );
          if ((out.FailedEntryCount ?? 0) > 0) {
            const code = out.FailedEntries?.[0]?.ErrorCode ?? 'unknown';
            throw new Error(`PutTargets on EventBridge rule ${write.rule} failed (${code.slice(0, 80)})`);
          }
          return;
        }
        case 'enable-container-insights':
          await call(`turning Container Insights on for cluster ${write.cluster}`, () =>
            ecs.send(
              new UpdateClusterCommand({
                cluster: write.cluster,
                settings: [{ name: 'containerInsights', value: 'enabled' }],
              }),
            ),
          );
          return;
        case 'put-alarm':
          await call(`${write.create ? 'creating' : 'updating'} alarm ${write.definition.AlarmName}`, () =>
            cloudwatch.send(
              new PutMetricAlarmCommand({
                ...(write.definition as unknown as ConstructorParameters<typeof PutMetricAlarmCommand>[0]),
                // Tags given to PutMetricAlarm apply only when it creates the alarm (PutMetricAlarm reference).
                ...(write.create ? { Tags: tagList(write.tags) } : {}),
              }),
            ),
          );
          return;
        case 'tag-alarm':
          await call(`tagging alarm ${write.name}`, () =>
            cloudwatch.send(new CloudWatchTagResource({ ResourceARN: write.arn, Tags: tagList(write.tags) })),
          );
          return;
        case 'put-dashboard':
          await call(`${write.create ? 'creating' : 'updating'} dashboard ${write.name}`, () =>
            cloudwatch.send(
              new PutDashboardCommand({ DashboardName: write.name, DashboardBody: write.body }),
            ),
          );
          return;
        case 'update-deployment-alarms':
          // Only cluster, service and deploymentConfiguration: nothing that starts a deployment (README).
          await call(`updating the deployment alarms of service ${write.service}`, () =>
            ecs.send(
              new UpdateServiceCommand({
                cluster: write.cluster,
                service: write.service,
                deploymentConfiguration: write.deploymentConfiguration as never,
              }),
            ),
          );
          return;
        case 'delete-alarms':
          await call(`deleting alarms ${write.names.join(', ')}`, () =>
            cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: write.names })),
          );
          return;
        case 'delete-dashboard':
          await call(`deleting dashboard ${write.name}`, () =>
            cloudwatch.send(new DeleteDashboardsCommand({ DashboardNames: [write.name] })),
          );
          return;
      }
    },

    close() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
