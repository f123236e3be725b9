// When to probe next while waiting for an endpoint to become healthy: exponential backoff with jitter on
// transient failures, a steady interval between confirming successes, and the verdict when to stop.

export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 250, maxDelayMs: 10_000, multiplier: 2 };

/**
 * The pause before retry number `retry` (0 = first retry): the exponential step, capped, with "equal jitter"
 * (half fixed, half random) so many runners probing one service do not retry in lockstep.
 */
export function backoffDelay(retry: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** retry);
  return Math.round(step / 2 + (step / 2) * Math.min(1, Math.max(0, random)));
}

export interface WaitState {
  attempts: number;
  /** Successes in a row so far. */
  streak: number;
  /** Failures since the last success: drives the backoff step. */
  failuresInARow: number;
}

export const INITIAL_WAIT_STATE: WaitState = { attempts: 0, streak: 0, failuresInARow: 0 };

export type WaitDecision =
  | { kind: 'probe'; delayMs: number }
  | { kind: 'healthy' }
  | { kind: 'unhealthy'; reason: 'deadline' | 'definitive' };

export interface WaitStep {
  state: WaitState;
  outcome: { ok: boolean; transient: boolean };
  /** Milliseconds since the wait began, measured after the probe finished. */
  elapsedMs: number;
  waitMs: number;
  consecutiveSuccesses: number;
  intervalMs: number;
  random: number;
  policy?: BackoffPolicy;
}

export function decideAfterProbe(step: WaitStep): { state: WaitState; decision: WaitDecision } {
  const { outcome, elapsedMs, waitMs } = step;
  const remaining = waitMs - elapsedMs;
  if (outcome.ok) {
    const state = { attempts: step.state.attempts + 1, streak: step.state.streak + 1, failuresInARow: 0 };
    if (state.streak >= step.consecutiveSuccesses) return { state, decision: { kind: 'healthy' } };
    if (remaining <= 0) return { state, decision: { kind: 'unhealthy', reason: 'deadline' } };
    return { state, decision: { kind: 'probe', delayMs: Math.min(step.intervalMs, remaining) } };
  }
  const state = {
    attempts: step.state.attempts + 1,
    streak: 0,
    failuresInARow: step.state.failuresInARow + 1,
  };
  if (!outcome.transient) return { state, decision: { kind: 'unhealthy', reason: 'definitive' } };
  if (remaining <= 0) return { state, decision: { kind: 'unhealthy', reason: 'deadline' } };
  const delayMs = Math.min(backoffDelay(state.failuresInARow - 1, step.random, step.policy), remaining);
  return { state, decision: { kind: 'probe', delayMs } };
}
