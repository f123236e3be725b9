// Reads the inputs, starts the interpreters (on the runner or in the image), runs the smoke test, then writes the
// outputs, the report file and the job summary. The step fails when any import failed.
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import {
  ConfigurationError,
  actionsLogger,
  cancellationSignal,
  confinePath,
  writeSummary,
} from '@hokusai/action-kit';
import { envMasks } from './env-masks.js';
import type { HarnessResult } from './harness-result.js';
import { getInputs, type Inputs } from './inputs.js';
import { dockerLauncher, hostLauncher, type Launcher } from './launchers.js';
import { ensureImage, probe } from './prerequisites.js';
import { buildReport, cancelledSummaryMarkdown, summaryMarkdown, type RunContext } from './report.js';
import { runSmokeTest } from './smoke-test.js';
import { pathRootsFor } from './source-location.js';

/** The working directory, confined to the workspace (in an image it only maps the container's paths back). */
function workingDirectoryOf(inputs: Inputs, workspace: string): string {
  const options = { workspace, kind: inputs.image !== '' ? ('any' as const) : ('directory' as const) };
  const real = confinePath(inputs['working-directory'], 'working-directory', options);
  // Keep the workspace's own spelling (it may be reached through a symlink) for the paths people read.
  return path.join(workspace, path.relative(realpathSync(workspace), real));
}

/** Where the summary links source locations to, when the runner says which commit this is. */
function sourceUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  return server && repository && sha ? `${server}/${repository}/blob/${sha}/` : undefined;
}

/** Thrown when the runner cancelled the step; main() reports it in one line and fails the step. */
class Cancelled extends ConfigurationError {}

export async function main(): Promise<void> {
  // A cancelled step must not leave interpreters or containers behind; it ends in one line, exit code 1.
  let launcher: Launcher | undefined;
  const cancellation = cancellationSignal(() => launcher?.killAll());
  try {
    await smokeTest(cancellation.signal, (started) => (launcher = started));
  } finally {
    cancellation.dispose();
  }
}

async function smokeTest(signal: AbortSignal, started: (launcher: Launcher) => void): Promise<void> {
  const inputs = getInputs(process.env);
  // Every value, and every credential inside one (a database URL's password), is masked before first use; values
  // that cannot be secrets (DEBUG=1) are not, or every later "1" of the job would read "***".
  const masks = envMasks(inputs.env);
  for (const mask of masks.masks) core.setSecret(mask);
  if (masks.unmasked.length > 0) {
    actionsLogger.warning(
      `env: the values of ${masks.unmasked.join(', ')} are not masked — too short, or a boolean or number, to be a secret (masking them would hide those characters in every later log line)`,
    );
  }
  const secrets = masks.masks;

  const workspace = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const workingDirectory = workingDirectoryOf(inputs, workspace);
  const inImage = inputs.image !== '';
  let launcher: Launcher;
  if (inImage) {
    ensureImage(inputs.image);
    launcher = dockerLauncher({
      image: inputs.image,
      python: inputs.python,
      network: inputs.network,
      pythonpath: inputs.pythonpath,
      env: inputs.env,
      parentEnv: process.env,
    });
  } else {
    launcher = hostLauncher({
      python: inputs.python,
      workingDirectory,
      pythonpath: inputs.pythonpath.map((entry) => path.resolve(workingDirectory, entry)),
      env: inputs.env,
      parentEnv: process.env,
    });
  }
  started(launcher);
  const cancelled = (what: string) =>
    new Cancelled(`cancelled (${String(signal.reason)}): ${what}; every interpreter it started was killed`);
  if (signal.aborted) throw cancelled('before any import ran');

  let probed: HarnessResult;
  try {
    probed = await probe(launcher, inputs, secrets);
  } catch (error) {
    if (signal.aborted) throw cancelled('while the interpreter was being checked, before any import ran');
    throw error;
  }
  const context: RunContext = {
    python: inputs.python,
    pythonVersion: probed.python,
    image: inImage ? inputs.image : undefined,
    network: inImage ? inputs.network : undefined,
    workingDirectory: inputs['working-directory'],
    timeoutMs: inputs.timeout,
    sourceUrl: sourceUrl(process.env),
  };
  actionsLogger.info(
    `importing ${inputs.imports.length} module reference(s) with Python ${probed.python} ${launcher.where}` +
      (inImage ? ` (working directory ${probed.cwd}, network ${inputs.network})` : ''),
  );

  const outcomes = await runSmokeTest({
    specs: inputs.imports,
    launcher,
    timeoutMs: inputs.timeout,
    concurrency: Math.min(inputs.imports.length, Math.max(2, os.availableParallelism())),
    roots: pathRootsFor({
      workspace,
      realWorkspace: realpathSync(workspace),
      workingDirectory,
      interpreterCwd: probed.cwd,
      inImage,
    }),
    secrets,
    logger: actionsLogger,
    signal,
  });

  const report = buildReport(outcomes, context);
  const reportPath = path.join(
    process.env.RUNNER_TEMP ?? os.tmpdir(),
    `import-smoke-test-${randomBytes(4).toString('hex')}.json`,
  );
  await writeFile(reportPath, JSON.stringify(report, null, 2) + '\n');
  core.setOutput('imported', report.imported);
  core.setOutput('failed', report.failed);
  core.setOutput('report', reportPath);
  if (signal.aborted) {
    await writeSummary(cancelledSummaryMarkdown(outcomes, context, String(signal.reason)));
    const finished = outcomes.filter((o) => !o.cancelled).length;
    throw cancelled(`${finished} of ${outcomes.length} imports had finished (${report.failed} failed)`);
  }
  await writeSummary(summaryMarkdown(outcomes, context));

  if (report.failed > 0) {
    const names = outcomes.filter((o) => !o.ok).map((o) => o.import);
    throw new ConfigurationError(
      `${report.failed} of ${outcomes.length} imports failed: ${names.join('; ')}`,
    );
  }
  actionsLogger.info(`all ${outcomes.length} imports succeeded`);
}
