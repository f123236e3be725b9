// Reads the inputs, finds the files, compiles them with the chosen interpreter, then reports: one annotation per
// broken file, the outputs, the JSON report and the job summary.
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { ConfigurationError, actionsLogger, failStep, writeSummary, type Logger } from '@hokusai/action-kit';
import { compileFiles } from './compile-pool.js';
import { discoverFiles, type Discovery } from './file-discovery.js';
import { openGitRepository } from './git-repository.js';
import { getInputs, type Inputs } from './inputs.js';
import { mypyResult, mypySummary } from './mypy-report.js';
import { typeCheck } from './type-check.js';
import { probeInterpreter } from './interpreter.js';
import {
  annotationFor,
  emptySummaryMarkdown,
  logLine,
  reportEntry,
  safeName,
  summaryMarkdown,
} from './syntax-report.js';

async function findFiles(inputs: Inputs, workspace: string, logger: Logger): Promise<Discovery> {
  const needGit = inputs['respect-gitignore'] || inputs['changed-since'] !== undefined;
  const probe = needGit ? await openGitRepository(workspace) : null;
  if (probe && probe.repository === null) {
    // A repository git refuses to read (owned by another user in a container job) deserves a word: the user
    // expects .gitignore to apply. A workspace that simply is not a repository does not.
    if (inputs['changed-since'] !== undefined || /dubious ownership/.test(probe.reason)) {
      logger.warning(`git: ${probe.reason}; .gitignore is not applied`);
    } else {
      logger.debug(`.gitignore not applied: ${probe.reason}`);
    }
  }
  return discoverFiles({
    workspace,
    paths: inputs.paths,
    exclude: inputs.exclude,
    git: probe?.repository ?? null,
    respectGitignore: inputs['respect-gitignore'],
    changedSince: inputs['changed-since'],
    logger,
  });
}

export async function main(): Promise<void> {
  const logger = actionsLogger;
  const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const inputs = getInputs(process.env, workspace);
  const started = Date.now();

  // Asking the interpreter for its version and walking the tree are independent: do both at once.
  const [probed, discovered] = await Promise.allSettled([
    probeInterpreter(inputs.python),
    findFiles(inputs, workspace, logger),
  ]);
  // A missing interpreter is reported first: it is the mistake to fix first.
  if (probed.status === 'rejected') throw probed.reason;
  if (discovered.status === 'rejected') throw discovered.reason;
  const interpreter = probed.value;
  const discovery = discovered.value;
  logger.info(
    `Compiling with ${interpreter.implementation} ${interpreter.version} (${interpreter.executable})`,
  );
  for (const glob of discovery.unmatchedGlobs)
    logger.warning(`input "paths": "${glob}" matched no Python file`);
  for (const skip of discovery.skipped) logger.warning(`skipped ${skip.path}: ${skip.reason}`);
  if (discovery.shebangScripts.length > 0) {
    logger.info(
      `${discovery.shebangScripts.length} script(s) without .py found by their Python shebang: ${discovery.shebangScripts.map(safeName).join(', ')}`,
    );
  }
  if (discovery.gitIgnored > 0)
    logger.info(`${discovery.gitIgnored} paths left out because .gitignore ignores them`);
  // A gate that checked nothing must not pass green: no Python file at all under `paths` is a failure unless
  // allow-empty says it is expected. (With changed-since, files that matched but did not change are fine.)
  const matched = discovery.files.length + discovery.unchanged;
  if (matched === 0) {
    const nothing = `no Python file matched input "paths" (${inputs.paths.join(' ')})`;
    if (!inputs['allow-empty']) {
      core.setOutput('files-checked', 0);
      core.setOutput('error-count', 0);
      await writeSummary(emptySummaryMarkdown(nothing));
      throw new ConfigurationError(
        `${nothing}: nothing was checked; fix "paths", or set allow-empty: true if that is expected`,
      );
    }
    logger.warning(`${nothing}: nothing to check (allow-empty is true)`);
  } else if (discovery.files.length === 0) {
    logger.notice(`no Python file changed since ${inputs['changed-since']}: nothing to check`);
  }

  const result = await compileFiles(discovery.files, {
    python: inputs.python,
    cwd: workspace,
    workers: availableParallelism(),
  });

  for (const failure of result.failures) {
    const { message, properties } = annotationFor(failure);
    logger.info(logLine(failure));
    logger.error(message, properties);
  }

  const reportDir = await mkdtemp(path.join(process.env.RUNNER_TEMP || tmpdir(), 'python-syntax-check-'));
  const mypy = await typeCheck(inputs, {
    workspace,
    interpreterExecutable: interpreter.executable,
    files: discovery.files.map((f) => f.path),
    syntaxErrors: result.failures.length,
    cacheDir: path.join(reportDir, 'mypy-cache'),
    logger,
  });
  const reportPath = path.join(reportDir, 'report.json');
  await writeFile(reportPath, JSON.stringify(result.failures.map(reportEntry), null, 2) + '\n');

  core.setOutput('files-checked', result.checked);
  core.setOutput('error-count', result.failures.length);
  core.setOutput('report', reportPath);
  core.setOutput('mypy', mypyResult(mypy.outcome, mypy.plan));
  core.setOutput('mypy-errors', mypy.outcome?.kind === 'failed' ? mypy.outcome.errors.length : 0);
  await writeSummary(
    summaryMarkdown({
      pythonVersion: interpreter.version,
      pythonExecutable: interpreter.executable,
      checked: result.checked,
      failures: result.failures,
      skipped: discovery.skipped,
      durationMs: Date.now() - started,
      changedSince: inputs['changed-since'],
      shebangScripts: discovery.shebangScripts,
    }) + (mypy.inSummary ? `\n${mypySummary(mypy.plan, mypy.outcome)}` : ''),
  );

  const problems: string[] = [];
  if (result.failures.length > 0) {
    problems.push(
      `${result.failures.length} of ${result.checked} Python files failed to compile with Python ${interpreter.version}`,
    );
  } else {
    logger.info(
      `${result.checked} Python files compiled with Python ${interpreter.version}: no syntax errors`,
    );
  }
  if (mypy.outcome?.kind === 'failed')
    problems.push(`mypy found ${mypy.outcome.errors.length} type error(s)`);
  if (mypy.outcome?.kind === 'crashed')
    problems.push(`mypy stopped without checking: ${mypy.outcome.detail}`);
  if (mypy.outcome?.kind === 'not-installed' && inputs.mypy === 'true') {
    problems.push(`input "mypy" is true but mypy is not installed for ${inputs.python}: pip install mypy`);
  }
  if (problems.length === 0) return;
  if (inputs['fail-on-error']) failStep(problems.join('; '));
  else logger.warning(`${problems.join('; ')} (fail-on-error is false, so the step passes)`);
}
