// Issue 12: every bad input gets one line naming the input, a non-zero exit, and no report. All of these are
// refused while reading the inputs or probing the interpreter, so no Python runs.
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { badInputProblems, runAction } from '@hokusai/action-harness';

const root = mkdtempSync(path.join(tmpdir(), 'psc-bad-'));
const workspace = path.join(root, 'workspace');
mkdirSync(path.join(workspace, 'src'), { recursive: true });
mkdirSync(path.join(root, 'outside'), { recursive: true });
writeFileSync(path.join(root, 'outside', 'x.py'), 'x = 1\n');
symlinkSync(path.join(root, 'outside'), path.join(workspace, 'linked'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  name: string;
  inputs: Record<string, string>;
  input: string;
  says?: string | RegExp;
}
const long = (n: number, c = 'a') => c.repeat(n);
const cases: Case[] = [
  { name: 'exclude unclosed [', inputs: { exclude: '[' }, input: 'exclude', says: '"[" is not closed' },
  {
    name: 'exclude unclosed {',
    inputs: { exclude: 'src/{a,b' },
    input: 'exclude',
    says: '"{" is not closed',
  },
  { name: 'exclude stray }', inputs: { exclude: 'a}' }, input: 'exclude' },
  { name: 'exclude stray ]', inputs: { exclude: 'a]' }, input: 'exclude' },
  { name: 'exclude second pattern bad', inputs: { exclude: 'tests\n*.[ch' }, input: 'exclude' },
  { name: 'paths unclosed [', inputs: { paths: 'src/[ab.py' }, input: 'paths' },
  {
    name: 'paths above the workspace',
    inputs: { paths: '..' },
    input: 'paths',
    says: 'outside the workspace',
  },
  { name: 'paths absolute', inputs: { paths: '/etc' }, input: 'paths' },
  { name: 'paths through a symlink', inputs: { paths: 'linked' }, input: 'paths', says: 'outside' },
  { name: 'paths glob above the workspace', inputs: { paths: '../**/*.py' }, input: 'paths' },
  { name: 'paths glob through a symlink', inputs: { paths: 'linked/**/*.py' }, input: 'paths' },
  { name: 'paths second line outside', inputs: { paths: 'src\n../../etc' }, input: 'paths' },
  { name: 'paths control character', inputs: { paths: 'src/\u0007x.py' }, input: 'paths' },
  { name: 'python option', inputs: { python: '-c' }, input: 'python' },
  { name: 'python newline', inputs: { python: 'python3\n::error::x' }, input: 'python' },
  { name: 'python 128 KB', inputs: { python: long(128_000) }, input: 'python', says: '128000 characters' },
  { name: 'python not found', inputs: { python: 'python9.99' }, input: 'python', says: 'not found' },
  {
    name: 'python not Python',
    inputs: { python: '/bin/true' },
    input: 'python',
    says: 'did not answer like a Python',
  },
  { name: 'python not executable', inputs: { python: '/etc/hostname' }, input: 'python' },
  { name: 'changed-since option', inputs: { 'changed-since': '--output=/tmp/x' }, input: 'changed-since' },
  { name: 'changed-since space', inputs: { 'changed-since': 'main other' }, input: 'changed-since' },
  { name: 'respect-gitignore yes', inputs: { 'respect-gitignore': 'yes' }, input: 'respect-gitignore' },
  { name: 'fail-on-error 0', inputs: { 'fail-on-error': '0' }, input: 'fail-on-error' },
  { name: 'fail-on-error 128 KB', inputs: { 'fail-on-error': long(128_000) }, input: 'fail-on-error' },
];

describe('python-syntax-check: one line per bad input', () => {
  test.each(cases)('$name', async ({ inputs, input, says }) => {
    const run = await runAction({ action: 'python-syntax-check', workspace, inputs, timeoutMs: 60_000 });
    try {
      expect(await badInputProblems(run, { input, says })).toEqual([]);
      expect(run.outputs.report ?? '').toBe('');
    } finally {
      await run.cleanup();
    }
  });
});
