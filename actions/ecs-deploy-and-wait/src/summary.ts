// The job summary a person reads first: result, old -> new revision, a Mermaid timeline, failed tasks, log tails,
// service events and console links.
import {
  blocks,
  codeBlock,
  details,
  formatDuration,
  heading,
  inlineCode,
  link,
  mermaid,
  table,
} from '@hokusai/action-kit';
import { classifyStoppedTask, shortTaskId, taskDefinitionName, timelineMermaid } from '@hokusai/ecs-kit';
import type { DeployReport } from './deploy.js';

const ICON: Record<DeployReport['result'], string> = {
  succeeded: '✅',
  failed: '❌',
  'rolled-back': '↩️',
  'timed-out': '⏱️',
  'rollback-failed': '🔥',
};

export function serviceConsoleUrl(region: string, cluster: string, service: string): string {
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/health?region=${region}`;
}

/** CloudWatch's console escapes path parts twice, with `$` for `%`. */
export function logStreamConsoleUrl(region: string, group: string, stream: string): string {
  const enc = (s: string) => encodeURIComponent(encodeURIComponent(s)).replace(/%/g, '$');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${enc(group)}/log-events/${enc(stream)}`;
}

export function renderSummary(report: DeployReport, region: string): string {
  const from = taskDefinitionName(report.previousTaskDefinitionArn);
  const to = taskDefinitionName(report.taskDefinitionArn);
  const title = heading(
    `${ICON[report.result]} ecs-deploy-and-wait: ${report.result}${report.cancelled ? ' (cancelled)' : ''}`,
  );
  const facts = table(
    ['', ''],
    [
      ['service', `${report.service} in ${report.cluster}`],
      ['revision', `${from} → ${to}`],
      ['deployment', report.deploymentId],
      ['elapsed', formatDuration(report.elapsedMs)],
      ...(report.failureReason ? ([['why', report.failureReason]] as Array<[string, string]>) : []),
      ...(report.rollback ? ([['rollback', report.rollback.summary]] as Array<[string, string]>) : []),
      ...(report.cancelled
        ? ([['to roll back by hand', inlineCode(report.rollbackCommand)]] as Array<[string, string]>)
        : []),
    ],
    { raw: report.cancelled ? [1] : [] },
  );
  const diagram =
    report.timeline.length > 0
      ? blocks(
          heading('Timeline', 3),
          mermaid(
            timelineMermaid(report.timeline, report.startedAt, {
              title: `${from} → ${to}`,
            }),
          ),
        )
      : '';
  const failed =
    report.failedTasks.length > 0
      ? blocks(
          heading('Failed tasks', 3),
          table(
            ['task', 'stopped reason', 'exit code', 'last log line'],
            report.failedTasks.map((t) => {
              const c = classifyStoppedTask(t);
              const tail = report.logTails.find((x) => x.taskId === t.id);
              return [
                shortTaskId(t.id),
                t.stoppedReason ?? t.stopCode ?? '',
                c.exitCode ?? '',
                tail?.lastLine ?? '',
              ];
            }),
          ),
        )
      : '';
  const tails = report.logTails.map((t) =>
    details(
      `log tail of task ${shortTaskId(t.taskId)} (${t.container}, ${t.lines.length} lines)`,
      codeBlock(t.lines.join('\n') || '(empty)'),
    ),
  );
  const events =
    report.events.length > 0
      ? details(
          `service events during the deploy (${report.events.length})`,
          table(
            ['time', 'message'],
            report.events.map((e) => [new Date(e.createdAt).toISOString().slice(11, 19), e.message]),
          ),
        )
      : '';
  const links = [
    link(`service ${report.service}`, serviceConsoleUrl(region, report.cluster, report.service)),
    ...report.logTails.map((t) =>
      link(`log stream ${t.stream}`, logStreamConsoleUrl(t.region ?? region, t.group, t.stream)),
    ),
  ];
  return blocks(
    title,
    facts,
    !report.waited && '_Not waited (`wait: false`): the service was updated; the rollout was not watched._',
    diagram,
    failed,
    tails.length > 0 && blocks(heading('Log tails', 3), ...tails),
    events,
    heading('Links', 3) + links.map((l) => `- ${l}`).join('\n'),
  );
}
