// The service status dashboard: task health, API response time, error rate, restarts and why tasks stopped.
// Pure. Thresholds never appear in the body: the graphs that show one are alarm graphs (annotations.alarms), which
// CloudWatch draws from the alarm itself, so changing a threshold updates the alarm and leaves the dashboard as is.
// Body format: CloudWatch "Dashboard body structure and syntax" (widgets of type text, metric, alarm, log).
import type { AlarmSpec, DashboardSpec, ServiceContext } from './model.js';
import { alarmArn, dashboardMarker, type AlarmKind } from './names.js';

interface Widget {
  type: 'text' | 'metric' | 'alarm' | 'log';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

export interface DashboardInput {
  name: string;
  context: ServiceContext;
  alarms: AlarmSpec[];
  /** Seconds: the graphs' period. */
  period: number;
  logGroupName: string;
}

type MetricLine = Array<string | Record<string, unknown>>;

function metricLine(
  namespace: string,
  name: string,
  dims: Array<[string, string]>,
  options: Record<string, unknown>,
): MetricLine {
  return [namespace, name, ...dims.flat(), options];
}

export function buildDashboard(input: DashboardInput): DashboardSpec {
  const { context, period } = input;
  const region = context.region;
  const arnOf = (kind: AlarmKind) => {
    const spec = input.alarms.find((a) => a.kind === kind);
    return spec ? alarmArn(context, spec.definition.AlarmName) : undefined;
  };
  const graph = (title: string, properties: Record<string, unknown>) => ({
    title,
    view: 'timeSeries',
    stacked: false,
    region,
    period,
    ...properties,
  });
  const alarmGraph = (title: string, arn: string) => ({
    title,
    view: 'timeSeries',
    stacked: false,
    region,
    annotations: { alarms: [arn] },
  });
  const service: Array<[string, string]> = [
    ['ClusterName', context.clusterName],
    ['ServiceName', context.serviceName],
  ];

  const rows: Array<Array<Omit<Widget, 'x' | 'y' | 'height'> & { height?: number }>> = [];
  rows.push([
    {
      type: 'text',
      width: 24,
      height: 3,
      properties: {
        markdown: [
          `# ECS service ${context.serviceName} on cluster ${context.clusterName}`,
          'Alarms and graphs kept by the hokusai `ecs-service-monitoring` action: edits made here are replaced on its next run.',
          '',
          `\`${dashboardMarker(context.clusterName, context.serviceName)}\``,
        ].join('\n'),
      },
    },
  ]);
  rows.push([
    {
      type: 'alarm',
      width: 24,
      height: 4,
      properties: {
        title: 'Alarm status',
        alarms: input.alarms.map((a) => alarmArn(context, a.definition.AlarmName)),
        sortBy: 'stateUpdatedTimestamp',
      },
    },
  ]);
  const restartsArn = arnOf('restarts');
  rows.push([
    {
      type: 'metric',
      width: 12,
      properties: graph('ECS task health: running, desired and pending tasks', {
        metrics: [
          metricLine('ECS/ContainerInsights', 'RunningTaskCount', service, {
            stat: 'Average',
            label: 'running',
          }),
          metricLine('ECS/ContainerInsights', 'DesiredTaskCount', service, {
            stat: 'Average',
            label: 'desired',
          }),
          metricLine('ECS/ContainerInsights', 'PendingTaskCount', service, {
            stat: 'Average',
            label: 'pending',
          }),
        ],
      }),
    },
    ...(restartsArn
      ? [
          {
            type: 'metric' as const,
            width: 12,
            properties: alarmGraph('Task restarts: abnormally stopped tasks', restartsArn),
          },
        ]
      : []),
  ]);
  const lb = context.loadBalancer;
  const latencyArn = arnOf('latency');
  const errorRateArn = arnOf('error-rate');
  if (lb && latencyArn && errorRateArn) {
    const alb: Array<[string, string]> = [
      ['LoadBalancer', lb.loadBalancer],
      ['TargetGroup', lb.targetGroup],
    ];
    rows.push([
      {
        type: 'metric',
        width: 12,
        properties: alarmGraph('API response time: p95 against the alarm threshold', latencyArn),
      },
      {
        type: 'metric',
        width: 12,
        properties: graph('API response time: p50, p90, p99 (seconds)', {
          metrics: ['p50', 'p90', 'p99'].map((stat) =>
            metricLine('AWS/ApplicationELB', 'TargetResponseTime', alb, { stat, label: stat }),
          ),
        }),
      },
    ]);
    rows.push([
      {
        type: 'metric',
        width: 12,
        properties: alarmGraph('Error rate: 5xx % against the alarm threshold', errorRateArn),
      },
      {
        type: 'metric',
        width: 12,
        properties: graph('Requests and 5xx responses', {
          metrics: [
            metricLine('AWS/ApplicationELB', 'RequestCount', alb, { stat: 'Sum', label: 'requests' }),
            metricLine('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', alb, {
              stat: 'Sum',
              label: 'target 5xx',
            }),
            metricLine('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', [['LoadBalancer', lb.loadBalancer]], {
              stat: 'Sum',
              label: 'load balancer 5xx',
            }),
          ],
        }),
      },
    ]);
    rows.push([
      {
        type: 'metric',
        width: 12,
        properties: graph('Load balancer targets: healthy and unhealthy', {
          metrics: [
            metricLine('AWS/ApplicationELB', 'HealthyHostCount', alb, { stat: 'Minimum', label: 'healthy' }),
            metricLine('AWS/ApplicationELB', 'UnHealthyHostCount', alb, {
              stat: 'Maximum',
              label: 'unhealthy',
            }),
          ],
        }),
      },
      cpuMemory(graph, service),
    ]);
  } else {
    rows.push([cpuMemory(graph, service)]);
  }
  rows.push([
    {
      type: 'log',
      width: 24,
      height: 6,
      properties: {
        title: 'Recent stopped tasks and why',
        region,
        view: 'table',
        query: [
          `SOURCE '${input.logGroupName}'`,
          'fields @timestamp, detail.taskArn, detail.stopCode, detail.stoppedReason, detail.containers.0.exitCode, detail.taskDefinitionArn',
          'sort @timestamp desc',
          'limit 20',
        ].join(' | '),
      },
    },
  ]);

  const widgets: Widget[] = [];
  let y = 0;
  for (const row of rows) {
    let x = 0;
    const height = Math.max(...row.map((w) => w.height ?? 6));
    for (const w of row) {
      widgets.push({ type: w.type, x, y, width: w.width, height: w.height ?? 6, properties: w.properties });
      x += w.width;
    }
    y += height;
  }
  const titles = widgets.map((w) =>
    w.type === 'text' ? 'Header: what this dashboard is and who keeps it' : String(w.properties.title),
  );
  return { name: input.name, body: JSON.stringify({ widgets }), widgets: titles };
}

function cpuMemory(
  graph: (title: string, properties: Record<string, unknown>) => Record<string, unknown>,
  service: Array<[string, string]>,
) {
  return {
    type: 'metric' as const,
    width: 12,
    properties: graph('CPU and memory utilization (%)', {
      metrics: [
        metricLine('AWS/ECS', 'CPUUtilization', service, { stat: 'Average', label: 'CPU' }),
        metricLine('AWS/ECS', 'MemoryUtilization', service, { stat: 'Average', label: 'memory' }),
      ],
    }),
  };
}

/** Whether a dashboard body carries this service's marker (so it is this action's to change or remove). */
export function isOurDashboard(body: string, marker: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  const widgets = (parsed as { widgets?: unknown }).widgets;
  if (!Array.isArray(widgets)) return false;
  return widgets.some((w: { type?: unknown; properties?: { markdown?: unknown } }) => {
    const markdown = w?.properties?.markdown;
    return w?.type === 'text' && typeof markdown === 'string' && markdown.includes(`\`${marker}\``);
  });
}
