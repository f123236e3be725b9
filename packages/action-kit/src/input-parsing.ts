// Parsers for the text of action inputs. Each error quotes the input name and the bad value.
import { ConfigurationError } from './errors.js';
import { inertLine } from './outside-text.js';

/** Longest value an error message quotes in full; longer ones are cut at this many characters. */
export const SHOWN_VALUE_LENGTH = 80;

/**
 * A value quoted for an error message: `"…"`, control characters escaped (one line, inert for the runner), cut
 * after `max` characters with the full length said, e.g. `"aaaa…" (128000 characters)`.
 */
export function shorten(value: string, max = SHOWN_VALUE_LENGTH): string {
  const chars = [...value];
  const cut = chars.length > max;
  const text = inertLine(cut ? chars.slice(0, max).join('') : value).replace(/"/g, '\\"');
  return cut ? `"${text}…" (${chars.length} characters)` : `"${text}"`;
}

/** Newline-separated items (commas too when `commas` is set); blank lines and `#` comments dropped. */
export function parseList(value: string, options: { commas?: boolean; spaces?: boolean } = {}): string[] {
  let separator = /\r?\n/;
  if (options.commas && options.spaces) separator = /[\r\n,\s]+/;
  else if (options.commas) separator = /[\r\n,]+/;
  else if (options.spaces) separator = /\s+/;
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'));
}

const TRUE_VALUES = new Set(['true', 'True', 'TRUE']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core-schema booleans only, as @actions/core's getBooleanInput accepts. */
export function parseBoolean(value: string, inputName: string): boolean {
  const text = value.trim();
  if (TRUE_VALUES.has(text)) return true;
  if (FALSE_VALUES.has(text)) return false;
  throw new ConfigurationError(
    `invalid boolean ${shorten(value)} for input "${inputName}" (use true or false)`,
  );
}

/** A whole number within [min, max]. */
export function parseInteger(
  value: string,
  inputName: string,
  range: { min?: number; max?: number } = {},
): number {
  const text = value.trim();
  if (!/^-?\d+$/.test(text)) {
    throw new ConfigurationError(`invalid integer ${shorten(value)} for input "${inputName}"`);
  }
  const n = Number(text);
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  if (n < min || n > max) {
    const bounds = range.max === undefined ? `at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigurationError(
      `invalid value ${shorten(value)} for input "${inputName}": must be ${bounds}`,
    );
  }
  return n;
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(value: string, inputName: string, choices: readonly T[]): T {
  const text = value.trim();
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new ConfigurationError(
    `invalid value ${shorten(value)} for input "${inputName}" (expected one of: ${choices.join(', ')})`,
  );
}

/**
 * `KEY=VALUE` lines into ordered pairs; the value may contain `=`; blank lines and `#` comments dropped. Such inputs
 * carry secrets (database URLs, API keys), so a malformed line is reported by its line number only: neither its
 * name nor its value is quoted (`SECRET_TOKEN s3cr3t` has no `=`, so nothing tells the name from the value).
 * `name` narrows the names allowed (default: a letter or `_`, then letters, digits, `_`, `.`, `-`).
 */
export function parseKeyValueLines(
  value: string,
  inputName: string,
  name: { pattern: RegExp; rule: string } = {
    pattern: /^[A-Za-z_][A-Za-z0-9_.-]*$/,
    rule: 'letters, digits, "_", "." and "-", not starting with a digit',
  },
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const lines = value.split(/\r\n|\r|\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `input "${inputName}", line ${index + 1}`;
    const eq = line.indexOf('=');
    if (eq === -1) {
      throw new ConfigurationError(
        `${where}: expected NAME=value (the line is not shown: values of "${inputName}" are treated as secrets)`,
      );
    }
    const key = line.slice(0, eq).trim();
    if (key === '') throw new ConfigurationError(`${where}: the name before "=" is empty`);
    if (!name.pattern.test(key)) {
      throw new ConfigurationError(
        `${where}: invalid name before "=" (use ${name.rule}; the line is not shown: values of "${inputName}" are treated as secrets)`,
      );
    }
    pairs.push([key, line.slice(eq + 1)]);
  }
  return pairs;
}

/** A percentage such as `1%`, `0.5%` or a plain fraction `0.01`, as a fraction in [0, 1]. */
export function parsePercentage(value: string, inputName: string): number {
  const text = value.trim();
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text);
  const n = match ? Number(match[1]) / (match[2] === '%' ? 100 : 1) : NaN;
  if (!match || !(n >= 0 && n <= 1)) {
    throw new ConfigurationError(
      `invalid percentage ${shorten(value)} for input "${inputName}" (use e.g. 1% or 0.01)`,
    );
  }
  return n;
}
