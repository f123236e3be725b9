// The release with one token per kind of repository, as release.yml mints them: this repository accepts only its
// token (contents and workflows write), each action repository only the actions token (contents write), over real
// git smart HTTP with Basic auth and a local server answering the two GitHub REST endpoints per repository.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@hokusai/action-harness';
import { releaseAll, releaseTokens } from '../src/index.js';
import { bareRepository, startGitHttpServer, type GitHttpServer } from './git-http-server.js';

const REPOSITORY_TOKEN = 'ghs_repositoryToken_0123456789';
const ACTIONS_TOKEN = 'ghs_actionsToken_9876543210';
const ACTION = 'import-smoke-test';
const temp = mkdtempSync(path.join(tmpdir(), 'hokusai-release-tokens-'));
const monorepo = path.join(temp, 'work');
const remotes = path.join(temp, 'remotes');
/** The token each repository accepts, for git and the REST API alike. */
const tokenOf = (repo: string) => (repo === 'actions' ? REPOSITORY_TOKEN : ACTIONS_TOKEN);
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

let gitServer: GitHttpServer;
let api: Server;
let apiBase = '';
const apiRequests: Array<{ repo: string; accepted: boolean }> = [];

beforeAll(async () => {
  mkdirSync(monorepo, { recursive: true });
  git(monorepo, 'init', '--quiet', '--initial-branch=main');
  for (const file of ['action.yml', 'README.md', 'dist']) {
    cpSync(path.join(repoRoot, 'actions', ACTION, file), path.join(monorepo, 'actions', ACTION, file), {
      recursive: true,
    });
  }
  cpSync(path.join(repoRoot, '.github', 'workflows'), path.join(monorepo, '.github', 'workflows'), {
    recursive: true,
  });
  writeFileSync(path.join(monorepo, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n- First release.\n');
  git(monorepo, 'add', '--all');
  git(monorepo, 'commit', '--quiet', '-m', 'source of v1.0.0');
  for (const name of ['actions', ACTION]) bareRepository(remotes, `hokusai/${name}.git`);
  gitServer = await startGitHttpServer(remotes, (repository) => {
    const name = /^hokusai\/([\w-]+)\.git$/.exec(repository)?.[1];
    return name ? tokenOf(name) : undefined;
  });
  const releases = new Set<string>();
  api = createServer((request, response) => {
    const match = /^\/repos\/hokusai\/([^/]+)\/releases(?:\/tags\/(.+))?$/.exec(request.url ?? '');
    const repo = match?.[1] ?? '';
    const accepted = match !== null && request.headers.authorization === `Bearer ${tokenOf(repo)}`;
    apiRequests.push({ repo, accepted });
    if (!accepted) {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end('{"message":"Resource not accessible by integration"}');
      return;
    }
    const url = `https://github.com/hokusai/${repo}/releases/tag/v1.0.0`;
    if (request.method === 'GET') {
      response.writeHead(releases.has(repo) ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(releases.has(repo) ? { html_url: url } : { message: 'Not Found' }));
      return;
    }
    request.resume();
    request.on('end', () => {
      releases.add(repo);
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ html_url: url }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const address = api.address();
  apiBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await Promise.all([gitServer?.close(), new Promise((resolve) => api?.close(resolve))]);
  rmSync(temp, { recursive: true, force: true });
});

function release(tokens: { repository: string; actions: string }) {
  return releaseAll({
    repoRoot: monorepo,
    version: 'v1.0.0',
    source: git(monorepo, 'rev-parse', 'HEAD'),
    owner: 'hokusai',
    repository: 'actions',
    remoteBase: gitServer.base,
    date: '2026-11-30',
    github: { baseUrl: apiBase, token: 'not-this-one' },
    tokens,
    env: { PUBLISH_TOKEN: '' },
    actions: [ACTION],
  });
}
const remoteTags = (name: string) =>
  git(path.join(remotes, 'hokusai', `${name}.git`), 'tag', '--list')
    .split('\n')
    .filter(Boolean);

describe('releaseAll with a token per kind of repository', () => {
  test('the tokens swapped: this repository refuses its token at the plan, and nothing is pushed anywhere', async () => {
    await expect(release({ repository: ACTIONS_TOKEN, actions: REPOSITORY_TOKEN })).rejects.toThrow(
      /^git ls-remote --tags \S+\/hokusai\/actions\.git: fatal: Authentication failed/,
    );
    expect([...remoteTags('actions'), ...remoteTags(ACTION)]).toEqual([]);
  });

  test('each repository gets only its own token, for git and for its GitHub release', async () => {
    gitServer.requests.length = 0;
    apiRequests.length = 0;
    const report = await release({ repository: REPOSITORY_TOKEN, actions: ACTIONS_TOKEN });
    expect(remoteTags('actions').sort()).toEqual(['v1', 'v1.0.0']);
    expect(remoteTags(ACTION).sort()).toEqual(['v1', 'v1.0.0']);
    // No request carried a token its repository refuses, and both kinds of repository were reached.
    expect(gitServer.requests.filter((r) => r.refusedCredentials)).toEqual([]);
    expect(gitServer.requests.some((r) => r.accepted && r.path.includes('git-receive-pack'))).toBe(true);
    const reached = new Set(gitServer.requests.map((r) => /^\/hokusai\/([\w-]+)\.git/.exec(r.path)?.[1]));
    expect([...reached].sort()).toEqual(['actions', ACTION].sort());
    expect(apiRequests.filter((r) => !r.accepted)).toEqual([]);
    expect(report.releases.map((r) => [r.repo, r.created])).toEqual([
      [ACTION, true],
      ['actions', true],
    ]);
  });
});

describe('releaseTokens (the CLI reads them from its environment, and takes them out of it)', () => {
  test.each([
    {
      env: { REPOSITORY_TOKEN: 'r', ACTIONS_TOKEN: 'a', PUBLISH_TOKEN: 'p' },
      expected: { repository: 'r', actions: 'a' },
    },
    { env: { PUBLISH_TOKEN: 'p' }, expected: { repository: 'p', actions: 'p' } },
    { env: {}, expected: undefined },
  ])('$env', ({ env, expected }) => {
    const given: NodeJS.ProcessEnv = { ...env, OTHER: 'kept' };
    expect(releaseTokens(given)).toEqual(expected);
    expect(given).toEqual({ OTHER: 'kept' }); // git's children see only the PUBLISH_TOKEN of their own push
  });

  test('one of the two alone is refused', () => {
    expect(() => releaseTokens({ REPOSITORY_TOKEN: 'r' })).toThrow(
      'set both REPOSITORY_TOKEN and ACTIONS_TOKEN (or PUBLISH_TOKEN for every repository)',
    );
  });
});
