// Retries transient AWS failures (throttling, 5xx, network) with capped exponential backoff and full jitter.
import { isTransientAwsError } from '@hokusai/aws-kit';

export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests and for simulated time. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 8, baseDelayMs: 250, maxDelayMs: 8000 };

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The delay before retry number `attempt` (1-based): uniform in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random = Math.random,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * cap);
}

export async function withRetries<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  const sleep = policy.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.attempts || !isTransientAwsError(error)) throw error;
      const delay = backoffDelay(attempt, policy, policy.random);
      policy.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
