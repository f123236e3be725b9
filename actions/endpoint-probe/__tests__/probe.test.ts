// The probe core against real HTTP servers on loopback, with the real undici client. Its waits, soaks and backoff
// run on a virtual clock (time moves only when the probe sleeps), so how many probes a wait or a soak makes does not
// depend on the machine's speed; request latencies and timeouts are real.
import { afterEach, describe, expect, test } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { MemoryLogger, VirtualClock } from '@hokusai/action-kit';
import { createHttpClient } from '../src/http-client.js';
import { parseJsonAssertion } from '../src/json-assertion.js';
import { probeEndpoints, type EndpointPlan, type ProbePlan } from '../src/probe.js';
import { sendJson, startHttpServer, type Handler, type TestServer } from './http-servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

function endpoint(url: string, extra: Partial<EndpointPlan['expect']> = {}): EndpointPlan {
  return {
    name: `GET ${url}`,
    url,
    method: 'GET',
    headers: {},
    timeoutMs: 2000,
    expect: { status: [{ from: 200, to: 200 }], json: [], maxLatencyMs: 1000, ...extra },
  };
}

function plan(endpoints: EndpointPlan[], extra: Partial<ProbePlan> = {}): ProbePlan {
  return {
    endpoints,
    waitMs: 5000,
    consecutiveSuccesses: 2,
    soakMs: 0,
    intervalMs: 20,
    requests: 0,
    concurrency: 1,
    maxErrorRate: 0.01,
    followRedirects: true,
    backoff: { initialDelayMs: 20, maxDelayMs: 100, multiplier: 2 },
    ...extra,
  };
}

async function probe(p: ProbePlan, signal?: AbortSignal) {
  const http = createHttpClient({ insecure: false, now: () => performance.now() });
  const logger = new MemoryLogger();
  const clock = new VirtualClock(0);
  try {
    const report = await probeEndpoints(p, {
      http,
      now: () => clock.now(),
      sleep: (ms, abort) => clock.sleep(ms, abort),
      random: () => 0.5,
      logger,
      ...(signal ? { signal } : {}),
    });
    return { report, logger };
  } finally {
    await http.close();
  }
}

