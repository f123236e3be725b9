// Reads and validates the action's inputs (names exactly as in action.yml).
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigurationError,
  createInputReader,
  parseChoice,
  parseList,
  type Environment,
} from '@hokusai/action-kit';
import type { MypyMode } from './mypy-report.js';
import { splitPathsInput } from './file-discovery.js';

export interface Inputs {
  paths: string[];
  exclude: string[];
  'respect-gitignore': boolean;
  python: string;
  'changed-since': string | undefined;
  'fail-on-error': boolean;
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
  const python = input.string('python') || 'python3';
  if (python.startsWith('-')) throw new ConfigurationError(`invalid value "${python}" for input "python"`);
  const changedSince = input.string('changed-since');
  // A ref is passed to git as an argument: one that starts with "-" would be read as an option.
  if (changedSince.startsWith('-') || /\s/.test(changedSince)) {
    throw new ConfigurationError(`invalid git ref "${changedSince}" for input "changed-since"`);
  }
  return {
    paths,
    // Not split at commas: a brace pattern such as {a,b} contains them.
    exclude: parseList(input.raw('exclude'), { spaces: true }),
    'respect-gitignore': input.boolean('respect-gitignore', true),
    python,
    'changed-since': changedSince === '' ? undefined : changedSince,
    'fail-on-error': input.boolean('fail-on-error', true),
    mypy: parseChoice(input.string('mypy') || 'auto', 'mypy', ['auto', 'true', 'false'] as const),
  };
}
