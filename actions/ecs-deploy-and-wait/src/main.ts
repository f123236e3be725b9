// Reads the inputs, runs the deploy against AWS, writes outputs and the job summary; cancels cleanly on SIGINT/SIGTERM.
// Every end sets `result` and writes a summary — a refusal, an error or a cancel before any change too.
import * as core from '@actions/core';
import {
  actionClock,
  actionsLogger,
  cancellationSignal,
  ConfigurationError,
  credentialsIn,
  errorMessage,
  failStep,
  isConfigurationError,
  redactSecrets,
  writeSummary,
  type Environment,
} from '@hokusai/action-kit';
import { resolveRegion } from '@hokusai/aws-kit';
import {
  ApiCallLog,
  CANCEL_GRACE_MS,
  createAwsApis,
  DEFAULT_RETRY_POLICY,
  graceAfter,
  taskDefinitionName,
} from '@hokusai/ecs-kit';
import { CancelledBeforeChangeError, endedByCancellation } from './before-change.js';
import { deployAndWait, stepOfError, type DeployReport } from './deploy.js';
import { getInputs, type Inputs } from './inputs.js';
import { renderEarlySummary, renderSummary, type EarlyEnd } from './summary.js';

function setOutputs(report: DeployReport, clean: (text: string) => string): void {
  core.setOutput('task-definition-arn', report.taskDefinitionArn);
  core.setOutput('previous-task-definition-arn', report.previousTaskDefinitionArn);
  core.setOutput('deployment-id', report.deploymentId);
  core.setOutput('result', report.result);
  core.setOutput('failure-reason', clean(report.failureReason));
  core.setOutput('elapsed-seconds', String(Math.round(report.elapsedMs / 1000)));
}

/**
 * The region from the environment: this action has no region input; aws-actions/configure-aws-credentials sets
 * AWS_REGION (from its own `aws-region` input).
 */
export function regionFromEnvironment(env: Environment): string {
  if (!env.AWS_REGION?.trim() && !env.AWS_DEFAULT_REGION?.trim())
    throw new ConfigurationError(
      'no AWS region: set AWS_REGION (the aws-actions/configure-aws-credentials step sets it from its aws-region input; run it before this step)',
    );
  return resolveRegion('', env);
}

export async function main(): Promise<void> {
  const cancellation = cancellationSignal((signal) =>
    actionsLogger.info(
      `received ${signal}: stopping; AWS calls get ${CANCEL_GRACE_MS / 1000} s more for the report`,
    ),
  );
  try {
    await deploy(cancellation.signal);
  } finally {
    // Only now: a SIGTERM during the report must not kill it (the runner sends one 7.5 s after SIGINT).
    cancellation.dispose();
  }
}

/** Ends before the UpdateService: `result`, one log line, a short summary; the caller rethrows the error. */
async function endEarly(end: EarlyEnd, clean: (text: string) => string = (t) => t): Promise<void> {
  core.setOutput('result', end.result);
  actionsLogger.info(`ended by the ${end.step} step: ${end.result}; service: ${clean(end.serviceNow)}`);
  await writeSummary(clean(renderEarlySummary({ ...end, why: clean(end.why) })));
}

async function deploy(cancelled: AbortSignal): Promise<void> {
  let inputs: Inputs;
  let region: string;
  try {
    inputs = getInputs(process.env);
    region = regionFromEnvironment(process.env);
  } catch (error) {
    await endEarly({
      result: 'refused',
      step: 'plan',
      why: errorMessage(error),
      serviceNow: 'unchanged: nothing was changed',
    });
    throw error;
  }
  // Environment values are stored in the task definition in plain text, so they are not masked whole; passwords
  // inside them (a database URL's, a token= pair) are.
  const credentials = inputs.environment.flatMap(([, value]) => credentialsIn(value));
  for (const credential of credentials) core.setSecret(credential);
  // The runner masks only the log: outputs and the summary quote container logs, which may print them.
  const clean = (text: string) => redactSecrets(text, credentials);
  const clock = actionClock();
  const callLog = new ApiCallLog(clock);
  const apis = createAwsApis({
    region,
    env: process.env,
    clock,
    // The steps stop on the cancel itself; their AWS calls may still run for the runner's grace time after it.
    signal: graceAfter(cancelled),
    onCall: (operation, attempt) => callLog.record(operation, attempt),
    // Outside text (crash logs, stopped reasons, events) is redacted as it is read, before it is cut to one line.
    ...(credentials.length > 0 ? { redact: clean } : {}),
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
      signal: cancelled,
    });
  } catch (error) {
    // Before any change: a refusal, AWS failing throughout, or a cancel.
    const step = stepOfError(error);
    const where = { cluster: inputs.cluster, service: inputs.service, step };
    if (
      error instanceof CancelledBeforeChangeError ||
      (endedByCancellation(error, cancelled) && !isConfigurationError(error))
    ) {
      const registered = error instanceof CancelledBeforeChangeError ? error.registered : undefined;
      const why =
        error instanceof CancelledBeforeChangeError
          ? error.message
          : `cancelled during the ${step} step: nothing was changed`;
      await endEarly(
        {
          ...where,
          result: 'cancelled',
          why,
          serviceNow: registered
            ? `unchanged; ${taskDefinitionName(registered)} was registered and is unused`
            : 'unchanged: nothing was changed',
        },
        clean,
      );
      throw new Error(why, { cause: error });
    }
    if (isConfigurationError(error)) {
      await endEarly(
        {
          ...where,
          result: 'refused',
          why: errorMessage(error),
          serviceNow: 'unchanged: nothing was changed',
        },
        clean,
      );
      throw error;
    }
    const why = `${step} step: ${errorMessage(error)}`;
    await endEarly({ ...where, result: 'failed', why, serviceNow: 'unchanged: nothing was changed' }, clean);
    throw new Error(why, { cause: error });
  } finally {
    apis.close?.();
  }
  setOutputs(report, clean);
  actionsLogger.info(
    `ended by the ${report.endedBy} step: ${report.result}; service: ${clean(report.serviceState)}`,
  );
  // The plan's notes were logged when it made them; these are the end's.
  for (const warning of report.warnings) actionsLogger.warning(clean(warning));
  if (report.nextStep) actionsLogger.info(`${report.nextStep.text}: ${report.nextStep.command}`);
  actionsLogger.info(`${callLog.calls.length} AWS API calls`);
  await writeSummary(clean(renderSummary(report, region)));
  if (report.result === 'started')
    actionsLogger.notice(
      `not waited (wait: false): ${report.service} was updated to ${taskDefinitionName(report.taskDefinitionArn)}; nothing was verified`,
      { title: 'ecs-deploy-and-wait: started' },
    );
  else if (report.result !== 'succeeded')
    failStep(`deployment ${report.result} (${report.endedBy} step): ${clean(report.failureReason)}`);
}
