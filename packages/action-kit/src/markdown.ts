// Job summary building blocks as plain Markdown strings (pure; written out by writeSummary()).

/** Every line ending CommonMark knows: `\r\n`, `\n` and a lone `\r`. */
const LINE_BREAK = /\r\n|\r|\n/g;
/** Control characters other than tab and line breaks; shown as U+FFFD in Markdown output. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Escapes text (outside text included) for a Markdown table cell or inline text: it stays one cell or one
 * paragraph and renders as the literal characters — pipes, backticks, emphasis, link and image brackets, headings,
 * HTML and entities are escaped; line breaks (`\n`, `\r\n`, lone `\r`) become `<br>`.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(CONTROL, '\uFFFD')
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*/g, '\\*')
    .replace(/_/g, '\\_')
    .replace(/~/g, '\\~')
    .replace(/\[/g, '\\[')
    .replace(/\]/g, '\\]')
    .replace(/^#/, '\\#')
    .replace(LINE_BREAK, '<br>');
}

/** Inline code that survives backticks inside the text. */
export function inlineCode(text: string): string {
  const clean = text.replace(CONTROL, '\uFFFD').replace(LINE_BREAK, ' ');
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean.replace(/\|/g, '\\|')}${pad}${fence}`;
}

export type Cell = string | number | boolean | null | undefined;

/**
 * A Markdown table. Cells are escaped unless `raw` is set for that column (for cells that are already Markdown,
 * such as links or inline code).
 */
export function table(headers: string[], rows: Cell[][], options: { raw?: number[] } = {}): string {
  const raw = new Set(options.raw ?? []);
  const cell = (value: Cell, column: number) => {
    const text = value === null || value === undefined ? '' : String(value);
    return raw.has(column) ? text.replace(LINE_BREAK, '<br>') : escapeMarkdown(text);
  };
  const lines = [
    `| ${headers.map((h) => escapeMarkdown(h)).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${headers.map((_, i) => cell(row[i], i)).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}

/** A fenced code block; the fence grows past any backtick run inside. */
export function codeBlock(text: string, language = ''): string {
  const body = text.replace(CONTROL, '\uFFFD').replace(LINE_BREAK, '\n').replace(/\n$/, '');
  const longestRun = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${body}\n${fence}\n`;
}

/** A Mermaid diagram (GitHub renders these in job summaries). */
export function mermaid(diagram: string): string {
  return codeBlock(diagram.trim(), 'mermaid');
}

/** Text safe inside a Mermaid label: no characters that end or break a node or a timeline entry. */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/["`]/g, "'")
    .replace(/[:;#{}[\]<>|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A collapsed section. */
export function details(summary: string, body: string): string {
  return `<details><summary>${escapeMarkdown(summary)}</summary>\n\n${body.trim()}\n\n</details>\n`;
}

/** A heading; `text` is Markdown written by the action (escape outside text in it), kept on one line. */
export function heading(text: string, level = 2): string {
  return `${'#'.repeat(level)} ${text.replace(LINE_BREAK, ' ')}\n`;
}

/** A link; the URL is percent-encoded where it could end the link or the line. */
export function link(text: string, url: string): string {
  // eslint-disable-next-line no-control-regex
  const target = url.replace(/[\s()<>\u0000-\u001f\u007f]/gu, (c) =>
    c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c),
  );
  return `[${escapeMarkdown(text)}](${target})`;
}

/** Joins blocks with a blank line between them. */
export function blocks(...parts: Array<string | false | null | undefined>): string {
  return (
    parts
      .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
      .map((p) => p.trim())
      .join('\n\n') + '\n'
  );
}

/**
 * GitHub's limit for one step's job summary: 1 MiB. A larger summary is not shown at all ("$GITHUB_STEP_SUMMARY
 * upload aborted, supports content up to a size of 1024k"; docs.github.com, "Adding a job summary").
 */
export const SUMMARY_MAX_BYTES = 1024 * 1024;

/** A fence line as codeBlock() writes them: three or more backticks (or tildes), an info string after opening. */
const FENCE = /^(`{3,}|~{3,})/;

/**
 * `markdown` within `maxBytes` UTF-8 bytes: unchanged when it fits; otherwise cut after the last whole line that
 * fits, an open code fence and open `<details>` closed, and a note saying it was cut — so the summary is shown,
 * shortened, instead of lost. Actions keep their own summaries well under the limit (rows listed up to a count,
 * long text shortened); this is the guard for what they did not foresee.
 */
export function capSummary(markdown: string, maxBytes = SUMMARY_MAX_BYTES): string {
  if (Buffer.byteLength(markdown, 'utf8') <= maxBytes) return markdown;
  const note = `\n\n**…the rest of this summary is not shown: GitHub shows at most ${Math.floor(maxBytes / 1024)} KiB of a step's summary.**\n`;
  let fence: string | undefined;
  let openDetails = 0;
  const closing = () => (fence ? `${fence}\n` : '') + '</details>\n'.repeat(openDetails);
  // Room for the note and for closing whatever is open (fences grow with the backticks inside, so allow some).
  const budget = maxBytes - Buffer.byteLength(note, 'utf8') - 1024;
  const kept: string[] = [];
  let used = 0;
  for (const line of markdown.split('\n')) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (used + size + Buffer.byteLength(closing(), 'utf8') > budget) break;
    kept.push(line);
    used += size;
    const marker = FENCE.exec(line)?.[1];
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && line.trim() === fence) fence = undefined;
    else if (fence === undefined) {
      openDetails += (line.match(/<details>/g) ?? []).length;
      openDetails = Math.max(0, openDetails - (line.match(/<\/details>/g) ?? []).length);
    }
  }
  // A line longer than the whole budget is cut by characters.
  if (kept.length === 0)
    kept.push(
      Buffer.from(markdown, 'utf8')
        .subarray(0, budget)
        .toString('utf8')
        .replace(/\uFFFD$/, ''),
    );
  return `${kept.join('\n')}\n${closing()}${note}`;
}