describe('waiting to become healthy', () => {
  test('503 three times, then healthy after two successes in a row', async () => {
    const server = await serve((_req, res, hit) =>
      hit <= 3 ? sendJson(res, 503, { status: 'starting' }) : sendJson(res, 200, { status: 'ok' }),
    );
    const { report, logger } = await probe(plan([endpoint(`${server.origin}/health`)]));
    const [e] = report.endpoints;
    expect(report.healthy).toBe(true);
    expect(e!.attempts).toBe(5);
    expect(e!.probes.map((p) => p.status)).toEqual([503, 503, 503, 200, 200]);
    expect(e!.timeToHealthyMs).not.toBeNull();
    expect(e!.verdict).toBe('healthy after 5 attempt(s)');
    expect(logger.messages('info').some((m) => m.includes('[wait #1]: status 503'))).toBe(true);
  });

  test('no answer within timeout twice (a hung worker), then healthy', async () => {
    // The first two requests are never answered; the client's timeout gives up on them.
    const server = await serve((_req, res, hit) =>
      hit <= 2 ? undefined : sendJson(res, 200, { status: 'ok' }),
    );
    const { report } = await probe(plan([{ ...endpoint(`${server.origin}/health`), timeoutMs: 400 }]));
    const [e] = report.endpoints;
    expect(report.healthy).toBe(true);
    expect(e!.probes.map((p) => p.failures[0] ?? p.status)).toEqual([
      'timed out (no complete answer within timeout)',
      'timed out (no complete answer within timeout)',
      200,
      200,
    ]);
  });

  test('never healthy within wait: the last failure is the verdict', async () => {
    const server = await serve((_req, res) => sendJson(res, 502, { error: 'bad gateway' }));
    const { report } = await probe(plan([endpoint(`${server.origin}/health`)], { waitMs: 300 }));
    const [e] = report.endpoints;
    expect(report.healthy).toBe(false);
    expect(e!.attempts).toBeGreaterThan(2);
    expect(e!.timeToHealthyMs).toBeNull();
    expect(e!.verdict).toMatch(/^not healthy within wait 300ms: status 502, expected 200/);
  });

  test('slower than max-latency: retried, then unhealthy', async () => {
    const server = await serve(
      (_req, res) => void setTimeout(() => sendJson(res, 200, { status: 'ok' }), 150),
    );
    const { report } = await probe(
      plan([endpoint(`${server.origin}/health`, { maxLatencyMs: 50 })], { waitMs: 600 }),
    );
    expect(report.healthy).toBe(false);
    expect(report.endpoints[0]!.verdict).toMatch(/took \d+ms, over max-latency 50ms/);
    expect(report.endpoints[0]!.attempts).toBeGreaterThan(1);
  });

  test('wrong JSON fails at once, without retrying', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { status: 'degraded', experiments: [] }));
    const assertions = ['status == "ok"', 'length(experiments) >= 1'].map(parseJsonAssertion);
    const { report } = await probe(plan([endpoint(`${server.origin}/health`, { json: assertions })]));
    const [e] = report.endpoints;
    expect(report.healthy).toBe(false);
    expect(e!.attempts).toBe(1);
    expect(e!.verdict).toBe(
      'unhealthy: expect-json "status == "ok"" failed: status is "degraded", expected "ok"; ' +
        'expect-json "length(experiments) >= 1" failed: length(experiments) is 0, expected >= 1',
    );
  });

  test('endpoints are judged separately', async () => {
    const server = await serve((req, res) =>
      req.url === '/health'
        ? sendJson(res, 200, { status: 'ok' })
        : sendJson(res, 404, { error: 'no route' }),
    );
    const { report } = await probe(
      plan([endpoint(`${server.origin}/health`), endpoint(`${server.origin}/missing`)]),
    );
    expect(report.healthy).toBe(false);
    expect(report.endpoints.map((e) => e.healthy)).toEqual([true, false]);
    expect(report.endpoints[1]!.verdict).toMatch(/^unhealthy: status 404/);
  });
});

describe('cancellation', () => {
  test('no request starts after the cancel; the report says cancelled, with no verdict', async () => {
    const controller = new AbortController();
    const server = await serve((_req, res, hit) => {
      // The runner cancels while the third probe is in flight.
      if (hit === 3) controller.abort('SIGTERM');
      sendJson(res, 503, { status: 'starting' });
    });
    const { report } = await probe(plan([endpoint(`${server.origin}/health`)]), controller.signal);
    expect(report.cancelled).toBe(true);
    expect(report.healthy).toBe(false);
    expect(report.endpoints[0]!.verdict).toBe('cancelled before a verdict');
    expect(server.requests).toHaveLength(3);
  });

  test('cancelled during the soak', async () => {
    const controller = new AbortController();
    const server = await serve((_req, res, hit) => {
      if (hit === 4) controller.abort('SIGINT');
      sendJson(res, 200, { status: 'ok' });
    });
    const { report } = await probe(
      plan([endpoint(`${server.origin}/health`)], { soakMs: 10_000, intervalMs: 50, requests: 10 }),
      controller.signal,
    );
    expect(report).toMatchObject({ cancelled: true, healthy: false });
    expect(report.endpoints[0]!.verdict).toMatch(/^cancelled before a verdict \(cancelled during the soak/);
    // No load check after a cancel.
    expect(report.endpoints[0]!.load).toBeNull();
    expect(server.requests).toHaveLength(4);
  });
});

describe('soak', () => {
  test('a steady endpoint passes the soak', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { status: 'ok' }));
    const { report } = await probe(
      plan([endpoint(`${server.origin}/health`)], { soakMs: 300, intervalMs: 50 }),
    );
    const [e] = report.endpoints;
    expect(report.healthy).toBe(true);
    // One probe every 50 ms of a 300 ms soak, on the probe's clock.
    expect(e!.soak!.probes).toBe(6);
    expect(e!.soak!.failures).toBe(0);
    expect(e!.attempts).toBe(2);
    expect(e!.probes.length).toBe(2 + e!.soak!.probes);
    expect(e!.verdict).toMatch(/soak probe\(s\) ok$/);
  });

  test('a soak shorter than the interval still probes once', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { status: 'ok' }));
    const { report } = await probe(
      plan([endpoint(`${server.origin}/health`)], { soakMs: 30, intervalMs: 1000 }),
    );
    expect(report.endpoints[0]!.soak).toEqual({ probes: 1, failures: 0 });
    expect(server.requests).toHaveLength(3);
  });

  test('flapping during the soak fails', async () => {
    const server = await serve((_req, res, hit) =>
      hit === 5 ? sendJson(res, 500, { error: 'flap' }) : sendJson(res, 200, { status: 'ok' }),
    );
    const { report } = await probe(
      plan([endpoint(`${server.origin}/health`)], { soakMs: 2000, intervalMs: 20 }),
    );
    const [e] = report.endpoints;
    expect(report.healthy).toBe(false);
    expect(e!.timeToHealthyMs).not.toBeNull();
    expect(e!.soak).toEqual({ probes: 3, failures: 1 });
    expect(e!.verdict).toMatch(/^failed during soak \(probe 3\): status 500, expected 200/);
  });
});

