import { describe, expect, test } from '@jest/globals';
import { VirtualClock } from '@hokusai/action-kit';
import {
  backoffDelays,
  describeGiveUp,
  isRequestAborted,
  PERSISTENT_RETRY_POLICY,
  RequestAbortedError,
  withRetries,
  type RetryPolicy,
} from '../src/retry.js';
import { ApiCallLog } from '../src/call-log.js';

const awsError = (name: string, status?: number, code?: string) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...(code ? { code } : {}) });
const throttled = awsError('ThrottlingException', 400);
const serverError = awsError('ServerException', 500);
const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const denied = awsError('AccessDeniedException', 400);
const missing = awsError('ServiceNotFoundException', 400);

const POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

/** `call` fails `failures` times with `error`, then answers ok; returns what withRetries did. */
async function attempt(error: unknown, failures: number, policy = POLICY, extra = {}) {
  const clock = new VirtualClock(0);
  let attempts = 0;
  const delays: number[] = [];
  const outcome = await withRetries(
    async (n) => {
      attempts++;
      expect(n).toBe(attempts);
      if (attempts <= failures) throw error;
      return 'ok';
    },
    policy,
    { clock, onRetry: (_e, _n, delay) => delays.push(delay), ...extra },
  ).catch((e: Error) => e);
  return { outcome, attempts, delays, elapsed: clock.now() };
}

describe('withRetries', () => {
  test.each([
    { name: 'throttling is retried', error: throttled, failures: 3, result: 'ok', attempts: 4 },
    { name: '5xx is retried', error: serverError, failures: 1, result: 'ok', attempts: 2 },
    { name: 'a connection reset is retried', error: reset, failures: 2, result: 'ok', attempts: 3 },
    { name: 'access denied is not retried', error: denied, failures: 1, result: denied, attempts: 1 },
    { name: 'a missing service is not retried', error: missing, failures: 1, result: missing, attempts: 1 },
    {
      name: 'gives up after the last attempt',
      error: throttled,
      failures: 10,
      result: throttled,
      attempts: 5,
    },
  ])('$name', async ({ error, failures, result, attempts }) => {
    const run = await attempt(error, failures);
    expect(run.outcome).toBe(result);
    expect(run.attempts).toBe(attempts);
    // The backoff ran on the clock: one delay per retry, each within its full-jitter cap.
    expect(run.delays).toHaveLength(Math.min(failures, attempts - (result === 'ok' ? 0 : 1)));
    run.delays.forEach((d, i) => expect(d).toBeLessThan(Math.min(1000, 100 * 2 ** i) + 1));
    expect(run.elapsed).toBe(run.delays.reduce((a, b) => a + b, 0));
  });

  test('the error thrown is the AWS error itself, and says how the retries ended', async () => {
    const run = await attempt(throttled, 10);
    expect(run.outcome).toBe(throttled);
    expect(describeGiveUp(run.outcome)).toEqual({ attempts: 5, stoppedBy: 'attempts' });
    expect(describeGiveUp(denied)).toBeUndefined();
  });

  test('until a deadline: no retry is started whose backoff would end after it', async () => {
    const run = await attempt(throttled, 1000, PERSISTENT_RETRY_POLICY, { deadline: 60_000 });
    expect(run.outcome).toBe(throttled);
    expect(run.elapsed).toBeLessThan(60_000);
    // At a 5 s cap, a minute holds many attempts; they stop only for the deadline.
    expect(run.attempts).toBeGreaterThan(12);
    expect(describeGiveUp(run.outcome)).toMatchObject({ stoppedBy: 'deadline' });
  });

  test('until a deadline: a storm that ends before it is outlasted', async () => {
    const run = await attempt(serverError, 40, PERSISTENT_RETRY_POLICY, { deadline: 10 * 60_000 });
    expect(run.outcome).toBe('ok');
    expect(run.attempts).toBe(41);
  });

  test('cancellation ends the backoff at once and makes no further attempt', async () => {
    const clock = new VirtualClock(0);
    const controller = new AbortController();
    let attempts = 0;
    const outcome = withRetries(
      async () => {
        attempts++;
        if (attempts === 3) controller.abort();
        throw throttled;
      },
      PERSISTENT_RETRY_POLICY,
      { clock, signal: controller.signal, deadline: 3_600_000 },
    ).catch((e: unknown) => e);
    expect(await outcome).toBe(throttled);
    expect(attempts).toBe(3);
    expect(describeGiveUp(throttled)).toMatchObject({ stoppedBy: 'cancelled' });
  });
});

