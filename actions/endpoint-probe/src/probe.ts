// Runs the probe plan: wait for each endpoint to become healthy (in parallel), soak it, then load-check it.
// Decisions come from retry-schedule, expectations and latency-stats; time, sleep and randomness are injected.
import { formatDuration, type Logger } from '@hokusai/action-kit';
import { checkResponse, type Expectations, type Redact } from './expectations.js';
import type { HttpClient, HttpRequest } from './http-client.js';
import { loadCheckFailures, summarizeLatency, type LatencySummary, type Sample } from './latency-stats.js';
import {
  DEFAULT_BACKOFF,
  decideAfterProbe,
  INITIAL_WAIT_STATE,
  type BackoffPolicy,
} from './retry-schedule.js';

export interface EndpointPlan {
  /** What people see: `GET https://host/health`. */
  name: string;
  url: string;
  method: string;
  /** The configured headers: every value is a secret. */
  headers: Record<string, string>;
  body?: string;
  /** Set for a YAML body sent as JSON, unless the headers name one. */
  contentType?: string;
  timeoutMs: number;
  expect: Expectations;
}

export interface ProbePlan {
  endpoints: EndpointPlan[];
  waitMs: number;
  consecutiveSuccesses: number;
  soakMs: number;
  intervalMs: number;
  /** Load check after healthy; requests 0 skips it. */
  requests: number;
  concurrency: number;
  maxErrorRate: number;
  followRedirects: boolean;
  backoff?: BackoffPolicy;
}

export interface ProbeEnvironment {
  http: HttpClient;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for backoff jitter. */
  random: () => number;
  logger: Logger;
  /**
   * Replaces the probe's secrets (header values, URL credentials) in response text before the failures quote and
   * shorten it: a server may echo a header back. Identity when absent.
   */
  redact?: Redact;
  /**
   * The step's cancellation: no request starts after it, the one in flight is aborted, and the report says
   * `cancelled` with no verdict on the endpoints that had none yet.
   */
  signal?: AbortSignal;
}

export interface ProbeRecord {
  phase: 'wait' | 'soak';
  /** Milliseconds since the probe run began. */
  atMs: number;
  status: number | null;
  latencyMs: number;
  ok: boolean;
  failures: string[];
}

export interface LoadReport {
  requests: number;
  concurrency: number;
  latency: LatencySummary;
  /** Up to five distinct failure messages seen, with how often. */
  topFailures: Array<{ message: string; count: number }>;
  failures: string[];
}

export interface EndpointReport {
  name: string;
  url: string;
  method: string;
  healthy: boolean;
  /** One line: why it is (un)healthy. */
  verdict: string;
  /** Probes until healthy (or until the wait gave up); soak probes are counted in `soak`. */
  attempts: number;
  /** Milliseconds from the start until the required successes in a row; null when never healthy. */
  timeToHealthyMs: number | null;
  lastStatus: number | null;
  /** Over every wait and soak probe that got an answer. */
  latency: LatencySummary;
  soak: { probes: number; failures: number } | null;
  load: LoadReport | null;
  probes: ProbeRecord[];
}

export interface ProbeReport {
  healthy: boolean;
  /** The step was cancelled before every endpoint had its verdict. */
  cancelled: boolean;
  durationMs: number;
  endpoints: EndpointReport[];
  /** What the p50-ms / p95-ms / error-rate outputs report: load-check requests if any ran, else every probe. */
  overall: LatencySummary & { source: 'load' | 'probes' };
}

interface Attempt {
  ok: boolean;
  transient: boolean;
  status: number | null;
  latencyMs: number;
  failures: string[];
}

/** The verdict of an endpoint the cancellation stopped before it had one. */
export const CANCELLED_VERDICT = 'cancelled before a verdict';

function requestOf(endpoint: EndpointPlan, followRedirects: boolean, signal?: AbortSignal): HttpRequest {
  const named = Object.keys(endpoint.headers).some((h) => h.toLowerCase() === 'content-type');
  return {
    url: endpoint.url,
    method: endpoint.method,
    headers:
      endpoint.contentType && !named
        ? { ...endpoint.headers, 'Content-Type': endpoint.contentType }
        : endpoint.headers,
    body: endpoint.body,
    timeoutMs: endpoint.timeoutMs,
    followRedirects,
    ...(signal ? { signal } : {}),
  };
}

