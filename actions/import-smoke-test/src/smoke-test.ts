// Runs every import in its own fresh interpreter, a few at a time, and turns each process's output into a
// verdict; logs in input order (a line per success, the traceback in a group and an annotation per failure).
import { formatDuration, type Logger } from '@hokusai/action-kit';
import { harnessArguments, type ImportSpec } from './import-spec.js';
import {
  hasTimeoutDump,
  parseHarnessOutput,
  parseStackDump,
  withoutStackDump,
  type HarnessResult,
} from './harness-result.js';
import type { Launcher, ProcessOutcome } from './launchers.js';
import {
  annotationLocation,
  deepestWorkspaceFrame,
  type PathRoot,
  type SourceLocation,
} from './source-location.js';

export interface ImportFailure {
  /** The exception class, or `Timeout` / `InterpreterExit` when the interpreter gave no result. */
  type: string;
  message: string;
  traceback: string;
  location?: SourceLocation;
  /** The missing module of a ModuleNotFoundError. */
  module?: string;
}

export interface ImportOutcome {
  import: string;
  ok: boolean;
  /** The import's own time inside the interpreter (start-up excluded); the timeout when it timed out. */
  seconds: number;
  timedOut: boolean;
  /** Took more than half the timeout. */
  slow: boolean;
  error?: ImportFailure;
  /** What the app printed while importing (stdout and stderr). */
  output: string;
  /** The step was cancelled before this import finished (it was killed, or never started). */
  cancelled?: true;
  /** Processes the import left running after its interpreter ended (see ProcessOutcome.leftovers). */
  leftovers?: NonNullable<ProcessOutcome['leftovers']>;
}

/** Replaces every secret with *** (the report file and the job summary are not masked by the runner). */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].filter((s) => s !== '').sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('***');
  }
  return result;
}

/** Turns one interpreter's process outcome into a verdict (pure). */
export function judgeOutcome(
  spec: ImportSpec,
  outcome: ProcessOutcome,
  options: { timeoutMs: number; roots: readonly PathRoot[]; secrets: readonly string[] },
): ImportOutcome {
  const { result, appOutput } = parseHarnessOutput(outcome.stdout);
  const clean = (text: string) => redact(text, options.secrets);
  const stderr = withoutStackDump(outcome.stderr).trim();
  const output = clean([appOutput, stderr].filter((t) => t !== '').join('\n'));
  const base = {
    import: spec.text,
    timedOut: false,
    slow: false,
    output,
    ...(outcome.leftovers ? { leftovers: outcome.leftovers } : {}),
  };
  if (result) return fromResult(result, base, options, clean);
  if (outcome.timedOut || hasTimeoutDump(outcome.stderr)) {
    const frames = parseStackDump(outcome.stderr);
    const location = deepestWorkspaceFrame(frames, options.roots);
    // The harness's and the import system's frames say nothing about where the app was stuck.
    const shown = frames.filter((f) => !f.file.startsWith('<'));
    const traceback = shown.length
      ? 'Where the import was stuck at the timeout (most recent call last):\n' +
        shown.map((f) => `  File "${f.file}", line ${f.line}, in ${f.function}`).join('\n')
      : '';
    return {
      ...base,
      ok: false,
      timedOut: true,
      seconds: options.timeoutMs / 1000,
      error: {
        type: 'Timeout',
        message: clean(
          `the import did not finish within the ${formatDuration(options.timeoutMs)} timeout and was killed`,
        ),
        traceback: clean(traceback),
        location,
      },
    };
  }
  const how = outcome.spawnError
    ? `could not be started: ${outcome.spawnError}`
    : outcome.signal
      ? `was killed by ${outcome.signal} before the import finished`
      : `exited with code ${outcome.exitCode} before the import finished`;
  // faulthandler (enabled by the harness) prints the stack of a fatal crash, e.g. a segfault in a C extension.
  const location = deepestWorkspaceFrame(parseStackDump(outcome.stderr), options.roots);
  const lastLines = outcome.stderr.trim().split('\n').slice(-40).join('\n');
  const error: ImportFailure = {
    type: 'InterpreterExit',
    message: clean(`the interpreter ${how}`),
    traceback: clean(lastLines),
  };
  if (location) error.location = location;
  return { ...base, ok: false, seconds: 0, error };
}

function fromResult(
  result: HarnessResult,
  base: Pick<ImportOutcome, 'import' | 'output' | 'timedOut' | 'slow' | 'leftovers'>,
  options: { timeoutMs: number; roots: readonly PathRoot[] },
  clean: (text: string) => string,
): ImportOutcome {
  const seconds = result.seconds;
  const slow = seconds * 1000 > options.timeoutMs / 2;
  if (result.ok || !result.error) return { ...base, ok: true, seconds, slow };
  const error = result.error;
  const failure: ImportFailure = {
    type: error.type,
    message: clean(error.message),
    traceback: clean(error.traceback),
  };
  const location = annotationLocation(error, options.roots);
  if (location) failure.location = location;
  if (error.module) failure.module = error.module;
  return { ...base, ok: false, seconds, slow, error: failure };
}

