// The report file (JSON, one entry per import) and the job summary Markdown, built from the outcomes (pure).
import {
  blocks,
  codeBlock,
  details,
  formatDuration,
  heading,
  inlineCode,
  link,
  table,
} from '@hokusai/action-kit';
import { failureLine, type ImportOutcome } from './smoke-test.js';

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
    failed: outcomes.filter((o) => !o.ok).length,
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
    })),
  };
}

function whereCell(location: { file: string; line: number }, sourceUrl: string | undefined): string {
  const text = `${location.file}:${location.line}`;
  if (!sourceUrl) return inlineCode(text);
  const file = location.file.split('/').map(encodeURIComponent).join('/');
  return link(text, `${sourceUrl}${file}#L${location.line}`);
}

export function summaryMarkdown(outcomes: readonly ImportOutcome[], context: RunContext): string {
  const failed = outcomes.filter((o) => !o.ok);
  const verdict =
    failed.length === 0
      ? `✅ all ${outcomes.length} imports succeeded`
      : `❌ ${failed.length} of ${outcomes.length} imports failed`;
  const where = context.image
    ? `in image ${inlineCode(context.image)} (network: ${context.network})`
    : `on the runner in ${inlineCode(context.workingDirectory)}`;
  const intro =
    `${verdict} — Python ${context.pythonVersion} (${inlineCode(context.python)}) ${where}, ` +
    `timeout ${formatDuration(context.timeoutMs)} per import.`;
  const rows = outcomes.map((o) => [
    inlineCode(o.import),
    o.ok ? (o.slow ? '⚠️ slow' : '✅ ok') : o.timedOut ? '⏱️ timed out' : '❌ failed',
    formatDuration(o.seconds * 1000),
    o.error?.location ? whereCell(o.error.location, context.sourceUrl) : '',
    o.error ? `${o.error.type}: ${o.error.message}` : '',
  ]);
  const tracebacks = failed
    .filter((o) => o.error && o.error.traceback !== '')
    .map((o) => details(`${o.import} — ${failureLine(o)}`, codeBlock(o.error!.traceback, 'pytb')));
  return blocks(
    heading('Import smoke test'),
    intro,
    table(['import', 'result', 'time', 'where', 'error'], rows, { raw: [0, 3] }),
    ...tracebacks,
  );
}
