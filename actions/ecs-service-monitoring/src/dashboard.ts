// The service status dashboard: task health, API response time, error rate, restarts and why tasks stopped.
// Pure. Thresholds never appear in the body: the graphs that show one are alarm graphs (annotations.alarms), which
// CloudWatch draws from the alarm itself, so changing a threshold updates the alarm and leaves the dashboard as is.
// Body format: CloudWatch "Dashboard body structure and syntax" (widgets of type text, metric, alarm, log).
import type { AlarmSpec, DashboardSpec, ServiceContext } from './model.js';
import { alarmArn, dashboardMarker, type AlarmKind } from './names.js';

/** A widget before layout: the grid position is given by its row. */
interface Cell {
  type: 'text' | 'metric' | 'alarm' | 'log';
  width: number;
  height?: number;
  properties: Record<string, unknown>;
}

interface Widget extends Omit<Cell, 'height'> {
  x: number;
  y: number;
  height: number;
}

export interface DashboardInput {
  name: string;
  context: ServiceContext;
  alarms: AlarmSpec[];
  /** Seconds: the graphs' period. */
  period: number;
  logGroupName: string;
}

type Dimensions = Array<[string, string]>;
type MetricLine = Array<string | Record<string, unknown>>;

const HEADER_TITLE = 'Header: what this dashboard is and who keeps it';

function metricLine(
  namespace: string,
  name: string,
  dims: Dimensions,
  options: Record<string, unknown>,
): MetricLine {
  return [namespace, name, ...dims.flat(), options];
}

/** The row builders' shared view of the service. */
class Widgets {
  readonly service: Dimensions;

  constructor(private readonly input: DashboardInput) {
    this.service = [
      ['ClusterName', input.context.clusterName],
      ['ServiceName', input.context.serviceName],
    ];
  }

  arnOf(kind: AlarmKind): string | undefined {
    const spec = this.input.alarms.find((a) => a.kind === kind);
    return spec ? alarmArn(this.input.context, spec.definition.AlarmName) : undefined;
  }

  /** A time-series graph of the given metric lines. */
  graph(title: string, metrics: MetricLine[], width = 12): Cell {
    const { region } = this.input.context;
    return {
      type: 'metric',
      width,
      properties: { title, view: 'timeSeries', stacked: false, region, period: this.input.period, metrics },
    };
  }

  /** An alarm's metric with its threshold line, drawn by CloudWatch from the alarm. */
  alarmGraph(title: string, arn: string): Cell {
    const { region } = this.input.context;
    return {
      type: 'metric',
      width: 12,
      properties: { title, view: 'timeSeries', stacked: false, region, annotations: { alarms: [arn] } },
    };
  }

  header(): Cell[] {
    const { clusterName, serviceName } = this.input.context;
    const markdown = [
      `# ECS service ${serviceName} on cluster ${clusterName}`,
      'Alarms and graphs kept by the hokusai `ecs-service-monitoring` action: edits made here are replaced on its next run.',
      '',
      `\`${dashboardMarker(clusterName, serviceName)}\``,
    ].join('\n');
    return [{ type: 'text', width: 24, height: 3, properties: { markdown } }];
  }

  alarmStatus(): Cell[] {
    const arns = this.input.alarms.map((a) => alarmArn(this.input.context, a.definition.AlarmName));
    return [
      {
        type: 'alarm',
        width: 24,
        height: 4,
        properties: { title: 'Alarm status', alarms: arns, sortBy: 'stateUpdatedTimestamp' },
      },
    ];
  }

  taskHealth(): Cell[] {
    const restarts = this.arnOf('restarts');
    return [
      this.graph('ECS task health: running, desired and pending tasks', [
        metricLine('ECS/ContainerInsights', 'RunningTaskCount', this.service, {
          stat: 'Average',
          label: 'running',
        }),
        metricLine('ECS/ContainerInsights', 'DesiredTaskCount', this.service, {
          stat: 'Average',
          label: 'desired',
        }),
        metricLine('ECS/ContainerInsights', 'PendingTaskCount', this.service, {
          stat: 'Average',
          label: 'pending',
        }),
      ]),
      ...(restarts ? [this.alarmGraph('Task restarts: abnormally stopped tasks', restarts)] : []),
    ];
  }

