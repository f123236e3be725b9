// The bundled action (dist/index.js) run as the runner runs it, against moto (the real AWS wire protocol of ECS,
// ELBv2, CloudWatch, EventBridge and CloudWatch Logs), with a recording proxy in front of moto so the test sees
// every request the action made: moto itself keeps no call log. Setup and checks talk to moto directly, so the
// proxy records only the action's own calls.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  DescribeMetricFiltersCommand,
  DescribeResourcePoliciesCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  isReadOperation,
  requireCommand,
  runAction,
  startMoto,
  startRecordingProxy,
  type ActionRun,
  type MotoServer,
  type RecordingProxy,
} from '@hokusai/action-harness';

const run = promisify(execFile);
let moto: MotoServer;
let proxy: RecordingProxy;
const runs: ActionRun[] = [];
const aws = { region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
let ecs: ECSClient;
let cloudwatch: CloudWatchClient;
let logs: CloudWatchLogsClient;
let events: EventBridgeClient;
let targetGroupArn = '';
let secondTargetGroupArn = '';
let loadBalancerArn = '';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:hokusai-oncall';

/** EC2 setup through the AWS CLI (the repository has no EC2 SDK client): a VPC and two subnets in two zones. */
async function motoNetwork(): Promise<{ vpc: string; subnets: string[] }> {
  const ec2 = async (...args: string[]) => {
    const out = await run(
      'aws',
      ['--endpoint-url', moto.endpoint, '--region', 'us-east-1', '--output', 'json', 'ec2', ...args],
      {
        env: { ...process.env, ...moto.env },
      },
    );
    return JSON.parse(out.stdout) as Record<string, Record<string, string>>;
  };
  const vpc = (await ec2('create-vpc', '--cidr-block', '10.0.0.0/16')).Vpc!.VpcId!;
  const subnets: string[] = [];
  for (const [cidr, zone] of [
    ['10.0.1.0/24', 'us-east-1a'],
    ['10.0.2.0/24', 'us-east-1b'],
  ] as const) {
    subnets.push(
      (await ec2('create-subnet', '--vpc-id', vpc, '--cidr-block', cidr, '--availability-zone', zone)).Subnet!
        .SubnetId!,
    );
  }
  return { vpc, subnets };
}

async function createService(cluster: string, name: string, withLoadBalancer: boolean): Promise<void> {
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: 'hokusai-api',
      desiredCount: 2,
      ...(withLoadBalancer
        ? { loadBalancers: [{ targetGroupArn, containerName: 'api', containerPort: 8000 }] }
        : {}),
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    }),
  );
}

async function monitor(inputs: Record<string, string>): Promise<ActionRun> {
  const result = await runAction({
    action: 'ecs-service-monitoring',
    inputs: { cluster: 'hokusai', service: 'hokusai-api', ...inputs },
    env: { ...moto.env, AWS_ENDPOINT_URL: proxy.endpoint },
    timeoutMs: 90_000,
  });
  runs.push(result);
  return result;
}

const errors = (r: ActionRun) => r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const warnings = (r: ActionRun) => r.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
const writesMade = () => proxy.calls.filter((c) => !isReadOperation(c.operation));

async function alarms(names: string[]): Promise<Record<string, MetricAlarm>> {
  const out = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names }));
  return Object.fromEntries((out.MetricAlarms ?? []).map((a) => [a.AlarmName!, a]));
}

async function service(cluster: string, name: string) {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
  return out.services![0]!;
}

