// Runs mypy for the gate: `<python> -m mypy` (the mypy installed for the app's interpreter), else a `mypy` on PATH
// pointed at that interpreter with --python-executable (so it sees the app's installed packages). Arguments are an
// array, never a shell string; the cache goes to RUNNER_TEMP so it never lands in a docker build context.
import { execFile } from 'node:child_process';
import { parseMypyOutput, type MypyMessage } from './mypy-output.js';

export type MypyOutcome =
  | { kind: 'passed'; command: string; version: string }
  | { kind: 'failed'; command: string; version: string; errors: MypyMessage[] }
  /** mypy stopped without checking (exit status 2: a bad option, an unreadable config, a crash). */
  | { kind: 'crashed'; command: string; detail: string }
  | { kind: 'not-installed'; detail: string };

export interface MypyRunOptions {
  /** The interpreter command (the `python` input) and its resolved executable. */
  python: string;
  pythonExecutable: string;
  cwd: string;
  /** Files to check; [] lets mypy take them from its configuration's `files`. */
  targets: string[];
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
}

/** Flags that make the output one parseable line per message, whatever the configuration says about display. */
export const MYPY_FLAGS = [
  '--show-column-numbers',
  '--show-error-codes',
  '--no-color-output',
  '--no-error-summary',
  '--no-pretty',
];

interface Exec {
  code: number | 'ENOENT';
  stdout: string;
  stderr: string;
}

function exec(command: string, args: string[], options: MypyRunOptions): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...(options.env ?? process.env), NO_COLOR: '1', MYPY_FORCE_COLOR: '0' },
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const errno = (error as NodeJS.ErrnoException | null)?.code;
        if (errno === 'ENOENT') return resolve({ code: 'ENOENT', stdout: '', stderr: '' });
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The last few lines of mypy's stderr/stdout, for a one-line explanation. */
function tail(run: Exec): string {
  const text = `${run.stderr}\n${run.stdout}`.trim().split('\n').filter(Boolean);
  return text.slice(-3).join(' | ') || `exit status ${run.code}`;
}

export async function runMypy(options: MypyRunOptions): Promise<MypyOutcome> {
  const common = [...MYPY_FLAGS, '--cache-dir', options.cacheDir, ...options.targets];
  const attempts: Array<{ command: string; args: string[]; shown: string }> = [
    { command: options.python, args: ['-m', 'mypy'], shown: `${options.python} -m mypy` },
    {
      command: 'mypy',
      args: ['--python-executable', options.pythonExecutable],
      shown: `mypy --python-executable ${options.pythonExecutable}`,
    },
  ];
  const missing: string[] = [];
  for (const attempt of attempts) {
    const version = await exec(attempt.command, [...attempt.args, '--version'], options);
    if (version.code !== 0) {
      missing.push(
        version.code === 'ENOENT' ? `no ${attempt.command} on PATH` : `${attempt.shown}: ${tail(version)}`,
      );
      continue;
    }
    const run = await exec(attempt.command, [...attempt.args, ...common], options);
    const shownVersion = version.stdout.trim().split('\n')[0] ?? '';
    if (run.code === 0) return { kind: 'passed', command: attempt.shown, version: shownVersion };
    // mypy prints in the order it processed modules; people and tests read files in path order.
    const errors = parseMypyOutput(run.stdout).sort(
      (a, b) =>
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line ||
        (a.column ?? 0) - (b.column ?? 0),
    );
    if (run.code === 1 && errors.length > 0) {
      return { kind: 'failed', command: attempt.shown, version: shownVersion, errors };
    }
    return { kind: 'crashed', command: attempt.shown, detail: tail(run) };
  }
  return { kind: 'not-installed', detail: missing.join('; ') };
}
