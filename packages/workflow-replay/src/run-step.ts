// A `run:` step as GitHub's Linux runner runs it: the script in a file, `shell: bash` as
// `bash --noprofile --norc -eo pipefail {0}`, no shell as `bash -e {0}` (no pipefail), `sh` as `sh -e {0}`;
// GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH files read back; workflow commands in stdout parsed.
// Source: GitHub docs, "Workflow syntax: jobs.<job_id>.steps[*].shell" (the table of shells and their commands).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  annotationsOf,
  parseFileCommands,
  parseWorkflowCommands,
  type Annotation,
} from '@hokusai/action-harness';

export interface RunStepOptions {
  script: string;
  /** The step's `shell:` (after defaults), or undefined for the runner's default. */
  shell?: string;
  cwd: string;
  env: Record<string, string>;
  /** A folder for the script and the command files. */
  runnerTemp: string;
}

export interface RunStepResult {
  exitCode: number | null;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  addedPath: string[];
  annotations: Annotation[];
  stdout: string;
  stderr: string;
}

/** The command line GitHub uses for a shell keyword; `{0}` is the script file. */
export function shellCommand(shell: string | undefined): string[] {
  switch ((shell ?? '').trim()) {
    case '':
      return ['bash', '-e', '{0}'];
    case 'bash':
      return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}'];
    case 'sh':
      return ['sh', '-e', '{0}'];
    default: {
      const custom = shell!.trim().split(/\s+/);
      return custom.includes('{0}') ? custom : [...custom, '{0}'];
    }
  }
}

export async function runStep(options: RunStepOptions): Promise<RunStepResult> {
  const dir = await mkdtemp(path.join(options.runnerTemp, 'step-'));
  const files = {
    script: path.join(dir, 'script.sh'),
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
  };
  await writeFile(files.script, options.script);
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'] as const) {
    await writeFile(files[name], '');
  }
  const [command, ...args] = shellCommand(options.shell).map((part) =>
    part === '{0}' ? files.script : part,
  );
  const child = spawn(command!, args, {
    cwd: options.cwd,
    env: {
      ...options.env,
      GITHUB_OUTPUT: files.GITHUB_OUTPUT,
      GITHUB_ENV: files.GITHUB_ENV,
      GITHUB_PATH: files.GITHUB_PATH,
      GITHUB_STEP_SUMMARY: files.GITHUB_STEP_SUMMARY,
      RUNNER_TEMP: options.runnerTemp,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const read = (file: string) => readFile(file, 'utf8');
  const result: RunStepResult = {
    exitCode,
    outputs: parseFileCommands(await read(files.GITHUB_OUTPUT)),
    exportedEnv: parseFileCommands(await read(files.GITHUB_ENV)),
    addedPath: (await read(files.GITHUB_PATH)).split('\n').filter((line) => line.trim() !== ''),
    annotations: annotationsOf(parseWorkflowCommands(stdout)),
    stdout,
    stderr,
  };
  await rm(dir, { recursive: true, force: true });
  return result;
}