beforeAll(async () => {
  requireCommand('aws', 'pip install awscli (it creates the VPC and subnets moto needs for a load balancer)');
  moto = await startMoto();
  proxy = await startRecordingProxy(moto.endpoint);
  const direct = { ...aws, endpoint: moto.endpoint };
  ecs = new ECSClient(direct);
  cloudwatch = new CloudWatchClient(direct);
  logs = new CloudWatchLogsClient(direct);
  events = new EventBridgeClient(direct);
  const elb = new ElasticLoadBalancingV2Client(direct);
  const { vpc, subnets } = await motoNetwork();
  loadBalancerArn = (
    await elb.send(
      new CreateLoadBalancerCommand({ Name: 'hokusai-alb', Subnets: subnets, Type: 'application' }),
    )
  ).LoadBalancers![0]!.LoadBalancerArn!;
  targetGroupArn = (
    await elb.send(
      new CreateTargetGroupCommand({
        Name: 'hokusai-api',
        Protocol: 'HTTP',
        Port: 8000,
        VpcId: vpc,
        TargetType: 'ip',
      }),
    )
  ).TargetGroups![0]!.TargetGroupArn!;
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  secondTargetGroupArn = (
    await elb.send(
      new CreateTargetGroupCommand({
        Name: 'hokusai-api-2',
        Protocol: 'HTTP',
        Port: 8001,
        VpcId: vpc,
        TargetType: 'ip',
      }),
    )
  ).TargetGroups![0]!.TargetGroupArn!;
  elb.destroy();
  await ecs.send(
    new CreateClusterCommand({
      clusterName: 'hokusai',
      settings: [{ name: 'containerInsights', value: 'enabled' }],
    }),
  );
  await ecs.send(new CreateClusterCommand({ clusterName: 'plain' }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'hokusai-api',
      containerDefinitions: [{ name: 'api', image: 'hokusai-api:1', memory: 512, essential: true }],
    }),
  );
  await createService('hokusai', 'hokusai-api', true);
  await createService('hokusai', 'worker', false);
  await createService('hokusai', 'taken', true);
  await createService('plain', 'api', true);
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'hokusai',
      serviceName: 'two-tg',
      taskDefinition: 'hokusai-api',
      desiredCount: 1,
      loadBalancers: [
        { targetGroupArn, containerName: 'api', containerPort: 8000 },
        { targetGroupArn: secondTargetGroupArn, containerName: 'api', containerPort: 8001 },
      ],
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(runs.map((r) => r.cleanup()));
  for (const client of [ecs, cloudwatch, logs, events]) client?.destroy();
  await proxy?.stop();
  await moto?.stop();
});

const NAMES = [
  'hokusai-api-running-tasks',
  'hokusai-api-restarts',
  'hokusai-api-latency-p95',
  'hokusai-api-5xx-rate',
];

