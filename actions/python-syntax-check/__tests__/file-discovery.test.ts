// Discovery on real temporary trees (and real git repositories): what is selected, skipped, and refused.
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '@hokusai/action-kit';
import { discoverFiles, type DiscoveryOptions } from '../src/file-discovery.js';
import { openGitRepository } from '../src/git-repository.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'psc-discovery-'));
  roots.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

function discover(workspace: string, options: Partial<DiscoveryOptions> = {}) {
  return discoverFiles({
    workspace,
    paths: ['.'],
    exclude: [],
    git: null,
    respectGitignore: true,
    logger: new MemoryLogger(),
    ...options,
  });
}

const paths = (d: { files: Array<{ path: string }> }) => d.files.map((f) => f.path);

describe('selection', () => {
  const dir = tree({
    'b.py': 'x = 1\n',
    'a.py': 'x = 22\n',
    'README.md': '',
    'pkg/__init__.py': '',
    'pkg/mod.pyi': '',
    'pkg/.venv/lib/x.py': '',
    'pkg/__pycache__/x.py': '',
    'pkg/node_modules/x.py': '',
    '.tox/py38/x.py': '',
    'scripts/tool': '#!/usr/bin/env python3\n',
    'gen/api_pb2.py': '',
  });

  test.each([
    {
      name: 'the workspace: .py files and Python shebang scripts, sorted, always-excluded folders left out',
      options: {},
      expected: ['a.py', 'b.py', 'gen/api_pb2.py', 'pkg/__init__.py', 'scripts/tool'],
    },
    { name: 'a folder', options: { paths: ['pkg'] }, expected: ['pkg/__init__.py'] },
    {
      name: 'a file named explicitly, whatever its extension',
      options: { paths: ['scripts/tool', 'a.py'] },
      expected: ['a.py', 'scripts/tool'],
    },
    { name: 'a glob', options: { paths: ['*.py'] }, expected: ['a.py', 'b.py'] },
    { name: 'a recursive glob', options: { paths: ['**/__init__.py'] }, expected: ['pkg/__init__.py'] },
    {
      name: 'exclusions by name at any depth',
      options: { exclude: ['*_pb2.py', 'pkg'] },
      expected: ['a.py', 'b.py', 'scripts/tool'],
    },
    {
      name: 'the same file twice is checked once',
      options: { paths: ['a.py', './a.py', '.'] },
      expected: ['a.py', 'b.py', 'gen/api_pb2.py', 'pkg/__init__.py', 'scripts/tool'],
    },
    {
      name: 'an absolute path inside the workspace',
      options: { paths: [path.join(dir, 'pkg')] },
      expected: ['pkg/__init__.py'],
    },
  ])('$name', async ({ options, expected }) => {
    expect(paths(await discover(dir, options))).toEqual(expected);
  });

  test('sizes are recorded for scheduling', async () => {
    const found = await discover(dir, { paths: ['a.py', 'b.py'] });
    expect(found.files).toEqual([
      { path: 'a.py', size: 7 },
      { path: 'b.py', size: 6 },
    ]);
  });

  test('a glob that matches nothing in an existing folder is reported, not fatal', async () => {
    const found = await discover(dir, { paths: ['pkg/nothing_*.py', 'a.py'] });
    expect(found.unmatchedGlobs).toEqual(['pkg/nothing_*.py']);
    expect(paths(found)).toEqual(['a.py']);
  });

  test('a glob under a folder that does not exist is an error naming the input (a misspelt folder)', async () => {
    await expect(discover(dir, { paths: ['scr/**/*.py', 'a.py'] })).rejects.toThrow(
      'input "paths": "scr/**/*.py" is under the folder "scr", which does not exist in the workspace',
    );
  });

  test.each([
    {
      name: 'a missing path',
      entry: 'missing.py',
      error: 'input "paths": "missing.py" does not exist in the workspace',
    },
    {
      name: 'a path outside the workspace',
      entry: '../x',
      error: /^input "paths": "\.\.\/x" is outside the workspace/,
    },
    {
      name: 'an absolute path outside the workspace',
      entry: '/etc',
      error: /^input "paths": "\/etc" is outside the workspace/,
    },
  ])('refuses $name', async ({ entry, error }) => {
    await expect(discover(dir, { paths: [entry] })).rejects.toThrow(error);
  });
});

