// Reads what a harness process printed: its JSON result line, and the stack dump faulthandler writes when an
// import hangs (so a timeout can still point at the line it was stuck on).
import { RESULT_MARKER } from './harness.js';

export interface TracebackFrame {
  /** As the interpreter saw it: an absolute path in its own filesystem (the container's, in an image). */
  file: string;
  line: number;
  function: string;
}

export interface HarnessError {
  /** The exception class, qualified unless builtin: `SyntaxError`, `ModuleNotFoundError`, `app.config.Missing`. */
  type: string;
  message: string;
  /** Outermost first, as in a printed traceback. */
  frames: TracebackFrame[];
  /** A SyntaxError's own location: the broken file, which is not on the traceback. */
  syntax?: { file: string | null; line: number | null; column: number | null; text: string | null };
  /** The module an ImportError names (the missing dependency for ModuleNotFoundError). */
  module?: string;
  traceback: string;
}

export interface HarnessResult {
  ok: boolean;
  seconds: number;
  /** The interpreter's working directory: the image's WORKDIR inside a container. */
  cwd: string;
  python: string;
  error?: HarnessError;
}

/** The harness result on stdout (the last marker line wins), and stdout without it: what the app printed. */
export function parseHarnessOutput(stdout: string): { result?: HarnessResult; appOutput: string } {
  const lines = stdout.split('\n');
  let result: HarnessResult | undefined;
  const kept: string[] = [];
  for (const line of lines) {
    if (line.startsWith(RESULT_MARKER)) {
      result = JSON.parse(line.slice(RESULT_MARKER.length)) as HarnessResult;
    } else {
      kept.push(line);
    }
  }
  return { result, appOutput: kept.join('\n').trim() };
}

/**
 * The frames of the importing thread from a faulthandler dump, most recent call LAST (like a traceback).
 * Empty when stderr holds no dump.
 */
export function parseStackDump(stderr: string): TracebackFrame[] {
  const sections = stderr.split(
    /^(?=(?:Current thread|Thread) 0x[0-9a-f]+|Stack \(most recent call first\))/im,
  );
  const stacks = sections
    .filter((s) => /\(most recent call first\):/.test(s))
    .map((s) => ({ current: /^(?:Current thread|Stack)/.test(s), body: s }));
  // A timer dump marks no thread current; the main thread, which runs the import, is listed last (oldest).
  const chosen = stacks.find((s) => s.current) ?? stacks[stacks.length - 1];
  if (!chosen) return [];
  const frames: TracebackFrame[] = [];
  for (const match of chosen.body.matchAll(/^\s+File "(.*)", line (\d+) in (.*)$/gm)) {
    frames.push({ file: match[1]!, line: Number(match[2]), function: match[3]!.trim() });
  }
  return frames.reverse();
}

/** stderr without faulthandler's dump (it is shown separately, as the stack of the hang). */
export function withoutStackDump(stderr: string): string {
  const kept: string[] = [];
  let inDump = false;
  for (const line of stderr.split('\n')) {
    if (/^Timeout \(\d+:\d\d:\d\d(?:\.\d+)?\)!$/.test(line)) inDump = true;
    else if (inDump && !/^(?:Thread 0x|Current thread 0x|Stack \(|\s+File "|\s*$)/.test(line)) inDump = false;
    if (!inDump) kept.push(line);
  }
  return kept.join('\n');
}

/** Whether stderr holds the dump the harness prints when its timeout expires. */
export function hasTimeoutDump(stderr: string): boolean {
  return /^Timeout \(\d+:\d\d:\d\d(?:\.\d+)?\)!$/m.test(stderr);
}