  cpuMemory(): Cell {
    return this.graph('CPU and memory utilization (%)', [
      metricLine('AWS/ECS', 'CPUUtilization', this.service, { stat: 'Average', label: 'CPU' }),
      metricLine('AWS/ECS', 'MemoryUtilization', this.service, { stat: 'Average', label: 'memory' }),
    ]);
  }

  /** Response time, error rate, requests and targets; only for a service behind an ALB. */
  loadBalancerRows(): Cell[][] {
    const lb = this.input.context.loadBalancer;
    const latency = this.arnOf('latency');
    const errorRate = this.arnOf('error-rate');
    if (!lb || !latency || !errorRate) return [[this.cpuMemory()]];
    const alb: Dimensions = [
      ['LoadBalancer', lb.loadBalancer],
      ['TargetGroup', lb.targetGroup],
    ];
    const elb = 'AWS/ApplicationELB';
    return [
      [
        this.alarmGraph('API response time: p95 against the alarm threshold', latency),
        this.graph(
          'API response time: p50, p90, p99 (seconds)',
          ['p50', 'p90', 'p99'].map((stat) =>
            metricLine(elb, 'TargetResponseTime', alb, { stat, label: stat }),
          ),
        ),
      ],
      [
        this.alarmGraph('Error rate: 5xx % against the alarm threshold', errorRate),
        this.graph('Requests and 5xx responses', [
          metricLine(elb, 'RequestCount', alb, { stat: 'Sum', label: 'requests' }),
          metricLine(elb, 'HTTPCode_Target_5XX_Count', alb, { stat: 'Sum', label: 'target 5xx' }),
          metricLine(elb, 'HTTPCode_ELB_5XX_Count', [['LoadBalancer', lb.loadBalancer]], {
            stat: 'Sum',
            label: 'load balancer 5xx',
          }),
        ]),
      ],
      [
        this.graph('Load balancer targets: healthy and unhealthy', [
          metricLine(elb, 'HealthyHostCount', alb, { stat: 'Minimum', label: 'healthy' }),
          metricLine(elb, 'UnHealthyHostCount', alb, { stat: 'Maximum', label: 'unhealthy' }),
        ]),
        this.cpuMemory(),
      ],
    ];
  }

  /** Logs Insights over the stopped-task log group: why each task stopped. */
  stoppedTasks(): Cell[] {
    const query = [
      `SOURCE '${this.input.logGroupName}'`,
      'fields @timestamp, detail.taskArn, detail.stopCode, detail.stoppedReason, detail.containers.0.exitCode, detail.taskDefinitionArn',
      'sort @timestamp desc',
      'limit 20',
    ].join(' | ');
    return [
      {
        type: 'log',
        width: 24,
        height: 6,
        properties: {
          title: 'Recent stopped tasks and why',
          region: this.input.context.region,
          view: 'table',
          query,
        },
      },
    ];
  }
}

/** Places rows on the 24-column grid, top to bottom; a row is as high as its highest widget (default 6). */
function layout(rows: Cell[][]): Widget[] {
  const widgets: Widget[] = [];
  let y = 0;
  for (const row of rows) {
    let x = 0;
    for (const cell of row) {
      widgets.push({ ...cell, x, y, height: cell.height ?? 6 });
      x += cell.width;
    }
    y += Math.max(...row.map((cell) => cell.height ?? 6));
  }
  return widgets.map(({ type, x, y: top, width, height, properties }) => ({
    type,
    x,
    y: top,
    width,
    height,
    properties,
  }));
}

export function buildDashboard(input: DashboardInput): DashboardSpec {
  const w = new Widgets(input);
  const widgets = layout([
    w.header(),
    w.alarmStatus(),
    w.taskHealth(),
    ...w.loadBalancerRows(),
    w.stoppedTasks(),
  ]);
  const titles = widgets.map((widget) =>
    widget.type === 'text' ? HEADER_TITLE : String(widget.properties.title),
  );
  return { name: input.name, body: JSON.stringify({ widgets }), widgets: titles };
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
