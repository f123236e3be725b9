// Starts one fresh interpreter running the harness: on the runner (a child process) or inside a container of the
// image (`docker run --rm`, no network by default, no mounts). Env values travel in the child's environment only.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { HARNESS_SOURCE } from './harness.js';

export interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Killed by the backstop (the harness did not end itself at the timeout). */
  timedOut: boolean;
  /** The process could not be started at all (e.g. the interpreter or docker is missing). */
  spawnError?: string;
  /**
   * Processes the import started that outlived the interpreter: `killed` when some were left in its process
   * group (they were killed), `out-of-reach` when one in another session (`start_new_session=True`, a daemon)
   * still held its output open after it exited: that one could not be killed and was left running.
   */
  leftovers?: Array<'killed' | 'out-of-reach'>;
}

export interface Launcher {
  /** Where the imports run, for logs and the summary: "on the runner" or "in image x". */
  readonly where: string;
  /** Runs the harness with `args` and a timeout; kills the interpreter (or container) if it overruns. */
  launch(args: string[], timeoutMs: number): Promise<ProcessOutcome>;
  /** Kills whatever is still running (the step was cancelled). */
  killAll(): void;
}

/**
 * Only the last this-many characters of each stream are kept (an import that prints in a loop must not exhaust
 * memory); the tail holds the harness's result line.
 */
export const MAX_OUTPUT = 4 * 1024 * 1024;

/**
 * The last `max` characters of a stream, kept as the chunks that arrived (joined once, at the end): appending is
 * O(chunk), where re-joining one string per chunk copied the whole tail each time (200 MB of module output took
 * seconds of copying).
 */
export class OutputTail {
  private readonly chunks: string[] = [];
  private length = 0;
  constructor(private readonly max = MAX_OUTPUT) {}

  append(chunk: string): void {
    if (chunk === '') return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    // Drop whole chunks from the front while what is left still covers the last `max` characters.
    while (this.chunks.length > 1 && this.length - this.chunks[0]!.length >= this.max) {
      this.length -= this.chunks.shift()!.length;
    }
  }

  /** The kept text: at most the last `max` characters. */
  text(): string {
    const joined = this.chunks.join('');
    return joined.length > this.max ? joined.slice(joined.length - this.max) : joined;
  }
}

/**
 * How long the output pipes may stay open after the interpreter exited before they are closed without waiting
 * for their end: what the interpreter wrote is already in them; only a process it left running in another session
 * can hold them open longer, and its output is not the import's.
 */
const PIPE_GRACE_MS = 1000;

interface SpawnPlan {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** How to stop it on timeout besides killing the process group. */
  onTimeout?: () => void;
}

/** Sends `signal` to every process of group `pgid`; false when the group has no process left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function spawnCollect(plan: SpawnPlan, timeoutMs: number, running: Set<() => void>): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    // detached: the interpreter leads its own process group, so a timeout also kills what the import started.
    const child = spawn(plan.command, plan.args, {
      cwd: plan.cwd,
      env: plan.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout = new OutputTail();
    const stderr = new OutputTail();
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.append(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.append(chunk));
    const kill = () => {
      plan.onTimeout?.();
      if (child.pid === undefined || !signalGroup(child.pid, 'SIGKILL')) child.kill('SIGKILL');
    };
    running.add(kill);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    let spawnError: string | undefined;
    const leftovers: NonNullable<ProcessOutcome['leftovers']> = [];
    let settled = false;
    let exited: { exitCode: number | null; signal: string | null } | undefined;
    let grace: NodeJS.Timeout | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      running.delete(kill);
      const { exitCode, signal } = exited ?? { exitCode: child.exitCode, signal: child.signalCode };
      resolve({
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        ...(spawnError !== undefined ? { spawnError } : {}),
        ...(leftovers.length > 0 ? { leftovers } : {}),
      });
    };
    child.on('error', (error) => {
      spawnError = error.message;
      // A process that never started emits no 'exit'.
      if (child.pid === undefined) finish();
    });
    // 'exit' is the interpreter's end; 'close' also waits for every other holder of its stdout/stderr pipes,
    // which a process the import left running may keep open for ever.
    child.on('exit', (exitCode, signal) => {
      exited = { exitCode, signal };
      clearTimeout(timer);
      // What the import started in the interpreter's process group goes with it.
      if (child.pid !== undefined && signalGroup(child.pid, 0)) {
        signalGroup(child.pid, 'SIGKILL');
        if (!timedOut) leftovers.push('killed');
      }
      grace = setTimeout(() => {
        // Still open: held by a process in another session, out of the group kill's reach.
        leftovers.push('out-of-reach');
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, PIPE_GRACE_MS);
    });
    child.on('close', finish);
  });
}

/**
 * The harness ends itself at the timeout (counted from the interpreter's start, so a container's start-up is not
 * charged to the import) after printing where it was stuck. The kill is the backstop for an interpreter that
 * never got that far; a container gets more slack because starting it can take seconds on a busy runner.
 */
export function backstopMs(timeoutMs: number, inContainer: boolean): number {
  return timeoutMs + (inContainer ? 15_000 : 3_000);
}

