import { describe, expect, test } from '@jest/globals';
import { summarizeLatency } from '../src/latency-stats.js';
import type { EndpointReport, ProbePlan, ProbeReport } from '../src/probe.js';
import { SUMMARY_MAX_BYTES } from '@hokusai/action-kit';
import {
  latencyChart,
  PROBES_SHOWN,
  refusedSummary,
  renderSummary,
  resultsDocument,
} from '../src/summary.js';
import { createRedactor } from '../src/redaction.js';

const SECRET = 'k-secret-123';

function endpoint(url: string, extra: Partial<EndpointReport> = {}): EndpointReport {
  const latencies = [10, 20, 30, 40];
  return {
    name: `GET ${url}`,
    url,
    method: 'GET',
    healthy: true,
    verdict: 'healthy after 2 attempt(s)',
    attempts: 2,
    timeToHealthyMs: 1250,
    lastStatus: 200,
    latency: summarizeLatency(latencies.map((latencyMs) => ({ latencyMs, ok: true }))),
    soak: null,
    load: null,
    probes: [
      { phase: 'wait', atMs: 5, status: 200, latencyMs: 10, ok: true, failures: [] },
      { phase: 'wait', atMs: 1250, status: 200, latencyMs: 20, ok: true, failures: [] },
    ],
    ...extra,
  };
}

const plan: ProbePlan = {
  endpoints: [
    {
      name: 'GET https://api.example.com/health',
      url: 'https://api.example.com/health',
      method: 'GET',
      headers: {},
      timeoutMs: 10_000,
      expect: { status: [{ from: 200, to: 200 }], json: [], maxLatencyMs: 5000 },
    },
    {
      name: 'GET https://api.example.com/api/mlflow/health',
      url: 'https://api.example.com/api/mlflow/health',
      method: 'GET',
      headers: { 'X-Api-Key': SECRET },
      timeoutMs: 10_000,
      expect: { status: [{ from: 200, to: 200 }], json: [], maxLatencyMs: 5000 },
    },
  ],
  waitMs: 120_000,
  consecutiveSuccesses: 2,
  soakMs: 0,
  intervalMs: 5000,
  requests: 0,
  concurrency: 10,
  maxErrorRate: 0.01,
  followRedirects: true,
};

const failing = endpoint('https://api.example.com/api/mlflow/health', {
  healthy: false,
  verdict: `unhealthy: status 401, expected 200 (body: bad key ${SECRET})`,
  attempts: 1,
  timeToHealthyMs: null,
  lastStatus: 401,
  probes: [
    {
      phase: 'wait',
      atMs: 5,
      status: 401,
      latencyMs: 12,
      ok: false,
      failures: [`status 401 (body: bad key ${SECRET})`],
    },
  ],
});

const report: ProbeReport = {
  healthy: false,
  cancelled: false,
  durationMs: 1300,
  endpoints: [endpoint('https://api.example.com/health'), failing],
  overall: { ...summarizeLatency([]), source: 'probes' },
};