describe('ecs-service-monitoring against moto', () => {
  test('a service behind an ALB gets the four alarms, the dashboard and the stopped-task pipeline', async () => {
    const before = await service('hokusai', 'hokusai-api');
    proxy.clear();
    const result = await monitor({ 'alarm-actions': TOPIC });
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(warnings(result)).toEqual([]);
    expect(result.outputs['alarm-names']!.split('\n')).toEqual(NAMES);
    expect(result.outputs['alarm-arns']!.split('\n')).toEqual(
      NAMES.map((n) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${n}`),
    );
    expect(result.outputs['dashboard-name']).toBe('hokusai-hokusai-api');
    expect(result.outputs['dashboard-url']).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/hokusai-hokusai-api',
    );
    expect(result.outputs.changed).toBe('true');

    const found = await alarms(NAMES);
    const lb = loadBalancerArn.replace(/^.*:loadbalancer\//, '');
    const tg = targetGroupArn.replace(/^.*:targetgroup\//, 'targetgroup/');
    const dims = (a: { Dimensions?: Array<{ Name?: string; Value?: string }> }) =>
      Object.fromEntries((a.Dimensions ?? []).map((d) => [d.Name, d.Value]));

    const latency = found['hokusai-api-latency-p95']!;
    expect(latency).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p95',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [TOPIC],
    });
    expect(dims(latency)).toEqual({ LoadBalancer: lb, TargetGroup: tg });

    const rate = found['hokusai-api-5xx-rate']!;
    expect(rate).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
    });
    const queries = Object.fromEntries((rate.Metrics ?? []).map((q) => [q.Id, q]));
    expect(queries.rate).toMatchObject({
      Expression: '100 * errors / MAX([served, errors])',
      ReturnData: true,
    });
    expect(queries.served).toMatchObject({ Expression: 'FILL(requests, 0)', ReturnData: false });
    expect(queries.errors).toMatchObject({
      Expression: 'FILL(target5xx, 0) + FILL(elb5xx, 0)',
      ReturnData: false,
    });
    for (const [id, metricName, withTg] of [
      ['requests', 'RequestCount', true],
      ['target5xx', 'HTTPCode_Target_5XX_Count', true],
      ['elb5xx', 'HTTPCode_ELB_5XX_Count', false],
    ] as const) {
      expect(queries[id]!.MetricStat).toMatchObject({
        Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName },
        Period: 60,
        Stat: 'Sum',
      });
      expect(dims(queries[id]!.MetricStat!.Metric!)).toEqual(
        withTg ? { LoadBalancer: lb, TargetGroup: tg } : { LoadBalancer: lb },
      );
    }

    const running = found['hokusai-api-running-tasks']!;
    expect(running).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
    });
    const runningQueries = Object.fromEntries((running.Metrics ?? []).map((q) => [q.Id, q]));
    expect(runningQueries.missing).toMatchObject({ Expression: 'desired - running', ReturnData: true });
    expect(runningQueries.running!.MetricStat).toMatchObject({
      Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' },
      Stat: 'Average',
    });
    expect(dims(runningQueries.desired!.MetricStat!.Metric!)).toEqual({
      ClusterName: 'hokusai',
      ServiceName: 'hokusai-api',
    });

    const restarts = found['hokusai-api-restarts']!;
    expect(restarts).toMatchObject({
      Namespace: 'Hokusai/ECS',
      MetricName: 'StoppedTasks',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(dims(restarts)).toEqual({
      ClusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/hokusai',
      Group: 'service:hokusai-api',
    });

    const tags = await cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: latency.AlarmArn }));
    expect(Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      'hokusai:managed-by': 'ecs-service-monitoring',
      'hokusai:service': 'hokusai/hokusai-api',
    });

    // The stopped-task pipeline: rule → log group → metric filter → Hokusai/ECS StoppedTasks.
    const rule = await events.send(
      new DescribeRuleCommand({ Name: 'hokusai-stopped-tasks-hokusai-hokusai-api' }),
    );
    expect(JSON.parse(rule.EventPattern!)).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: {
        clusterArn: ['arn:aws:ecs:us-east-1:123456789012:cluster/hokusai'],
        group: ['service:hokusai-api'],
        lastStatus: ['STOPPED'],
        $or: [
          { stopCode: ['EssentialContainerExited', 'TaskFailedToStart'] },
          {
            stoppedReason: [
              { prefix: 'Task failed ELB health checks' },
              { prefix: 'Task failed container health checks' },
            ],
          },
        ],
      },
    });
    expect(rule.State).toBe('ENABLED');
    const logGroupName = '/aws/events/hokusai/hokusai/hokusai-api/stopped-tasks';
    const targets = await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
    expect(targets.Targets).toEqual([
      {
        Id: 'hokusai-stopped-task-log',
        Arn: `arn:aws:logs:us-east-1:123456789012:log-group:${logGroupName}`,
      },
    ]);
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName }));
    expect(groups.logGroups?.[0]).toMatchObject({ logGroupName, retentionInDays: 30 });
    const filters = await logs.send(new DescribeMetricFiltersCommand({ logGroupName }));
    expect(filters.metricFilters?.[0]).toMatchObject({
      filterName: 'hokusai-stopped-tasks',
      metricTransformations: [
        {
          metricName: 'StoppedTasks',
          metricNamespace: 'Hokusai/ECS',
          metricValue: '1',
          dimensions: { ClusterArn: '$.detail.clusterArn', Group: '$.detail.group' },
        },
      ],
    });
    const policies = await logs.send(new DescribeResourcePoliciesCommand({}));
    const policy = policies.resourcePolicies?.find((p) => p.policyName === 'hokusai-ecs-service-monitoring');
    expect(JSON.parse(policy!.policyDocument!).Statement[0]).toMatchObject({
      Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/hokusai/*:*',
    });

    // The dashboard: task health, response time, error rate, restarts and why tasks stopped.
    const dashboard = await cloudwatch.send(
      new GetDashboardCommand({ DashboardName: 'hokusai-hokusai-api' }),
    );
    const widgets = JSON.parse(dashboard.DashboardBody!).widgets as Array<{
      type: string;
      properties: Record<string, unknown>;
    }>;
    expect(widgets.map((w) => w.properties.title ?? w.type)).toEqual([
      'text',
      'Alarm status',
      'ECS task health: running, desired and pending tasks',
      'Task restarts: abnormally stopped tasks',
      'API response time: p95 against the alarm threshold',
      'API response time: p50, p90, p99 (seconds)',
      'Error rate: 5xx % against the alarm threshold',
      'Requests and 5xx responses',
      'Load balancer targets: healthy and unhealthy',
      'CPU and memory utilization (%)',
      'Recent stopped tasks and why',
    ]);
    expect(widgets[4]!.properties.annotations).toEqual({ alarms: [latency.AlarmArn] });

    // Deployment alarms attached with rollback on, the rest of the deployment configuration kept, and no new
    // deployment: the UpdateService request carried nothing but cluster, service and deploymentConfiguration.
    const after = await service('hokusai', 'hokusai-api');
    expect(after.deploymentConfiguration).toEqual({
      ...before.deploymentConfiguration,
      alarms: {
        alarmNames: ['hokusai-api-restarts', 'hokusai-api-latency-p95', 'hokusai-api-5xx-rate'],
        enable: true,
        rollback: true,
      },
    });
    expect(after.deployments?.map((d) => d.id)).toEqual(before.deployments?.map((d) => d.id));
    expect(after.taskDefinition).toBe(before.taskDefinition);
    const updates = proxy.calls.filter((c) => c.operation === 'UpdateService');
    expect(updates).toHaveLength(1);
    expect(Object.keys(JSON.parse(updates[0]!.body)).sort()).toEqual([
      'cluster',
      'deploymentConfiguration',
      'service',
    ]);

    expect(result.summary).toContain(
      '| alarm | metric | statistic | threshold | state | this run | judges deployments |',
    );
    expect(result.summary).toContain(
      '[hokusai-api-latency-p95](https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/hokusai-api-latency-p95)',
    );
    expect(result.summary).toContain('p95 per 1m');
    expect(result.summary).toContain('- Error rate: 5xx % against the alarm threshold');
  });

  test('the rule sends abnormal stops of this service, and only those, to the log group the metric filter reads', async () => {
    const clusterArn = 'arn:aws:ecs:us-east-1:123456789012:cluster/hokusai';
    // Shaped like the ECS task state change events in the ECS developer guide ("Amazon ECS task state change events").
    const stopped = (id: string, detail: Record<string, unknown>) => ({
      Source: 'aws.ecs',
      DetailType: 'ECS Task State Change',
      Resources: [`arn:aws:ecs:us-east-1:123456789012:task/hokusai/${id}`],
      Detail: JSON.stringify({
        clusterArn,
        group: 'service:hokusai-api',
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        taskArn: `arn:aws:ecs:us-east-1:123456789012:task/hokusai/${id}`,
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:109',
        containers: [{ name: 'api', exitCode: 1, lastStatus: 'STOPPED' }],
        ...detail,
      }),
    });
    const crash = {
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    };
    await events.send(
      new PutEventsCommand({
        Entries: [
          stopped('crashed', crash),
          stopped('pull-failed', {
            stopCode: 'TaskFailedToStart',
            stoppedReason: 'CannotPullContainerError: not found',
          }),
          stopped('unhealthy', {
            stopCode: 'ServiceSchedulerInitiated',
            stoppedReason: `Task failed ELB health checks in (target-group ${targetGroupArn})`,
          }),
          stopped('replaced-by-deploy', {
            stopCode: 'ServiceSchedulerInitiated',
            stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/5163423490723482390)',
          }),
          stopped('stopped-by-hand', { stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' }),
        ],
      }),
    );
    await events.send(
      new PutEventsCommand({
        Entries: [
          stopped('other-service', { ...crash, group: 'service:worker' }),
          stopped('other-cluster', {
            ...crash,
            clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/plain',
          }),
          stopped('still-running', { ...crash, lastStatus: 'RUNNING' }),
        ],
      }),
    );
    const logged = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/events/hokusai/hokusai/hokusai-api/stopped-tasks' }),
    );
    const details = (logged.events ?? []).map((e) => JSON.parse(e.message!).detail as Record<string, string>);
    expect(details.map((d) => d.taskArn!.split('/').at(-1)).sort()).toEqual([
      'crashed',
      'pull-failed',
      'unhealthy',
    ]);
    // The fields the metric filter reads are there: lastStatus for its pattern, clusterArn and group for the
    // dimensions the restart alarm watches.
    for (const d of details) {
      expect([d.lastStatus, d.clusterArn, d.group]).toEqual(['STOPPED', clusterArn, 'service:hokusai-api']);
    }
  });

  test('a second run with the same inputs changes nothing, says so, and makes no write call', async () => {
    proxy.clear();
    const result = await monitor({ 'alarm-actions': TOPIC });
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('false');
    expect(proxy.calls.length).toBeGreaterThan(0);
    expect(writesMade()).toEqual([]);
    expect(result.stdout).toContain(
      'no change: the 4 alarms, the dashboard and the stopped-task pipeline already match the inputs; no write call was made',
    );
    expect(result.summary).toContain('**No change:**');
  });

  test('a changed threshold updates only that alarm', async () => {
    const before = await alarms(NAMES);
    proxy.clear();
    const result = await monitor({ 'alarm-actions': TOPIC, 'latency-threshold': '3s' });
    expect(errors(result)).toEqual([]);
    expect(result.outputs.changed).toBe('true');
    const writes = writesMade();
    expect(writes.map((c) => c.operation)).toEqual(['PutMetricAlarm']);
    expect(JSON.parse(writes[0]!.body)).toMatchObject({ AlarmName: 'hokusai-api-latency-p95', Threshold: 3 });
    expect(result.stdout).toContain(
      'update alarm hokusai-api-latency-p95: AlarmDescription changed, Threshold 5 → 3',
    );
    const after = await alarms(NAMES);
    expect(after['hokusai-api-latency-p95']!.Threshold).toBe(3);
    for (const name of NAMES.filter((n) => n !== 'hokusai-api-latency-p95')) {
      expect(after[name]).toEqual(before[name]);
    }
  });

  test('a new prefix and dashboard: false remove what the action made and no longer wants', async () => {
    proxy.clear();
    const result = await monitor({
      'alarm-actions': TOPIC,
      'latency-threshold': '3s',
      'alarm-prefix': 'api-prod',
      dashboard: 'false',
    });
    expect(errors(result)).toEqual([]);
    expect(result.outputs['alarm-names']!.split('\n')).toEqual(
      NAMES.map((n) => n.replace('hokusai-api', 'api-prod')),
    );
    expect(result.outputs['dashboard-name']).toBe('');
    expect(Object.keys(await alarms(NAMES))).toEqual([]);
    expect(Object.keys(await alarms(NAMES.map((n) => n.replace('hokusai-api', 'api-prod'))))).toHaveLength(4);
    await expect(
      cloudwatch.send(new GetDashboardCommand({ DashboardName: 'hokusai-hokusai-api' })),
    ).rejects.toThrow();
    expect((await service('hokusai', 'hokusai-api')).deploymentConfiguration?.alarms?.alarmNames).toEqual([
      'api-prod-restarts',
      'api-prod-latency-p95',
      'api-prod-5xx-rate',
    ]);
    const operations = writesMade().map((c) => c.operation);
    // Detached from the service before they are deleted; the log group's tags record the new prefix last.
    expect(operations.indexOf('UpdateService')).toBeLessThan(operations.indexOf('DeleteAlarms'));
    expect(operations.at(-1)).toBe('TagResource');

    proxy.clear();
    const again = await monitor({
      'alarm-actions': TOPIC,
      'latency-threshold': '3s',
      'alarm-prefix': 'api-prod',
      dashboard: 'false',
    });
    expect(again.outputs.changed).toBe('false');
    expect(writesMade()).toEqual([]);
  });

  test('resources it did not make are never touched: one refusal, no write call', async () => {
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'taken-latency-p95',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'TargetResponseTime',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 9,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    const before = await alarms(['taken-latency-p95']);
    proxy.clear();
    const result = await monitor({ service: 'taken' });
    expect(result.exitCode).toBe(1);
    expect(errors(result)).toContain(
      'alarm taken-latency-p95 exists but was not made by this action: refusing to change it',
    );
    expect(errors(result).at(-1)).toContain('nothing was changed');
    expect(writesMade()).toEqual([]);
    expect(await alarms(['taken-latency-p95'])).toEqual(before);
    expect(result.outputs.changed).toBe('false');
  });

  test('a service without a load balancer: no ALB alarms, one warning that says so', async () => {
    const result = await monitor({ service: 'worker' });
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(warnings(result)).toEqual([
      'service worker has no load balancer: skipping the latency and 5xx alarms (set target-group to watch an ALB target group)',
    ]);
    expect(result.outputs['alarm-names']!.split('\n')).toEqual(['worker-running-tasks', 'worker-restarts']);
    expect((await service('hokusai', 'worker')).deploymentConfiguration?.alarms).toEqual({
      alarmNames: ['worker-restarts'],
      enable: true,
      rollback: true,
    });
  });

  test('Container Insights off: a one-line warning and the cluster left alone unless enable-container-insights', async () => {
    proxy.clear();
    const result = await monitor({ cluster: 'plain', service: 'api' });
    expect(result.exitCode).toBe(0);
    expect(warnings(result)).toEqual([
      'Container Insights is off for cluster plain: the running-tasks alarm stays INSUFFICIENT_DATA until it is on; set enable-container-insights: true, or run: aws ecs update-cluster-settings --cluster plain --settings name=containerInsights,value=enabled',
    ]);
    expect(proxy.calls.filter((c) => c.operation.startsWith('UpdateCluster'))).toEqual([]);

    proxy.clear();
    const enabled = await monitor({ cluster: 'plain', service: 'api', 'enable-container-insights': 'true' });
    expect(enabled.exitCode).toBe(0);
    expect(warnings(enabled)).toEqual([]);
    expect(writesMade().map((c) => c.operation)).toEqual(['UpdateCluster']);
    const cluster = await ecs.send(
      new DescribeClustersCommand({ clusters: ['plain'], include: ['SETTINGS'] }),
    );
    expect(cluster.clusters?.[0]?.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
  });

  const bad: Array<{ name: string; inputs: Record<string, string>; error: string }> = [
    {
      name: 'a negative latency',
      inputs: { 'latency-threshold': '-5s' },
      error: 'invalid value "-5s" for input "latency-threshold": must not be negative',
    },
    {
      name: 'a latency over the ALB maximum',
      inputs: { 'latency-threshold': '4001s' },
      error: `invalid value "4001s" for input "latency-threshold": must be more than 0s and at most 4000s (the ALB's maximum)`,
    },
    {
      name: 'a rate over 100 %',
      inputs: { 'error-rate-threshold': '150%' },
      error: 'invalid value "150%" for input "error-rate-threshold": a rate cannot be over 100%',
    },
    {
      name: 'a negative rate',
      inputs: { 'error-rate-threshold': '-1%' },
      error: 'invalid value "-1%" for input "error-rate-threshold": must not be negative',
    },
    {
      name: 'a negative restart threshold',
      inputs: { 'restart-threshold': '-3' },
      error: 'invalid value "-3" for input "restart-threshold": must not be negative',
    },
    {
      name: 'an SNS ARN of the wrong shape',
      inputs: { 'alarm-actions': 'arn:aws:sqs:us-east-1:123456789012:queue' },
      error:
        'invalid value "arn:aws:sqs:us-east-1:123456789012:queue" for input "alarm-actions": not an SNS topic ARN',
    },
    {
      name: 'a period under a minute',
      inputs: { period: '30s' },
      error: 'invalid value "30s" for input "period": must be a whole number of minutes from 1m to 24h',
    },
    {
      name: 'a restart window over a day',
      inputs: { 'restart-window': '25h' },
      error: 'duration "25h" for input "restart-window" is longer than the maximum 24h00m',
    },
    {
      name: 'an unknown target group',
      inputs: { 'target-group': 'no-such-group' },
      error: 'target group "no-such-group" not found (input "target-group") in us-east-1',
    },
    {
      // A target group ARN ends in its id: the message names the group by its name, x.
      name: 'an unknown target group ARN',
      inputs: {
        'target-group': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef',
      },
      error: 'target group "x" not found (input "target-group") in us-east-1',
    },
  ];
  test.each(bad)('bad input ($name): one line, before any change', async ({ inputs, error }) => {
    proxy.clear();
    const result = await monitor({ service: 'taken', ...inputs });
    expect(result.exitCode).toBe(1);
    const lines = errors(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(error);
    expect(lines[0]).not.toContain('\n');
    expect(result.log).not.toMatch(/^\s+at /m);
    expect(writesMade()).toEqual([]);
    // A failure has a summary too: the line, and that nothing was changed.
    expect(result.summary).toContain('❌ **Failed:**');
    expect(result.summary).toContain('No change was made.');
    expect(result.outputs.changed).toBe('false');
  });

  test('a service with two target groups: both named by their names, not their ids', async () => {
    proxy.clear();
    const result = await monitor({ service: 'two-tg' });
    expect(result.exitCode).toBe(1);
    expect(errors(result)).toEqual([
      'service "two-tg" has 2 target groups (hokusai-api, hokusai-api-2): set target-group to the one its API serves',
    ]);
    expect(writesMade()).toEqual([]);
  });
});
