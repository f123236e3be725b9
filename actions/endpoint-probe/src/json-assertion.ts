// The expect-json assertion language: parsed once at input time, evaluated against each JSON body. No eval.
//
// Grammar (one assertion per line or list item):
//   assertion := target 'exists' | target 'not exists' | target OP literal | target 'matches' /regex/flags
//   target    := path | 'length(' path ')'
//   path      := '$' | ['$.'] (key | step) step*     step := '.' key | '[' index ']' | '["' quoted key '"]'
//   key       := [A-Za-z_][A-Za-z0-9_-]*          index := non-negative integer
//   OP        := '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains'
//   literal   := a JSON value ("ok", 1, 1.5, true, false, null, [..], {..}) or a 'single-quoted' string
// Examples: `status == "ok"`, `experiments exists`, `length(experiments) >= 1`, `a.b[0].c != null`.

import { compileUserRegex, UserRegexError, type UserRegex } from './user-regex.js';

export type PathStep = { key: string } | { index: number };

export type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains';

export type JsonAssertion =
  | { source: string; path: PathStep[]; length: boolean; kind: 'exists' }
  | { source: string; path: PathStep[]; length: boolean; kind: 'not-exists' }
  | { source: string; path: PathStep[]; length: boolean; kind: 'compare'; op: Operator; value: unknown }
  | { source: string; path: PathStep[]; length: boolean; kind: 'matches'; pattern: UserRegex };

/** Thrown for an assertion that does not parse; the caller adds the input name. */
export class AssertionSyntaxError extends Error {
  override readonly name = 'AssertionSyntaxError';
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*/;
const OPERATORS: Operator[] = ['==', '!=', '<=', '>=', '<', '>'];

/** Parses a path from the start of `text`; returns the steps and the rest of the text. */
function parsePath(text: string): { path: PathStep[]; rest: string } {
  let rest = text;
  const path: PathStep[] = [];
  if (rest.startsWith('$')) {
    rest = rest.slice(1);
    if (rest.startsWith('.')) rest = rest.slice(1);
    else if (rest === '' || /^[\s)[]/.test(rest)) return continueSteps(path, rest);
  }
  if (rest.startsWith('[')) return continueSteps(path, rest);
  const first = KEY.exec(rest);
  if (!first) throw new AssertionSyntaxError('expected a field name such as status or a.b[0].c');
  path.push({ key: first[0] });
  return continueSteps(path, rest.slice(first[0].length));
}

function continueSteps(path: PathStep[], text: string): { path: PathStep[]; rest: string } {
  let rest = text;
  for (;;) {
    if (rest.startsWith('.')) {
      const key = KEY.exec(rest.slice(1));
      if (!key) throw new AssertionSyntaxError(`expected a field name after "." at "${rest}"`);
      path.push({ key: key[0] });
      rest = rest.slice(1 + key[0].length);
    } else if (rest.startsWith('["')) {
      const end = rest.indexOf('"]', 2);
      if (end === -1) throw new AssertionSyntaxError(`unterminated ["..."] at "${rest}"`);
      path.push({ key: rest.slice(2, end) });
      rest = rest.slice(end + 2);
    } else if (rest.startsWith('[')) {
      const index = /^\[(\d+)\]/.exec(rest);
      if (!index) throw new AssertionSyntaxError(`expected [<index>] or ["<key>"] at "${rest}"`);
      path.push({ index: Number(index[1]) });
      rest = rest.slice(index[0].length);
    } else {
      return { path, rest };
    }
  }
}

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if (t === '') throw new AssertionSyntaxError('expected a value after the operator');
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1);
  try {
    return JSON.parse(t) as unknown;
  } catch {
    throw new AssertionSyntaxError(`value ${t} is not JSON (quote strings: "ok")`);
  }
}

/** A regex on RE2JS's linear-time engine (see user-regex.ts), so no pattern can freeze the action. */
function parseRegex(text: string): UserRegex {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(text.trim());
  if (!match) throw new AssertionSyntaxError('expected /regex/ after "matches"');
  try {
    return compileUserRegex(match[1]!, match[2]);
  } catch (error) {
    if (error instanceof UserRegexError) throw new AssertionSyntaxError(`bad regex: ${error.message}`);
    throw error;
  }
}