describe('renderSummary', () => {
  const markdown = renderSummary(report, plan, createRedactor([SECRET]));

  test('a headline and one row per endpoint', () => {
    expect(markdown.startsWith('## ❌ endpoint-probe: 1 of 2 endpoint(s) unhealthy\n')).toBe(true);
    expect(markdown).toContain(
      '| GET https://api.example.com/health | ✅ healthy | 200 | 2 | 1.25s | 20ms | 40ms | — | healthy after 2 attempt(s) |',
    );
    expect(markdown).toContain(
      '| GET https://api.example.com/api/mlflow/health | ❌ unhealthy | 401 | 1 | — | 20ms | 40ms | `X-Api-Key: ***` | unhealthy: status 401, expected 200 (body: bad key \\*\\*\\*) |',
    );
  });

  test('header values and secrets in bodies never appear', () => {
    expect(markdown).not.toContain(SECRET);
  });

  test('a latency chart per endpoint', () => {
    expect(markdown).toContain('```mermaid\nxychart-beta\n');
    expect(markdown).toContain(
      '  x-axis ["/health", "/api/mlflow/health"]\n  y-axis "ms" 0 --> 48\n  bar [40, 40]\n  line [20, 20]',
    );
  });

  test('probe details per endpoint', () => {
    expect(markdown).toContain(
      '<details><summary>GET https://api.example.com/api/mlflow/health: 1 probe(s)</summary>',
    );
    expect(markdown).toContain('| 1 | wait | 5ms | 401 | 12ms | status 401 (body: bad key \\*\\*\\*) |');
  });

  test('a load table when a load check ran', () => {
    const latency = summarizeLatency(
      Array.from({ length: 100 }, (_, i) => ({ latencyMs: i + 1, ok: i % 20 !== 0 })),
    );
    const loaded: ProbeReport = {
      ...report,
      endpoints: [
        endpoint('https://api.example.com/health', {
          load: {
            requests: 100,
            concurrency: 5,
            latency,
            topFailures: [{ message: 'status 500, expected 200', count: 5 }],
            failures: ['error rate 5% (5 of 100) is above max-error-rate 1%'],
          },
        }),
      ],
    };
    const md = renderSummary(loaded, plan);
    expect(md).toContain('### Load check');
    expect(md).toContain(
      '| GET https://api.example.com/health | 100 | 5 | 5% (max 1%) | 50ms | 95ms | 99ms | ❌ error rate 5% (5 of 100) is above max-error-rate 1% |',
    );
    expect(md).toContain('| 5 | status 500, expected 200 |');
  });
});

test('no chart when nothing answered', () => {
  const silent = endpoint('https://api.example.com/health', { latency: summarizeLatency([]) });
  expect(latencyChart([silent])).toBeNull();
});

test('the results document shows header names with *** for values', () => {
  const doc = resultsDocument(report, plan) as { endpoints: Array<{ headers: Record<string, string> }> };
  expect(doc.endpoints.map((e) => e.headers)).toEqual([{}, { 'X-Api-Key': '***' }]);
  // The raw report still holds what the server said; main redacts the serialized file.
  expect(createRedactor([SECRET])(JSON.stringify(doc))).not.toContain(SECRET);
});

describe('summary size', () => {
  test('an hour of soak every second on four endpoints stays under 1 MiB; the first and last probes are listed', () => {
    const failure = `status 503, expected 200 (body: ${'x'.repeat(117)}...)`;
    const probes = Array.from({ length: 3600 }, (_, i) => ({
      phase: 'soak' as const,
      atMs: i * 1000,
      status: 503,
      latencyMs: 12,
      ok: false,
      failures: [failure, 'took 1200ms, over max-latency 1000ms'],
    }));
    const endpoints = ['a', 'b', 'c', 'd'].map((n) => endpoint(`https://api.example.com/${n}`, { probes }));
    const markdown = renderSummary({ ...report, endpoints }, { ...plan, endpoints: [] });
    expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThan(SUMMARY_MAX_BYTES);
    const shown = PROBES_SHOWN.first + PROBES_SHOWN.last;
    expect(markdown).toContain(
      `${3600 - shown} probe(s) between #${PROBES_SHOWN.first} and #${3600 - PROBES_SHOWN.last + 1} are not shown here`,
    );
    expect(markdown).toContain('| 3600 | soak |');
    expect(markdown).not.toContain('| 21 | soak |');
  });
});

describe('the summary of a step that stopped early', () => {
  test('refused before any request: the reason, escaped', () => {
    expect(refusedSummary('invalid header line 1 in input "headers": <b>')).toBe(
      '## ❌ endpoint-probe: nothing probed\n\nThe step stopped before any request: invalid header line 1 in input "headers": &lt;b&gt;\n',
    );
  });
  test('cancelled: no verdict in the headline', () => {
    const markdown = renderSummary({ ...report, cancelled: true, durationMs: 12_000 }, plan);
    expect(
      markdown.startsWith(
        '## ⏹️ endpoint-probe: cancelled after 12.0s, no verdict (1 of 2 endpoint(s) healthy by then)\n',
      ),
    ).toBe(true);
  });
});
