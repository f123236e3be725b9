// publishAction against a real git remote (a bare repository on disk) with a tree made in the test.
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { majorOf, publishAction, PublishError } from '../src/index.js';

const temp = mkdtempSync(path.join(tmpdir(), 'hokusai-publish-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

function exportedTree(name: string, files: Record<string, string>): string {
  const dir = path.join(temp, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('majorOf', () => {
  test.each([
    ['v1.2.3', 'v1'],
    ['v10.0.0', 'v10'],
  ])('%s -> %s', (version, major) => expect(majorOf(version)).toBe(major));
  test.each(['1.2.3', 'v1', 'v1.2', 'v1.2.3-rc.1', 'latest'])('rejects %j', (version) => {
    expect(() => majorOf(version)).toThrow(
      new PublishError(`invalid version "${version}": expected vX.Y.Z, e.g. v1.2.3`),
    );
  });
});

describe('publishAction', () => {
  const remote = path.join(temp, 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  const first = exportedTree('export-1', {
    'action.yml': 'name: A\n',
    'README.md': '# A\n',
    'dist/index.js': 'console.log(1)\n',
    'dist/old.js': 'gone in the next release\n',
  });
  const second = exportedTree('export-2', {
    'action.yml': 'name: A\n',
    'README.md': '# A v2\n',
    'dist/index.js': 'console.log(2)\n',
  });
  const publish = (exportDir: string, version: string, workDir: string) =>
    publishAction({
      exportDir,
      remote,
      version,
      source: 'hokusai/actions@abc1234',
      workDir: path.join(temp, workDir),
    });

  test('first release into an empty repository: one commit, vX.Y.Z and vX on it', async () => {
    const result = await publish(first, 'v1.0.0', 'clone-1');
    expect(result).toMatchObject({ version: 'v1.0.0', major: 'v1', branch: 'main', changed: true });
    expect(git(remote, 'rev-parse', 'v1.0.0^{commit}')).toBe(result.commit);
    expect(git(remote, 'rev-parse', 'v1^{commit}')).toBe(result.commit);
    expect(git(remote, 'ls-tree', '-r', '--name-only', 'main').split('\n')).toEqual([
      'README.md',
      'action.yml',
      'dist/index.js',
      'dist/old.js',
    ]);
    expect(git(remote, 'log', '-1', '--format=%B', 'main')).toBe(
      'Release v1.0.0\n\nExported from hokusai/actions@abc1234',
    );
  });

  test('next release: a new commit on top (old pins stay reachable), removed files go, v1 moves', async () => {
    const before = git(remote, 'rev-parse', 'v1.0.0^{commit}');
    const result = await publish(second, 'v1.1.0', 'clone-2');
    expect(result.changed).toBe(true);
    expect(git(remote, 'rev-parse', `${result.commit}^`)).toBe(before);
    expect(git(remote, 'rev-parse', 'v1^{commit}')).toBe(result.commit);
    expect(git(remote, 'rev-parse', 'v1.0.0^{commit}')).toBe(before);
    expect(git(remote, 'ls-tree', '-r', '--name-only', 'v1').split('\n')).toEqual([
      'README.md',
      'action.yml',
      'dist/index.js',
    ]);
    expect(git(remote, 'cat-file', '-t', 'v1.1.0')).toBe('tag'); // annotated
  });

  test('re-running the same release is a no-op that still points v1 at it', async () => {
    const tagged = git(remote, 'rev-parse', 'v1.1.0^{commit}');
    const result = await publish(second, 'v1.1.0', 'clone-3');
    expect(result).toMatchObject({ changed: false, commit: tagged });
    expect(git(remote, 'rev-parse', 'v1^{commit}')).toBe(tagged);
    expect(git(remote, 'rev-list', '--count', 'main')).toBe('2');
  });

  test('publishing different content under an existing version is refused and changes nothing', async () => {
    const heads = git(remote, 'show-ref');
    await expect(publish(first, 'v1.1.0', 'clone-4')).rejects.toThrow(
      `v1.1.0 is already published in ${remote} with different content: release a new version`,
    );
    expect(git(remote, 'show-ref')).toBe(heads);
  });

  test('an action repository holding a workflow file is refused before anything is committed (the token cannot change workflows)', async () => {
    // Someone added CI to the published repository by hand: the release would delete it, which its contents-only
    // token may not do; it stops with one line instead of GitHub's refusal half-way through the push.
    const work = path.join(temp, 'hand-edit');
    git(temp, 'clone', '--quiet', remote, work);
    mkdirSync(path.join(work, '.github', 'workflows'), { recursive: true });
    writeFileSync(path.join(work, '.github', 'workflows', 'ci.yml'), 'on: push\n');
    git(work, 'add', '--all');
    git(work, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'CI');
    git(work, 'push', '--quiet', 'origin', 'main');
    const heads = git(remote, 'show-ref');
    await expect(publish(second, 'v1.2.0', 'clone-6')).rejects.toThrow(
      new PublishError(
        `${remote} has .github/workflows/ci.yml: an action repository holds only action.yml, README.md and dist/, and the release's token for it may not change workflows; remove it there by hand, then re-run the release`,
      ),
    );
    expect(git(remote, 'show-ref')).toBe(heads);
  });

  test('an unreachable remote is one clear error', async () => {
    await expect(
      publishAction({
        exportDir: second,
        remote: path.join(temp, 'missing.git'),
        version: 'v1.2.0',
        workDir: path.join(temp, 'clone-5'),
      }),
    ).rejects.toThrow(/^git clone .*missing\.git/);
  });
});
