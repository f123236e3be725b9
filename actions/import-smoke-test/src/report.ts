// The report file (JSON, one entry per import) and the job summary Markdown, built from the outcomes (pure).
import {
  blocks,
  codeBlock,
  details,
  formatDuration,
  heading,
  inlineCode,
  link,
  SUMMARY_MAX_BYTES,
  table,
} from '@hokusai/action-kit';
import { failureLine, tailOf, type ImportOutcome } from './smoke-test.js';

export interface RunContext {
  python: string;
  /** The interpreter's version, e.g. 3.12.1. */
  pythonVersion: string;
  image?: string;
  network?: string;
  workingDirectory: string;
  timeoutMs: number;
  /** `https://github.com/<owner>/<repo>/blob/<sha>/`: locations in the summary link to the source there. */
  sourceUrl?: string;
}

export interface ReportEntry {
  import: string;
  ok: boolean;
  seconds: number;
  timedOut: boolean;
  slow: boolean;
  errorType: string | null;
  message: string | null;
  traceback: string | null;
  file: string | null;
  line: number | null;
  /** The step was cancelled before this import finished. */
  cancelled: boolean;
  /** Processes the import left running when its interpreter ended: `killed`, `out-of-reach` (still running). */
  leftovers: string[];
}

export interface Report {
  python: string;
  pythonVersion: string;
  image: string | null;
  workingDirectory: string;
  timeoutSeconds: number;
  imported: number;
  failed: number;
  imports: ReportEntry[];
}

export function buildReport(outcomes: readonly ImportOutcome[], context: RunContext): Report {
  return {
    python: context.python,
    pythonVersion: context.pythonVersion,
    image: context.image ?? null,
    workingDirectory: context.workingDirectory,
    timeoutSeconds: context.timeoutMs / 1000,
    imported: outcomes.filter((o) => o.ok).length,
    failed: outcomes.filter((o) => !o.ok && !o.cancelled).length,
    imports: outcomes.map((o) => ({
      import: o.import,
      ok: o.ok,
      seconds: Math.round(o.seconds * 1e6) / 1e6,
      timedOut: o.timedOut,
      slow: o.slow,
      errorType: o.error?.type ?? null,
      message: o.error?.message ?? null,
      traceback: o.error?.traceback ?? null,
      file: o.error?.location?.file ?? null,
      line: o.error?.location?.line ?? null,
      cancelled: o.cancelled === true,
      leftovers: o.leftovers ?? [],
    })),
  };
}

function whereCell(location: { file: string; line: number }, sourceUrl: string | undefined): string {
  const text = `${location.file}:${location.line}`;
  if (!sourceUrl) return inlineCode(text);
  const file = location.file.split('/').map(encodeURIComponent).join('/');
  return link(text, `${sourceUrl}${file}#L${location.line}`);
}

/**
 * Bounds that keep the summary within GitHub's 1 MiB for a step (the whole summary is dropped past it): rows past
 * MAX_ROWS are counted, not listed; an error cell shows at most MAX_MESSAGE characters; a traceback its last
 * MAX_TRACEBACK characters; tracebacks stop when TRACEBACK_BUDGET bytes are used. Everything is in the report file.
 */
export const SUMMARY_LIMITS = {
  maxRows: 300,
  maxMessage: 300,
  maxTraceback: 4000,
  tracebackBudget: Math.floor(SUMMARY_MAX_BYTES / 2),
};

function shortMessage(text: string): string {
  const chars = [...text];
  return chars.length <= SUMMARY_LIMITS.maxMessage
    ? text
    : `${chars.slice(0, SUMMARY_LIMITS.maxMessage).join('')}… (${chars.length} characters; all in the report file)`;
}

function resultCell(o: ImportOutcome): string {
  if (o.cancelled) return '⏹️ cancelled';
  if (o.ok) return o.slow ? '⚠️ slow' : '✅ ok';
  return o.timedOut ? '⏱️ timed out' : '❌ failed';
}

function outcomeTables(outcomes: readonly ImportOutcome[], context: RunContext): string[] {
  const listed = outcomes.slice(0, SUMMARY_LIMITS.maxRows);
  const rows = listed.map((o) => [
    inlineCode(o.import),
    resultCell(o),
    formatDuration(o.seconds * 1000),
    o.error?.location ? whereCell(o.error.location, context.sourceUrl) : '',
    o.error && !o.cancelled ? shortMessage(`${o.error.type}: ${o.error.message}`) : '',
  ]);
  const more =
    outcomes.length > listed.length
      ? `…and ${outcomes.length - listed.length} more imports (${outcomes.slice(listed.length).filter((o) => !o.ok && !o.cancelled).length} of them failed): all of them are in the report file (output \`report\`).`
      : '';
  const tracebacks: string[] = [];
  let used = 0;
  const failed = listed.filter((o) => !o.ok && !o.cancelled && o.error && o.error.traceback !== '');
  for (const o of failed) {
    const block = details(
      shortMessage(`${o.import} — ${failureLine(o)}`),
      codeBlock(tailOf(o.error!.traceback, SUMMARY_LIMITS.maxTraceback), 'pytb'),
    );
    used += Buffer.byteLength(block, 'utf8');
    if (used > SUMMARY_LIMITS.tracebackBudget) {
      tracebacks.push(
        `…${failed.length - tracebacks.length} more tracebacks are not shown here: they are in the log groups and the report file.`,
      );
      break;
    }
    tracebacks.push(block);
  }
  return [table(['import', 'result', 'time', 'where', 'error'], rows, { raw: [0, 3] }), more, ...tracebacks];
}

function where(context: RunContext): string {
  return context.image
    ? `in image ${inlineCode(context.image)} (network: ${context.network})`
    : `on the runner in ${inlineCode(context.workingDirectory)}`;
}

export function summaryMarkdown(outcomes: readonly ImportOutcome[], context: RunContext): string {
  const failed = outcomes.filter((o) => !o.ok);
  const verdict =
    failed.length === 0
      ? `✅ all ${outcomes.length} imports succeeded`
      : `❌ ${failed.length} of ${outcomes.length} imports failed`;
  const intro =
    `${verdict} — Python ${context.pythonVersion} (${inlineCode(context.python)}) ${where(context)}, ` +
    `timeout ${formatDuration(context.timeoutMs)} per import.`;
  return blocks(heading('Import smoke test'), intro, ...outcomeTables(outcomes, context));
}

/** The summary of a cancelled step: what had finished, and that the rest was stopped. */
export function cancelledSummaryMarkdown(
  outcomes: readonly ImportOutcome[],
  context: RunContext,
  signal: string,
): string {
  const finished = outcomes.filter((o) => !o.cancelled);
  const intro =
    `⏹️ cancelled (${signal}) after ${finished.length} of ${outcomes.length} imports finished ` +
    `(${finished.filter((o) => !o.ok).length} failed) — Python ${context.pythonVersion} ${where(context)}; ` +
    'the interpreters still running were killed.';
  return blocks(heading('Import smoke test'), intro, ...outcomeTables(outcomes, context));
}
