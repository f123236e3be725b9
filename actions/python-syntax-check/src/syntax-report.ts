// The verdicts as people and programs read them: the JSON report entries, one annotation per broken file, and
// the job summary. Pure: plain data in, plain data out.
import {
  blocks,
  details,
  escapeMarkdown,
  heading,
  inlineCode,
  table,
  type AnnotationProperties,
} from '@hokusai/action-kit';
import type { CompileFailure } from './compile-pool.js';
import type { SkippedPath } from './file-discovery.js';

/** One object per error in the `report` output's JSON file (field names are part of the interface). */
export interface ReportEntry {
  file: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  message: string;
  kind: string;
}

export function reportEntry(failure: CompileFailure): ReportEntry {
  return {
    file: failure.path,
    line: failure.line,
    column: failure.column,
    endLine: failure.endLine,
    endColumn: failure.endColumn,
    message: failure.message,
    kind: failure.kind,
  };
}

const positive = (n: number | null): number | undefined => (n !== null && n >= 1 ? n : undefined);

/**
 * The annotation for a broken file. Positions the interpreter could not give (0, -1, null: e.g. a BOM that
 * contradicts the encoding cookie, null bytes before 3.12) are left out rather than invented; an end before the
 * start (it happens with some 3.8 tokenizer errors) is dropped too.
 */
export function annotationFor(failure: CompileFailure): {
  message: string;
  properties: AnnotationProperties;
} {
  const line = positive(failure.line);
  const col = line === undefined ? undefined : positive(failure.column);
  let endLine = line === undefined ? undefined : positive(failure.endLine);
  let endColumn = endLine === undefined ? undefined : positive(failure.endColumn);
  if (line !== undefined && endLine !== undefined && endLine < line) endLine = endColumn = undefined;
  if (endLine === line && col !== undefined && endColumn !== undefined && endColumn < col)
    endColumn = undefined;
  const title = failure.category === 'unreadable' ? `Unreadable file (${failure.kind})` : failure.kind;
  const properties: AnnotationProperties = { title, file: failure.path };
  if (line !== undefined) properties.line = line;
  if (col !== undefined) properties.col = col;
  if (endLine !== undefined) properties.endLine = endLine;
  if (endColumn !== undefined) properties.endColumn = endColumn;
  return { message: failure.message, properties };
}

/** `src/app.py:26:5` — the position as editors and the log print it. */
export function locationText(failure: CompileFailure): string {
  const line = positive(failure.line);
  const col = line === undefined ? undefined : positive(failure.column);
  return [failure.path, line, col].filter((part) => part !== undefined).join(':');
}

/**
 * The plain log line for a broken file. File names come from the repository, so they are untrusted: control
 * characters are escaped and the line starts with a fixed mark, so that no name (`x\n::error::y.py`,
 * `::stop-commands::t.py`) can become a workflow command.
 */
export function logLine(failure: CompileFailure): string {
  return `✗ ${escapeControl(`${locationText(failure)}: ${failure.kind}: ${failure.message}`)}`;
}

const escapeControl = (text: string) =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));

/** A repository file name for the middle of a log line: control characters escaped, so it stays on that line. */
export function safeName(name: string): string {
  return escapeControl(name);
}

export interface SummaryInput {
  pythonVersion: string;
  pythonExecutable: string;
  checked: number;
  failures: CompileFailure[];
  skipped: SkippedPath[];
  durationMs: number;
  changedSince?: string;
  /** Files without .py compiled because of their Python shebang. */
  shebangScripts?: string[];
  /** Rows past this are counted, not listed (a job summary is capped at 1 MiB). */
  maxRows?: number;
}

export function summaryMarkdown(input: SummaryInput): string {
  const { failures, checked } = input;
  const maxRows = input.maxRows ?? 200;
  const python = `Python ${input.pythonVersion} (${inlineCode(input.pythonExecutable)})`;
  const scope = input.changedSince ? ` changed since ${inlineCode(input.changedSince)}` : '';
  const seconds = (input.durationMs / 1000).toFixed(1);
  const verdict =
    failures.length === 0
      ? `✅ ${checked} Python file${checked === 1 ? '' : 's'}${scope} compiled with ${python} in ${seconds}s: no syntax errors.`
      : `❌ ${failures.length} of ${checked} Python file${checked === 1 ? '' : 's'}${scope} failed to compile with ${python}.`;
  const rows = failures
    .slice(0, maxRows)
    .map((f) => [
      inlineCode(f.path),
      positive(f.line) ?? '',
      positive(f.line) === undefined ? '' : (positive(f.column) ?? ''),
      f.kind,
      f.message,
    ]);
  const more =
    failures.length > maxRows
      ? `…and ${failures.length - maxRows} more (all of them are in the report file).`
      : '';
  const skipped =
    input.skipped.length > 0 &&
    details(
      `${input.skipped.length} path${input.skipped.length === 1 ? '' : 's'} skipped`,
      table(
        ['Path', 'Why'],
        input.skipped.slice(0, maxRows).map((s) => [inlineCode(s.path), s.reason]),
        { raw: [0] },
      ) +
        (input.skipped.length > maxRows
          ? `\n…and ${input.skipped.length - maxRows} more (each is a warning in the log).`
          : ''),
    );
  const scripts = input.shebangScripts ?? [];
  const shebangNote =
    scripts.length > 0 &&
    `Including ${scripts.length} script${scripts.length === 1 ? '' : 's'} without \`.py\` found by ${scripts.length === 1 ? 'its' : 'their'} Python shebang: ${scripts
      .slice(0, 20)
      .map(inlineCode)
      .join(', ')}${scripts.length > 20 ? ', …' : ''}.`;
  return blocks(
    heading('Python syntax check'),
    verdict,
    shebangNote,
    failures.length > 0 && table(['File', 'Line', 'Column', 'Error', 'Message'], rows, { raw: [0] }),
    more,
    skipped,
  );
}

/** The summary of a run whose `paths` matched no Python file: it checked nothing, and says so. */
export function emptySummaryMarkdown(nothing: string): string {
  return blocks(
    heading('Python syntax check'),
    `❌ ${escapeMarkdown(nothing)}: nothing was checked. Fix \`paths\`, or set \`allow-empty: true\` if no Python file is expected.`,
  );
}
