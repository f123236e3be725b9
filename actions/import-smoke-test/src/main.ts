// Reads the inputs, starts the interpreters (on the runner or in the image), runs the smoke test, then writes the
// outputs, the report file and the job summary. The step fails when any import failed.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import {
  ConfigurationError,
  actionsLogger,
  confinePath,
  maskSecret,
  secretMasksOf,
  shorten,
  writeSummary,
} from '@hokusai/action-kit';
import { getInputs, type Inputs } from './inputs.js';
import { parseHarnessOutput, type HarnessResult } from './harness-result.js';
import { dockerLauncher, hostLauncher, type Launcher } from './launchers.js';
import { buildReport, summaryMarkdown, type RunContext } from './report.js';
import { redact, runSmokeTest } from './smoke-test.js';
import { pathRootsFor } from './source-location.js';

/** The working directory, confined to the workspace (in an image it only maps the container's paths back). */
function workingDirectoryOf(inputs: Inputs, workspace: string): string {
  const options = { workspace, kind: inputs.image !== '' ? ('any' as const) : ('directory' as const) };
  const real = confinePath(inputs['working-directory'], 'working-directory', options);
  // Keep the workspace's own spelling (it may be reached through a symlink) for the paths people read.
  return path.join(workspace, path.relative(realpathSync(workspace), real));
}

/** The image must be present before the parallel runs start (they use --pull never); pulled once if missing. */
function ensureImage(image: string): void {
  const inspect = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
    encoding: 'utf8',
  });
  if (inspect.error) {
    throw new ConfigurationError(
      `input "image" needs the docker CLI, which could not be run: ${inspect.error.message}`,
    );
  }
  if (inspect.status === 0) return;
  actionsLogger.info(`pulling ${image} (not present locally)`);
  const pull = spawnSync('docker', ['pull', '--quiet', image], { encoding: 'utf8' });
  if (pull.status !== 0) {
    const why = (pull.stderr || inspect.stderr).trim().split('\n').pop();
    throw new ConfigurationError(`image ${shorten(image)} (input "image") is not available: ${why}`);
  }
}

/** The line of stderr that says what went wrong (docker adds a "Run 'docker run --help'" line after it). */
function lastMeaningfulLine(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^Run 'docker .*--help'/.test(line))
    .pop();
}

/** Runs the harness with nothing to import: proves the interpreter works and learns its version and cwd. */
async function probe(launcher: Launcher, inputs: Inputs): Promise<HarnessResult> {
  const outcome = await launcher.launch([], inputs.timeout);
  const { result } = parseHarnessOutput(outcome.stdout);
  if (result?.ok) return result;
  const why =
    outcome.spawnError ??
    (outcome.timedOut
      ? 'it did not start within the timeout'
      : (lastMeaningfulLine(outcome.stderr) ?? `exit code ${outcome.exitCode}`));
  // docker refuses an unknown network before the interpreter is ever started: that is the network's fault.
  if (inputs.image !== '' && /network .* not found/i.test(why)) {
    throw new ConfigurationError(
      `network ${shorten(inputs.network)} (input "network") does not exist on this Docker engine (docker network ls lists them; "none" means no network)`,
    );
  }
  throw new ConfigurationError(
    `interpreter "${inputs.python}" (input "python") could not be run ${launcher.where}: ` +
      redact(
        why,
        inputs.env.flatMap(([, value]) => secretMasksOf(value)),
      ),
  );
}

/** Where the summary links source locations to, when the runner says which commit this is. */
function sourceUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  return server && repository && sha ? `${server}/${repository}/blob/${sha}/` : undefined;
}

export async function main(): Promise<void> {
  const inputs = getInputs(process.env);
  // Every value, and every credential inside one (a database URL's password), is masked before first use.
  for (const [, value] of inputs.env) maskSecret(value);

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
  // A cancelled step must not leave interpreters or containers behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      launcher.killAll();
      process.exit(1);
    });
  }

  const probed = await probe(launcher, inputs);
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
    secrets: inputs.env.flatMap(([, value]) => secretMasksOf(value)),
    logger: actionsLogger,
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
  await writeSummary(summaryMarkdown(outcomes, context));

  if (report.failed > 0) {
    const names = outcomes.filter((o) => !o.ok).map((o) => o.import);
    throw new ConfigurationError(
      `${report.failed} of ${outcomes.length} imports failed: ${names.join('; ')}`,
    );
  }
  actionsLogger.info(`all ${outcomes.length} imports succeeded`);
}
