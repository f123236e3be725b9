// Reads the inputs, masks every header value, probes the endpoints, then writes outputs, results and summary.
import { writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as core from '@actions/core';
import {
  actionsLogger,
  cancellationSignal,
  errorMessage,
  failStep,
  isConfigurationError,
  systemClock,
  writeSummary,
  type Logger,
} from '@hokusai/action-kit';
import { createHttpClient } from './http-client.js';
import { getInputs, probePlanOf, secretsOf, shownUrl } from './inputs.js';
import { formatRate } from './latency-stats.js';
import { probeEndpoints } from './probe.js';
import { createRedactor, type Redactor } from './redaction.js';
import { refusedSummary, renderSummary, resultsDocument } from './summary.js';

/** Every line the core logs passes through the redactor as well as the runner's masks. */
function redactingLogger(logger: Logger, redact: Redactor): Logger {
  return {
    debug: (m) => logger.debug(redact(m)),
    info: (m) => logger.info(redact(m)),
    notice: (m, p) => logger.notice(redact(m), p),
    warning: (m, p) => logger.warning(redact(m), p),
    error: (m, p) => logger.error(redact(m), p),
    startGroup: (n) => logger.startGroup(redact(n)),
    endGroup: () => logger.endGroup(),
  };
}

export async function main(): Promise<void> {
  // A cancelled step stops probing, writes what it saw, and fails in one line (exit code 1, as every action here).
  const cancellation = cancellationSignal();
  try {
    await probeStep(cancellation.signal);
  } catch (error) {
    // Nothing was probed (a bad input): say so in the summary too; `healthy` stays unset, it was not judged.
    if (isConfigurationError(error)) await writeSummary(refusedSummary(errorMessage(error)));
    throw error;
  } finally {
    cancellation.dispose();
  }
}

async function probeStep(signal: AbortSignal): Promise<void> {
  const inputs = getInputs(process.env);
  const secrets = secretsOf(inputs);
  for (const secret of secrets) core.setSecret(secret);
  const redact = createRedactor(secrets);
  const logger = redactingLogger(actionsLogger, redact);
  const plan = probePlanOf(inputs);

  const http = createHttpClient({
    insecure: inputs.insecure,
    now: () => performance.now(),
    onCrossOriginRedirect: (from, to) =>
      logger.warning(
        `redirect from ${shownUrl(from)} to another origin ${shownUrl(to)}: the configured headers were not sent there`,
      ),
  });
  if (inputs.insecure)
    logger.warning('insecure: true — TLS certificates of the probed endpoints are not verified');
  logger.info(
    `probing ${plan.endpoints.length} endpoint(s): ${plan.endpoints.map((e) => e.name).join(', ')}`,
  );
  let report;
  try {
    report = await probeEndpoints(plan, {
      http,
      now: () => performance.now(),
      sleep: (ms, abort) => systemClock.sleep(ms, abort),
      random: Math.random,
      logger,
      redact,
      signal,
    });
  } finally {
    await http.close();
  }

  const resultsPath = path.join(process.env.RUNNER_TEMP || tmpdir(), `endpoint-probe-${randomUUID()}.json`);
  await writeFile(resultsPath, redact(JSON.stringify(resultsDocument(report, plan), null, 2)) + '\n');
  core.setOutput('results', resultsPath);
  if (report.cancelled) {
    // No verdict: `healthy` stays unset, so a workflow step on `healthy == 'false'` does not read a cancel as one.
    await writeSummary(redact(renderSummary(report, plan, redact)));
    failStep(
      `cancelled (${String(signal.reason)}) after ${Math.round(report.durationMs / 1000)}s of probing: no verdict; what was seen is in the job summary and the results file`,
    );
    return;
  }
  core.setOutput('healthy', String(report.healthy));
  core.setOutput('p50-ms', report.overall.p50 === null ? '' : String(Math.round(report.overall.p50)));
  core.setOutput('p95-ms', report.overall.p95 === null ? '' : String(Math.round(report.overall.p95)));
  core.setOutput('error-rate', String(Number(report.overall.errorRate.toFixed(4))));
  await writeSummary(redact(renderSummary(report, plan, redact)));

  for (const endpoint of report.endpoints) {
    if (endpoint.healthy) logger.info(`✅ ${endpoint.name}: ${endpoint.verdict}`);
    else logger.error(`${endpoint.name}: ${endpoint.verdict}`, { title: 'endpoint-probe' });
  }
  const overall = `p50 ${Math.round(report.overall.p50 ?? 0)}ms, p95 ${Math.round(report.overall.p95 ?? 0)}ms, error rate ${formatRate(report.overall.errorRate)}`;
  if (!report.healthy) {
    const bad = report.endpoints.filter((e) => !e.healthy).map((e) => e.name);
    failStep(redact(`unhealthy: ${bad.join(', ')} (${overall}); see the job summary`));
    return;
  }
  logger.info(`all ${report.endpoints.length} endpoint(s) healthy (${overall})`);
}