async function attempt(env: ProbeEnvironment, req: HttpRequest, expect: Expectations): Promise<Attempt> {
  const result = await env.http.send(req);
  if (result.kind === 'error') {
    return {
      ok: false,
      transient: result.failure.transient,
      status: null,
      latencyMs: result.latencyMs,
      failures: [result.failure.message],
    };
  }
  const verdict = checkResponse(result, expect, env.redact);
  return { ...verdict, status: result.status, latencyMs: result.latencyMs };
}

async function waitAndSoak(
  plan: ProbePlan,
  endpoint: EndpointPlan,
  env: ProbeEnvironment,
  startedAt: number,
) {
  const probes: ProbeRecord[] = [];
  const req = requestOf(endpoint, plan.followRedirects, env.signal);
  const cancelled = () => env.signal?.aborted === true;
  const record = (phase: ProbeRecord['phase'], a: Attempt) => {
    probes.push({ phase, atMs: Math.round(env.now() - startedAt), ...a, latencyMs: Math.round(a.latencyMs) });
    const what = a.status === null ? 'no answer' : `status ${a.status}`;
    const line = `${endpoint.name} [${phase} #${probes.length}]: ${what} in ${Math.round(a.latencyMs)}ms`;
    env.logger.info(a.ok ? `${line}: ok` : `${line}: ${a.failures.join('; ')}`);
  };

  let state = INITIAL_WAIT_STATE;
  let healthy = false;
  let verdict = '';
  let last: Attempt | null = null;
  for (;;) {
    last = await attempt(env, req, endpoint.expect);
    if (cancelled()) {
      verdict = CANCELLED_VERDICT;
      break;
    }
    record('wait', last);
    const step = decideAfterProbe({
      state,
      outcome: last,
      elapsedMs: env.now() - startedAt,
      waitMs: plan.waitMs,
      consecutiveSuccesses: plan.consecutiveSuccesses,
      intervalMs: plan.intervalMs,
      random: env.random(),
      policy: plan.backoff ?? DEFAULT_BACKOFF,
    });
    state = step.state;
    const decision = step.decision;
    if (decision.kind === 'probe') {
      await env.sleep(decision.delayMs, env.signal);
      if (cancelled()) {
        verdict = CANCELLED_VERDICT;
        break;
      }
      continue;
    }
    if (decision.kind === 'healthy') {
      healthy = true;
      verdict = `healthy after ${state.attempts} attempt(s)`;
    } else if (decision.reason === 'definitive') {
      verdict = `unhealthy: ${last.failures.join('; ')}`;
    } else {
      const streak =
        state.streak > 0 ? ` (${state.streak} of ${plan.consecutiveSuccesses} successes in a row)` : '';
      verdict = `not healthy within wait ${formatDuration(plan.waitMs)}${streak}: ${last.failures.join('; ') || 'ok'}`;
    }
    break;
  }
  const timeToHealthyMs = healthy ? Math.round(env.now() - startedAt) : null;
  const attempts = probes.length;

  let soak: EndpointReport['soak'] = null;
  if (healthy && plan.soakMs > 0) {
    const soakEnd = env.now() + plan.soakMs;
    soak = { probes: 0, failures: 0 };
    // One probe every interval until the soak ends; a soak shorter than the interval still gets one probe.
    for (;;) {
      const remaining = soakEnd - env.now();
      if (remaining <= 0 && soak.probes > 0) break;
      await env.sleep(Math.max(0, Math.min(plan.intervalMs, remaining)), env.signal);
      if (!cancelled()) last = await attempt(env, req, endpoint.expect);
      if (cancelled()) {
        healthy = false;
        verdict = `${CANCELLED_VERDICT} (cancelled during the soak, ${soak.probes} soak probe(s) ok)`;
        break;
      }
      record('soak', last);
      soak.probes++;
      if (!last.ok) {
        soak.failures++;
        healthy = false;
        verdict = `failed during soak (probe ${soak.probes}): ${last.failures.join('; ')}`;
        break;
      }
    }
    if (healthy) verdict += `; ${soak.probes} soak probe(s) ok`;
  }
  return {
    healthy,
    verdict,
    attempts,
    timeToHealthyMs,
    probes,
    soak,
    lastStatus: last.status,
  };
}

