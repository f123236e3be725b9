// mypy's text output as data: `file:line:column: error: message  [code]` lines (with --show-column-numbers and
// --show-error-codes, both stable since mypy 0.9x), notes folded into the message they follow. Pure.

export interface MypyMessage {
  file: string;
  line: number;
  /** 1-based; undefined when mypy gave none. */
  column?: number;
  message: string;
  /** The error code, e.g. `arg-type`; undefined when mypy printed none. */
  code?: string;
}

const LINE = /^(.+?):(\d+):(?:(\d+):)? (error|note|warning): (.*?)(?: {2}\[([\w-]+)\])?$/;

/**
 * The errors in mypy's output. A `note` on the same file and line as the error before it (e.g. `See
 * https://mypy.rtfd.io/...`, `Revealed type is ...`) is appended to that error's message; other notes are dropped.
 * Lines that are not messages (a summary, a crash banner) are ignored: mypy's exit status says what happened.
 */
export function parseMypyOutput(text: string): MypyMessage[] {
  const messages: MypyMessage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const match = LINE.exec(raw);
    if (!match) continue;
    const [, file, line, column, severity, message, code] = match;
    const last = messages[messages.length - 1];
    if (severity === 'note') {
      if (last && last.file === file && last.line === Number(line)) last.message += `\n${message}`;
      continue;
    }
    messages.push({
      file: file!,
      line: Number(line),
      ...(column !== undefined && Number(column) >= 1 ? { column: Number(column) } : {}),
      message: message!,
      ...(code ? { code } : {}),
    });
  }
  return messages;
}
