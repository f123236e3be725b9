// Job summary building blocks as plain Markdown strings (pure; written out by writeSummary()).

/** Escapes text for a Markdown table cell or inline text: pipes, backticks, angle brackets, newlines. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*/g, '\\*')
    .replace(/_/g, '\\_')
    .replace(/\r?\n/g, '<br>');
}

/** Inline code that survives backticks inside the text. */
export function inlineCode(text: string): string {
  const clean = text.replace(/\r?\n/g, ' ');
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
    return raw.has(column) ? text.replace(/\r?\n/g, '<br>') : escapeMarkdown(text);
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
  const longestRun = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}\n`;
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

export function heading(text: string, level = 2): string {
  return `${'#'.repeat(level)} ${text}\n`;
}

export function link(text: string, url: string): string {
  return `[${escapeMarkdown(text)}](${url.replace(/\)/g, '%29').replace(/ /g, '%20')})`;
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