describe('backoffDelays', () => {
  test('full jitter under a doubling cap', () => {
    const next = backoffDelays({ baseDelayMs: 250, maxDelayMs: 8000 });
    const caps = [250, 500, 1000, 2000, 4000, 8000, 8000, 8000];
    for (const cap of caps) {
      const delay = next();
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(cap);
    }
  });
  test('jittered: a thousand first delays are not all the same', () => {
    const delays = new Set(Array.from({ length: 1000 }, () => backoffDelays(PERSISTENT_RETRY_POLICY)()));
    expect(delays.size).toBeGreaterThan(100);
  });
});

describe('ApiCallLog', () => {
  test('counts requests since a time, optionally first attempts only, and the busiest window', () => {
    let now = 0;
    const log = new ApiCallLog({ now: () => now });
    for (const [at, attempt] of [
      [0, 1],
      [1000, 1],
      [1200, 2],
      [1400, 3],
      [30_000, 1],
      [70_000, 1],
    ] as const) {
      now = at;
      log.record('DescribeServices', attempt);
    }
    expect(log.countSince(1000)).toBe(5);
    expect(log.countSince(1000, { firstAttemptsOnly: true })).toBe(3);
    expect(log.busiestWindow(60_000)).toBe(5);
    expect(log.busiestWindow(60_000, 1100)).toBe(3);
  });
});

describe('withRetries: each attempt gets an AbortSignal (cancellation and the deadline)', () => {
  /** A request that never answers until its AbortSignal fires, as the SDK's HTTP handler rejects it then. */
  const stalled = (signal: AbortSignal) =>
    new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () =>
        reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
      ),
    );

  test('cancellation aborts the request in flight: RequestAbortedError, stopped by cancellation', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const outcome = withRetries(
      (_n, signal) => {
        attempts++;
        queueMicrotask(() => controller.abort());
        return stalled(signal);
      },
      PERSISTENT_RETRY_POLICY,
      { clock: new VirtualClock(0), signal: controller.signal },
    ).catch((e: unknown) => e);
    const error = await outcome;
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).toMatchObject({ stoppedBy: 'cancelled', cause: { name: 'AbortError' } });
    expect(describeGiveUp(error)).toEqual({ attempts: 1, stoppedBy: 'cancelled' });
    expect(attempts).toBe(1);
  });

  test('on the system clock, the deadline aborts a request that never answers', async () => {
    const error = await withRetries((_n, signal) => stalled(signal), PERSISTENT_RETRY_POLICY, {
      deadline: Date.now() + 50,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).toMatchObject({ stoppedBy: 'deadline', message: 'no answer before the time limit' });
    expect(isRequestAborted(error)).toBe(true);
  });

  test('no attempt starts once cancelled, or after the deadline (any clock)', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const call = async () => {
      calls++;
      return 'ok';
    };
    const cancelled = await withRetries(call, POLICY, { signal: controller.signal }).catch((e: unknown) => e);
    expect(cancelled).toMatchObject({ name: 'RequestAborted', stoppedBy: 'cancelled' });
    const clock = new VirtualClock(10_000);
    const late = await withRetries(call, POLICY, { clock, deadline: 10_000 }).catch((e: unknown) => e);
    expect(late).toMatchObject({ name: 'RequestAborted', stoppedBy: 'deadline' });
    expect(calls).toBe(0);
    // Before the deadline, on a virtual clock, the attempt is made.
    expect(await withRetries(call, POLICY, { clock, deadline: 10_001 })).toBe('ok');
  });

  test('an error that is not an abort keeps its identity, even when the signal fired meanwhile', async () => {
    const controller = new AbortController();
    const outcome = await withRetries(
      async () => {
        controller.abort();
        throw denied;
      },
      POLICY,
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(outcome).toBe(denied);
  });
});

describe('withRetries: stopRetries ends the retries, not the attempt in flight', () => {
  test('a change in flight when the job is cancelled completes; no further attempt is made', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const answered = await withRetries(
      async (_n, signal) => {
        attempts++;
        controller.abort();
        // The attempt's own signal did not fire: only `signal` and the deadline cut a request.
        expect(signal.aborted).toBe(false);
        return 'updated';
      },
      PERSISTENT_RETRY_POLICY,
      { clock: new VirtualClock(0), stopRetries: controller.signal },
    );
    expect(answered).toBe('updated');
    const controller2 = new AbortController();
    const failed = await withRetries(
      async () => {
        attempts++;
        controller2.abort();
        throw serverError;
      },
      PERSISTENT_RETRY_POLICY,
      { clock: new VirtualClock(0), stopRetries: controller2.signal, deadline: 3_600_000 },
    ).catch((e: unknown) => e);
    expect(failed).toBe(serverError);
    expect(describeGiveUp(serverError)).toMatchObject({ attempts: 1, stoppedBy: 'cancelled' });
    expect(attempts).toBe(2);
  });
});