/** Parses one assertion; throws AssertionSyntaxError saying what is wrong. */
export function parseJsonAssertion(source: string): JsonAssertion {
  const text = source.trim();
  if (text === '') throw new AssertionSyntaxError('empty assertion');
  let length = false;
  let parsed: { path: PathStep[]; rest: string };
  if (text.startsWith('length(')) {
    length = true;
    parsed = parsePath(text.slice('length('.length).trimStart());
    const close = parsed.rest.trimStart();
    if (!close.startsWith(')')) throw new AssertionSyntaxError('expected ")" to close length(');
    parsed = { path: parsed.path, rest: close.slice(1) };
  } else {
    parsed = parsePath(text);
  }
  const { path } = parsed;
  const rest = parsed.rest.trim();
  if (rest === 'exists') return { source: text, path, length, kind: 'exists' };
  if (rest === 'not exists') return { source: text, path, length, kind: 'not-exists' };
  if (rest.startsWith('matches')) {
    return { source: text, path, length, kind: 'matches', pattern: parseRegex(rest.slice('matches'.length)) };
  }
  if (/^contains\b/.test(rest)) {
    const value = parseLiteral(rest.slice('contains'.length));
    return { source: text, path, length, kind: 'compare', op: 'contains', value };
  }
  const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
  if (!op) {
    throw new AssertionSyntaxError(
      `expected exists, not exists, ==, !=, <, <=, >, >=, contains or matches after the path, got "${rest}"`,
    );
  }
  const value = parseLiteral(rest.slice(op.length));
  if (['<', '<=', '>', '>='].includes(op) && typeof value !== 'number') {
    throw new AssertionSyntaxError(`${op} needs a number, got ${JSON.stringify(value)}`);
  }
  if (length && typeof value !== 'number' && op !== '==' && op !== '!=') {
    throw new AssertionSyntaxError('length() compares with a number');
  }
  return { source: text, path, length, kind: 'compare', op, value };
}

export function formatPath(path: PathStep[]): string {
  if (path.length === 0) return '$';
  return path
    .map((step, i) => {
      if ('index' in step) return `[${step.index}]`;
      return KEY.exec(step.key)?.[0] === step.key ? `${i === 0 ? '' : '.'}${step.key}` : `["${step.key}"]`;
    })
    .join('');
}

const MISSING = Symbol('missing');

function resolvePath(document: unknown, path: PathStep[]): unknown {
  let current: unknown = document;
  for (const step of path) {
    if ('index' in step) {
      if (!Array.isArray(current) || step.index >= current.length) return MISSING;
      current = current[step.index];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return MISSING;
      if (!Object.hasOwn(current, step.key)) return MISSING;
      current = (current as Record<string, unknown>)[step.key];
    }
  }
  return current;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A value for a message: redacted, then cut (the other way round would leave the start of a secret). */
function describeWith(redact: (text: string) => string): (value: unknown) => string {
  return (value) => {
    const text = redact(JSON.stringify(value) ?? String(value));
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
}

/**
 * Evaluates an assertion; returns null when it holds, otherwise why it does not. `redact` is applied to every value
 * the message quotes, before it is shortened.
 */
export function evaluateJsonAssertion(
  assertion: JsonAssertion,
  document: unknown,
  redact: (text: string) => string = (text) => text,
): string | null {
  const describe = describeWith(redact);
  const where = formatPath(assertion.path);
  let value = resolvePath(document, assertion.path);
  if (assertion.kind === 'not-exists') {
    return value === MISSING ? null : `${where} exists (${describe(value)})`;
  }
  if (value === MISSING) return `${where} is missing`;
  if (assertion.length) {
    if (typeof value === 'string' || Array.isArray(value)) value = value.length;
    else if (value !== null && typeof value === 'object') value = Object.keys(value).length;
    else return `length(${where}): ${where} is ${describe(value)}, not a list, object or string`;
  }
  const shown = assertion.length ? `length(${where})` : where;
  if (assertion.kind === 'exists') return null;
  if (assertion.kind === 'matches') {
    if (typeof value !== 'string') return `${shown} is ${describe(value)}, not a string`;
    return assertion.pattern.test(value)
      ? null
      : `${shown} is ${describe(value)}, does not match ${assertion.pattern.source}`;
  }
  const expected = assertion.value;
  switch (assertion.op) {
    case '==':
      return deepEqual(value, expected)
        ? null
        : `${shown} is ${describe(value)}, expected ${describe(expected)}`;
    case '!=':
      return deepEqual(value, expected) ? `${shown} is ${describe(value)}` : null;
    case 'contains':
      if (typeof value === 'string' && typeof expected === 'string') {
        return value.includes(expected)
          ? null
          : `${shown} is ${describe(value)}, does not contain ${describe(expected)}`;
      }
      if (Array.isArray(value)) {
        return value.some((item) => deepEqual(item, expected))
          ? null
          : `${shown} has no element ${describe(expected)}`;
      }
      return `${shown} is ${describe(value)}, not a string or list`;
    default: {
      if (typeof value !== 'number') return `${shown} is ${describe(value)}, not a number`;
      const n = expected as number;
      const holds =
        assertion.op === '<'
          ? value < n
          : assertion.op === '<='
            ? value <= n
            : assertion.op === '>'
              ? value > n
              : value >= n;
      return holds ? null : `${shown} is ${value}, expected ${assertion.op} ${n}`;
    }
  }
}
