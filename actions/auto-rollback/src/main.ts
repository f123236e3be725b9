// Reads the inputs, rolls the service back through ecs-kit, then sets the outputs and writes the incident report.
// SIGINT/SIGTERM (a cancelled job) stop the watch; the report then says what state the service is in.
import * as core from '@actions/core';
import {
  actionClock,
  actionsLogger,
  cancellationSignal,
  failStep,
  isConfigurationError,
  writeSummary,
} from '@hokusai/action-kit';
import {
  ApiCallLog,
  awsCliCommand,
  createAwsApis,
  DEFAULT_RETRY_POLICY,
  taskDefinitionName,
  updateServiceCommand,
} from '@hokusai/ecs-kit';
import {
  autoRollback,
  SUCCESSFUL_RESULTS,
  thrownAfterTheChange,
  type RollbackReport,
} from './auto-rollback.js';
import { incidentReportMarkdown } from './incident-report.js';
import { getInputs } from './inputs.js';

function setOutputs(report: Pick<RollbackReport, 'from' | 'to' | 'result'>): void {
  core.setOutput('rolled-back-from', report.from);
  core.setOutput('rolled-back-to', report.to);
  core.setOutput('result', report.result);
}

export async function main(): Promise<void> {
  const logger = actionsLogger;
  let inputs;
  try {
    inputs = getInputs(process.env);
  } catch (error) {
    core.setOutput('result', 'refused');
    throw error;
  }
  const clock = actionClock();
  const callLog = new ApiCallLog(clock);
  const cancel = cancellationSignal((signal) =>
    logger.warning(`received ${signal}: stopping the rollback watch; the service state follows`),
  );
  const apis = createAwsApis({
    region: inputs['aws-region'],
    env: process.env,
    clock,
    signal: cancel.signal,
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
      signal: cancel.signal,
    });
  } catch (error) {
    // After an UpdateService the service did change: that is a failed rollback, not a refused one.
    if (thrownAfterTheChange(error)) core.setOutput('result', 'failed');
    else if (isConfigurationError(error)) core.setOutput('result', 'refused');
    throw error;
  } finally {
    apis.close?.();
    cancel.dispose();
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
    const h = report.health;
    const state = h
      ? `${report.service} is on ${taskDefinitionName(h.taskDefinition)}: ${h.running}/${h.desired} running, deployments ${h.deployments.map((d) => `${d.status} ${taskDefinitionName(d.taskDefinition)} ${d.running}/${d.desired}${d.rolloutState ? ` ${d.rolloutState}` : ''}`).join('; ')}`
      : `${report.service}: state unknown`;
    logger.warning(`cancelled: ${state}`);
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
  failStep(`${report.result}: ${report.summary}`);
}
