// End to end, the bundle as the runner runs it against a real HTTP server that demands Basic auth: credentials in a
// probed URL (https://user:pass@host/...) reach the server as an Authorization header, and appear nowhere a reader
// or a later step can see.
import { afterEach, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { runAction, type ActionRun } from '@hokusai/action-harness';
import { sendJson, startHttpServer, type TestServer } from './http-servers.js';

const USER = 'probe';
const PASSWORD = 'pa55:w0rd@edge'; // a colon and an at sign, percent-encoded in the URL
const WRITTEN = encodeURIComponent(PASSWORD);
const EXPECTED = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** /health answers 200 only with the right Basic credentials; a wrong one is echoed back, as careless servers do. */
async function basicAuthServer(): Promise<TestServer> {
  const server = await startHttpServer((req, res) => {
    const given = req.headers.authorization;
    if (given !== EXPECTED) {
      res.setHeader('www-authenticate', 'Basic realm="api"');
      return sendJson(res, 401, { error: `bad credentials ${String(given)}` });
    }
    sendJson(res, 200, { status: 'ok', user: Buffer.from(given.slice(6), 'base64').toString('utf8') });
  });
  cleanups.push(() => server.close());
  return server;
}

async function probe(inputs: Record<string, string>): Promise<ActionRun> {
  const run = await runAction({ action: 'endpoint-probe', inputs, timeoutMs: 60_000 });
  cleanups.push(() => run.cleanup());
  return run;
}

function expectNowhere(run: ActionRun, secret: string): void {
  expect(run.leaksOf(secret)).toEqual([]);
  expect(run.summary).not.toContain(secret);
  expect(JSON.stringify(run.outputs)).not.toContain(secret);
  expect(JSON.stringify(run.annotations)).not.toContain(secret);
  if (run.outputs.results) expect(readFileSync(run.outputs.results, 'utf8')).not.toContain(secret);
}

test('user:pass@ in a URL is sent as Basic auth; the server accepts it; the password is masked everywhere', async () => {
  const server = await basicAuthServer();
  const url = `http://${USER}:${WRITTEN}@127.0.0.1:${server.port}/health`;
  const run = await probe({ urls: url, interval: '50ms', 'expect-json': 'status == "ok"' });

  expect(run.exitCode).toBe(0);
  expect(run.outputs.healthy).toBe('true');
  expect(server.requests.length).toBeGreaterThanOrEqual(2);
  expect(server.requests.every((r) => r.headers.authorization === EXPECTED)).toBe(true);
  // The server saw the path only: the credentials travelled in the header, not the request line.
  expect(server.requests.every((r) => r.url === '/health')).toBe(true);
  expect(run.masks).toEqual(expect.arrayContaining([PASSWORD, EXPECTED]));
  for (const secret of [PASSWORD, WRITTEN, `${USER}:${PASSWORD}`]) expectNowhere(run, secret);
  // The header value is masked whole and by its credential part; the runner prints no add-mask line itself.
  expect(run.log).not.toContain(EXPECTED.slice(6));
  expect(run.summary + JSON.stringify(run.outputs)).not.toContain(EXPECTED.slice(6));
  expect(run.summary).toContain(`| GET http://${USER}:\\*\\*\\*@127.0.0.1:${server.port}/health |`);
  expect(run.summary).toContain('`Authorization: ***`');
});

test('the endpoints input does the same per item', async () => {
  const server = await basicAuthServer();
  const run = await probe({
    endpoints: `- url: http://${USER}:${WRITTEN}@127.0.0.1:${server.port}/health\n  expect-status: 200\n`,
    interval: '50ms',
  });
  expect(run.exitCode).toBe(0);
  expect(server.requests.every((r) => r.headers.authorization === EXPECTED)).toBe(true);
  expectNowhere(run, PASSWORD);
});

test('a wrong password fails the probe; the server echoing it back shows it nowhere', async () => {
  const server = await basicAuthServer();
  const wrong = 'wr0ng-secret-99';
  const run = await probe({
    urls: `http://${USER}:${wrong}@127.0.0.1:${server.port}/health`,
    wait: '1s',
    interval: '100ms',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.healthy).toBe('false');
  expect(server.requests[0]!.headers.authorization).toBe(
    `Basic ${Buffer.from(`${USER}:${wrong}`).toString('base64')}`,
  );
  expectNowhere(run, wrong);
});

test('credentials in the URL and an Authorization header: one line naming both, before any request', async () => {
  const server = await basicAuthServer();
  const run = await probe({
    urls: `http://${USER}:${WRITTEN}@127.0.0.1:${server.port}/health`,
    headers: 'Authorization: Bearer abc.def.ghi',
  });
  expect(run.exitCode).toBe(1);
  const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors).toEqual([
    `the URL http://127.0.0.1:${server.port}/health in input "urls" has credentials (user:password@) and the headers set Authorization too: keep one of them (the headers input is the one that stays out of logs)`,
  ]);
  expect(server.requests).toEqual([]);
  expectNowhere(run, PASSWORD);
});
