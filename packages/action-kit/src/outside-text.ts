// Text someone else wrote — container log lines, response bodies, module output, exception messages, file names,
// stopped reasons — made inert for the GitHub Actions runner before it reaches the step log.
//
// What the runner acts on (actions/runner, src/Runner.Worker/Handlers/OutputManager.cs, ActionCommandManager.cs,
// src/Runner.Common/ActionCommand.cs, read at 258d6c8):
// - stdout AND stderr are read line by line with StreamReader.ReadLine, which ends a line at "\n", "\r" or "\r\n";
// - a line is a command when, after String.TrimStart() (every char.IsWhiteSpace character: Zs, U+2028/2029, \t-\r,
//   U+0085), it starts with "::" and has a second "::" (TryParseV2), or when it contains "##[" ANYWHERE followed by
//   "]" (the legacy TryParse); command names are matched case-insensitively;
// - the runner is not in invariant-globalization mode, so StartsWith/IndexOf compare linguistically (ICU), where
//   format characters such as U+200B are ignorable;
// - lines inside `::stop-commands::TOKEN` … `::TOKEN::` are not executed but are still written to the log raw, and
//   the log viewer draws `##[group]`, `##[error]` … markers it finds there (that is why the runner rewrites its own
//   `##[start-action` markers in user output).
//
// So each line is neutralised rather than fenced with stop-commands: a fence would still show forged `##[…]`
// markers, and it makes every command from this process (stdout and stderr share one command manager) silently
// void until the token comes back. Neutralising, line by line:
// 1. ANSI colour codes (SGR) are dropped; every other control, format and line/paragraph-separator character except
//    the tab is written as a visible escape (`\r`, `\n`, `\x1b`, `\u200b`), so nothing splits a line, hides text or
//    is ignorable when the runner compares;
// 2. every `##[` becomes `##\[`, which the runner's IndexOf("##[") no longer finds;
// 3. a line whose first non-blank characters are `::` gets a `\` before them, so TryParseV2 does not see "::" first.
// @actions/core already escapes `%`, `\r` and `\n` in annotation messages and properties (`%25`, `%0D`, `%0A`), so an
// annotation cannot end early; its text goes through the same neutralising for display.

/** Characters shown as escapes: C0/C1 controls except tab and newline, DEL, format characters, U+2028/U+2029. */
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/gu;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;:]*m/g;
const SHORT_ESCAPES: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\u001b': '\\x1b' };

function escapeCharacter(c: string): string {
  const short = SHORT_ESCAPES[c];
  if (short) return short;
  const code = c.codePointAt(0)!;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Neutralises one line that holds no line break any more (steps 2 and 3 above). */
function neutraliseLine(line: string): string {
  const noLegacy = line.replace(/##\[/g, '##\\[');
  return noLegacy.replace(/^(\s*)::/, '$1\\::');
}

/**
 * One line of outside text, inert for the runner: line breaks and other control or format characters become
 * visible escapes (`\n`, `\r`, `\x1b`, `\u200b`), colour codes are dropped, `##[` becomes `##\[`, and a leading
 * `::` (after any blanks) gets a `\` in front. The result holds no line break. Printed on its own or after a prefix
 * that does not end in `#` or `:`, no runner parses it as a workflow command.
 */
export function inertLine(text: string): string {
  const visible = text.replace(SGR, '').replace(ESCAPED, escapeCharacter).replace(/\n/g, '\\n');
  return neutraliseLine(visible);
}

/**
 * Several lines of outside text, each made inert as `inertLine` does; line breaks (`\n`, `\r\n`, a lone `\r`) are
 * kept as `\n`, so a log tail still reads as lines. A trailing line break is dropped.
 */
export function inertText(text: string): string {
  return text
    .replace(/\r\n|\r/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => inertLine(line))
    .join('\n');
}

/**
 * Whether the runner would try to read `line` (one line, no line break) as a workflow command: the `::name…::`
 * form after leading blanks, or a `##[name…]` anywhere. Conservative: it does not ask whether the name is one the
 * runner knows. `inertLine` never returns a line this accepts.
 */
export function looksLikeWorkflowCommand(line: string): boolean {
  const trimmed = line.replace(/^[\s\u0085]+/, '');
  if (trimmed.startsWith('::') && trimmed.indexOf('::', 2) >= 0) return true;
  const legacy = line.indexOf('##[');
  return legacy >= 0 && line.indexOf(']', legacy) >= 0;
}
