import { describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getInputs, type Inputs } from '../src/inputs.js';
import { splitPathsInput } from '../src/file-discovery.js';

const workspace = mkdtempSync(path.join(tmpdir(), 'psc-inputs-'));
mkdirSync(path.join(workspace, 'my dir'));
writeFileSync(path.join(workspace, 'my dir', 'a b.py'), '');

const DEFAULTS: Inputs = {
  paths: ['.'],
  exclude: [],
  'respect-gitignore': true,
  python: 'python3',
  'changed-since': undefined,
  'fail-on-error': true,
  'allow-empty': false,
  mypy: 'auto',
};

describe('getInputs', () => {
  test.each<{ name: string; env: Record<string, string>; expected?: Partial<Inputs>; error?: string }>([
    { name: 'defaults when nothing is set', env: {}, expected: {} },
    {
      name: 'space- and newline-separated paths',
      env: { INPUT_PATHS: 'src tests\nscripts/run.py' },
      expected: { paths: ['src', 'tests', 'scripts/run.py'] },
    },
    {
      name: 'a line naming an existing path with spaces stays whole',
      env: { INPUT_PATHS: 'my dir/a b.py\nsrc' },
      expected: { paths: ['my dir/a b.py', 'src'] },
    },
    { name: 'blank paths means the workspace', env: { INPUT_PATHS: '  \n' }, expected: { paths: ['.'] } },
    { name: 'mypy: true', env: { INPUT_MYPY: 'true' }, expected: { mypy: 'true' } },
    { name: 'mypy: false', env: { INPUT_MYPY: 'false' }, expected: { mypy: 'false' } },
    {
      name: 'mypy: a word it does not know',
      env: { INPUT_MYPY: 'strict' },
      error: 'invalid value "strict" for input "mypy" (expected one of: auto, true, false)',
    },
    {
      name: 'exclude globs keep their braces whole',
      env: { INPUT_EXCLUDE: 'legacy {a,b}/*.py\n*_pb2.py' },
      expected: { exclude: ['legacy', '{a,b}/*.py', '*_pb2.py'] },
    },
    {
      name: 'booleans, python and changed-since',
      env: {
        'INPUT_RESPECT-GITIGNORE': 'false',
        'INPUT_FAIL-ON-ERROR': 'False',
        INPUT_PYTHON: ' /opt/py/bin/python3.12 ',
        'INPUT_CHANGED-SINCE': 'origin/main',
      },
      expected: {
        'respect-gitignore': false,
        'fail-on-error': false,
        python: '/opt/py/bin/python3.12',
        'changed-since': 'origin/main',
      },
    },
    {
      name: 'a non-boolean',
      env: { 'INPUT_RESPECT-GITIGNORE': 'yes' },
      error: 'invalid boolean "yes" for input "respect-gitignore" (use true or false)',
    },
    {
      name: 'a ref that git would read as an option',
      env: { 'INPUT_CHANGED-SINCE': '-p' },
      error: 'invalid git ref "-p" for input "changed-since"',
    },
    {
      name: 'a ref with a space',
      env: { 'INPUT_CHANGED-SINCE': 'main dev' },
      error: 'invalid git ref "main dev" for input "changed-since"',
    },
    {
      name: 'a python that looks like an option',
      env: { INPUT_PYTHON: '-c' },
      error: 'invalid interpreter "-c" for input "python"',
    },
  ])('$name', ({ env, expected, error }) => {
    if (error) {
      expect(() => getInputs(env, workspace)).toThrow(error);
    } else {
      expect(getInputs(env, workspace)).toEqual({ ...DEFAULTS, ...expected });
    }
  });
});

describe('splitPathsInput', () => {
  test.each([
    { text: 'a b\nc', existing: [], expected: ['a', 'b', 'c'] },
    { text: 'a b\nc', existing: ['a b'], expected: ['a b', 'c'] },
    { text: '# comment\n\n  src  \n', existing: [], expected: ['src'] },
    { text: 'a\tb', existing: [], expected: ['a', 'b'] },
  ])('$text with $existing existing', ({ text, existing, expected }) => {
    expect(splitPathsInput(text, (entry) => existing.includes(entry))).toEqual(expected);
  });
});
