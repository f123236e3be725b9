// Compiles many files with one pool of long-lived interpreter processes (never a process per file): Node hands
// out chunks of paths, largest files first, and each worker answers one JSON line per file.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { WORKER_SOURCE } from './python-worker.js';

export interface CompileTarget {
  /** Path relative to `cwd` (the workspace), as it will be reported. */
  path: string;
  /** Size in bytes; the biggest files are handed out first so no worker is left with a long tail. */
  size: number;
}

/** Why a file did not compile: `syntax` (the interpreter rejected it), `unreadable`, or `crash`. */
export type FailureCategory = 'syntax' | 'unreadable' | 'crash';

export interface CompileFailure {
  path: string;
  category: FailureCategory;
  /** The exception class: SyntaxError, IndentationError, TabError, ValueError, PermissionError, ... */
  kind: string;
  message: string;
  /** As the interpreter gave them (SyntaxError.lineno/offset/end_lineno/end_offset); null when absent. */
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
}

export interface CompileResult {
  checked: number;
  /** In the order of `targets`. */
  failures: CompileFailure[];
}

export interface CompilePoolOptions {
  python: string;
  cwd: string;
  /** Worker processes to start (at most one per chunk). */
  workers: number;
  env?: NodeJS.ProcessEnv;
  /** Called with each worker's pid when it starts (tests use it to kill one mid-run). */
  onWorkerStart?: (pid: number) => void;
}

interface WireFailure {
  category: 'syntax' | 'unreadable';
  kind: string;
  msg: string;
  lineno: number | null;
  offset: number | null;
  end_lineno: number | null;
  end_offset: number | null;
}

/** Several worker deaths in one run mean the interpreter itself is broken, not one odd file. */
const MAX_CRASHES = 10;

/** Chunks of file indices: largest files first; small chunks at the end so the workers finish together. */
export function planChunks(sizes: number[], workers: number): number[][] {
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const chunks: number[][] = [];
  const maxFiles = Math.max(1, Math.min(64, Math.ceil(order.length / (Math.max(1, workers) * 4))));
  const maxBytes = 512 * 1024;
  let current: number[] = [];
  let bytes = 0;
  for (const index of order) {
    if (current.length > 0 && (current.length >= maxFiles || bytes + sizes[index]! > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += sizes[index]!;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export async function compileFiles(
  targets: CompileTarget[],
  options: CompilePoolOptions,
): Promise<CompileResult> {
  if (targets.length === 0) return { checked: 0, failures: [] };
  const results = new Map<number, CompileFailure | null>();
  const queue = planChunks(
    targets.map((t) => t.size),
    options.workers,
  );
  const workerCount = Math.max(1, Math.min(options.workers, queue.length));
  let crashes = 0;
  let fatal: Error | undefined;

  const env = { ...(options.env ?? process.env), PYTHONDONTWRITEBYTECODE: '1' };

  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      // -B: never write bytecode, even if the environment says otherwise; the checked files are never imported.
      const child: ChildProcessWithoutNullStreams = spawn(options.python, ['-B', '-c', WORKER_SOURCE], {
        cwd: options.cwd,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      // Chunks sent and not fully answered, oldest first. Up to two are in flight so a worker never waits for
      // Node (which may be descheduled on a busy machine) between chunks.
      const inFlight: number[][] = [];
      let stdinEnded = false;
      let buffered = '';
      let stderr = '';
      let settled = false;

      const sendNext = () => {
        if (stdinEnded) return;
        const chunk = fatal ? undefined : queue.shift();
        if (!chunk) {
          stdinEnded = true;
          child.stdin.end();
          return;
        }
        inFlight.push(chunk);
        child.stdin.write(JSON.stringify(chunk.map((i) => [i, targets[i]!.path])) + '\n');
      };

      child.on('spawn', () => {
        if (child.pid !== undefined) options.onWorkerStart?.(child.pid);
      });
      child.stdin.on('error', () => {
        // EPIPE when the worker died; 'close' below decides what that means.
      });
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        stderr = (stderr + text).slice(-4000);
      });
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        buffered += text;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) !== -1) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          const answer = parseAnswer(line);
          // Anything else on stdout (a sitecustomize or .pth file that prints) is not ours: skip it.
          if (!answer || targets[answer[0]] === undefined) continue;
          const [id, failure] = answer;
          results.set(id, failure ? fromWire(targets[id]!.path, failure) : null);
          const head = inFlight[0];
          if (head && head.every((i) => results.has(i))) inFlight.shift();
          // Top up once the worker is busy answering (not at start, or the first worker would take two chunks
          // before the second worker had one).
          if (inFlight.length < 2) sendNext();
        }
      });
      child.on('error', (error) => {
        if (settled) return;
        settled = true;
        reject(error);
      });
      child.on('close', (code, signal) => {
        if (settled) return;
        settled = true;
        const unanswered = inFlight.flat().filter((i) => !results.has(i));
        if (unanswered.length === 0) {
          if (code !== 0 && !fatal) {
            fatal = new Error(
              `${options.python} worker exited with ${signal ?? `code ${code}`}: ${stderr.trim()}`,
            );
          }
          resolve();
          return;
        }
        // The worker died while compiling the first unanswered file (results are flushed per file): that file
        // gets the verdict, the rest go back to the front of the queue for a fresh worker.
        const [culprit, ...rest] = unanswered as [number, ...number[]];
        crashes++;
        if (crashes > MAX_CRASHES) {
          fatal = new Error(
            `${options.python} workers died ${crashes} times; last: ${signal ?? `exit code ${code}`}: ${stderr.trim()}`,
          );
          resolve();
          return;
        }
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        results.set(culprit, {
          path: targets[culprit]!.path,
          category: 'crash',
          kind: 'InterpreterCrash',
          message: `the interpreter ${how} while compiling this file${stderr.trim() ? `: ${lastLine(stderr)}` : ''}`,
          line: null,
          column: null,
          endLine: null,
          endColumn: null,
        });
        if (rest.length > 0) queue.unshift(rest);
        runWorker().then(resolve, reject);
      });
      sendNext();
    });

  await Promise.all(Array.from({ length: workerCount }, () => runWorker()));
  if (fatal) throw fatal;

  const failures: CompileFailure[] = [];
  for (let i = 0; i < targets.length; i++) {
    if (!results.has(i)) throw new Error(`internal error: no verdict for ${targets[i]!.path}`);
    const failure = results.get(i);
    if (failure) failures.push(failure);
  }
  return { checked: targets.length, failures };
}

function parseAnswer(line: string): [number, WireFailure | null] | undefined {
  if (!line.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (Array.isArray(value) && value.length === 2 && Number.isInteger(value[0])) {
      return value as [number, WireFailure | null];
    }
  } catch {
    // not an answer
  }
  return undefined;
}

function fromWire(path: string, wire: WireFailure): CompileFailure {
  return {
    path,
    category: wire.category,
    kind: wire.kind,
    message: wire.msg,
    line: wire.lineno,
    column: wire.offset,
    endLine: wire.end_lineno,
    endColumn: wire.end_offset,
  };
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  return lines[lines.length - 1] ?? '';
}
