// The job summary (what a person reads first) and the results file, from a probe report. Pure: the caller
// redacts secrets from both before they are written.
import {
  blocks,
  details,
  escapeMarkdown,
  formatDuration,
  heading,
  inlineCode,
  mermaid,
  mermaidText,
  table,
} from '@hokusai/action-kit';
import { formatRate, type LatencySummary } from './latency-stats.js';
import type { EndpointReport, ProbePlan, ProbeReport } from './probe.js';

function ms(value: number | null): string {
  return value === null ? '—' : formatDuration(value);
}

/** Latency to show for an endpoint: the load check's when it ran (more samples), else its probes'. */
function shownLatency(endpoint: EndpointReport): LatencySummary {
  return endpoint.load?.latency ?? endpoint.latency;
}

function shortLabel(endpoint: EndpointReport): string {
  try {
    const url = new URL(endpoint.url);
    return `${endpoint.method === 'GET' ? '' : `${endpoint.method} `}${url.pathname}`;
  } catch {
    return endpoint.name;
  }
}

export function latencyChart(endpoints: EndpointReport[]): string | null {
  const rows = endpoints.map((e) => ({ label: shortLabel(e), latency: shownLatency(e) }));
  if (rows.every((r) => r.latency.p95 === null)) return null;
  const top = Math.max(1, ...rows.map((r) => r.latency.p95 ?? 0));
  const labels = rows.map((r) => `"${mermaidText(r.label).replace(/,/g, ' ') || '/'}"`).join(', ');
  const values = (pick: (l: LatencySummary) => number | null) =>
    rows.map((r) => Math.round(pick(r.latency) ?? 0)).join(', ');
  return mermaid(
    [
      'xychart-beta',
      '  title "Latency per endpoint (ms): bars p95, line p50"',
      `  x-axis [${labels}]`,
      `  y-axis "ms" 0 --> ${Math.ceil(top * 1.2)}`,
      `  bar [${values((l) => l.p95)}]`,
      `  line [${values((l) => l.p50)}]`,
    ].join('\n'),
  );
}

function headerList(headers: Record<string, string>): string {
  const names = Object.keys(headers);
  return names.length === 0 ? '—' : names.map((n) => inlineCode(`${n}: ***`)).join(' ');
}

/**
 * `redact` is applied to every text before Markdown escaping, so a redacted value reads as an escaped `***`
 * (the caller redacts the whole document again as a last line of defence).
 */
