// The job summary: each alarm with its metric, statistic, threshold, current state and console link; the dashboard
// and its widgets; the restart-detection chain; what this run changed. Pure. Text from AWS (alarm state reasons)
// appears only as inline code or escaped table cells.
import { blocks, escapeMarkdown, heading, inlineCode, link, table } from '@hokusai/action-kit';
import type { AlarmSpec, DesiredState, ServiceContext } from './model.js';
import { alarmConsoleUrl, dashboardConsoleUrl } from './names.js';
import { describeWrite, type Write } from './plan.js';

export interface AlarmReport {
  spec: AlarmSpec;
  arn: string;
  /** OK, ALARM or INSUFFICIENT_DATA as CloudWatch reports it (outside text). */
  state: string;
  /** CloudWatch's reason (outside text). */
  stateReason: string;
  outcome: 'created' | 'updated' | 'unchanged';
}

export interface MonitoringReport {
  context: ServiceContext;
  desired: DesiredState;
  alarms: AlarmReport[];
  /** The writes this run made, in order. */
  writes: Write[];
  warnings: string[];
  leftAlone: string[];
  calls: { reads: number; writes: number };
}

const STATE_ICON: Record<string, string> = { OK: '🟢', ALARM: '🔴', INSUFFICIENT_DATA: '⚪' };

function stateCell(state: string, reason: string): string {
  const word = /^[A-Z_]{1,30}$/.test(state) ? state : 'unknown';
  const shortReason = reason.length > 160 ? `${reason.slice(0, 157)}...` : reason;
  return `${STATE_ICON[word] ?? ''} ${word}${shortReason ? `<br>${inlineCode(shortReason)}` : ''}`.trim();
}

export function changedSomething(report: Pick<MonitoringReport, 'writes'>): boolean {
  return report.writes.length > 0;
}

export function summaryMarkdown(report: MonitoringReport): string {
  const { context, desired } = report;
  const title = heading(`ECS service monitoring: ${context.serviceName} on ${context.clusterName}`, 2);
  const status = changedSomething(report)
    ? `**Changed:** ${report.writes.length} change${report.writes.length === 1 ? '' : 's'} made (below).`
    : '**No change:** every alarm, the dashboard and the stopped-task pipeline already match the inputs; no write call was made.';

  const alarmTable = table(
    ['alarm', 'metric', 'statistic', 'threshold', 'state', 'this run', 'judges deployments'],
    report.alarms.map((a) => [
      link(
        a.spec.definition.AlarmName,
        alarmConsoleUrl(context.partition, context.region, a.spec.definition.AlarmName),
      ),
      a.spec.metricText,
      a.spec.statisticText,
      a.spec.thresholdText,
      stateCell(a.state, a.stateReason),
      a.outcome,
      desired.deploymentAlarmNames?.includes(a.spec.definition.AlarmName) ? 'yes (rollback on)' : 'no',
    ]),
    { raw: [0, 4] },
  );

  const dashboard = desired.dashboard
    ? blocks(
        heading('Dashboard', 3),
        `${link(desired.dashboard.name, dashboardConsoleUrl(context.partition, context.region, desired.dashboard.name))} — widgets:`,
        desired.dashboard.widgets.map((w) => `- ${escapeMarkdown(w)}`).join('\n'),
      )
    : blocks(heading('Dashboard', 3), 'None (dashboard: false).');

  const pipeline = desired.restartPipeline;
  const restarts = blocks(
    heading('How restarts are counted', 3),
    `EventBridge rule ${inlineCode(pipeline.rule.name)} (ECS Task State Change, lastStatus STOPPED, crashed, failed to start or failed health checks) → log group ${inlineCode(pipeline.logGroup.name)} → metric filter ${inlineCode(pipeline.metricFilter.filterName)} → ${inlineCode('Hokusai/ECS StoppedTasks')}.`,
  );

  const deployment =
    desired.deploymentAlarmNames === undefined
      ? 'Deployment alarms: left as they are (the service does not use the ECS deployment controller).'
      : desired.deploymentAlarmNames.length > 0
        ? `Deployment alarms: ${desired.deploymentAlarmNames.map((n) => inlineCode(n)).join(', ')} with rollback on: ECS fails and rolls back a deployment that sets one off. Attaching them started no deployment.`
        : 'Deployment alarms: none of this action (deployment-alarms: false).';

  const changes =
    report.writes.length > 0
      ? blocks(
          heading('Changes made', 3),
          report.writes.map((w) => `- ${escapeMarkdown(describeWrite(w))}`).join('\n'),
        )
      : undefined;
  const warnings =
    report.warnings.length > 0
      ? blocks(heading('Warnings', 3), report.warnings.map((w) => `- ${escapeMarkdown(w)}`).join('\n'))
      : undefined;
  const leftAlone =
    report.leftAlone.length > 0
      ? blocks(
          heading('Left alone', 3),
          report.leftAlone
            .map((r) => `- ${escapeMarkdown(r)}: has a name this action used before, but it did not make it`)
            .join('\n'),
        )
      : undefined;

  return blocks(
    title,
    status,
    heading('Alarms', 3),
    alarmTable,
    deployment,
    dashboard,
    restarts,
    changes,
    warnings,
    leftAlone,
    `AWS requests: ${report.calls.reads + report.calls.writes} (${report.calls.writes} write${report.calls.writes === 1 ? '' : 's'}).`,
  );
}

/**
 * The summary of a step that failed or was cancelled: the one line, and the changes already made (a re-run
 * picks up from there). Outside text (AWS's words in the message) is escaped.
 */
export function failureSummaryMarkdown(outcome: {
  where?: { cluster: string; service: string };
  message: string;
  cancelled?: string;
  writes: Write[];
}): string {
  const title = outcome.where
    ? `ECS service monitoring: ${escapeMarkdown(outcome.where.service)} on ${escapeMarkdown(outcome.where.cluster)}`
    : 'ECS service monitoring';
  const verdict = outcome.cancelled
    ? `⏹️ **Cancelled (${escapeMarkdown(outcome.cancelled)}):** ${escapeMarkdown(outcome.message)}`
    : `❌ **Failed:** ${escapeMarkdown(outcome.message)}`;
  const changes =
    outcome.writes.length > 0
      ? blocks(
          heading('Changes made before the end', 3),
          outcome.writes.map((w) => `- ${escapeMarkdown(describeWrite(w))}`).join('\n'),
        )
      : 'No change was made.';
  return blocks(heading(title, 2), verdict, changes);
}