/** The one-line description of a failure used in the log and the annotation. */
export function failureLine(outcome: ImportOutcome): string {
  const error = outcome.error;
  if (!error) return '';
  const where = error.location ? ` (${error.location.file}:${error.location.line})` : '';
  const message = error.message === '' ? '' : `: ${error.message}`;
  const hint =
    error.type === 'ModuleNotFoundError' && error.module
      ? ` — is "${error.module}" installed for this interpreter?`
      : '';
  return `${error.type}${message}${where}${hint}`;
}

/** Runs `tasks` with at most `limit` in flight; results in input order. */
export function boundedMap<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R>[] {
  const results: Promise<R>[] = [];
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = () =>
    new Promise<void>((resolve) => {
      if (active < limit) {
        active++;
        resolve();
      } else waiting.push(resolve);
    });
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  for (const item of items) {
    results.push(
      acquire().then(async () => {
        try {
          return await task(item);
        } finally {
          release();
        }
      }),
    );
  }
  return results;
}

export interface SmokeTestOptions {
  specs: readonly ImportSpec[];
  launcher: Launcher;
  timeoutMs: number;
  concurrency: number;
  roots: readonly PathRoot[];
  secrets: readonly string[];
  logger: Logger;
  /** The step's cancellation: no import starts after it; one it killed is reported as cancelled, not failed. */
  signal?: AbortSignal;
}

/** An import the cancellation stopped (killed, or never started). */
export function cancelledOutcome(spec: ImportSpec): ImportOutcome {
  return {
    import: spec.text,
    ok: false,
    cancelled: true,
    seconds: 0,
    timedOut: false,
    slow: false,
    output: '',
    error: { type: 'Cancelled', message: 'the step was cancelled before the import finished', traceback: '' },
  };
}

export async function runSmokeTest(options: SmokeTestOptions): Promise<ImportOutcome[]> {
  const { logger, timeoutMs, signal } = options;
  const pending = boundedMap(options.specs, Math.max(1, options.concurrency), async (spec) => {
    if (signal?.aborted) return cancelledOutcome(spec);
    const outcome = await options.launcher.launch(harnessArguments(spec.steps), timeoutMs);
    // Killed by the cancellation: not a verdict on the import (one that finished first keeps its result).
    if (signal?.aborted && !parseHarnessOutput(outcome.stdout).result) return cancelledOutcome(spec);
    return judgeOutcome(spec, outcome, options);
  });
  const outcomes: ImportOutcome[] = [];
  // Awaited in input order so the log reads the same on every run, whatever finished first.
  for (const promise of pending) {
    const outcome = await promise;
    outcomes.push(outcome);
    logOutcome(outcome, timeoutMs, logger);
  }
  return outcomes;
}

/** The end of a long output, for the log (the interesting part of a crash is at the end). */
export function tailOf(text: string, max = 20_000): string {
  if (text.length <= max) return text;
  return `[${text.length - max} earlier characters not shown]\n${text.slice(text.length - max)}`;
}

/** One warning line per kind of process the import left running, or none. */
export function leftoverWarnings(outcome: Pick<ImportOutcome, 'import' | 'leftovers'>): string[] {
  const lines: string[] = [];
  if (outcome.leftovers?.includes('killed'))
    lines.push(
      `${outcome.import} left processes running in its interpreter's process group when the interpreter ended; they were killed`,
    );
  if (outcome.leftovers?.includes('out-of-reach'))
    lines.push(
      `${outcome.import} started a process in another session (start_new_session=True, a daemon) that outlived the interpreter; it could not be killed and is still running on the runner`,
    );
  return lines;
}

function logOutcome(outcome: ImportOutcome, timeoutMs: number, logger: Logger): void {
  if (outcome.cancelled) {
    logger.info(`⏹ cancelled: ${outcome.import}`);
    return;
  }
  for (const line of leftoverWarnings(outcome))
    logger.warning(line, { title: 'import-smoke-test: process left running' });
  const took = formatDuration(outcome.seconds * 1000);
  if (outcome.ok) {
    logger.info(`✓ imported: ${outcome.import} (${took})`);
    if (outcome.output !== '') logger.debug(`output of ${outcome.import}:\n${tailOf(outcome.output)}`);
    if (outcome.slow) {
      logger.warning(
        `slow import: ${outcome.import} took ${took}, more than half the ${formatDuration(timeoutMs)} timeout`,
        { title: 'import-smoke-test: slow import' },
      );
    }
    return;
  }
  const error = outcome.error!;
  const line = failureLine(outcome);
  logger.info(`✗ failed: ${outcome.import} — ${line}`);
  logger.startGroup(`Traceback: ${outcome.import}`);
  if (error.traceback !== '') logger.info(error.traceback.replace(/\n$/, ''));
  if (outcome.output !== '') logger.info(`--- output of the interpreter ---\n${tailOf(outcome.output)}`);
  logger.endGroup();
  const title = outcome.timedOut ? 'import-smoke-test: import timed out' : `import-smoke-test: ${error.type}`;
  logger.error(`${outcome.import} failed — ${line}`, { title, ...(error.location ?? {}) });
}