export function renderSummary(
  report: ProbeReport,
  plan: ProbePlan,
  redact: (text: string) => string = (t) => t,
): string {
  const healthyCount = report.endpoints.filter((e) => e.healthy).length;
  const total = report.endpoints.length;
  const title = report.cancelled
    ? `⏹️ endpoint-probe: cancelled after ${formatDuration(report.durationMs)}, no verdict (${healthyCount} of ${total} endpoint(s) healthy by then)`
    : report.healthy
      ? `✅ endpoint-probe: ${total} of ${total} endpoint(s) healthy`
      : `❌ endpoint-probe: ${total - healthyCount} of ${total} endpoint(s) unhealthy`;
  const endpointTable = table(
    ['endpoint', 'result', 'status', 'attempts', 'time to healthy', 'p50', 'p95', 'headers', 'verdict'],
    report.endpoints.map((e, i) => {
      const latency = shownLatency(e);
      return [
        redact(e.name),
        e.healthy ? '✅ healthy' : '❌ unhealthy',
        e.lastStatus ?? 'no answer',
        e.attempts,
        ms(e.timeToHealthyMs),
        ms(latency.p50),
        ms(latency.p95),
        headerList(plan.endpoints[i]?.headers ?? {}),
        redact(e.verdict),
      ];
    }),
    { raw: [7] },
  );
  const settings =
    `wait ${formatDuration(plan.waitMs)}, ${plan.consecutiveSuccesses} success(es) in a row, ` +
    (plan.soakMs > 0
      ? `soak ${formatDuration(plan.soakMs)} every ${formatDuration(plan.intervalMs)}, `
      : '') +
    `redirects ${plan.followRedirects ? 'followed' : 'not followed'}. Header values are never shown.`;
  const loads = report.endpoints.filter((e) => e.load !== null);
  const loadTable =
    loads.length > 0 &&
    heading('Load check', 3) +
      '\n' +
      table(
        ['endpoint', 'requests', 'concurrency', 'error rate', 'p50', 'p95', 'p99', 'result'],
        loads.map((e) => {
          const load = e.load!;
          return [
            redact(e.name),
            load.requests,
            load.concurrency,
            `${formatRate(load.latency.errorRate)} (max ${formatRate(plan.maxErrorRate)})`,
            ms(load.latency.p50),
            ms(load.latency.p95),
            ms(load.latency.p99),
            load.failures.length === 0 ? '✅ ok' : `❌ ${redact(load.failures.join('; '))}`,
          ];
        }),
      ) +
      loads
        .filter((e) => e.load!.topFailures.length > 0)
        .map(
          (e) =>
            '\n' +
            details(
              `${redact(e.name)}: failed requests`,
              table(
                ['count', 'failure'],
                e.load!.topFailures.map((f) => [f.count, redact(f.message)]),
              ),
            ),
        )
        .join('');
  const chart = latencyChart(report.endpoints);
  const probeLogs = report.endpoints.map((e) => {
    const { shown, hidden } = probesShown(e.probes.length);
    const rows = shown.map((i) => {
      const p = e.probes[i]!;
      return [
        i + 1,
        p.phase,
        ms(p.atMs),
        p.status ?? 'no answer',
        ms(p.latencyMs),
        p.ok ? 'ok' : redact(p.failures.join('; ')),
      ];
    });
    const note =
      hidden > 0
        ? `\n\n${hidden} probe(s) between #${PROBES_SHOWN.first} and #${e.probes.length - PROBES_SHOWN.last + 1} are not shown here: every probe is in the results file.`
        : '';
    return details(
      `${redact(e.name)}: ${e.probes.length} probe(s)`,
      table(['#', 'phase', 'at', 'status', 'latency', 'result'], rows) + note,
    );
  });
  return blocks(
    heading(title, 2),
    endpointTable,
    settings,
    loadTable || null,
    chart && heading('Latency', 3) + '\n' + chart,
    ...probeLogs,
  );
}

/**
 * Probe rows listed per endpoint: the first and the last ones (a long soak makes thousands, and a step's summary
 * must stay under GitHub's 1 MiB or it is dropped whole).
 */
export const PROBES_SHOWN = { first: 20, last: 80 };

function probesShown(count: number): { shown: number[]; hidden: number } {
  const all = Array.from({ length: count }, (_, i) => i);
  if (count <= PROBES_SHOWN.first + PROBES_SHOWN.last) return { shown: all, hidden: 0 };
  return {
    shown: [...all.slice(0, PROBES_SHOWN.first), ...all.slice(count - PROBES_SHOWN.last)],
    hidden: count - PROBES_SHOWN.first - PROBES_SHOWN.last,
  };
}

/** The summary of a step that failed before any request: why, in one line. */
export function refusedSummary(message: string): string {
  return blocks(
    heading('❌ endpoint-probe: nothing probed', 2),
    `The step stopped before any request: ${escapeMarkdown(message)}`,
  );
}

/** The results file: the report plus the settings it was judged by, with header names but never values. */
export function resultsDocument(report: ProbeReport, plan: ProbePlan): unknown {
  return {
    healthy: report.healthy,
    cancelled: report.cancelled,
    durationMs: report.durationMs,
    p50Ms: report.overall.p50,
    p95Ms: report.overall.p95,
    p99Ms: report.overall.p99,
    errorRate: report.overall.errorRate,
    measuredOver: report.overall.source,
    settings: {
      waitMs: plan.waitMs,
      consecutiveSuccesses: plan.consecutiveSuccesses,
      soakMs: plan.soakMs,
      intervalMs: plan.intervalMs,
      requests: plan.requests,
      concurrency: plan.concurrency,
      maxErrorRate: plan.maxErrorRate,
      followRedirects: plan.followRedirects,
    },
    endpoints: report.endpoints.map((e, i) => {
      const endpoint = plan.endpoints[i];
      return {
        ...e,
        headers: Object.fromEntries(Object.keys(endpoint?.headers ?? {}).map((n) => [n, '***'])),
        maxLatencyMs: endpoint?.expect.maxLatencyMs,
        timeoutMs: endpoint?.timeoutMs,
      };
    }),
  };
}