async function loadCheck(
  plan: ProbePlan,
  endpoint: EndpointPlan,
  env: ProbeEnvironment,
): Promise<{ report: LoadReport; samples: Sample[] }> {
  const req = requestOf(endpoint, plan.followRedirects, env.signal);
  // Slowness is judged on the p95, not per request: a load request fails only on status, body, JSON or network.
  const expect = { ...endpoint.expect, maxLatencyMs: Number.POSITIVE_INFINITY };
  const samples: Sample[] = [];
  const failureCounts = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < plan.requests && !env.signal?.aborted) {
      next++;
      const a = await attempt(env, req, expect);
      if (env.signal?.aborted) break;
      samples.push({ latencyMs: a.latencyMs, ok: a.ok });
      for (const f of a.failures) failureCounts.set(f, (failureCounts.get(f) ?? 0) + 1);
    }
  };
  const concurrency = Math.min(plan.concurrency, plan.requests);
  await Promise.all(Array.from({ length: concurrency }, worker));
  const latency = summarizeLatency(samples);
  const topFailures = [...failureCounts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([message, count]) => ({ message, count }));
  const failures = loadCheckFailures(latency, plan.maxErrorRate, endpoint.expect.maxLatencyMs);
  return { report: { requests: plan.requests, concurrency, latency, topFailures, failures }, samples };
}

export async function probeEndpoints(plan: ProbePlan, env: ProbeEnvironment): Promise<ProbeReport> {
  const startedAt = env.now();
  const phases = await Promise.all(plan.endpoints.map((e) => waitAndSoak(plan, e, env, startedAt)));
  const reports: EndpointReport[] = [];
  const loadSamples: Sample[] = [];
  for (const [i, endpoint] of plan.endpoints.entries()) {
    const phase = phases[i]!;
    const answered = phase.probes.filter((p) => p.status !== null);
    const report: EndpointReport = {
      name: endpoint.name,
      url: endpoint.url,
      method: endpoint.method,
      healthy: phase.healthy,
      verdict: phase.verdict,
      attempts: phase.attempts,
      timeToHealthyMs: phase.timeToHealthyMs,
      lastStatus: phase.lastStatus,
      latency: summarizeLatency(answered),
      soak: phase.soak,
      load: null,
      probes: phase.probes,
    };
    // Loading an endpoint that is not healthy measures nothing useful; endpoints are loaded one at a time so
    // their numbers do not disturb each other.
    if (phase.healthy && plan.requests > 0 && !env.signal?.aborted) {
      env.logger.info(
        `${endpoint.name}: load check, ${plan.requests} requests, concurrency ${plan.concurrency}`,
      );
      const load = await loadCheck(plan, endpoint, env);
      report.load = load.report;
      loadSamples.push(...load.samples);
      if (env.signal?.aborted) {
        report.healthy = false;
        report.verdict = `${CANCELLED_VERDICT} (cancelled during the load check)`;
      } else if (report.load.failures.length > 0) {
        report.healthy = false;
        report.verdict = `load check failed: ${report.load.failures.join('; ')}`;
      } else {
        report.verdict += `; load check ok`;
      }
    }
    reports.push(report);
  }
  const overall = reports.some((r) => r.load !== null)
    ? { ...summarizeLatency(loadSamples), source: 'load' as const }
    : {
        ...summarizeLatency(
          reports.flatMap((r) => r.probes.map((p) => ({ latencyMs: p.latencyMs, ok: p.ok }))),
        ),
        source: 'probes' as const,
      };
  const cancelled = env.signal?.aborted === true;
  return {
    healthy: !cancelled && reports.every((r) => r.healthy),
    cancelled,
    durationMs: Math.round(env.now() - startedAt),
    endpoints: reports,
    overall,
  };
}