function harnessTimeoutArgument(timeoutMs: number): string {
  return String(timeoutMs / 1000);
}

/**
 * The runner's own credentials and files, never handed to imported code: the runtime and OIDC tokens could
 * upload artifacts, write the cache or mint cloud credentials as this job, and the file-command files let a module
 * rewrite the job summary, set outputs, variables or PATH for later steps. Names as the runner sets them
 * (actions/runner src/Runner.Worker: ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN/URL, ACTIONS_CACHE_URL,
 * ACTIONS_RESULTS_URL, GITHUB_OUTPUT/ENV/STEP_SUMMARY/STATE/PATH) plus GITHUB_TOKEN when a workflow sets it.
 */
export const RUNNER_ONLY_VARIABLES: readonly string[] = [
  'GITHUB_TOKEN',
  'GITHUB_OUTPUT',
  'GITHUB_ENV',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_STATE',
  'GITHUB_PATH',
];

/**
 * Whether the runner variable `name` stays out of the interpreter's (and the docker CLI's) environment: the
 * action's inputs (INPUT_*: they hold the `env` values once more), every ACTIONS_* variable (the runtime, OIDC,
 * cache and results tokens and URLs) and RUNNER_ONLY_VARIABLES. A value given in the `env` input is still set.
 */
export function isWithheldVariable(name: string): boolean {
  return name.startsWith('INPUT_') || name.startsWith('ACTIONS_') || RUNNER_ONLY_VARIABLES.includes(name);
}

/** The runner's environment without what isWithheldVariable() withholds. */
export function childEnvironment(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) if (!isWithheldVariable(name)) env[name] = value;
  return env;
}

export interface HostLauncherOptions {
  python: string;
  /** Absolute. */
  workingDirectory: string;
  /** Absolute entries prepended to PYTHONPATH. */
  pythonpath: string[];
  env: ReadonlyArray<[string, string]>;
  parentEnv: NodeJS.ProcessEnv;
}

export function hostLauncher(options: HostLauncherOptions): Launcher {
  const running = new Set<() => void>();
  const env = childEnvironment(options.parentEnv);
  const existing = env.PYTHONPATH ? [env.PYTHONPATH] : [];
  if (options.pythonpath.length > 0)
    env.PYTHONPATH = [...options.pythonpath, ...existing].join(path.delimiter);
  env.PYTHONDONTWRITEBYTECODE = '1';
  for (const [key, value] of options.env) env[key] = value;
  return {
    where: 'on the runner',
    launch: (args, timeoutMs) =>
      spawnCollect(
        {
          command: options.python,
          args: ['-c', HARNESS_SOURCE, harnessTimeoutArgument(timeoutMs), ...args],
          env,
          cwd: options.workingDirectory,
        },
        backstopMs(timeoutMs, false),
        running,
      ),
    killAll: () => running.forEach((kill) => kill()),
  };
}

export interface DockerLauncherOptions {
  image: string;
  python: string;
  network: string;
  /** PYTHONPATH entries as the container sees them. */
  pythonpath: string[];
  env: ReadonlyArray<[string, string]>;
  parentEnv: NodeJS.ProcessEnv;
  docker?: string;
}

/** The `docker run` arguments: env by name only (values come from docker's own environment), no mounts. */
export function dockerRunArguments(
  options: Pick<DockerLauncherOptions, 'image' | 'python' | 'network' | 'pythonpath' | 'env'>,
  name: string,
  harnessArgs: string[],
): string[] {
  const args = ['run', '--rm', '--name', name, '--network', options.network, '--pull', 'never'];
  args.push('--env', 'PYTHONDONTWRITEBYTECODE=1');
  if (options.pythonpath.length > 0) args.push('--env', `PYTHONPATH=${options.pythonpath.join(':')}`);
  for (const [key] of options.env) args.push('--env', key);
  args.push('--entrypoint', options.python, options.image, '-c', HARNESS_SOURCE, ...harnessArgs);
  return args;
}

export function dockerLauncher(options: DockerLauncherOptions): Launcher {
  const running = new Set<() => void>();
  const docker = options.docker ?? 'docker';
  const env = childEnvironment(options.parentEnv);
  for (const [key, value] of options.env) env[key] = value;
  const prefix = `hokusai-import-smoke-${randomBytes(4).toString('hex')}`;
  let counter = 0;
  const remove = (name: string) => {
    // Killing the docker CLI does not stop the container; the daemon must be told.
    spawnSync(docker, ['rm', '--force', name], { stdio: 'ignore', env });
  };
  return {
    where: `in image ${options.image}`,
    launch(args, timeoutMs) {
      const name = `${prefix}-${++counter}`;
      const harnessArgs = [harnessTimeoutArgument(timeoutMs), ...args];
      return spawnCollect(
        {
          command: docker,
          args: dockerRunArguments(options, name, harnessArgs),
          env,
          onTimeout: () => remove(name),
        },
        backstopMs(timeoutMs, true),
        running,
      );
    },
    killAll: () => running.forEach((kill) => kill()),
  };
}
