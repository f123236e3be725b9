// The one retry policy of the suite: transient AWS failures (throttling, 5xx, network resets) are retried with
// exponential backoff and full jitter (cockatiel's generator, as AWS's "Exponential Backoff And Jitter" describes),
// on an injected clock, until the attempts are used up, a deadline passes, or the job is cancelled.
import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';
import { systemClock, type Clock } from '@hokusai/action-kit';
import { isTimeoutError, isTransientAwsError } from './aws-errors.js';

export interface RetryPolicy {
  /** Total attempts including the first; `Infinity` retries until `deadline` (or cancellation). */
  attempts: number;
  /**
   * Most attempts that may end in a timeout (no answer within the client's request timeout, see awsClientConfig):
   * each costs the whole timeout, so an endpoint that never answers is given a few chances, not `attempts`.
   * Default `attempts`.
   */
  timeoutAttempts?: number;
  /** The cap of the first backoff (ms); it doubles per retry up to `maxDelayMs`, then full jitter picks in [0, cap). */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Routine calls (a poll, a read for a report): a few seconds of retries, then the caller decides. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  attempts: 8,
  timeoutAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 8000,
});

/**
 * Calls that must get through (the reads before a deploy, a rollback's reads and UpdateService): retried until the
 * step's deadline, with the backoff capped at 5 s so the call is made soon after a fault storm ends.
 */
export const PERSISTENT_RETRY_POLICY: RetryPolicy = Object.freeze({
  attempts: Infinity,
  baseDelayMs: 250,
  maxDelayMs: 5000,
});

export interface RetryContext {
  /** Sleeps between attempts (the action's clock: real, or the emulator's virtual time). */
  clock?: Pick<Clock, 'now' | 'sleep'>;
  /** Epoch ms on `clock`: no retry is started whose backoff would end after it; the last error is thrown. */
  deadline?: number;
  /** Aborts the backoff; the last error is thrown at once (nothing more is attempted). */
  signal?: AbortSignal;
  /** Which errors are worth another attempt (default: isTransientAwsError). */
  isRetryable?: (error: unknown) => boolean;
  /** Told before each backoff: the error, the attempt that failed (1-based) and the backoff in ms. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** The backoff delays of `policy` (ms), one per retry; full jitter: uniform in [0, min(max, base·2^n)). */
export function backoffDelays(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): () => number {
  let backoff: IBackoff<unknown> | undefined;
  const factory = new ExponentialBackoff({
    generator: fullJitterGenerator,
    initialDelay: policy.baseDelayMs,
    maxDelay: policy.maxDelayMs,
  });
  return () => {
    backoff = backoff ? backoff.next(undefined) : factory.next();
    return backoff.duration;
  };
}

/**
 * Runs `call` (given the 1-based attempt number) until it resolves. A retryable error is retried after a backoff
 * on `context.clock`; anything else is rethrown at once, unchanged. When the retries end (attempts, deadline,
 * cancellation) the last error is rethrown unchanged too — callers classify AWS errors by name, so wrapping them
 * would hide them; `describeGiveUp()` says how it ended when asked.
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  context: RetryContext = {},
): Promise<T> {
  const clock = context.clock ?? systemClock;
  const retryable = context.isRetryable ?? isTransientAwsError;
  const nextDelay = backoffDelays(policy);
  let timeouts = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      if (!retryable(error)) throw error;
      const stop = (stoppedBy: GiveUp['stoppedBy']) => {
        if (typeof error === 'object' && error !== null) givenUp.set(error, { attempts: attempt, stoppedBy });
        return error;
      };
      if (attempt >= policy.attempts) throw stop('attempts');
      if (isTimeoutError(error) && ++timeouts >= (policy.timeoutAttempts ?? policy.attempts))
        throw stop('timeouts');
      if (context.signal?.aborted) throw stop('cancelled');
      const delay = nextDelay();
      if (context.deadline !== undefined && clock.now() + delay >= context.deadline) throw stop('deadline');
      context.onRetry?.(error, attempt, delay);
      await clock.sleep(delay, context.signal);
      if (context.signal?.aborted) throw stop('cancelled');
    }
  }
}

/**
 * How retries ended: the attempts were used up, so many attempts timed out (`timeoutAttempts`), the next backoff
 * would pass the deadline, or the job was cancelled.
 */
export interface GiveUp {
  attempts: number;
  stoppedBy: 'attempts' | 'timeouts' | 'deadline' | 'cancelled';
}

const givenUp = new WeakMap<object, GiveUp>();

/**
 * How withRetries() gave up on `error` (or on its `cause`, when explainAwsError wrapped it), or undefined when it
 * was not retried to the end (or not retryable).
 */
export function describeGiveUp(error: unknown): GiveUp | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const cause = (error as { cause?: unknown }).cause;
  return givenUp.get(error) ?? (typeof cause === 'object' && cause !== null ? givenUp.get(cause) : undefined);
}

interface RetryableStack {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string; priority: 'low' },
  ): void;
}

/**
 * Makes every send() of an SDK v3 client go through withRetries with `policy` (the client itself should make one
 * attempt: awsClientConfig's maxAttempts 1), for actions whose calls are spread over many places. Each retry
 * builds, signs and sends the request anew, as the SDK's own retry middleware does. Returns the client.
 */
export function retryAwsCalls<T extends { middlewareStack: unknown }>(
  client: T,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  context: RetryContext = {},
): T {
  (client.middlewareStack as RetryableStack).add(
    (next) => (args) => withRetries(() => next(args), policy, context),
    { step: 'initialize', name: 'hokusaiRetryAwsCalls', priority: 'low' },
  );
  return client;
}
