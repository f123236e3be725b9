// A whole release (release.ts) against real git remotes (bare repositories on disk) and a local HTTP server that
// answers the two GitHub REST endpoints the release uses: what gets tagged, what the tagged workflows run, the
// CHANGELOG, the GitHub releases, re-runs, a failure half-way finished by a re-run, and tags that never go back.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@hokusai/action-harness';
import { releaseAll, releaseMonorepo, type ReleaseOptions } from '../src/index.js';

const TOKEN = 'ghs_releaseTestToken0123456789';
const ACTIONS = ['import-smoke-test', 'python-syntax-check'];
const temp = mkdtempSync(path.join(tmpdir(), 'hokusai-release-'));
const monorepo = path.join(temp, 'work');
const remotes = path.join(temp, 'remotes');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

/** What the fake GitHub API holds: releases by `owner/repo@tag`, and every request's method, path and auth. */
const releases = new Map<string, { tag_name: string; body: string; make_latest: string; html_url: string }>();
const requests: Array<{ method: string; url: string; authorization?: string }> = [];
let server: Server;
let api = '';

beforeAll(async () => {
  // This repository as the release sees it: two actions, the reusable workflows, a CHANGELOG.
  mkdirSync(monorepo, { recursive: true });
  git(monorepo, 'init', '--quiet', '--initial-branch=main');
  for (const action of ACTIONS) {
    for (const file of ['action.yml', 'README.md', 'dist']) {
      cpSync(path.join(repoRoot, 'actions', action, file), path.join(monorepo, 'actions', action, file), {
        recursive: true,
      });
    }
  }
  cpSync(path.join(repoRoot, '.github', 'workflows'), path.join(monorepo, '.github', 'workflows'), {
    recursive: true,
  });
  writeFileSync(path.join(monorepo, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n- First release.\n');
  git(monorepo, 'add', '--all');
  git(monorepo, 'commit', '--quiet', '-m', 'source of v1.0.0');
  for (const name of [...ACTIONS, 'actions']) {
    git(
      temp,
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      path.join(remotes, 'hokusai', `${name}.git`),
    );
  }
  server = createServer((request, response) => {
    requests.push({
      method: request.method!,
      url: request.url!,
      authorization: request.headers.authorization,
    });
    const match = /^\/repos\/([^/]+)\/([^/]+)\/releases(?:\/tags\/(.+))?$/.exec(request.url ?? '');
    if (!match || request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
      return;
    }
    const [, owner, repo, tag] = match;
    if (request.method === 'GET') {
      const found = releases.get(`${owner}/${repo}@${decodeURIComponent(tag!)}`);
      response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(found ?? { message: 'Not Found' }));
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const release = JSON.parse(body) as { tag_name: string; body: string; make_latest: string };
      const created = {
        ...release,
        html_url: `https://github.com/${owner}/${repo}/releases/tag/${release.tag_name}`,
      };
      releases.set(`${owner}/${repo}@${release.tag_name}`, created);
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(created));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  api = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(temp, { recursive: true, force: true });
});

const remote = (name: string) => path.join(remotes, 'hokusai', `${name}.git`);
const tagsOf = (name: string) =>
  Object.fromEntries(
    git(remote(name), 'for-each-ref', '--format=%(refname:short) %(*objectname)%(objectname)', 'refs/tags')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [tag, objects] = line.split(' ');
        return [tag, objects!.slice(0, 40)]; // peeled commit for annotated tags, else the commit
      }),
  );

function release(version: string, source: string, extra: Partial<ReleaseOptions> = {}) {
  return releaseAll({
    repoRoot: monorepo,
    version,
    source,
    owner: 'hokusai',
    repository: 'actions',
    remoteBase: remotes,
    date: '2026-11-30',
    github: { baseUrl: api, token: TOKEN },
    actions: ACTIONS,
    ...extra,
  });
}

describe('releaseAll', () => {
  let v100 = '';
  let source100 = '';

  test('the first release: each action published, this repository tagged at a release commit, a GitHub release each', async () => {
    source100 = git(monorepo, 'rev-parse', 'HEAD');
    const report = await release('v1.0.0', source100);

    for (const action of ACTIONS) {
      const tags = tagsOf(action);
      expect(tags['v1.0.0']).toBe(tags.v1);
      expect(git(remote(action), 'ls-tree', '--name-only', 'v1.0.0').split('\n').sort()).toEqual([
        'README.md',
        'action.yml',
        'dist',
      ]);
    }
    v100 = report.monorepo.commit;
    expect(tagsOf('actions')).toEqual({ 'v1.0.0': v100, v1: v100 });
    // The release commit is the source plus pinned workflows and the released CHANGELOG.
    expect(git(remote('actions'), 'rev-parse', `${v100}^`)).toBe(source100);
    const deploy = git(remote('actions'), 'show', `v1.0.0:.github/workflows/deploy-ecs.yml`);
    const uses = deploy.match(/uses: hokusai\/actions\/actions\/[\w-]+@\S+ # \S+/g)!;
    expect(uses.length).toBeGreaterThan(5);
    expect(uses.every((u) => u.endsWith(`@${source100} # v1.0.0`))).toBe(true);
    expect(git(remote('actions'), 'diff', '--name-only', source100, v100).split('\n').sort()).toEqual([
      '.github/workflows/deploy-ecs.yml',
      '.github/workflows/rollback-ecs.yml',
      'CHANGELOG.md',
    ]);
    expect(git(remote('actions'), 'show', 'v1.0.0:CHANGELOG.md')).toContain(
      '## v1.0.0 — 2026-11-30\n\n- First release.',
    );
    // The source commit the pins name is an ancestor of the tag, so it stays reachable.
    expect(git(remote('actions'), 'merge-base', '--is-ancestor', source100, 'v1.0.0')).toBe('');

    expect([...releases.keys()].sort()).toEqual([
      'hokusai/actions@v1.0.0',
      'hokusai/import-smoke-test@v1.0.0',
      'hokusai/python-syntax-check@v1.0.0',
    ]);
    expect(releases.get('hokusai/actions@v1.0.0')).toMatchObject({
      body: '- First release.',
      make_latest: 'true',
    });
    expect(requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(report.summary).toContain('Publish this Action to the GitHub Marketplace');
  });

  test('a re-run moves nothing, commits nothing, and finds the releases there', async () => {
    const before = Object.fromEntries([...ACTIONS, 'actions'].map((n) => [n, git(remote(n), 'show-ref')]));
    const report = await release('v1.0.0', source100);
    for (const name of [...ACTIONS, 'actions']) expect(git(remote(name), 'show-ref')).toBe(before[name]);
    expect(report.monorepo.commit).toBe(v100);
    expect(report.releases.every((r) => !r.created)).toBe(true);
  });

  test('a release that fails half-way is finished by re-running it; the major moves only when it is whole', async () => {
    writeFileSync(path.join(monorepo, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n- Second release.\n');
    git(monorepo, 'commit', '--quiet', '-am', 'source of v1.1.0');
    const source = git(monorepo, 'rev-parse', 'HEAD');
    const away = `${remote('python-syntax-check')}.away`;
    renameSync(remote('python-syntax-check'), away); // the second repository cannot be reached
    await expect(release('v1.1.0', source)).rejects.toThrow(/python-syntax-check\.git/);
    expect(tagsOf('import-smoke-test')['v1.1.0']).toBeDefined(); // the first one was published
    expect(tagsOf('actions')).toEqual({ 'v1.0.0': v100, v1: v100 }); // callers of @v1 still get v1.0.0

    renameSync(away, remote('python-syntax-check'));
    const report = await release('v1.1.0', source);
    expect(report.actions.map((a) => a.result.plan.versionTag.action)).toEqual(['keep', 'create']);
    const tags = tagsOf('actions');
    expect(tags.v1).toBe(tags['v1.1.0']);
    expect(tags.v1).toBe(report.monorepo.commit);
  });

  test('a patch of the older line is published but moves no major and is not Latest', async () => {
    git(monorepo, 'checkout', '--quiet', '-b', 'release/v1.0', source100);
    writeFileSync(path.join(monorepo, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n- A fix for v1.0.\n');
    git(monorepo, 'commit', '--quiet', '-am', 'source of v1.0.1');
    const majors = Object.fromEntries([...ACTIONS, 'actions'].map((n) => [n, tagsOf(n).v1]));
    const report = await release('v1.0.1', git(monorepo, 'rev-parse', 'HEAD'));
    for (const name of [...ACTIONS, 'actions']) {
      expect(tagsOf(name).v1).toBe(majors[name]);
      expect(tagsOf(name)['v1.0.1']).toBeDefined();
    }
    expect(report.monorepo.plan.majorTag).toMatchObject({ action: 'leave', newer: 'v1.1.0' });
    expect(releases.get('hokusai/actions@v1.0.1')?.make_latest).toBe('false');
    git(monorepo, 'checkout', '--quiet', 'main');
  });

  test('a version already released from another commit is refused before anything is pushed', async () => {
    const before = Object.fromEntries([...ACTIONS, 'actions'].map((n) => [n, git(remote(n), 'show-ref')]));
    await expect(release('v1.1.0', source100)).rejects.toThrow(
      /v1\.1\.0 is already released from [0-9a-f]{12}, not/,
    );
    for (const name of [...ACTIONS, 'actions']) expect(git(remote(name), 'show-ref')).toBe(before[name]);
  });

  test('a release racing another cannot move a tag it did not plan from: its push is refused whole', async () => {
    writeFileSync(path.join(monorepo, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n- Racing.\n');
    git(monorepo, 'commit', '--quiet', '-am', 'source of v1.1.1');
    const planned = await releaseMonorepo({
      cwd: monorepo,
      remote: remote('actions'),
      source: git(monorepo, 'rev-parse', 'HEAD'),
      version: 'v1.1.1',
      date: '2026-11-30',
      dryRun: true,
    });
    expect(planned.plan.majorTag.action).toBe('move');
    // Meanwhile another release moved v1 (here: to the v1.0.0 commit).
    git(monorepo, 'push', '--quiet', '--force', remote('actions'), `${v100}:refs/tags/v1`);
    expect(() =>
      git(monorepo, 'push', '--quiet', '--atomic', remote('actions'), ...planned.plan.pushArgs),
    ).toThrow(/stale info/);
    expect(tagsOf('actions')['v1.1.1']).toBeUndefined(); // atomic: the version tag did not go either
    expect(tagsOf('actions').v1).toBe(v100);
  });

  test('an empty Unreleased section stops the release before anything is pushed', async () => {
    writeFileSync(
      path.join(monorepo, 'CHANGELOG.md'),
      '# Changelog\n\n## Unreleased\n\n## v1.1.0 — 2026-11-30\n',
    );
    git(monorepo, 'commit', '--quiet', '-am', 'nothing to say');
    await expect(release('v1.2.0', git(monorepo, 'rev-parse', 'HEAD'))).rejects.toThrow(
      'CHANGELOG.md has nothing under "## Unreleased"',
    );
    expect(tagsOf('import-smoke-test')['v1.2.0']).toBeUndefined();
  });
});
