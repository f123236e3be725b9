// Reads and validates the action's inputs (names exactly as in action.yml).
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigurationError,
  confinePath,
  createInputReader,
  parseChoice,
  parseList,
  shorten,
  type Environment,
} from '@hokusai/action-kit';
import type { MypyMode } from './mypy-report.js';
import { splitPathsInput } from './file-discovery.js';
import { hasGlobMagic, staticBase } from './glob-pattern.js';

export interface Inputs {
  paths: string[];
  exclude: string[];
  'respect-gitignore': boolean;
  python: string;
  'changed-since': string | undefined;
  'fail-on-error': boolean;
  /** Pass when `paths` matches no Python file at all (otherwise that fails: the gate would have checked nothing). */
  'allow-empty': boolean;
  /** auto: when the repository configures mypy; true: always; false: never. */
  mypy: MypyMode;
}

/** `workspace` lets a line of `paths` that names an existing file with spaces stay whole. */
export function getInputs(env: Environment, workspace: string): Inputs {
  const input = createInputReader(env);
  const pathsText = input.raw('paths');
  const paths = splitPathsInput(pathsText.trim() === '' ? '.' : pathsText, (entry) =>
    existsSync(path.resolve(workspace, entry)),
  );
  for (const entry of paths) {
    validateGlob(entry, 'paths');
    // One shared check (symlinks resolved): a file, folder or a glob's fixed start must be inside the workspace.
    confinePath(hasGlobMagic(entry) ? staticBase(entry) || '.' : entry, 'paths', { workspace, kind: 'any' });
  }
  const python = input.string('python') || 'python3';
  // eslint-disable-next-line no-control-regex
  if (python.startsWith('-') || /[\u0000-\u001f]/.test(python) || python.length > 4096)
    throw new ConfigurationError(`invalid interpreter ${shorten(python)} for input "python"`);
  const changedSince = input.string('changed-since');
  // A ref is passed to git as an argument: one that starts with "-" would be read as an option.
  if (changedSince.startsWith('-') || /\s/.test(changedSince)) {
    throw new ConfigurationError(`invalid git ref ${shorten(changedSince)} for input "changed-since"`);
  }
  // Not split at commas: a brace pattern such as {a,b} contains them.
  const exclude = parseList(input.raw('exclude'), { spaces: true });
  for (const pattern of exclude) validateGlob(pattern, 'exclude');
  return {
    paths,
    exclude,
    'respect-gitignore': input.boolean('respect-gitignore', true),
    python,
    'changed-since': changedSince === '' ? undefined : changedSince,
    'fail-on-error': input.boolean('fail-on-error', true),
    'allow-empty': input.boolean('allow-empty', false),
    mypy: parseChoice(input.string('mypy') || 'auto', 'mypy', ['auto', 'true', 'false'] as const),
  };
}

/**
 * A glob must be well formed: every `[` closed by a `]` and every `{` by a `}` (glob-pattern.ts would otherwise read
 * an unclosed `[` as a literal and silently match nothing), and no control characters.
 */
export function validateGlob(pattern: string, inputName: string): void {
  const bad = (why: string) =>
    new ConfigurationError(`invalid glob ${shorten(pattern)} in input "${inputName}": ${why}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pattern)) throw bad('it holds a control character');
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) throw bad('"[" is not closed by "]"');
      i = close;
    } else if (c === ']') {
      throw bad('"]" without "["');
    } else if (c === '{') {
      braces++;
    } else if (c === '}') {
      if (braces === 0) throw bad('"}" without "{"');
      braces--;
    }
  }
  if (braces > 0) throw bad('"{" is not closed by "}"');
}
