// The one retry policy of the suite: transient AWS failures (throttling, 5xx, network resets) are retried with
// exponential backoff and full jitter (cockatiel's generator, as AWS's "Exponential Backoff And Jitter" describes),
// on an injected clock, until the attempts are used up, a deadline passes, or the job is cancelled. Each attempt is
// given an AbortSignal that fires on cancellation and at the deadline, so no single request outlasts either.
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
  /**
   * Epoch ms on `clock`: no retry is started whose backoff would end after it (the last error is thrown), no attempt
   * is started after it, and an attempt still waiting for its answer then is aborted (RequestAbortedError). On the
   * system clock the abort fires at the deadline; on another clock (a test's virtual time, which moves only when
   * someone sleeps) the deadline is checked before each attempt.
   */
  deadline?: number;
  /**
   * Cancellation: aborts the backoff (the last error is thrown at once) and the attempt in flight
   * (RequestAbortedError); once aborted, no attempt is started.
   */
  signal?: AbortSignal;
  /**
   * Stops the retries only: once it fires no further attempt is started and the backoff ends (the last error is
   * thrown, `describeGiveUp()` says cancelled), but the attempt in flight is not cut — for a change (RegisterTaskDefinition,
   * UpdateService) whose answer must be known after a cancel; `signal` or `deadline` still bound it.
   */
  stopRetries?: AbortSignal;
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
 * A request given up before it answered: the job was cancelled, or the step's deadline came while it was in flight
 * (or before it could start). `cause` is the SDK's AbortError when a request was in flight.
 */
export class RequestAbortedError extends Error {
  /** The AWS operation, when the adapter that made the request says (e.g. DescribeServices). */
  operation?: string;
  constructor(
    readonly stoppedBy: 'cancelled' | 'deadline',
    cause?: unknown,
  ) {
    super(
      stoppedBy === 'cancelled' ? 'no answer: the job was cancelled' : 'no answer before the time limit',
      cause === undefined ? undefined : { cause },
    );
    this.name = 'RequestAborted';
  }
}

export function isRequestAborted(error: unknown): error is RequestAbortedError {
  return error instanceof RequestAbortedError;
}

/** The SDK's (and fetch's) error for a request whose AbortSignal fired. */
function isAbortError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}

/**
 * One attempt's AbortSignal: `signal`, and `deadline` on the system clock (a timer; elsewhere the deadline is
 * checked before the attempt). `why()` says which fired.
 */
function attemptSignal(context: RetryContext, clock: Pick<Clock, 'now'>) {
  const controller = new AbortController();
  let why: RequestAbortedError['stoppedBy'] | undefined;
  const abort = (reason: RequestAbortedError['stoppedBy']) => {
    if (why) return;
    why = reason;
    controller.abort(new RequestAbortedError(reason));
  };
  const onCancel = () => abort('cancelled');
  if (context.signal?.aborted) abort('cancelled');
  else context.signal?.addEventListener('abort', onCancel, { once: true });
  let timer: NodeJS.Timeout | undefined;
  if (!why && context.deadline !== undefined) {
    const left = context.deadline - clock.now();
    if (left <= 0) abort('deadline');
    else if (clock === systemClock) {
      timer = setTimeout(() => abort('deadline'), Math.min(left, 2 ** 31 - 1));
      timer.unref();
    }
  }
  return {
    signal: controller.signal,
    why: () => why,
    dispose() {
      clearTimeout(timer);
      context.signal?.removeEventListener('abort', onCancel);
    },
  };
}

/**
 * Runs `call` (given the 1-based attempt number and that attempt's AbortSignal, for the SDK's `abortSignal`) until
 * it resolves. A retryable error is retried after a backoff on `context.clock`; anything else is rethrown at once,
 * unchanged. When the retries end (attempts, deadline, cancellation) the last error is rethrown unchanged too —
 * callers classify AWS errors by name, so wrapping them would hide them; `describeGiveUp()` says how it ended when
 * asked. An attempt aborted by cancellation or the deadline (or not started for them) throws a RequestAbortedError.
 */
export async function withRetries<T>(
  call: (attempt: number, abortSignal: AbortSignal) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  context: RetryContext = {},
): Promise<T> {
  const clock = context.clock ?? systemClock;
  const retryable = context.isRetryable ?? isTransientAwsError;
  const nextDelay = backoffDelays(policy);
  let timeouts = 0;
  for (let attempt = 1; ; attempt++) {
    const abort = attemptSignal(context, clock);
    try {
      const why = abort.why();
      if (why) throw new RequestAbortedError(why);
      return await call(attempt, abort.signal);
    } catch (error) {
      const why = abort.why();
      if (error instanceof RequestAbortedError || (why && isAbortError(error))) {
        const aborted = error instanceof RequestAbortedError ? error : new RequestAbortedError(why!, error);
        givenUp.set(aborted, { attempts: attempt, stoppedBy: aborted.stoppedBy });
        throw aborted;
      }
      if (!retryable(error)) throw error;
      const stop = (stoppedBy: GiveUp['stoppedBy']) => {
        if (typeof error === 'object' && error !== null) givenUp.set(error, { attempts: attempt, stoppedBy });
        return error;
      };
      const stopped = () => context.signal?.aborted || context.stopRetries?.aborted;
      if (attempt >= policy.attempts) throw stop('attempts');
      if (isTimeoutError(error) && ++timeouts >= (policy.timeoutAttempts ?? policy.attempts))
        throw stop('timeouts');
      if (stopped()) throw stop('cancelled');
      const delay = nextDelay();
      if (context.deadline !== undefined && clock.now() + delay >= context.deadline) throw stop('deadline');
      context.onRetry?.(error, attempt, delay);
      const sleepSignal =
        context.signal && context.stopRetries
          ? AbortSignal.any([context.signal, context.stopRetries])
          : (context.signal ?? context.stopRetries);
      await clock.sleep(delay, sleepSignal);
      if (stopped()) throw stop('cancelled');
    } finally {
      abort.dispose();
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
