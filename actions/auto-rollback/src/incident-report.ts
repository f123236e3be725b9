// The job summary as an incident report to start the postmortem from: what failed and why, what was restored,
// the timeline, the service's health now, and a checklist of follow-ups. Pure: report data in, Markdown out.
import {
  blocks,
  codeBlock,
  details,
  escapeMarkdown,
  formatDuration,
  heading,
  inlineCode,
  link,
  mermaid,
  table,
} from '@hokusai/action-kit';
import {
  serviceConsoleUrl,
  taskDefinitionName,
  timelineMermaid,
  updateServiceCommand,
} from '@hokusai/ecs-kit';
import type { RollbackReport, RollbackResultKind } from './auto-rollback.js';

const SOURCE_WORDS: Record<RollbackReport['source'], string> = {
  explicit: 'given in "to"',
  'previous-deployment': 'previous: the deployment that served before',
  'last-good-tag': 'previous: last good revision tagged by ecs-deploy-and-wait',
  'deployment-history': 'previous: newest successful deployment in ECS history',
};

const RESULT_WORDS: Record<RollbackResultKind, string> = {
  'rolled-back': 'rolled back, stable',
  started: 'rollback started (not waited)',
  'no-op': 'nothing to do',
  failed: 'rollback failed',
  'timed-out': 'rollback timed out',
  'taken-over': 'another deployment took over',
  cancelled: 'cancelled',
};

/** Why the failing revision failed: the deploy's own verdict when given, else the first failure the service shows. */
export function whyItFailed(report: RollbackReport): string {
  return (
    report.failureReason ||
    report.evidence?.firstFailure ||
    "not given (pass ecs-deploy-and-wait's failure-reason output)"
  );
}

/** The follow-ups a person works through after this rollback, as Markdown task-list items. */
export function followUps(report: RollbackReport): string[] {
  const from = taskDefinitionName(report.from);
  const to = taskDefinitionName(report.to);
  const items: string[] = [];
  if (report.result === 'no-op') {
    items.push(`Confirm ${to} is the revision you meant; the service already ran it, so nothing changed`);
    return items;
  }
  if (report.result === 'cancelled') {
    items.push(
      report.updated
        ? `Check the service: the rollback to ${to} was started, but this job stopped watching it`
        : `The service still runs ${from}: run the rollback again if it is still needed`,
    );
  }
  if (report.result === 'failed' || report.result === 'timed-out') {
    items.push(
      `**The service is not stable on ${to}**: read its events and stopped tasks now; roll back to an older revision if ${to} is broken too`,
    );
  }
  if (report.takenOverBy) {
    items.push(
      `Find who deployed ${taskDefinitionName(report.takenOverBy.taskDefinition)} (deployment ${report.takenOverBy.deploymentId}) during the rollback, and agree which revision should run`,
    );
  }
  if (report.restored)
    items.push(
      report.restored.outcome === 'rolled-back'
        ? `Find out why ${to} failed: ${from} is back, pick another target if a rollback is still needed`
        : `**Put ${from} back** (it was steady before the rollback): the command is above`,
    );
  if (!report.fromWasSteady) {
    items.push(`Find the root cause of the failure of ${from}: ${escapeMarkdown(whyItFailed(report))}`);
    items.push(
      `Read the logs of the failed tasks of ${from} (CloudWatch Logs, the task definition's awslogs group)`,
    );
    items.push(
      `Add the check that would have stopped ${from} before it shipped (python-syntax-check, import-smoke-test, a test)`,
    );
  }
  if (report.result === 'rolled-back' || report.result === 'started')
    items.push(`Probe the live endpoints on ${to} (endpoint-probe) and watch error rates`);
  if (!report.fromWasSteady)
    items.push(
      `Keep ${from} from being deployed again: fix forward with a new revision through the pipeline`,
    );
  items.push(
    'Write the postmortem: impact window, detection time, what the timeline shows, actions with owners',
  );
  return items;
}

function healthSection(report: RollbackReport): string {
  const h = report.health;
  if (!h) return 'The service could not be read after the rollback.';
  const rows = h.deployments.map((d) => [
    d.status,
    taskDefinitionName(d.taskDefinition),
    `${d.running}/${d.desired}`,
    d.rolloutState ?? '',
    d.id,
  ]);
  const lines = [
    `Service ${inlineCode(report.service)} is ${h.status} on ${inlineCode(taskDefinitionName(h.taskDefinition))}: **${h.running}/${h.desired} running**${h.pending ? `, ${h.pending} pending` : ''}.`,
  ];
  if (h.targets) {
    const states = Object.entries(h.targets.states)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ');
    lines.push(`Load balancer targets: **${h.targets.healthy}/${h.desired} healthy** (${states}).`);
  }
  return blocks(lines.join('\n'), table(['deployment', 'revision', 'running', 'rollout', 'id'], rows));
}

export interface IncidentReportOptions {
  region: string;
}

