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
const MAX_OUTPUT = 4 * 1024 * 1024;

interface SpawnPlan {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** How to stop it on timeout besides killing the process group. */
  onTimeout?: () => void;
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
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const append = (current: string, chunk: string) => {
      const joined = current + chunk;
      return joined.length > MAX_OUTPUT ? joined.slice(joined.length - MAX_OUTPUT) : joined;
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = append(stdout, chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = append(stderr, chunk)));
    const kill = () => {
      plan.onTimeout?.();
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    running.add(kill);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    let spawnError: string | undefined;
    child.on('error', (error) => (spawnError = error.message));
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      running.delete(kill);
      resolve({ exitCode, signal, stdout, stderr, timedOut, spawnError });
    });
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

/** Variables never passed to the app: the action's own inputs (they hold the `env` values once more). */
function baseEnvironment(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) if (!name.startsWith('INPUT_')) env[name] = value;
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
  const env = baseEnvironment(options.parentEnv);
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
  const env = baseEnvironment(options.parentEnv);
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
