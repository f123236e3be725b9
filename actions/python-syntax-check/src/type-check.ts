// The gate's second look, after the compile: mypy when the inputs and the repository ask for it, with an
// annotation at file:line for every type error.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, withGroup, type Logger } from '@hokusai/action-kit';
import type { Inputs } from './inputs.js';
import { findMypyConfig, MypyConfigError } from './mypy-config.js';
import { mypyAnnotation, planMypy, type MypyPlan } from './mypy-report.js';
import { runMypy, type MypyOutcome } from './mypy-run.js';
import { safeName } from './syntax-report.js';

/** mypy when the inputs and the repository ask for it; annotations at file:line for every type error. */
export async function typeCheck(
  inputs: Inputs,
  context: {
    workspace: string;
    interpreterExecutable: string;
    files: string[];
    syntaxErrors: number;
    cacheDir: string;
    logger: Logger;
  },
): Promise<{ plan: MypyPlan; outcome?: MypyOutcome; inSummary: boolean }> {
  const { logger } = context;
  let config;
  try {
    config = await findMypyConfig((file) =>
      readFile(path.join(context.workspace, file), 'utf8').catch(() => undefined),
    );
  } catch (error) {
    if (error instanceof MypyConfigError) throw new ConfigurationError(error.message);
    throw error;
  }
  const plan = planMypy({
    mode: inputs.mypy,
    config,
    files: context.files,
    syntaxErrors: context.syntaxErrors,
  });
  // The summary speaks of mypy only where it was asked for: configured, or input "mypy" true.
  const inSummary = inputs.mypy === 'true' || (inputs.mypy === 'auto' && config !== undefined);
  if (!plan.run) {
    logger.info(`mypy not run: ${plan.why}`);
    return { plan, inSummary };
  }
  const outcome = await withGroup(logger, `mypy (${plan.why})`, () =>
    runMypy({
      python: inputs.python,
      pythonExecutable: context.interpreterExecutable,
      cwd: context.workspace,
      targets: plan.targets,
      cacheDir: context.cacheDir,
    }),
  );
  if (outcome.kind === 'not-installed') {
    const message = `mypy is configured (${config?.file ?? 'input "mypy"'}) but not installed for ${inputs.python}: pip install mypy (or set input "mypy" to false); type checks skipped (${outcome.detail})`;
    if (inputs.mypy === 'auto') logger.warning(message);
    return { plan, outcome, inSummary };
  }
  if (outcome.kind === 'failed') {
    for (const error of outcome.errors) {
      const { message, properties } = mypyAnnotation(error);
      logger.info(
        `✗ ${safeName(`${error.file}:${error.line}${error.column ? `:${error.column}` : ''}: mypy: ${error.message}`)}`,
      );
      logger.error(message, properties);
    }
  } else if (outcome.kind === 'passed') {
    logger.info(`mypy (${outcome.version}): no type errors`);
  }
  return { plan, outcome, inSummary };
}
