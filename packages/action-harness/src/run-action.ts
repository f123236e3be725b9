// Runs a bundled action as the GitHub runner does: `node dist/index.js` with INPUT_<NAME> variables (action.yml
// defaults filled in), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV / GITHUB_STATE files, and the exit code.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  annotationsOf,
  maskLog,
  parseFileCommands,
  parseWorkflowCommands,
  type Annotation,
  type WorkflowCommand,
} from './workflow-commands.js';

const VIRTUAL_CLOCK_PRELOAD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'virtual-clock-preload.mjs',
);

/** The repository's root folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface RunActionOptions {
  /** An action folder name under actions/, or an absolute path to an action folder. */
  action: string;
  inputs?: Record<string, string>;
  /** Extra environment variables (AWS_*, PATH additions, ...). */
  env?: Record<string, string | undefined>;
  /** The workspace: GITHUB_WORKSPACE and the working directory. Defaults to a new empty temp folder. */
  workspace?: string;
  /** Kill the action after this long (ms) and report it. */
  timeoutMs?: number;
  /** Send this signal after `signalAfterMs`, or when `signalWhen` resolves (to test cancellation). */
  signal?: NodeJS.Signals;
  signalAfterMs?: number;
  /**
   * Send `signal` when this resolves instead of after a delay: a test sends it once it has seen what it waits for
   * (e.g. the processes the action started), so the test does not depend on the machine's speed.
   */
  signalWhen?: Promise<unknown>;
  /** Called with each chunk of stdout as it arrives; `control.kill` signals the action (e.g. SIGTERM at a given log line). */
  onStdout?: (chunk: string, control: { kill(signal: NodeJS.Signals): void }) => void;
  /**
   * The endpoint of an ECS emulator started with `clock: 'virtual'`: the action runs on the emulator's virtual
   * time (its clock's sleeps advance the simulation; see virtual-clock-preload.mjs) instead of the wall clock.
   */
  virtualClock?: string;
}

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  outputs: Record<string, string>;
  /** What the action exported with GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  state: Record<string, string>;
  /** The job summary Markdown. */
  summary: string;
  annotations: Annotation[];
  /** The commands the runner would act on: stdout's, then stderr's (both are read for commands). */
  commands: WorkflowCommand[];
  /**
   * Every line of stdout and stderr that parses as a known workflow command, even between stop-commands markers:
   * outside text must never show up here.
   */
  commandLines: WorkflowCommand[];
  /** Values registered with ::add-mask::. */
  masks: string[];
  /** stdout then stderr, raw as the process wrote them. */
  stdout: string;
  stderr: string;
  /** stdout + stderr as the runner would display it (masks applied). */
  log: string;
  durationMs: number;
  /** Temp folder holding the runner files; removed by cleanup(). */
  runnerTemp: string;
  /** Lines of stdout/stderr where `secret` appears unmasked (::add-mask:: lines excepted: the runner hides them). */
  leaksOf(secret: string): string[];
  /**
   * Everywhere `secret` shows unmasked: log lines (the ::add-mask:: line excepted), outputs, exported variables,
   * state, the job summary, and every file left under the runner's temp folder (the workspace excepted unless it
   * lives there). Each finding says where, e.g. `output failure-reason` or `file report.json`. With
   * `logAsShown`, the log is read as the runner shows it (values registered with ::add-mask:: replaced by ***):
   * for text the action forwards raw and relies on the runner's mask for.
   */
  secretLeaks(secret: string, options?: { logAsShown?: boolean }): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** Reads action.yml and returns each input's default, as the runner fills them in. */
export function actionDefaults(actionDir: string): Record<string, string> {
  const file = ['action.yml', 'action.yaml'].map((f) => path.join(actionDir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`no action.yml in ${actionDir}`);
  const doc = parseYaml(readFileSync(file, 'utf8')) as { inputs?: Record<string, { default?: unknown }> };
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    if (spec && spec.default !== undefined && spec.default !== null) defaults[name] = String(spec.default);
  }
  return defaults;
}

export function resolveActionDir(action: string): string {
  return path.isAbsolute(action) ? action : path.join(repoRoot, 'actions', action);
}

