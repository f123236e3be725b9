// The command release.yml runs: export (with the bundle check) and publish, end to end on the real actions.
import { afterAll, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@hokusai/action-harness';

const TSX = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const CLI = path.join(repoRoot, 'packages', 'action-export', 'src', 'cli.ts');
const temp = mkdtempSync(path.join(tmpdir(), 'hokusai-action-export-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  spawnSync(TSX, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, PUBLISH_TOKEN: '' } });

test('export writes the published tree of an action and says what it holds', () => {
  const out = path.join(temp, 'export');
  const run = cli('export', 'import-smoke-test', out);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(
    `exported actions/import-smoke-test to ${out}: README.md, action.yml, dist/index.js`,
  );
  expect(readdirSync(out).sort()).toEqual(['README.md', 'action.yml', 'dist']);
});

test('publish exports and pushes a release to the given remote', () => {
  const remote = path.join(temp, 'import-smoke-test.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  const run = cli('publish', 'import-smoke-test', 'v1.0.0', remote, '--source', 'hokusai/actions@1cdcfc3');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(
    /: published v1\.0\.0 at [0-9a-f]{40} \(branch main; v1\.0\.0: created at [0-9a-f]{12}; v1: created at [0-9a-f]{12}\)/,
  );
  const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'v1'], {
    cwd: remote,
    encoding: 'utf8',
  });
  expect(files.split('\n')).toEqual(expect.arrayContaining(['README.md', 'action.yml', 'dist/index.js']));
  expect(files).not.toMatch(/^(src|__tests__|package\.json|tsconfig\.json)/m);
});

test.each([
  {
    name: 'unknown action',
    args: ['export', 'no-such-action', 'x'],
    message: 'action-export: actions/no-such-action does not exist\n',
  },
  {
    name: 'bad version',
    args: ['publish', 'import-smoke-test', '1.0', 'r'],
    message: 'action-export: invalid version "1.0": expected vX.Y.Z, e.g. v1.2.3\n',
  },
  {
    name: 'unknown command',
    args: ['ship'],
    message:
      'action-export: usage: cli.ts export <action> <out-dir> | publish <action> <vX.Y.Z> <remote> [--source <text>] | release <vX.Y.Z> --source <sha> --owner <owner> --repository <name> [--remote-base <url>] [--date <YYYY-MM-DD>]\n',
  },
])('$name: one line and exit 1', ({ args, message }) => {
  const run = cli(...args.map((a) => (a === 'x' ? path.join(temp, 'x') : a)));
  expect([run.status, run.stderr, run.stdout]).toEqual([1, message, '']);
});