describe('the file system fights back', () => {
  test('loops, dangling links, links out of the workspace, FIFOs and unreadable entries end with a list', async () => {
    const dir = tree({ 'pkg/a.py': '', 'pkg/sub/b.py': '' });
    const outside = tree({ 'elsewhere.py': '' });
    symlinkSync('..', path.join(dir, 'pkg/sub/up'));
    symlinkSync('loop_b', path.join(dir, 'pkg/loop_a.py'));
    symlinkSync('loop_a.py', path.join(dir, 'pkg/loop_b'));
    symlinkSync('nowhere.py', path.join(dir, 'pkg/dangling.py'));
    symlinkSync(outside, path.join(dir, 'pkg/outside'));
    symlinkSync(path.join(outside, 'elsewhere.py'), path.join(dir, 'pkg/linked_out.py'));
    symlinkSync('sub', path.join(dir, 'pkg/sub_alias'));
    execFileSync('mkfifo', [path.join(dir, 'pkg/pipe.py')]);

    const found = await discover(dir);
    expect(paths(found)).toEqual(['pkg/a.py', 'pkg/sub/b.py']);
    expect(found.skipped).toEqual([
      { path: 'pkg/dangling.py', reason: 'broken symlink (ENOENT)' },
      { path: 'pkg/linked_out.py', reason: 'symlink to outside the workspace' },
      { path: 'pkg/loop_a.py', reason: 'symlink loop' },
      { path: 'pkg/loop_b', reason: 'symlink loop' },
      { path: 'pkg/pipe.py', reason: 'not a regular file (FIFO, socket or device)' },
    ]);
    await expect(discover(dir, { paths: ['pkg/loop_a.py'] })).rejects.toThrow(
      'input "paths": cannot read "pkg/loop_a.py": ELOOP (symlink loop)',
    );
    await expect(discover(dir, { paths: ['pkg/pipe.py'] })).rejects.toThrow(
      'input "paths": "pkg/pipe.py" is not a regular file or folder',
    );
  });

  test('a symlinked folder inside the workspace is walked once under its first name', async () => {
    const dir = tree({ 'real/x.py': '' });
    symlinkSync('real', path.join(dir, 'alias'));
    expect(paths(await discover(dir))).toEqual(['alias/x.py']);
  });
});

describe('git', () => {
  function repo(files: Record<string, string>): string {
    const dir = tree(files);
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    return dir;
  }

  test('outside a repository there is no git, and the reason is given', async () => {
    const probe = await openGitRepository(tree({ 'a.py': '' }));
    expect(probe.repository).toBeNull();
    expect(probe.repository === null && probe.reason).toMatch(/not a git repository/);
  });

  test('.gitignore: ignored folders are not walked, tracked files stay, odd names round-trip', async () => {
    const dir = repo({ '.gitignore': 'build/\n*.gen.py\n', 'app.py': '', 'kept.gen.py': '' });
    git(dir, 'add', '-f', 'kept.gen.py');
    git(dir, 'commit', '-q', '-m', 'keep');
    for (const name of ['build/x.py', 'other.gen.py', 'new\nline.py', 'spa ce.py', 'ünï.py']) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), '');
    }
    const { repository } = await openGitRepository(dir);
    expect(repository).not.toBeNull();
    const found = await discover(dir, { git: repository });
    expect(paths(found)).toEqual(['app.py', 'kept.gen.py', 'new\nline.py', 'spa ce.py', 'ünï.py']);
    expect(found.gitIgnored).toBe(2);
    const all = await discover(dir, { git: repository, respectGitignore: false });
    expect(paths(all)).toEqual([
      'app.py',
      'build/x.py',
      'kept.gen.py',
      'new\nline.py',
      'other.gen.py',
      'spa ce.py',
      'ünï.py',
    ]);
  });

  test('a workspace in a subfolder of the repository sees paths relative to itself', async () => {
    const dir = repo({
      '.gitignore': 'svc/ignored.py\n',
      'svc/app.py': '',
      'svc/ignored.py': '',
      'other/x.py': '',
    });
    const workspace = path.join(dir, 'svc');
    const { repository } = await openGitRepository(workspace);
    writeFileSync(path.join(workspace, 'new.py'), '');
    expect(paths(await discover(workspace, { git: repository }))).toEqual(['app.py', 'new.py']);
    expect(paths(await discover(workspace, { git: repository, changedSince: 'HEAD' }))).toEqual(['new.py']);
  });

  test('changed-since needs a repository and a known commit', async () => {
    const plain = tree({ 'a.py': '' });
    await expect(discover(plain, { changedSince: 'main' })).rejects.toThrow(
      'input "changed-since": the workspace is not a git repository, so nothing can be compared with "main"',
    );
    const dir = repo({ 'a.py': '' });
    const { repository } = await openGitRepository(dir);
    await expect(discover(dir, { git: repository, changedSince: 'nope' })).rejects.toThrow(
      'input "changed-since": "nope" is not a commit in this repository',
    );
  });
});
