// publishAction over HTTPS-style auth against a real git smart-HTTP server (git http-backend behind a Node server
// that demands Basic auth x-access-token:<token>, as github.com does): the token from PUBLISH_TOKEN is accepted,
// a wrong one fails with one clear error instead of a prompt, and the token is left nowhere on disk or in errors.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireCommand } from '@hokusai/action-harness';
import { publishAction } from '../src/index.js';

const TOKEN = 'ghs_publishTestToken0123456789abcdef';
const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';
const temp = mkdtempSync(path.join(tmpdir(), 'hokusai-publish-https-'));
let server: Server;
let remote = '';

beforeAll(async () => {
  requireCommand('git', 'apt-get install git');
  if (!existsSync(HTTP_BACKEND))
    throw new Error(`prerequisite missing: ${HTTP_BACKEND} (apt-get install git)`);
  execFileSync('git', [
    'init',
    '--quiet',
    '--bare',
    '--initial-branch=main',
    path.join(temp, 'repos', 'a.git'),
  ]);
  const expected = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
  server = createServer((request, response) => {
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const cgi = spawn(HTTP_BACKEND, [], {
      env: {
        GIT_PROJECT_ROOT: path.join(temp, 'repos'),
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
        ...(request.headers['content-encoding']
          ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] }
          : {}),
      },
    });
    request.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    cgi.on('close', () => {
      const output = Buffer.concat(chunks);
      const split = output.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of output.subarray(0, split).toString('latin1').split('\r\n')) {
        const [name = '', ...rest] = line.split(':');
        if (name.toLowerCase() === 'status') status = Number.parseInt(rest.join(':').trim(), 10);
        else if (name) headers[name] = rest.join(':').trim();
      }
      response.writeHead(status, headers).end(output.subarray(split + 4));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  remote = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/a.git`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
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
