// Parses the `imports` input into import steps. Only import statements and dotted names are accepted: the steps
// are handed to the harness as data, so nothing a user writes in this input is ever run as code.
import { ConfigurationError, shorten } from '@hokusai/action-kit';

/** One thing to do in the fresh interpreter; `module` and `name`/`attribute` are validated Python names. */
export type ImportStep =
  | { kind: 'module'; module: string }
  | { kind: 'from'; module: string; name: string }
  | { kind: 'star'; module: string }
  | { kind: 'attribute'; module: string; attribute: string };

export interface ImportSpec {
  /** The line as the user wrote it (trimmed): the label in logs, the summary and the report. */
  text: string;
  steps: ImportStep[];
}

// Hard keywords can never be module or attribute names; soft keywords (match, case, type, _) can.
const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for ' +
    'from global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);
const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

function isIdentifier(word: string): boolean {
  return IDENTIFIER.test(word) && !KEYWORDS.has(word);
}

function isDotted(text: string): boolean {
  return text.split('.').every(isIdentifier);
}

/** `name` or `name as alias`; the alias only has to be a valid name (it binds nothing in the harness). */
function importedName(part: string, dotted: boolean): string | undefined {
  const words = part.trim().split(/\s+/);
  const valid = dotted ? isDotted : isIdentifier;
  if (words.length === 1 && valid(words[0]!)) return words[0];
  if (words.length === 3 && valid(words[0]!) && words[1] === 'as' && isIdentifier(words[2]!)) return words[0];
  return undefined;
}

function commaList(text: string): string[] | undefined {
  const parts = text.split(',');
  // A trailing comma is only legal inside parentheses; the caller strips them and allows it.
  return parts.some((p) => p.trim() === '') ? undefined : parts;
}

/** Parses one line; undefined when it is not an import statement, a module or module:attribute. */
export function parseImportLine(line: string): ImportSpec | undefined {
  const text = line.trim();
  let match: RegExpExecArray | null;
  if ((match = /^import\s+(.+)$/su.exec(text))) {
    const parts = commaList(match[1]!);
    const modules = parts?.map((p) => importedName(p, true));
    if (!modules || modules.some((m) => m === undefined)) return undefined;
    return { text, steps: modules.map((module) => ({ kind: 'module', module: module! })) };
  }
  if ((match = /^from\s+(\S+)\s+import(?:\s+|(?=\())(.+)$/su.exec(text))) {
    const module = match[1]!;
    if (!isDotted(module)) return undefined;
    let names = match[2]!.trim();
    if (names === '*') return { text, steps: [{ kind: 'star', module }] };
    const parenthesised = /^\((.*)\)$/su.exec(names);
    if (parenthesised) names = parenthesised[1]!.trim().replace(/,$/, '');
    const parts = commaList(names);
    const imported = parts?.map((p) => importedName(p, false));
    if (!imported || imported.some((n) => n === undefined)) return undefined;
    return { text, steps: imported.map((name) => ({ kind: 'from', module, name: name! })) };
  }
  if ((match = /^([^\s:]+)\s*:\s*([^\s:]+)$/u.exec(text))) {
    const [, module, attribute] = match;
    if (!isDotted(module!) || !isDotted(attribute!)) return undefined;
    return { text, steps: [{ kind: 'attribute', module: module!, attribute: attribute! }] };
  }
  if (isDotted(text)) return { text, steps: [{ kind: 'module', module: text }] };
  return undefined;
}

/** Every line of the `imports` input (blank lines and `#` comments dropped), duplicates once. */
export function parseImports(value: string, inputName = 'imports'): ImportSpec[] {
  const specs: ImportSpec[] = [];
  const seen = new Set<string>();
  for (const raw of value.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const spec = parseImportLine(line);
    if (!spec) {
      throw new ConfigurationError(
        `invalid import ${shorten(line)} in input "${inputName}": expected an import statement ` +
          '(from pkg.module import name, import pkg.module), a module (pkg.module) or module:attribute',
      );
    }
    if (seen.has(spec.text)) continue;
    seen.add(spec.text);
    specs.push(spec);
  }
  if (specs.length === 0) {
    throw new ConfigurationError(`input "${inputName}" names no import (e.g. from src.api.main import app)`);
  }
  return specs;
}

/** The harness's command-line arguments for a spec's steps (see HARNESS_SOURCE). */
export function harnessArguments(steps: readonly ImportStep[]): string[] {
  return steps.map((s) => {
    switch (s.kind) {
      case 'module':
        return `M=${s.module}`;
      case 'from':
        return `F=${s.module}=${s.name}`;
      case 'star':
        return `S=${s.module}`;
      case 'attribute':
        return `A=${s.module}=${s.attribute}`;
    }
  });
}
