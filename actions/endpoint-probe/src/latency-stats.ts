// Percentiles and error rates over measured requests (nearest-rank percentiles: always a latency that was seen).

export interface Sample {
  latencyMs: number;
  ok: boolean;
}

export interface LatencySummary {
  count: number;
  errors: number;
  /** errors / count, 0 when nothing was measured. */
  errorRate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Nearest-rank percentile of ascending `sorted` values: the smallest value with at least p% at or below it. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function summarizeLatency(samples: readonly Sample[]): LatencySummary {
  const sorted = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  const errors = samples.filter((s) => !s.ok).length;
  return {
    count: samples.length,
    errors,
    errorRate: samples.length === 0 ? 0 : errors / samples.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
  };
}

/** Why a load check fails (empty when it passes). */
export function loadCheckFailures(
  summary: LatencySummary,
  maxErrorRate: number,
  maxLatencyMs: number,
): string[] {
  const failures: string[] = [];
  if (summary.errorRate > maxErrorRate) {
    failures.push(
      `error rate ${formatRate(summary.errorRate)} (${summary.errors} of ${summary.count}) is above max-error-rate ${formatRate(maxErrorRate)}`,
    );
  }
  if (summary.p95 !== null && summary.p95 > maxLatencyMs) {
    failures.push(`p95 latency ${Math.round(summary.p95)}ms is above max-latency ${maxLatencyMs}ms`);
  }
  return failures;
}

export function formatRate(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}
