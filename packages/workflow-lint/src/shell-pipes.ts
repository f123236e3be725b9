// Finds the pipes in a run: script. A step without `shell: bash` runs `bash -e {0}`: no pipefail, so in
// `docker save "$IMAGE" | gzip > image.tar.gz` a failed save still passes the step. With `shell: bash` GitHub runs
// `bash --noprofile --norc -eo pipefail {0}`.
//
// A small scanner rather than a library: sh-syntax (mvdan/sh in wasm) hides node kinds from its AST, and
// shell-quote runs a comment on to the end of the whole script. Known over-report: the `a|b)` patterns of a `case`.

/** 1-based lines of every `|` or `|&` outside quotes, comments and here-document bodies (`||` is no pipe). */
export function pipeLines(script: string): number[] {
  const lines: number[] = [];
  const pendingHeredocs: { delimiter: string; stripTabs: boolean }[] = [];
  let line = 1;
  let i = 0;
  const n = script.length;
  const atWordStart = (at: number) => at === 0 || /[\s;&|()]/.test(script[at - 1]!);

  while (i < n) {
    const c = script[i]!;
    if (c === '\n') {
      line++;
      i++;
      // Here-document bodies start on the line after their `<<WORD`.
      while (pendingHeredocs.length > 0 && i < n) {
        const { delimiter, stripTabs } = pendingHeredocs.shift()!;
        for (;;) {
          const end = script.indexOf('\n', i);
          const text = script.slice(i, end < 0 ? n : end);
          i = end < 0 ? n : end + 1;
          line++;
          if ((stripTabs ? text.replace(/^\t+/, '') : text) === delimiter || end < 0) break;
        }
      }
      continue;
    }
    if (c === '\\') {
      if (script[i + 1] === '\n') line++;
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? n : end + 1;
      line += countNewlines(script, i, stop);
      i = stop;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && script[j] !== '"') {
        if (script[j] === '$' && script[j + 1] === '(') {
          // A command substitution inside quotes is a script of its own: its pipes count.
          const close = closingParen(script, j + 1);
          const base = line + countNewlines(script, i, j + 2);
          for (const inner of pipeLines(script.slice(j + 2, close))) lines.push(base + inner - 1);
          j = close + 1;
          continue;
        }
        j += script[j] === '\\' ? 2 : 1;
      }
      const stop = Math.min(n, j + 1);
      line += countNewlines(script, i, stop);
      i = stop;
      continue;
    }
    if (c === '#' && atWordStart(i)) {
      const end = script.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '<' && script[i + 1] === '<' && script[i + 2] !== '<') {
      const heredoc = /^<<(-?)\s*(['"]?)([A-Za-z0-9_.-]+)\2/.exec(script.slice(i));
      if (heredoc) {
        pendingHeredocs.push({ delimiter: heredoc[3]!, stripTabs: heredoc[1] === '-' });
        i += heredoc[0].length;
        continue;
      }
    }
    if (c === '|') {
      if (script[i + 1] === '|') {
        i += 2;
        continue;
      }
      lines.push(line);
    }
    i++;
  }
  return [...new Set(lines)].sort((a, b) => a - b);
}

/** Index of the `)` closing the `(` at `open` (quotes inside are skipped); the text's end when there is none. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    const c = text[k];
    if (c === '\\') k++;
    else if (c === "'") k = text.indexOf("'", k + 1) < 0 ? text.length : text.indexOf("'", k + 1);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return k;
  }
  return text.length;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) if (text[k] === '\n') count++;
  return count;
}

/** Whether a script turns pipefail on itself (`set -o pipefail`, `set -euo pipefail`) before line `before`. */
export function setsPipefail(script: string, before: number): boolean {
  return script
    .split('\n')
    .slice(0, before - 1)
    .some((text) => /^\s*set\s(.*\s)?-[a-zA-Z]*o\s+pipefail\b/.test(text));
}

/**
 * Whether a step's effective `shell:` runs bash with pipefail: `bash` (GitHub's `bash --noprofile --norc -eo
 * pipefail {0}`) or a custom command line that says pipefail. undefined (no shell given anywhere) is GitHub's
 * default `bash -e {0}` on Linux: no pipefail.
 */
export function shellHasPipefail(shell: string | undefined): boolean {
  if (shell === undefined) return false;
  const value = shell.trim();
  return value === 'bash' || (/\bbash\b/.test(value) && /pipefail/.test(value));
}

/** Shells the rule does not look into (not POSIX-like: their pipes are something else). */
export function isNonPosixShell(shell: string | undefined): boolean {
  return shell !== undefined && /^(pwsh|powershell|cmd|python)\b/.test(shell.trim());
}
