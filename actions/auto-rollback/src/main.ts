// Reads the inputs, rolls the service back through ecs-kit, then sets the outputs and writes the incident report.
// SIGINT/SIGTERM (a cancelled job) stop the watch; the report then says what state the service is in.
import * as core from '@actions/core';
import {
  actionClock,
  actionsLogger,
  cancellationSignal,
  errorMessage,
  failStep,
  writeSummary,
} from '@hokusai/action-kit';
import {
  ApiCallLog,
  awsCliCommand,
  CANCEL_GRACE_MS,
  createAwsApis,
  DEFAULT_RETRY_POLICY,
  graceAfter,
  taskDefinitionName,
  updateServiceCommand,
} from '@hokusai/ecs-kit';
import {
  autoRollback,
  resultOfError,
  SUCCESSFUL_RESULTS,
  thrownAfterTheChange,
  type RollbackReport,
  type ServiceHealth,
} from './auto-rollback.js';
import { earlyEndMarkdown, incidentReportMarkdown, putBackByHand } from './incident-report.js';
import { getInputs, type Inputs } from './inputs.js';

function setOutputs(report: Pick<RollbackReport, 'from' | 'to' | 'result'>): void {
  core.setOutput('rolled-back-from', report.from);
  core.setOutput('rolled-back-to', report.to);
  core.setOutput('result', report.result);
}

export async function main(): Promise<void> {
  const cancel = cancellationSignal((signal) =>
    actionsLogger.warning(
      `received ${signal}: stopping the rollback watch; AWS calls get ${CANCEL_GRACE_MS / 1000} s more, the service state follows`,
    ),
  );
  try {
    await rollBackAndReport(cancel.signal);
  } finally {
    // Only now: a SIGTERM during the report must not kill it (the runner sends one 7.5 s after SIGINT).
    cancel.dispose();
  }
}

/** `hokusai-api: PRIMARY hokusai-api:107 0/2 running, IN_PROGRESS; also hokusai-api:108 ACTIVE 2/2 running`. */
export function describeHealth(service: string, h: ServiceHealth | undefined): string {
  if (!h) return `${service}: state unknown`;
  const primary = h.deployments.find((d) => d.status === 'PRIMARY');
  const others = h.deployments.filter((d) => d !== primary);
  const line = `${service} is on ${taskDefinitionName(h.taskDefinition)}: ${h.running}/${h.desired} running${h.pending ? `, ${h.pending} pending` : ''}${primary?.rolloutState ? ` (${primary.rolloutState})` : ''}`;
  return others.length > 0
    ? `${line}; also ${others.map((d) => `${taskDefinitionName(d.taskDefinition)} ${d.status} ${d.running}/${d.desired} running`).join(', ')}`
    : line;
}

async function rollBackAndReport(cancelled: AbortSignal): Promise<void> {
  const logger = actionsLogger;
  let inputs: Inputs;
  try {
    inputs = getInputs(process.env);
  } catch (error) {
    core.setOutput('result', 'refused');
    await writeSummary(earlyEndMarkdown({ result: 'refused', why: errorMessage(error), changed: false }));
    throw error;
  }
  const clock = actionClock();
  const callLog = new ApiCallLog(clock);
  const apis = createAwsApis({
    region: inputs['aws-region'],
    env: process.env,
    clock,
    // The rollback stops on the cancel itself; its AWS calls may still run for the runner's grace time after it.
    signal: graceAfter(cancelled),
    onCall: (op, attempt) => callLog.record(op, attempt),
    retry: DEFAULT_RETRY_POLICY,
  });

  let report: RollbackReport;
  try {
    report = await autoRollback({
      apis,
      cluster: inputs.cluster,
      service: inputs.service,
      to: inputs.to,
      reason: inputs.reason,
      failureReason: inputs['failure-reason'],
      allowOtherFamily: inputs['allow-other-family'],
      wait: inputs.wait,
      timeoutMs: inputs.timeout,
      stableForMs: inputs['stable-for'],
      pollIntervalMs: inputs['poll-interval'],
      clock,
      logger,
      callLog,
      signal: cancelled,
    });
  } catch (error) {
    // Every end sets result: refused (bad input or target), failed (the rollback could not be made, or failed
    // after its UpdateService), cancelled (before any change).
    const result = resultOfError(error);
    core.setOutput('result', result);
    await writeSummary(
      earlyEndMarkdown({
        result,
        cluster: inputs.cluster,
        service: inputs.service,
        why: errorMessage(error),
        changed: thrownAfterTheChange(error),
      }),
    );
    throw error;
  } finally {
    apis.close?.();
  }

  setOutputs(report);
  await writeSummary(incidentReportMarkdown(report, { region: inputs['aws-region'] }));
  logger.info(`${callLog.calls.length} AWS requests`);

  const to = taskDefinitionName(report.to);
  if (report.result === 'no-op') {
    logger.notice(`${report.service} already runs ${to}; nothing to roll back`, {
      title: 'auto-rollback: no-op',
    });
    return;
  }
  if (report.result === 'cancelled') {
    logger.warning(`cancelled: ${describeHealth(report.service, report.health)}`);
    if (report.updated)
      logger.info(
        `the rollback to ${to} continues in ECS; to watch it: ${awsCliCommand(['ecs', 'describe-services', '--cluster', report.cluster, '--services', report.service])}`,
      );
    else
      logger.info(
        `no change was made; to roll back by hand: ${updateServiceCommand(report.cluster, report.service, to)}`,
      );
    failStep(report.summary);
    return;
  }
  if (SUCCESSFUL_RESULTS.includes(report.result)) {
    logger.info(report.summary);
    return;
  }
  if (putBackByHand(report))
    logger.info(
      `${taskDefinitionName(report.from)} was steady before the rollback; to put it back by hand: ${updateServiceCommand(report.cluster, report.service, taskDefinitionName(report.from))}`,
    );
  failStep(`${report.result}: ${report.summary}`);
}
