// Reads the inputs, runs the deploy against AWS, writes outputs and the job summary; cancels cleanly on SIGINT/SIGTERM.
import * as core from '@actions/core';
import { actionClock, actionsLogger, cancellationSignal, writeSummary } from '@hokusai/action-kit';
import { resolveRegion } from '@hokusai/aws-kit';
import { ApiCallLog, createAwsApis, DEFAULT_RETRY_POLICY } from '@hokusai/ecs-kit';
import { deployAndWait } from './deploy.js';
import { getInputs } from './inputs.js';
import { renderSummary } from './summary.js';

export async function main(): Promise<void> {
  const inputs = getInputs(process.env);
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
        core.debug(`AWS said ${(error as Error).name || 'error'}; retry ${attempt} in ${delay}ms`),
    },
  });
  const cancellation = cancellationSignal((signal) => core.info(`received ${signal}: stopping the watch`));
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
    core.setOutput('failure-reason', report.failureReason);
    core.setOutput('elapsed-seconds', String(Math.round(report.elapsedMs / 1000)));
    if (report.cancelled) {
      core.info(`state when cancelled: ${report.lastState || 'unknown'}`);
      core.info(`to roll back by hand: ${report.rollbackCommand}`);
    }
    core.info(`${callLog.calls.length} AWS API calls`);
    await writeSummary(renderSummary(report, region));
    if (report.result !== 'succeeded') core.setFailed(`deployment ${report.result}: ${report.failureReason}`);
  } finally {
    cancellation.dispose();
    apis.close?.();
  }
}
