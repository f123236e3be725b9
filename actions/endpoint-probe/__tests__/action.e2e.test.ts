// End to end: the bundled dist/index.js run as the runner runs it, against real HTTP(S) servers on loopback.
import { afterEach, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { runAction, type ActionRun } from '@hokusai/action-harness';
import {
  freePort,
  incidentApi,
  makeSelfSignedCertificate,
  sendJson,
  startHttpServer,
  startHttpsServer,
  type TestServer,
} from './http-servers.js';

const API_KEY = 'mlflow-key-7f3a9c2e1b';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function serve(start: Promise<TestServer>): Promise<TestServer> {
  const server = await start;
  cleanups.push(() => server.close());
  return server;
}

async function probe(inputs: Record<string, string>, options: { onStdout?: (c: string) => void } = {}) {
  const run = await runAction({ action: 'endpoint-probe', inputs, timeoutMs: 60_000, ...options });
  cleanups.push(() => run.cleanup());
  return run;
}

function incidentEndpoints(origin: string): string {
  return [
    `- url: ${origin}/health`,
    `  expect-json: 'status == "ok"'`,
    `- url: ${origin}/api/mlflow/health`,
    `  expect-json: ['status == "ok"', 'backend exists']`,
    `- url: ${origin}/api/2.0/mlflow/experiments/list`,
    `  expect-json:`,
    `    - experiments exists`,
    `    - count >= 1`,
    `    - experiments[0].name == "Default"`,
  ].join('\n');
}

/** Everything a reader or a later step can see: log, summary, outputs and the results file. */
function expectNowhere(run: ActionRun, secret: string): void {
  expect(run.leaksOf(secret)).toEqual([]);
  expect(run.summary).not.toContain(secret);
  expect(JSON.stringify(run.outputs)).not.toContain(secret);
  expect(JSON.stringify(run.annotations)).not.toContain(secret);
  if (run.outputs.results) expect(readFileSync(run.outputs.results, 'utf8')).not.toContain(secret);
}

describe('the incident plan', () => {
  test('three endpoints, an API key, a load check: healthy, and the key appears nowhere', async () => {
    const server = await serve(startHttpServer(incidentApi(API_KEY)));
    const run = await probe({
      endpoints: incidentEndpoints(server.origin),
      headers: `X-Api-Key: ${API_KEY}`,
      interval: '50ms',
      requests: '40',
      concurrency: '4',
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.outputs['error-rate']).toBe('0');
    expect(run.outputs['p50-ms']).toMatch(/^\d+$/);
    expect(run.outputs['p95-ms']).toMatch(/^\d+$/);
    expect(Number(run.outputs['p95-ms'])).toBeGreaterThanOrEqual(Number(run.outputs['p50-ms']));
    expect(run.outputs.results!.startsWith(run.runnerTemp)).toBe(true);
    expect(run.masks).toContain(API_KEY);
    // The key really was sent, with every request: 3 endpoints x (2 confirming probes + 40 load requests).
    expect(server.requests).toHaveLength(126);
    expect(server.requests.every((r) => r.headers['x-api-key'] === API_KEY)).toBe(true);

    const results = JSON.parse(readFileSync(run.outputs.results!, 'utf8'));
    expect(results).toMatchObject({ healthy: true, measuredOver: 'load', errorRate: 0 });
    expect(
      results.endpoints.map((e: { url: string; healthy: boolean; attempts: number }) => [
        e.url,
        e.healthy,
        e.attempts,
      ]),
    ).toEqual([
      [`${server.origin}/health`, true, 2],
      [`${server.origin}/api/mlflow/health`, true, 2],
      [`${server.origin}/api/2.0/mlflow/experiments/list`, true, 2],
    ]);
    expect(results.endpoints[2].headers).toEqual({ 'X-Api-Key': '***' });
    expect(results.endpoints[2].load.latency.count).toBe(40);

    expect(run.summary).toContain('## ✅ endpoint-probe: 3 of 3 endpoint(s) healthy');
    expect(run.summary).toContain(
      `| GET ${server.origin}/api/2.0/mlflow/experiments/list | ✅ healthy | 200 | 2 |`,
    );
    expect(run.summary).toContain('`X-Api-Key: ***`');
    expect(run.summary).toContain('xychart-beta');
    expect(run.summary).toContain('### Load check');
    expectNowhere(run, API_KEY);
  });

  test('a wrong key the server echoes back: unhealthy, and the key is still never shown', async () => {
    const server = await serve(startHttpServer(incidentApi(API_KEY)));
    const wrongKey = 'wrong-key-0a1b2c3d4e';
    const run = await probe({
      endpoints: incidentEndpoints(server.origin),
      headers: `X-Api-Key: ${wrongKey}`,
      interval: '50ms',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    // The server quoted the key in its 401 body; the probe quotes bodies in its verdicts, redacted.
    expect(server.requests.some((r) => r.headers['x-api-key'] === wrongKey)).toBe(true);
    expect(run.summary).toContain('status 401, expected 200 (body: {"error":"invalid api key \\*\\*\\*"})');
    expect(run.annotations.map((a) => a.message)).toContainEqual(
      expect.stringMatching(/^unhealthy: GET .*\/api\/mlflow\/health, GET .*experiments\/list \(p50/),
    );
    expectNowhere(run, wrongKey);
  });
});

describe('a server that echoes request headers', () => {
  // Returns the request's headers as JSON, as debugging endpoints do; the probe quotes the first 117 characters.
  const echoServer = () => serve(startHttpServer((req, res) => sendJson(res, 200, { headers: req.headers })));
  const prefixOf = (secret: string) => secret.slice(0, 12);

  test('a long header value is redacted before the quoted body is cut: not even its start shows', async () => {
    const server = await echoServer();
    const key = `sk_live_${'Q'.repeat(100)}`;
    const run = await probe({
      urls: `${server.origin}/echo`,
      headers: `X-Api-Key: ${key}`,
      'expect-body': 'nomatch',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.summary).toContain('body does not contain');
    expectNowhere(run, prefixOf(key));
  });

  test('URL credentials (sent as Basic) are redacted before the cut too', async () => {
    const server = await echoServer();
    const password = 's3cret-passw0rd-that-is-long-enough';
    const run = await probe({
      urls: `http://admin:${password}@127.0.0.1:${server.port}/echo`,
      'expect-body': 'nomatch',
    });
    expect(run.exitCode).toBe(1);
    const token = Buffer.from(`admin:${password}`).toString('base64');
    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${token}`);
    expectNowhere(run, prefixOf(token));
    expectNowhere(run, prefixOf(password));
  });
});

describe('expect-body regular expressions', () => {
  // /^(.*?)*x$/ backtracks for minutes on a backtracking engine, blocking the event loop so that neither `wait`
  // nor `timeout` can end the step; the harness would kill it at 60 s. On a linear-time engine it is a miss.
  test('a catastrophic-backtracking pattern is a plain miss within wait', async () => {
    const server = await serve(startHttpServer((_req, res) => res.end('a'.repeat(34))));
    const run = await probe({
      urls: `${server.origin}/health`,
      'expect-body': '/^(.*?)*x$/',
      wait: '5s',
      timeout: '3s',
    });
    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.summary).toContain('body does not contain /^(.\\*?)\\*x$/');
  });

  test('lookahead is refused in one line naming the input: the engine has none', async () => {
    const run = await probe({ urls: 'http://127.0.0.1:9/health', 'expect-body': '/(?=ok)o/' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      'invalid regex "/(?=ok)o/" for input "expect-body": invalid or unsupported Perl syntax: `(?=` (patterns run on a linear-time engine, RE2 syntax: no lookahead, lookbehind or backreferences)',
    ]);
  });
});

describe('ends other than a verdict', () => {
  test('a bad input: one line, a summary saying nothing was probed, healthy unset', async () => {
    const run = await probe({ urls: 'http://127.0.0.1:9/health', headers: 'Bad Header: x' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
    expect(run.summary).toMatch(
      /^## ❌ endpoint-probe: nothing probed\n\nThe step stopped before any request: /,
    );
    expect(run.outputs.healthy).toBeUndefined();
  });

  test('cancelled while waiting: one line, the probes so far in the summary and results, healthy unset', async () => {
    let seen!: () => void;
    const twoProbes = new Promise<void>((resolve) => (seen = resolve));
    const server = await serve(
      startHttpServer((_req, res, hit) => {
        if (hit === 2) seen();
        sendJson(res, 503, { status: 'starting' });
      }),
    );
    const run = await runAction({
      action: 'endpoint-probe',
      inputs: { urls: `${server.origin}/health`, wait: '10m', interval: '50ms' },
      timeoutMs: 60_000,
      signal: 'SIGTERM',
      signalWhen: twoProbes,
    });
    cleanups.push(() => run.cleanup());
    expect(run.timedOut).toBe(false);
    // The suite's convention on cancel: one line, exit code 1.
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^cancelled \(SIGTERM\) after \d+s of probing: no verdict; what was seen is in the job summary and the results file$/,
      ),
    ]);
    expect(run.summary).toMatch(/^## ⏹️ endpoint-probe: cancelled after /);
    expect(run.outputs.healthy).toBeUndefined();
    const results = JSON.parse(readFileSync(run.outputs.results!, 'utf8')) as { cancelled: boolean };
    expect(results.cancelled).toBe(true);
  });
});

describe('waiting', () => {
  test('connection refused until the server starts, then healthy', async () => {
    const port = await freePort();
    let started: Promise<TestServer> | null = null;
    const run = await probe(
      { urls: `http://127.0.0.1:${port}/health`, wait: '20s', interval: '50ms', 'expect-body': 'ok' },
      {
        onStdout: (chunk) => {
          if (!started && chunk.includes('connection refused')) {
            started = serve(startHttpServer((_req, res) => res.end('ok'), port));
          }
        },
      },
    );
    expect(started).not.toBeNull();
    expect(run.exitCode).toBe(0);
    const results = JSON.parse(readFileSync(run.outputs.results!, 'utf8'));
    const probes = results.endpoints[0].probes as Array<{ status: number | null; failures: string[] }>;
    expect(probes[0]!.failures[0]).toMatch(/^connection refused/);
    expect(probes.slice(-2).map((p) => p.status)).toEqual([200, 200]);
    expect(run.summary).toMatch(
      /\| GET http:\/\/127\.0\.0\.1:\d+\/health \| ✅ healthy \| 200 \| \d+ \| [\d.]+m?s \|/,
    );
  });

  test('never healthy: fails after wait with the reason', async () => {
    const server = await serve(startHttpServer((_req, res) => sendJson(res, 503, { status: 'starting' })));
    const run = await probe({ urls: `${server.origin}/health`, wait: '1s', interval: '50ms' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.outputs['error-rate']).toBe('1');
    expect(run.summary).toContain('not healthy within wait 1.00s: status 503, expected 200');
  });
});

describe('soak and load', () => {
  test('flapping during the soak fails the step', async () => {
    const server = await serve(
      startHttpServer((_req, res, hit) =>
        hit === 6 ? sendJson(res, 500, {}) : sendJson(res, 200, { status: 'ok' }),
      ),
    );
    const run = await probe({ urls: `${server.origin}/health`, soak: '5s', interval: '50ms' });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('failed during soak (probe 4): status 500, expected 200');
  });

  test('a server failing 5% of requests fails a 1% error budget; outputs carry the numbers', async () => {
    const server = await serve(
      startHttpServer((_req, res, hit) =>
        hit > 2 && hit % 20 === 0 ? sendJson(res, 500, {}) : sendJson(res, 200, { status: 'ok' }),
      ),
    );
    const run = await probe({
      urls: `${server.origin}/health`,
      interval: '50ms',
      requests: '100',
      concurrency: '5',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-rate']).toBe('0.05');
    expect(run.summary).toContain('error rate 5% (5 of 100) is above max-error-rate 1%');
  });
});

describe('redirects and TLS', () => {
  test('redirects are followed by default and judged as-is when follow-redirects is false', async () => {
    const server = await serve(
      startHttpServer((req, res) =>
        req.url === '/health' ? void res.writeHead(308, { location: '/v2/health' }).end() : res.end('ok'),
      ),
    );
    const followed = await probe({ urls: `${server.origin}/health`, interval: '50ms' });
    expect(followed.exitCode).toBe(0);
    const notFollowed = await probe({
      urls: `${server.origin}/health`,
      interval: '50ms',
      'follow-redirects': 'false',
    });
    expect(notFollowed.exitCode).toBe(1);
    expect(notFollowed.summary).toContain('status 308, expected 200');
    const expected = await probe({
      urls: `${server.origin}/health`,
      interval: '50ms',
      'follow-redirects': 'false',
      'expect-status': '3xx',
    });
    expect(expected.exitCode).toBe(0);
  });

  test('a self-signed certificate fails without insecure and passes with it', async () => {
    const server = await serve(
      startHttpsServer(makeSelfSignedCertificate(), (_req, res) => sendJson(res, 200, { status: 'ok' })),
    );
    const strict = await probe({ urls: `${server.origin}/health`, interval: '50ms' });
    expect(strict.exitCode).toBe(1);
    expect(strict.summary).toMatch(
      /TLS certificate rejected \(DEPTH\\_ZERO\\_SELF\\_SIGNED\\_CERT: self-signed certificate/,
    );
    const insecure = await probe({
      urls: `${server.origin}/health`,
      interval: '50ms',
      insecure: 'true',
      'expect-json': 'status == "ok"',
    });
    expect(insecure.exitCode).toBe(0);
    expect(insecure.annotations).toContainEqual(
      expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^insecure: true/) }),
    );
  });
});

describe('bad input: one clear line, no stack, no outputs', () => {
  test.each<{ name: string; inputs: Record<string, string>; error: string }>([
    {
      name: 'both urls and endpoints',
      inputs: { urls: 'http://127.0.0.1:1/health', endpoints: '- http://127.0.0.1:1/health' },
      error: 'inputs "urls" and "endpoints" were both given: use one of them',
    },
    {
      name: 'neither',
      inputs: {},
      error: 'no endpoint to probe: set input "urls" (one URL a line) or "endpoints" (a YAML list)',
    },
    {
      name: 'bad expect-json',
      inputs: { urls: 'http://127.0.0.1:1/health', 'expect-json': 'status is ok' },
      error:
        'invalid expect-json assertion "status is ok" in input "expect-json": expected exists, not exists, ==, !=, <, <=, >, >=, contains or matches after the path, got "is ok"',
    },
    {
      name: 'bad duration',
      inputs: { urls: 'http://127.0.0.1:1/health', wait: '2 minutes' },
      error: 'invalid duration "2 minutes" for input "wait" (use e.g. 90s, 15m, 1h)',
    },
  ])('$name', async ({ inputs, error }) => {
    const run = await probe({ headers: `X-Api-Key: ${API_KEY}`, ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toEqual([{ level: 'error', message: error }]);
    expect(run.stdout).not.toMatch(/\n\s+at /);
    expect(run.outputs).toEqual({});
    expect(run.leaksOf(API_KEY)).toEqual([]);
  });
});
