// Finds the line a person needs in a crashed container's log tail: the last exception (Python tracebacks first).

const EXCEPTION_LINE =
  /^(?:[A-Za-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning|Failure)(?::\s.*)?$/;
const SYNTAX_FAMILY = /^(?:SyntaxError|IndentationError|TabError)\b/;
const FILE_LINE = /^\s*File "([^"]+)", line (\d+)/;

/**
 * The last exception line of a log tail, e.g. `SyntaxError: invalid syntax (model_registry.py, line 26)`.
 * For syntax errors Python prints the location on the `File "…", line N` line above; it is folded back in the way
 * `str(SyntaxError)` reads. Falls back to the last non-blank line, or undefined for an empty tail.
 */
export function lastExceptionLine(lines: readonly string[]): string | undefined {
  const trimmed = lines.map((line) => line.replace(/\s+$/, ''));
  for (let i = trimmed.length - 1; i >= 0; i--) {
    const line = trimmed[i]!.trim();
    if (!EXCEPTION_LINE.test(line)) continue;
    if (SYNTAX_FAMILY.test(line) && !/\(.+, line \d+\)$/.test(line)) {
      for (let j = i - 1; j >= 0 && j >= i - 6; j--) {
        const where = FILE_LINE.exec(trimmed[j]!);
        if (where) {
          const file = where[1]!.slice(where[1]!.lastIndexOf('/') + 1);
          return `${line} (${file}, line ${where[2]})`;
        }
      }
    }
    return line;
  }
  return trimmed
    .reverse()
    .find((line) => line.trim() !== '')
    ?.trim();
}