describe('load check', () => {
  const everyTwentiethFails: Handler = (_req, res, hit) =>
    hit > 2 && hit % 20 === 0 ? sendJson(res, 500, { error: 'boom' }) : sendJson(res, 200, { status: 'ok' });

  test('5% errors fail max-error-rate 1%', async () => {
    const server = await serve(everyTwentiethFails);
    const { report } = await probe(
      plan([endpoint(`${server.origin}/health`)], { requests: 200, concurrency: 8 }),
    );
    const load = report.endpoints[0]!.load!;
    expect(load.latency.count).toBe(200);
    expect(load.latency.errors).toBe(10);
    expect(load.latency.errorRate).toBeCloseTo(0.05);
    expect(load.topFailures).toEqual([
      { message: 'status 500, expected 200 (body: {"error":"boom"})', count: 10 },
    ]);
    expect(report.healthy).toBe(false);
    expect(report.endpoints[0]!.verdict).toBe(
      'load check failed: error rate 5% (10 of 200) is above max-error-rate 1%',
    );
    expect(report.overall).toMatchObject({ source: 'load', count: 200, errors: 10 });
    expect(server.requests).toHaveLength(202);
  });

  test('5% errors pass max-error-rate 10%', async () => {
    const server = await serve(everyTwentiethFails);
    const { report } = await probe(
      plan([endpoint(`${server.origin}/health`)], { requests: 200, concurrency: 8, maxErrorRate: 0.1 }),
    );
    expect(report.healthy).toBe(true);
    expect(report.endpoints[0]!.verdict).toMatch(/load check ok$/);
    expect(report.overall.p95).not.toBeNull();
  });

  test('p95 above max-latency fails even without errors', async () => {
    // The two wait probes are fast; then one request in ten takes 120ms.
    const server = await serve((_req, res, hit) =>
      hit > 2 && hit % 10 === 0
        ? void setTimeout(() => sendJson(res, 200, { status: 'ok' }), 120)
        : sendJson(res, 200, { status: 'ok' }),
    );
    const { report } = await probe(
      plan([endpoint(`${server.origin}/health`, { maxLatencyMs: 100 })], { requests: 100, concurrency: 4 }),
    );
    const load = report.endpoints[0]!.load!;
    expect(load.latency.errors).toBe(0);
    expect(load.latency.p95!).toBeGreaterThan(100);
    expect(report.healthy).toBe(false);
    expect(load.failures).toEqual([expect.stringMatching(/^p95 latency \d+ms is above max-latency 100ms$/)]);
  });

  test('an unhealthy endpoint is not loaded', async () => {
    const server = await serve((_req, res) => sendJson(res, 404, {}));
    const { report } = await probe(plan([endpoint(`${server.origin}/health`)], { requests: 50 }));
    expect(report.endpoints[0]!.load).toBeNull();
    expect(server.requests).toHaveLength(1);
    expect(report.overall.source).toBe('probes');
  });
});
