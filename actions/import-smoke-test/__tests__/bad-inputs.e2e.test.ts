// Issue 12: every bad input gets one line naming the input (env values never shown), a non-zero exit, and no
// interpreter or container is started for it.
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { badInputProblems, runAction } from '@hokusai/action-harness';

const SECRET = 'p4ss-s3cr3t-4d1e';
const root = mkdtempSync(path.join(tmpdir(), 'smoke-bad-'));
const workspace = path.join(root, 'workspace');
mkdirSync(path.join(workspace, 'src'), { recursive: true });
mkdirSync(path.join(root, 'outside'), { recursive: true });
symlinkSync(path.join(root, 'outside'), path.join(workspace, 'linked'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  name: string;
  inputs: Record<string, string>;
  input: string;
  says?: string | RegExp;
  secrets?: string[];
}
const long = (n: number, c = 'a') => c.repeat(n);
const IMPORTS = { imports: 'import src' };
const cases: Case[] = [
  { name: 'imports missing', inputs: { imports: '' }, input: 'imports', says: 'is required' },
  { name: 'imports only comments', inputs: { imports: '# nothing' }, input: 'imports' },
  { name: 'imports code', inputs: { imports: 'import os; os.system("id")' }, input: 'imports' },
  { name: 'imports exec', inputs: { imports: '__import__("os").system("id")' }, input: 'imports' },
  { name: 'imports relative', inputs: { imports: 'from . import x' }, input: 'imports' },
  {
    name: 'imports 128 KB',
    inputs: { imports: long(128_000, '!') },
    input: 'imports',
    says: '128000 characters',
  },
  { name: 'imports lone CR', inputs: { imports: 'import src\r$(id)' }, input: 'imports' },
  { name: 'python option', inputs: { ...IMPORTS, python: '-c' }, input: 'python' },
  { name: 'python newline', inputs: { ...IMPORTS, python: 'python3\n::error::x' }, input: 'python' },
  { name: 'python not found', inputs: { ...IMPORTS, python: 'no-such-python-3.99' }, input: 'python' },
  { name: 'python not Python', inputs: { ...IMPORTS, python: '/bin/true' }, input: 'python' },
  {
    name: 'working-directory above the workspace',
    inputs: { ...IMPORTS, 'working-directory': '../..' },
    input: 'working-directory',
    says: 'outside the workspace',
  },
  {
    name: 'working-directory absolute',
    inputs: { ...IMPORTS, 'working-directory': '/etc' },
    input: 'working-directory',
  },
  {
    name: 'working-directory through a symlink',
    inputs: { ...IMPORTS, 'working-directory': 'linked' },
    input: 'working-directory',
  },
  {
    name: 'working-directory missing',
    inputs: { ...IMPORTS, 'working-directory': 'nope' },
    input: 'working-directory',
    says: 'does not exist',
  },
  {
    name: 'working-directory control character',
    inputs: { ...IMPORTS, 'working-directory': 'a\u0001b' },
    input: 'working-directory',
  },
  {
    name: 'pythonpath control character',
    inputs: { ...IMPORTS, pythonpath: 'lib\u0007' },
    input: 'pythonpath',
  },
  {
    name: 'env line without =',
    inputs: { ...IMPORTS, env: `SECRET_TOKEN ${SECRET}` },
    input: 'env',
    says: 'line 1',
    secrets: [SECRET, 'SECRET_TOKEN'],
  },
  { name: 'env =value', inputs: { ...IMPORTS, env: `=${SECRET}` }, input: 'env', secrets: [SECRET] },
  {
    name: 'env URL line without =',
    inputs: { ...IMPORTS, env: `A=1\nDATABASE_URL postgres://u:${SECRET}@db/app?sslmode=require` },
    input: 'env',
    says: 'line 2',
    secrets: [SECRET],
  },
  { name: 'env dotted name', inputs: { ...IMPORTS, env: 'A.B=1' }, input: 'env' },
  { name: 'env dash name', inputs: { ...IMPORTS, env: 'A-B=1' }, input: 'env' },
  { name: 'env digit name', inputs: { ...IMPORTS, env: '9A=1' }, input: 'env' },
  { name: 'image tag -bad', inputs: { ...IMPORTS, image: 'api:-bad' }, input: 'image' },
  { name: 'image option', inputs: { ...IMPORTS, image: '--privileged' }, input: 'image' },
  { name: 'image upper case', inputs: { ...IMPORTS, image: 'API:1' }, input: 'image' },
  { name: 'image 128 KB', inputs: { ...IMPORTS, image: long(128_000) }, input: 'image' },
  { name: 'image space', inputs: { ...IMPORTS, image: 'api latest' }, input: 'image' },
  { name: 'network option', inputs: { ...IMPORTS, image: 'api:1', network: '--net=host' }, input: 'network' },
  { name: 'network space', inputs: { ...IMPORTS, image: 'api:1', network: 'a b' }, input: 'network' },
  { name: 'network too long', inputs: { ...IMPORTS, image: 'api:1', network: long(300) }, input: 'network' },
  { name: 'timeout zero', inputs: { ...IMPORTS, timeout: '0s' }, input: 'timeout' },
  { name: 'timeout word', inputs: { ...IMPORTS, timeout: 'a minute' }, input: 'timeout' },
];

describe('import-smoke-test: one line per bad input', () => {
  test.each(cases)('$name', async ({ inputs, input, says, secrets }) => {
    const run = await runAction({ action: 'import-smoke-test', workspace, inputs, timeoutMs: 60_000 });
    try {
      expect(await badInputProblems(run, { input, says, secrets })).toEqual([]);
      expect(run.outputs.imported ?? '').toBe('');
    } finally {
      await run.cleanup();
    }
  });
});

describe('import-smoke-test: a Docker daemon that does not answer', () => {
  test('is said as such, not as a missing image', async () => {
    const run = await runAction({
      action: 'import-smoke-test',
      workspace,
      inputs: { ...IMPORTS, image: 'api:1' },
      env: { DOCKER_HOST: `unix://${path.join(root, 'no-docker.sock')}` },
      timeoutMs: 60_000,
    });
    try {
      expect(run.exitCode).toBe(1);
      const errors = run.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(
        /^input "image" needs the Docker daemon, which is not answering \(is it running\? DOCKER_HOST ".*no-docker\.sock"\): /,
      );
      expect(errors[0]!.message).not.toContain('is not available');
    } finally {
      await run.cleanup();
    }
  });
});
