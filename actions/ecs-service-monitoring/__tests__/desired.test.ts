import { describe, expect, test } from '@jest/globals';
import { minutes } from '../src/alarms.js';
import { desiredState } from '../src/desired.js';
import type { AlarmDefinition, DesiredState, MetricStatQuery } from '../src/model.js';
import { CLUSTER_ARN, LOAD_BALANCER, TARGET_GROUP, serviceContext, settings } from './service-context.js';

const alarm = (state: DesiredState, suffix: string): AlarmDefinition =>
  state.alarms.find((a) => a.definition.AlarmName.endsWith(suffix))!.definition;

const query = (definition: AlarmDefinition, id: string) => definition.Metrics!.find((q) => q.Id === id)!;

describe('desiredState: the alarms', () => {
  const state = desiredState(
    settings({ 'alarm-actions': ['arn:aws:sns:eu-west-1:123456789012:oncall'] }),
    serviceContext(),
  );

  test('four alarms named after the service, tagged as ours', () => {
    expect(state.alarms.map((a) => [a.kind, a.definition.AlarmName])).toEqual([
      ['running-tasks', 'hokusai-api-running-tasks'],
      ['restarts', 'hokusai-api-restarts'],
      ['latency', 'hokusai-api-latency-p95'],
      ['error-rate', 'hokusai-api-5xx-rate'],
    ]);
    for (const a of state.alarms) {
      expect(a.tags).toEqual({
        'hokusai:managed-by': 'ecs-service-monitoring',
        'hokusai:service': 'production/hokusai-api',
      });
      expect(a.definition.AlarmActions).toEqual(['arn:aws:sns:eu-west-1:123456789012:oncall']);
    }
  });

  test('latency: p95 TargetResponseTime of the target group, in seconds', () => {
    expect(alarm(state, 'latency-p95')).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p95',
      Dimensions: [
        { Name: 'LoadBalancer', Value: LOAD_BALANCER },
        { Name: 'TargetGroup', Value: TARGET_GROUP },
      ],
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm(state, 'latency-p95').Statistic).toBeUndefined();
  });

  test('5xx rate: target and ELB 5xx over requests, FILL(m, 0), capped at 100 %', () => {
    const rate = alarm(state, '5xx-rate');
    expect(rate).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(rate.Namespace).toBeUndefined();
    const metrics = rate.Metrics!.filter((q): q is MetricStatQuery => 'MetricStat' in q);
    expect(
      metrics.map((q) => [
        q.Id,
        q.MetricStat.Metric.MetricName,
        q.MetricStat.Stat,
        q.MetricStat.Metric.Dimensions.map((d) => d.Name),
      ]),
    ).toEqual([
      ['requests', 'RequestCount', 'Sum', ['LoadBalancer', 'TargetGroup']],
      ['target5xx', 'HTTPCode_Target_5XX_Count', 'Sum', ['LoadBalancer', 'TargetGroup']],
      ['elb5xx', 'HTTPCode_ELB_5XX_Count', 'Sum', ['LoadBalancer']],
    ]);
    expect(query(rate, 'errors')).toEqual({
      Id: 'errors',
      Expression: 'FILL(target5xx, 0) + FILL(elb5xx, 0)',
      Label: '5xx responses',
      ReturnData: false,
    });
    expect(query(rate, 'served')).toEqual({
      Id: 'served',
      Expression: 'FILL(requests, 0)',
      Label: 'requests',
      ReturnData: false,
    });
    expect(query(rate, 'rate')).toMatchObject({
      Expression: '100 * errors / MAX([served, errors])',
      ReturnData: true,
    });
    expect(rate.Metrics!.filter((q) => q.ReturnData)).toHaveLength(1);
  });

  test('running tasks: Container Insights desired − running above 0', () => {
    const running = alarm(state, 'running-tasks');
    expect(running).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'missing',
    });
    expect(query(running, 'missing')).toMatchObject({ Expression: 'desired - running', ReturnData: true });
    expect((query(running, 'running') as MetricStatQuery).MetricStat).toEqual({
      Metric: {
        Namespace: 'ECS/ContainerInsights',
        MetricName: 'RunningTaskCount',
        Dimensions: [
          { Name: 'ClusterName', Value: 'production' },
          { Name: 'ServiceName', Value: 'hokusai-api' },
        ],
      },
      Period: 60,
      Stat: 'Average',
    });
  });

  test('restarts: the stopped-task count of the service over the restart window', () => {
    expect(alarm(state, 'restarts')).toMatchObject({
      Namespace: 'Hokusai/ECS',
      MetricName: 'StoppedTasks',
      Statistic: 'Sum',
      Dimensions: [
        { Name: 'ClusterArn', Value: CLUSTER_ARN },
        { Name: 'Group', Value: 'service:hokusai-api' },
      ],
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('the restart, latency and 5xx alarms judge deployments; running tasks does not', () => {
    expect(state.deploymentAlarmNames).toEqual([
      'hokusai-api-restarts',
      'hokusai-api-latency-p95',
      'hokusai-api-5xx-rate',
    ]);
  });

  test('the thresholds and periods the inputs set', () => {
    const custom = desiredState(
      settings({
        'latency-threshold': 0.8,
        'error-rate-threshold': 0.5,
        'restart-threshold': 5,
        'restart-window': 600,
        period: 120,
        'evaluation-periods': 2,
      }),
      serviceContext(),
    );
    expect(alarm(custom, 'latency-p95')).toMatchObject({
      Threshold: 0.8,
      Period: 120,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
    });
    expect(alarm(custom, '5xx-rate').Threshold).toBe(0.5);
    expect((query(alarm(custom, '5xx-rate'), 'requests') as MetricStatQuery).MetricStat.Period).toBe(120);
    expect(alarm(custom, 'restarts')).toMatchObject({ Threshold: 5, Period: 600 });
  });
});

describe('desiredState: variants', () => {
  test('no load balancer: no latency or 5xx alarm, restarts still judge deployments', () => {
    const state = desiredState(settings(), serviceContext({ loadBalancer: undefined }));
    expect(state.alarms.map((a) => a.kind)).toEqual(['running-tasks', 'restarts']);
    expect(state.deploymentAlarmNames).toEqual(['hokusai-api-restarts']);
    expect(state.dashboard!.widgets).not.toContain('Error rate: 5xx % against the alarm threshold');
  });

  test('deployment-alarms: false wants none of ours attached; a CodeDeploy service is left alone', () => {
    expect(
      desiredState(settings({ 'deployment-alarms': false }), serviceContext()).deploymentAlarmNames,
    ).toEqual([]);
    expect(
      desiredState(settings(), serviceContext({ deploymentController: 'CODE_DEPLOY' })).deploymentAlarmNames,
    ).toBeUndefined();
  });

  test('alarm-prefix and dashboard-name; the anchor tags record them', () => {
    const state = desiredState(
      settings({ 'alarm-prefix': 'prod-api', 'dashboard-name': 'api_status' }),
      serviceContext(),
    );
    expect(state.alarms.map((a) => a.definition.AlarmName)).toEqual([
      'prod-api-running-tasks',
      'prod-api-restarts',
      'prod-api-latency-p95',
      'prod-api-5xx-rate',
    ]);
    expect(state.dashboard!.name).toBe('api_status');
    expect(state.anchorTags).toEqual({
      'hokusai:alarm-prefix': 'prod-api',
      'hokusai:dashboard': 'api_status',
    });
    expect(
      desiredState(settings({ dashboard: false }), serviceContext()).anchorTags['hokusai:dashboard'],
    ).toBe('-');
  });

  test('dashboard: false leaves the dashboard out but keeps its name (to find one made earlier)', () => {
    const state = desiredState(settings({ dashboard: false }), serviceContext());
    expect(state.dashboard).toBeUndefined();
    expect(state.dashboardName).toBe('production-hokusai-api');
  });

  test('names longer than CloudWatch allows are refused with what to set', () => {
    expect(() =>
      desiredState(settings({ 'dashboard-name': 'api' }), serviceContext({ serviceName: 's'.repeat(250) })),
    ).toThrow('set a shorter alarm-prefix');
    expect(() =>
      desiredState(
        settings({ 'alarm-prefix': 'api' }),
        serviceContext({ clusterName: 'c'.repeat(200), serviceName: 's'.repeat(100) }),
      ),
    ).toThrow('set dashboard-name');
  });
});

describe('desiredState: the stopped-task pipeline', () => {
  const pipeline = desiredState(settings({ tags: { team: 'platform' } }), serviceContext()).restartPipeline;

  test("an EventBridge rule on the service's abnormally stopped tasks", () => {
    expect(pipeline.rule.name).toBe('hokusai-stopped-tasks-production-hokusai-api');
    expect(JSON.parse(pipeline.rule.eventPattern)).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: {
        clusterArn: [CLUSTER_ARN],
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
    expect(pipeline.rule.tags).toEqual({
      team: 'platform',
      'hokusai:managed-by': 'ecs-service-monitoring',
      'hokusai:service': 'production/hokusai-api',
    });
    expect(pipeline.target).toEqual({
      id: 'hokusai-stopped-task-log',
      arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/hokusai/production/hokusai-api/stopped-tasks',
    });
  });

  test('a log group with 30 days retention, tagged with the anchor, and a metric filter counting each stop', () => {
    expect(pipeline.logGroup).toMatchObject({
      name: '/aws/events/hokusai/production/hokusai-api/stopped-tasks',
      retentionDays: 30,
    });
    expect(pipeline.logGroup.tags).toMatchObject({
      'hokusai:alarm-prefix': 'hokusai-api',
      'hokusai:dashboard': 'production-hokusai-api',
    });
    expect(pipeline.metricFilter).toEqual({
      logGroupName: '/aws/events/hokusai/production/hokusai-api/stopped-tasks',
      filterName: 'hokusai-stopped-tasks',
      filterPattern: '{ $.detail.lastStatus = "STOPPED" }',
      metricTransformations: [
        {
          metricName: 'StoppedTasks',
          metricNamespace: 'Hokusai/ECS',
          metricValue: '1',
          unit: 'Count',
          dimensions: { ClusterArn: '$.detail.clusterArn', Group: '$.detail.group' },
        },
      ],
    });
  });

  test('a resource policy that lets EventBridge write to the log groups under /aws/events/hokusai', () => {
    expect(JSON.parse(pipeline.resourcePolicy.document)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'HokusaiStoppedTaskEvents',
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/hokusai/*:*',
        },
      ],
    });
  });
});

describe('desiredState: the dashboard', () => {
  test('task health, response time, error rate, restarts and why tasks stopped', () => {
    const dashboard = desiredState(settings(), serviceContext()).dashboard!;
    expect(dashboard.name).toBe('production-hokusai-api');
    expect(dashboard.widgets).toEqual([
      'Header: what this dashboard is and who keeps it',
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
    const body = JSON.parse(dashboard.body) as {
      widgets: Array<{ x: number; y: number; width: number; properties: Record<string, unknown> }>;
    };
    expect(body.widgets[0]!.properties.markdown).toContain(
      '`hokusai:managed-by=ecs-service-monitoring hokusai:service=production/hokusai-api`',
    );
    expect(body.widgets[4]!.properties.annotations).toEqual({
      alarms: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:hokusai-api-latency-p95'],
    });
    expect(String(body.widgets.at(-1)!.properties.query)).toContain(
      "SOURCE '/aws/events/hokusai/production/hokusai-api/stopped-tasks'",
    );
    // A 24-column grid, no overlaps: each row fills at most 24 columns.
    const rows = new Map<number, number>();
    for (const w of body.widgets) rows.set(w.y, (rows.get(w.y) ?? 0) + w.width);
    expect([...rows.values()].every((width) => width <= 24)).toBe(true);
  });

  test('thresholds are not in the body: changing one leaves the dashboard as it is', () => {
    const a = desiredState(settings(), serviceContext()).dashboard!.body;
    const b = desiredState(
      settings({ 'latency-threshold': 2, 'error-rate-threshold': 5, 'restart-threshold': 9 }),
      serviceContext(),
    ).dashboard!.body;
    expect(b).toBe(a);
  });
});

test('minutes() for people', () => {
  expect([60, 300, 3600, 5400, 86_400].map(minutes)).toEqual(['1m', '5m', '1h', '90m', '24h']);
});
