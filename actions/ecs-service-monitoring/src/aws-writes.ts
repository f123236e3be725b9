// Carries out one planned Write with exactly one AWS API call.
import {
  DeleteAlarmsCommand,
  DeleteDashboardsCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
  TagResourceCommand as CloudWatchTagResource,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateLogGroupCommand,
  PutMetricFilterCommand,
  PutResourcePolicyCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand as LogsTagResource,
} from '@aws-sdk/client-cloudwatch-logs';
import { UpdateClusterCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  PutRuleCommand,
  PutTargetsCommand,
  TagResourceCommand as EventsTagResource,
} from '@aws-sdk/client-eventbridge';
import { ConfigurationError } from '@hokusai/action-kit';
import { awsErrorName, explainAwsError } from '@hokusai/aws-kit';
import { call, tagList, type AwsClients } from './aws-clients.js';
import type { Write } from './plan.js';

export async function applyWrite(clients: AwsClients, write: Write): Promise<void> {
  const { ecs, cloudwatch, events, logs } = clients;
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
          new PutMetricFilterCommand(write.filter as ConstructorParameters<typeof PutMetricFilterCommand>[0]),
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
        cloudwatch.send(new PutDashboardCommand({ DashboardName: write.name, DashboardBody: write.body })),
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
}
