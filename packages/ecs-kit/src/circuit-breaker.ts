// The deployment circuit breaker's effective threshold, as ECS computes it (ECS-FACTS.md; the installed SDK's
// ThresholdType doc): BOUNDED_PERCENT (the default, value 50) = ceil(value % × desired) clamped to 3–200;
// UNBOUNDED_PERCENT = the same without the clamp; COUNT = value. resetOnHealthyTask (default true) makes the count
// consecutive failures; false makes it cumulative.
import type { CircuitBreakerInfo } from './model.js';

export interface BreakerThreshold {
  /** Failed tasks of a deployment that trip the breaker. */
  failures: number;
  type: 'BOUNDED_PERCENT' | 'UNBOUNDED_PERCENT' | 'COUNT';
  value: number;
  /** True: failures in a row (a healthy task resets the count); false: all failures of the deployment. */
  consecutive: boolean;
}

/** The threshold ECS applies to a deployment of `desiredCount` tasks. */
export function breakerThreshold(breaker: CircuitBreakerInfo, desiredCount: number): BreakerThreshold {
  const config = breaker.thresholdConfiguration ?? {};
  const type =
    config.type === 'COUNT' || config.type === 'UNBOUNDED_PERCENT' ? config.type : 'BOUNDED_PERCENT';
  const value = config.value ?? (type === 'COUNT' ? 1 : 50);
  const percent = Math.ceil((value / 100) * desiredCount);
  const failures =
    type === 'COUNT'
      ? value
      : type === 'UNBOUNDED_PERCENT'
        ? Math.max(1, percent)
        : Math.min(200, Math.max(3, percent));
  return { failures, type, value, consecutive: breaker.resetOnHealthyTask !== false };
}

/**
 * One line for the log and the summary, e.g. `on, rollback on: trips after 3 failed tasks in a row (BOUNDED_PERCENT
 * 50 of desired 2, at least 3)`, or `off`.
 */
export function describeBreaker(breaker: CircuitBreakerInfo | undefined, desiredCount: number): string {
  if (!breaker?.enable) return 'off';
  const t = breakerThreshold(breaker, desiredCount);
  const how =
    t.type === 'COUNT'
      ? `COUNT ${t.value}`
      : `${t.type} ${t.value} of desired ${desiredCount}${t.type === 'BOUNDED_PERCENT' ? ', 3 to 200' : ''}`;
  return `on, rollback ${breaker.rollback ? 'on' : 'off'}: trips after ${t.failures} failed task${t.failures === 1 ? '' : 's'}${t.consecutive ? ' in a row' : ' in all'} (${how})`;
}