export function incidentReportMarkdown(report: RollbackReport, options: IncidentReportOptions): string {
  const from = taskDefinitionName(report.from);
  const to = taskDefinitionName(report.to);
  const title =
    report.result === 'no-op'
      ? `Rollback of ${report.service}: already on ${to}`
      : `Rollback of ${report.service}: ${from} → ${to} — ${RESULT_WORDS[report.result]}`;
  const stableAt = report.timeline
    .filter((e) => e.kind === 'stable')
    .map((e) => e.at)
    .pop();
  const deployedAt = report.deployedAt;
  const impact =
    deployedAt !== undefined && stableAt !== undefined && report.result === 'rolled-back'
      ? formatDuration(stableAt - deployedAt)
      : undefined;
  const rows: Array<[string, string]> = [
    ['result', inlineCode(report.result)],
    [
      'service',
      `${inlineCode(report.service)} in ${inlineCode(report.cluster)} (${link('console', serviceConsoleUrl(options.region, report.cluster, report.service))})`,
    ],
    // A revision that was steady when the rollback started did not fail: it was left on purpose (or it is a no-op).
    ...(report.fromWasSteady || report.result === 'no-op'
      ? ([['revision left', `${inlineCode(from)} (steady when the rollback started)`]] as Array<
          [string, string]
        >)
      : ([
          ['failing revision', inlineCode(from)],
          ['why it failed', escapeMarkdown(whyItFailed(report))],
        ] as Array<[string, string]>)),
    [
      'restored revision',
      report.reRegistered
        ? `${inlineCode(to)}: the exact content of ${inlineCode(taskDefinitionName(report.reRegistered.from))}, which was INACTIVE (deregistered), registered again (${SOURCE_WORDS[report.source]})`
        : `${inlineCode(to)} (${SOURCE_WORDS[report.source]})`,
    ],
  ];
  if (report.restored)
    rows.push([
      'put back',
      report.restored.outcome === 'rolled-back'
        ? `${inlineCode(from)}, steady before the rollback, is stable again (${inlineCode(to)} failed)`
        : `${inlineCode(from)} could not be put back: ${escapeMarkdown(report.restored.summary)}`,
    ]);
  if (report.reason) rows.push(['reason', escapeMarkdown(report.reason)]);
  if (report.reasonTag)
    rows.push([
      'reason on the service',
      report.reasonTag.written
        ? `tag ${inlineCode('hokusai:rollback-reason')}${report.reasonTag.adapted && report.reason ? ` (adapted to tag rules: ${inlineCode(report.reasonTag.value)})` : ''}`
        : `not written (${report.reasonTag.error ?? 'unknown error'})`,
    ]);
  if (report.evidence?.failedTasks)
    rows.push(['failed tasks still listed', String(report.evidence.failedTasks)]);
  if (impact) rows.push(['deploy → stable again', impact]);
  rows.push(['this run', formatDuration(report.finishedAt - report.startedAt)]);
  // Values are Markdown already (escaped text, inline code); only line breaks would end the row.
  const escapeCell = (text: string) => text.replace(/\r?\n/g, ' ');
  const overview = table(
    ['', ''],
    rows.map(([k, v]) => [k, escapeCell(v)]),
    { raw: [1] },
  );
  const start = Math.min(...report.timeline.map((e) => e.at), report.startedAt);
  const timeline =
    report.timeline.length > 0
      ? blocks(
          heading('Timeline', 3),
          mermaid(timelineMermaid(report.timeline, start, { title: `${report.service} rollback` })),
        )
      : '';
  // Only when nothing was changed: after a failed or timed-out rollback, repeating it is not the advice.
  const recovery =
    report.result === 'cancelled' && !report.updated
      ? blocks(
          'Nothing was changed. To roll back by hand:',
          `\`\`\`sh\n${updateServiceCommand(report.cluster, report.service, taskDefinitionName(report.to))}\n\`\`\``,
        )
      : putBackByHand(report)
        ? blocks(
            `${inlineCode(from)} was steady before the rollback. To put it back by hand:`,
            `\`\`\`sh\n${updateServiceCommand(report.cluster, report.service, from)}\n\`\`\``,
          )
        : '';
  const log = report.evidence?.log;
  const logSection = log
    ? details(
        `Log of the first failed task ${log.taskId.slice(0, 8)}… (${log.group} ${log.stream})`,
        codeBlock(log.lines.join('\n') || '(empty)'),
      )
    : '';
  return blocks(
    heading(title, 2),
    `> ${report.summary}`,
    overview,
    logSection,
    timeline,
    heading('Current health', 3),
    healthSection(report),
    heading('Follow-ups', 3),
    followUps(report)
      .map((item) => `- [ ] ${item}`)
      .join('\n'),
    recovery,
  );
}

export interface EarlyEnd {
  result: 'refused' | 'failed' | 'cancelled';
  cluster?: string;
  service?: string;
  /** The one line the run failed with. */
  why: string;
  /** Whether the rollback's UpdateService was made before it ended. */
  changed: boolean;
}

/** The short summary of a run that ended before an incident report could be written: what, why, what changed. */
export function earlyEndMarkdown(end: EarlyEnd): string {
  const rows: Array<[string, string]> = [
    ['result', inlineCode(end.result)],
    ...(end.service
      ? ([['service', `${inlineCode(end.service)} in ${inlineCode(end.cluster ?? '')}`]] as Array<
          [string, string]
        >)
      : []),
    ['why', escapeMarkdown(end.why)],
    [
      'service now',
      end.changed
        ? 'the rollback UpdateService was made; ECS carries on with it (see why)'
        : 'unchanged: nothing was changed',
    ],
  ];
  return blocks(
    heading(`Rollback${end.service ? ` of ${escapeMarkdown(end.service)}` : ''}: ${end.result}`, 2),
    table(['', ''], rows, { raw: [1] }),
  );
}

/**
 * Whether the summary and the log give the command to put `from` back: the rollback failed or timed out after its
 * UpdateService, `from` was steady before, and it was not put back already.
 */
export function putBackByHand(report: RollbackReport): boolean {
  return (
    (report.result === 'failed' || report.result === 'timed-out') &&
    report.updated &&
    report.fromWasSteady === true &&
    report.restored?.outcome !== 'rolled-back'
  );
}