/** Environment variables from this process that an action on a runner would also see. */
const PASSED_THROUGH = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'PYENV_ROOT', 'DOCKER_HOST', 'TMPDIR'];

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const actionDir = resolveActionDir(options.action);
  const entry = path.join(actionDir, 'dist', 'index.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} does not exist: run "pnpm build" first`);
  }
  const runnerTemp = await mkdtemp(path.join(tmpdir(), 'hokusai-runner-'));
  const workspace = options.workspace ?? (await mkdtemp(path.join(runnerTemp, 'workspace-')));
  const files = {
    GITHUB_OUTPUT: path.join(runnerTemp, 'output'),
    GITHUB_STEP_SUMMARY: path.join(runnerTemp, 'step_summary'),
    GITHUB_ENV: path.join(runnerTemp, 'env'),
    GITHUB_PATH: path.join(runnerTemp, 'path'),
    GITHUB_STATE: path.join(runnerTemp, 'state'),
  };
  await Promise.all(Object.values(files).map((f) => writeFile(f, '')));

  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  Object.assign(env, files, {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    GITHUB_SHA: '1cdcfc3f0a5b9e8d7c6b5a4f3e2d1c0b9a8f7e6d',
    GITHUB_REPOSITORY: 'hokusai/api',
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    // Without credentials the SDK would ask the instance metadata service (169.254.169.254): never leave loopback.
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const inputs = { ...actionDefaults(actionDir), ...(options.inputs ?? {}) };
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  const args = [entry];
  if (options.virtualClock) {
    env.HOKUSAI_VIRTUAL_CLOCK_URL = `${options.virtualClock.replace(/\/$/, '')}/_emulator/clock`;
    args.unshift('--import', VIRTUAL_CLOCK_PRELOAD);
  }
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(chunk, { kill: (signal) => void child.kill(signal) });
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timers: NodeJS.Timeout[] = [];
  if (options.timeoutMs) {
    timers.push(
      setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs),
    );
  }
  if (options.signal && options.signalWhen) {
    void options.signalWhen.then(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill(options.signal);
    });
  } else if (options.signal) {
    timers.push(setTimeout(() => child.kill(options.signal), options.signalAfterMs ?? 0));
  }
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  });
  timers.forEach(clearTimeout);

  const commands = [...parseWorkflowCommands(stdout), ...parseWorkflowCommands(stderr)];
  const commandLines = parseWorkflowCommands(`${stdout}\n${stderr}`, { ignoreStopCommands: true });
  const masks = commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
  const read = (f: string) => readFile(f, 'utf8');
  const log = maskLog(`${stdout}${stderr}`, masks);
  const outputs = parseFileCommands(await read(files.GITHUB_OUTPUT));
  const exportedEnv = parseFileCommands(await read(files.GITHUB_ENV));
  const state = parseFileCommands(await read(files.GITHUB_STATE));
  const summary = await read(files.GITHUB_STEP_SUMMARY);
  const leaksOf = (secret: string) =>
    `${stdout}\n${stderr}`
      .split(/\r\n|\r|\n/)
      // ::add-mask:: lines are never shown: the runner omits their echo and masks the value from then on.
      .filter((line) => line.includes(secret) && !/^\s*::add-mask::/i.test(line));
  return {
    exitCode,
    signal,
    timedOut,
    outputs,
    exportedEnv,
    state,
    summary,
    annotations: annotationsOf(commands),
    commands,
    commandLines,
    masks,
    stdout,
    stderr,
    log,
    durationMs: Date.now() - started,
    runnerTemp,
    leaksOf,
    async secretLeaks(secret: string, options: { logAsShown?: boolean } = {}) {
      const logLines = options.logAsShown
        ? log.split(/\r\n|\r|\n/).filter((line) => line.includes(secret))
        : leaksOf(secret);
      const found = logLines.map((line) => `log: ${line}`);
      const maps = { output: outputs, 'exported variable': exportedEnv, state };
      for (const [kind, map] of Object.entries(maps))
        for (const [name, value] of Object.entries(map))
          if (value.includes(secret)) found.push(`${kind} ${name}`);
      if (summary.includes(secret)) found.push('job summary');
      const names = await readdir(runnerTemp, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const entry of names) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        if (Object.values(files).includes(file)) continue;
        const text = await readFile(file, 'latin1').catch(() => '');
        if (text.includes(secret) || text.includes(Buffer.from(secret).toString('latin1')))
          found.push(`file ${path.relative(runnerTemp, file)}`);
      }
      return found;
    },
    cleanup: () => rm(runnerTemp, { recursive: true, force: true }),
  };
}
