// The job summary a person reads first: result, old -> new revision, a Mermaid timeline, the watched alarms, failed
// tasks, log tails, service events and console links.
import {
  blocks,
  codeBlock,
  details,
  escapeMarkdown,
  formatDuration,
  heading,
  link,
  mermaid,
  table,
} from '@hokusai/action-kit';
import {
  alarmConsoleUrl,
  alarmReasonLine,
  classifyStoppedTask,
  logStreamConsoleUrl,
  serviceConsoleUrl,
  shortTaskId,
  taskDefinitionName,
  timelineMermaid,
} from '@hokusai/ecs-kit';
import type { DeployReport } from './deploy.js';

const ICON: Record<DeployReport['result'], string> = {
  succeeded: '✅',
  started: '▶️',
  failed: '❌',
  'rolled-back': '↩️',
  'rolling-back': '🔄',
  'timed-out': '⏱️',
  'rollback-failed': '🔥',
  cancelled: '⏹️',
  refused: '🚫',
};

export function renderSummary(report: DeployReport, region: string): string {
  const from = taskDefinitionName(report.previousTaskDefinitionArn);
  const to = taskDefinitionName(report.taskDefinitionArn);
  const title = heading(
    `${ICON[report.result]} ecs-deploy-and-wait: ${report.result}${report.cancelled && report.result !== 'cancelled' ? ' (cancelled)' : ''}`,
  );
  const facts = table(
    ['', ''],
    [
      ['service', `${report.service} in ${report.cluster}`],
      ['revision', `${from} → ${to}`],
      ['deployment', report.deploymentId],
      ['elapsed', formatDuration(report.elapsedMs)],
      ...(report.failureReason ? ([['why', report.failureReason]] as Array<[string, string]>) : []),
      ['ended by', `the ${report.endedBy} step`],
      ['service now', report.serviceState],
      ['ECS circuit breaker', report.breaker],
      ['ECS deployment alarms', report.deploymentAlarms],
      ...(report.rollback ? ([['rollback', report.rollback.summary]] as Array<[string, string]>) : []),
      ...(report.rollback?.reRegistered
        ? ([
            [
              'rollback target',
              `${taskDefinitionName(report.rollback.reRegistered.from)} was INACTIVE: its content was registered again as ${taskDefinitionName(report.rollback.reRegistered.to)}`,
            ],
          ] as Array<[string, string]>)
        : []),
      ...[...report.notes, ...report.warnings].map((w) => ['⚠️ warning', w] as [string, string]),
    ],
  );
  const next = report.nextStep
    ? blocks(`**Next:** ${escapeMarkdown(report.nextStep.text)}:`, codeBlock(report.nextStep.command, 'sh'))
    : '';
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
  const alarms = alarmsSection(report);
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
  const uncounted =
    report.uncountedStops.length > 0
      ? blocks(
          heading('Stopped, not counted (not the revision’s fault)', 3),
          table(
            ['task', 'stop code', 'stopped reason'],
            report.uncountedStops.map((t) => [shortTaskId(t.id), t.stopCode ?? '', t.stoppedReason ?? '']),
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
    ...alarmNamesShown(report).map((name) => link(`alarm ${name}`, alarmConsoleUrl(region, name))),
  ];
  return blocks(
    title,
    facts,
    next,
    !report.waited &&
      '_Not waited (`wait: false`): the service was updated; the rollout was not watched, so nothing was verified (and the last-good tag was not written)._',
    diagram,
    alarms,
    failed,
    uncounted,
    tails.length > 0 && blocks(heading('Log tails', 3), ...tails),
    events,
    heading('Links', 3) + links.map((l) => `- ${l}`).join('\n'),
  );
}

/** The watched alarms: state at the start and as last read, what each meant for the deploy, the state reason. */
function alarmsSection(report: DeployReport): string {
  const watched = report.alarms;
  if (!watched) return '';
  const decision = report.decision;
  const fired =
    decision && 'alarm' in decision && decision.alarm !== undefined ? decision.alarm.name : undefined;
  const rows = watched.names.map((name) => {
    const start = watched.atStart.find((a) => a.name === name);
    const last = watched.last.find((a) => a.name === name) ?? start;
    const meaning =
      name === fired
        ? decision?.kind === 'rolled-back-by-circuit-breaker'
          ? 'went into ALARM: ECS rolled the deployment back'
          : 'went into ALARM: failed the deploy'
        : start?.state === 'ALARM'
          ? 'already in ALARM at the start: ignored, as ECS does'
          : '';
    return [name, start?.state ?? '', last?.state ?? '', meaning, alarmReasonLine(last?.reason ?? '')];
  });
  const from = watched.source === 'input' ? 'input `alarms`' : "the service's deployment alarms";
  return blocks(
    heading(`CloudWatch alarms (${from})`, 3),
    table(['alarm', 'at the start', 'last read', '', 'state reason'], rows),
  );
}

/** The watched alarms, and the one ECS rolled back on when it is not among them. */
function alarmNamesShown(report: DeployReport): string[] {
  const names = [...(report.alarms?.names ?? [])];
  const decision = report.decision;
  if (decision && 'alarm' in decision && decision.alarm && !names.includes(decision.alarm.name))
    names.push(decision.alarm.name);
  return names;
}

/** What ended a deploy before it watched anything: a refusal, AWS failing before the change, a cancel. */
export interface EarlyEnd {
  result: Extract<DeployReport['result'], 'refused' | 'failed' | 'cancelled'>;
  step: 'plan' | 'start';
  /** The one line the step failed with. */
  why: string;
  cluster?: string;
  service?: string;
  /** What is on the service now, in words (nothing was changed, or a revision was registered unused). */
  serviceNow: string;
}

/** The short summary of a deploy that ended before the UpdateService: what ended it, why, and that nothing changed. */
export function renderEarlySummary(end: EarlyEnd): string {
  const rows: Array<[string, string]> = [
    ...(end.service
      ? ([['service', `${end.service} in ${end.cluster ?? ''}`]] as Array<[string, string]>)
      : []),
    ['why', end.why],
    ['ended by', `the ${end.step} step`],
    ['service now', end.serviceNow],
  ];
  return blocks(heading(`${ICON[end.result]} ecs-deploy-and-wait: ${end.result}`), table(['', ''], rows));
}
