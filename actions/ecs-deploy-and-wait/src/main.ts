// Reads the inputs, runs the deploy against AWS, writes outputs and the job summary; cancels cleanly on SIGINT/SIGTERM.
import * as core from '@actions/core';
import {
  actionClock,
  actionsLogger,
  cancellationSignal,
  credentialsIn,
  failStep,
  redactSecrets,
  writeSummary,
} from '@hokusai/action-kit';
import { resolveRegion } from '@hokusai/aws-kit';
import { ApiCallLog, createAwsApis, DEFAULT_RETRY_POLICY } from '@hokusai/ecs-kit';
import { deployAndWait } from './deploy.js';
import { getInputs } from './inputs.js';
import { renderSummary } from './summary.js';

export async function main(): Promise<void> {
  const inputs = getInputs(process.env);
  // Environment values are stored in the task definition in plain text, so they are not masked whole; passwords
  // inside them (a database URL's, a token= pair) are.
  const credentials = inputs.environment.flatMap(([, value]) => credentialsIn(value));
  for (const credential of credentials) core.setSecret(credential);
  // The runner masks only the log: outputs and the summary quote container logs, which may print them.
  const clean = (text: string) => redactSecrets(text, credentials);
  const region = resolveRegion('', process.env);
  const clock = actionClock();
  const callLog = new ApiCallLog(clock);
  const apis = createAwsApis({
    region,
    env: process.env,
    onCall: (operation) => callLog.record(operation),
    retry: {
      ...DEFAULT_RETRY_POLICY,
      sleep: (ms) => clock.sleep(ms),
      onRetry: (error, attempt, delay) =>
        actionsLogger.debug(`AWS said ${(error as Error).name || 'error'}; retry ${attempt} in ${delay}ms`),
    },
  });
  const cancellation = cancellationSignal((signal) =>
    actionsLogger.info(`received ${signal}: stopping the watch`),
  );
  try {
    const report = await deployAndWait(inputs, {
      apis,
      clock,
      logger: actionsLogger,
      callLog,
      signal: cancellation.signal,
    });
    core.setOutput('task-definition-arn', report.taskDefinitionArn);
    core.setOutput('previous-task-definition-arn', report.previousTaskDefinitionArn);
    core.setOutput('deployment-id', report.deploymentId);
    core.setOutput('result', report.result);
    core.setOutput('failure-reason', clean(report.failureReason));
    core.setOutput('elapsed-seconds', String(Math.round(report.elapsedMs / 1000)));
    if (report.cancelled) {
      actionsLogger.info(`state when cancelled: ${report.lastState || 'unknown'}`);
      actionsLogger.info(`to roll back by hand: ${report.rollbackCommand}`);
    }
    actionsLogger.info(`${callLog.calls.length} AWS API calls`);
    await writeSummary(clean(renderSummary(report, region)));
    if (report.result !== 'succeeded')
      failStep(`deployment ${report.result}: ${clean(report.failureReason)}`);
  } finally {
    cancellation.dispose();
    apis.close?.();
  }
}
