// Reads the inputs, runs the deploy against AWS, writes outputs and the job summary; cancels cleanly on SIGINT/SIGTERM.
// Every end sets `result` — a refusal or an error before any change too.
import * as core from '@actions/core';
import {
  actionClock,
  actionsLogger,
  cancellationSignal,
  credentialsIn,
  errorMessage,
  failStep,
  isConfigurationError,
  redactSecrets,
  writeSummary,
} from '@hokusai/action-kit';
import { resolveRegion } from '@hokusai/aws-kit';
import { ApiCallLog, createAwsApis, DEFAULT_RETRY_POLICY, describeGiveUp } from '@hokusai/ecs-kit';
import { deployAndWait, type DeployReport } from './deploy.js';
import { getInputs } from './inputs.js';
import { NothingChangedError } from './plan.js';
import { renderSummary } from './summary.js';

function setOutputs(report: DeployReport, clean: (text: string) => string): void {
  core.setOutput('task-definition-arn', report.taskDefinitionArn);
  core.setOutput('previous-task-definition-arn', report.previousTaskDefinitionArn);
  core.setOutput('deployment-id', report.deploymentId);
  core.setOutput('result', report.result);
  core.setOutput('failure-reason', clean(report.failureReason));
  core.setOutput('elapsed-seconds', String(Math.round(report.elapsedMs / 1000)));
}

export async function main(): Promise<void> {
  let inputs;
  try {
    inputs = getInputs(process.env);
  } catch (error) {
    core.setOutput('result', 'refused');
    throw error;
  }
  // Environment values are stored in the task definition in plain text, so they are not masked whole; passwords
  // inside them (a database URL's, a token= pair) are.
  const credentials = inputs.environment.flatMap(([, value]) => credentialsIn(value));
  for (const credential of credentials) core.setSecret(credential);
  // The runner masks only the log: outputs and the summary quote container logs, which may print them.
  const clean = (text: string) => redactSecrets(text, credentials);
  const region = resolveRegion('', process.env);
  const clock = actionClock();
  const callLog = new ApiCallLog(clock);
  const cancellation = cancellationSignal((signal) =>
    actionsLogger.info(`received ${signal}: stopping the watch`),
  );
  const apis = createAwsApis({
    region,
    env: process.env,
    clock,
    signal: cancellation.signal,
    onCall: (operation, attempt) => callLog.record(operation, attempt),
    retry: DEFAULT_RETRY_POLICY,
    onRetry: (operation, error, attempt, delay) =>
      actionsLogger.debug(
        `${operation}: AWS said ${(error as Error).name || 'error'}; retry ${attempt} in ${delay}ms`,
      ),
  });
  let report: DeployReport;
  try {
    report = await deployAndWait(inputs, {
      apis,
      clock,
      logger: actionsLogger,
      callLog,
      signal: cancellation.signal,
    });
  } catch (error) {
    // Before any change: a refusal (bad input, a service this action cannot deploy) or AWS failing throughout.
    core.setOutput('result', isConfigurationError(error) ? 'refused' : 'failed');
    if (error instanceof NothingChangedError || (!isConfigurationError(error) && describeGiveUp(error)))
      throw new Error(`plan/start step: ${errorMessage(error)}`);
    throw error;
  } finally {
    cancellation.dispose();
    apis.close?.();
  }
  setOutputs(report, clean);
  actionsLogger.info(
    `ended by the ${report.endedBy} step: ${report.result}; service: ${clean(report.serviceState)}`,
  );
  for (const warning of report.warnings) actionsLogger.warning(clean(warning));
  if (report.nextStep) actionsLogger.info(`${report.nextStep.text}: ${report.nextStep.command}`);
  actionsLogger.info(`${callLog.calls.length} AWS API calls`);
  await writeSummary(clean(renderSummary(report, region)));
  if (report.result !== 'succeeded')
    failStep(`deployment ${report.result} (${report.endedBy} step): ${clean(report.failureReason)}`);
}
