// Every request the actions make to AWS, on the action's clock: for the polling budget (first attempts only, so a
// fault storm's retries never starve the evidence), the calls-per-minute figures, and the benchmarks.
import type { Clock } from '@hokusai/action-kit';

export interface ApiCall {
  /** Epoch ms on the log's clock. */
  at: number;
  /** The AWS operation, e.g. DescribeServices. */
  operation: string;
  /** 1 for a first attempt, 2+ for retries of the same logical call. */
  attempt: number;
}

export class ApiCallLog {
  readonly calls: ApiCall[] = [];
  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  record(operation: string, attempt = 1): void {
    this.calls.push({ at: this.clock.now(), operation, attempt });
  }

  /** Requests made at or after `at`; with `firstAttemptsOnly`, retries are not counted. */
  countSince(at: number, options: { firstAttemptsOnly?: boolean } = {}): number {
    let n = 0;
    for (let i = this.calls.length - 1; i >= 0 && this.calls[i]!.at >= at; i--)
      if (!options.firstAttemptsOnly || this.calls[i]!.attempt === 1) n++;
    return n;
  }

  /** The most requests in any `windowMs` window (all attempts), e.g. the busiest minute. */
  busiestWindow(windowMs: number, from = -Infinity): number {
    const calls = this.calls.filter((c) => c.at >= from);
    let best = 0;
    let start = 0;
    for (let end = 0; end < calls.length; end++) {
      while (calls[end]!.at - calls[start]!.at >= windowMs) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }
}
