// Reads action inputs the way the runner provides them (INPUT_<NAME> variables), without @actions/core,
// so getInputs() functions can be tested with a plain object for an environment.
import { ConfigurationError } from './errors.js';
import { parseDuration, type DurationBounds } from './duration.js';
import { parseBoolean, parseInteger, parseList } from './input-parsing.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The environment variable the runner sets for an input: spaces become `_`, upper case, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface InputReader {
  /** The trimmed value, or '' when unset. */
  string(name: string): string;
  /** The trimmed value; a ConfigurationError when unset or empty. */
  required(name: string): string;
  /** The value with surrounding whitespace kept (multi-line inputs, file contents). */
  raw(name: string): string;
  boolean(name: string, fallback: boolean): boolean;
  /** Milliseconds, within `bounds` (at most MAX_DURATION_MS, a day, whatever the bounds say). */
  duration(name: string, fallback: string, bounds?: DurationBounds): number;
  integer(name: string, fallback: number, range?: { min?: number; max?: number }): number;
  list(name: string, options?: { commas?: boolean; spaces?: boolean }): string[];
}

export function createInputReader(env: Environment = process.env): InputReader {
  const raw = (name: string) => env[inputVariable(name)] ?? '';
  const string = (name: string) => raw(name).trim();
  return {
    raw,
    string,
    required(name) {
      const value = string(name);
      if (value === '') throw new ConfigurationError(`input "${name}" is required and was not supplied`);
      return value;
    },
    boolean(name, fallback) {
      const value = string(name);
      return value === '' ? fallback : parseBoolean(value, name);
    },
    duration(name, fallback, bounds) {
      const value = string(name);
      return parseDuration(value === '' ? fallback : value, name, bounds);
    },
    integer(name, fallback, range) {
      const value = string(name);
      return value === '' ? fallback : parseInteger(value, name, range);
    },
    list(name, options) {
      return parseList(raw(name), options);
    },
  };
}
