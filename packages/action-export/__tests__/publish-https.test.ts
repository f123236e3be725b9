// publishAction over HTTPS-style auth against a real git smart-HTTP server (git http-backend behind a Node server
// that demands Basic auth x-access-token:<token>, as github.com does): the token from PUBLISH_TOKEN is accepted,
// a wrong one fails with one clear error instead of a prompt, and the token is left nowhere on disk or in errors.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { publishAction } from '../src/index.js';
import { bareRepository, startGitHttpServer, type GitHttpServer } from './git-http-server.js';

const TOKEN = 'ghs_publishTestToken0123456789abcdef';
const temp = mkdtempSync(path.join(tmpdir(), 'hokusai-publish-https-'));
let server: GitHttpServer;
let remote = '';

beforeAll(async () => {
  bareRepository(path.join(temp, 'repos'), 'a.git');
  server = await startGitHttpServer(path.join(temp, 'repos'), (repository) =>
    repository === 'a.git' ? TOKEN : undefined,
  );
  remote = `${server.base}/a.git`;
});

afterAll(async () => {
  await server.close();
  rmSync(temp, { recursive: true, force: true });
});

function exportedTree(): string {
  const dir = path.join(temp, 'export');
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  writeFileSync(path.join(dir, 'action.yml'), 'name: A\n');
  writeFileSync(path.join(dir, 'README.md'), '# A\n');
  writeFileSync(path.join(dir, 'dist', 'index.js'), 'console.log(1)\n');
  return dir;
}

/** Every file under dir, recursively, as text (the clone's .git included). */
function allText(dir: string): string {
  return execFileSync('sh', ['-c', 'find "$1" -type f -exec cat {} +', 'sh', dir], {
    maxBuffer: 1 << 26,
  }).toString('latin1');
}

test('publishes with the token from PUBLISH_TOKEN and leaves it nowhere', async () => {
  const workDir = path.join(temp, 'clone-ok');
  const result = await publishAction({
    exportDir: exportedTree(),
    remote,
    version: 'v1.0.0',
    workDir,
    env: { PUBLISH_TOKEN: TOKEN },
  });
  expect(result).toMatchObject({ version: 'v1.0.0', major: 'v1', changed: true });
  const bare = path.join(temp, 'repos', 'a.git');
  expect(execFileSync('git', ['rev-parse', 'v1^{commit}'], { cwd: bare, encoding: 'utf8' }).trim()).toBe(
    result.commit,
  );
  expect(readFileSync(path.join(workDir, '.git', 'config'), 'utf8')).not.toContain('credential');
  expect(allText(workDir)).not.toContain(TOKEN);
});

test('a wrong token fails with one clear error, no prompt, and the token in no message', async () => {
  const wrong = 'ghs_wrongToken_9876543210';
  const attempt = publishAction({
    exportDir: exportedTree(),
    remote,
    version: 'v1.1.0',
    workDir: path.join(temp, 'clone-wrong'),
    env: { PUBLISH_TOKEN: wrong },
  });
  await expect(attempt).rejects.toThrow(/^git clone .*Authentication failed/s);
  const message = await attempt.catch((error: Error) => error.message);
  expect(message).not.toContain(wrong);
});
