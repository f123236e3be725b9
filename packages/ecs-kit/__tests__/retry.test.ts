import { describe, expect, test } from '@jest/globals';
import { backoffDelay, withRetries } from '../src/retry.js';

const throttled = Object.assign(new Error('Rate exceeded'), {
  name: 'ThrottlingException',
  $metadata: { httpStatusCode: 400 },
});
const serverError = Object.assign(new Error('boom'), {
  name: 'ServerException',
  $metadata: { httpStatusCode: 500 },
});
const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const denied = Object.assign(new Error('no'), {
  name: 'AccessDeniedException',
  $metadata: { httpStatusCode: 400 },
});
const missing = Object.assign(new Error('Service not found.'), {
  name: 'ServiceNotFoundException',
  $metadata: { httpStatusCode: 400 },
});

describe('withRetries', () => {
  test.each([
    { name: 'throttling is retried', error: throttled, failures: 3, expected: { result: 'ok', attempts: 4 } },
    { name: '5xx is retried', error: serverError, failures: 1, expected: { result: 'ok', attempts: 2 } },
    {
      name: 'connection reset is retried',
      error: reset,
      failures: 2,
      expected: { result: 'ok', attempts: 3 },
    },
    {
      name: 'access denied is not retried',
      error: denied,
      failures: 1,
      expected: { result: 'AccessDeniedException', attempts: 1 },
    },
    {
      name: 'service not found is not retried',
      error: missing,
      failures: 1,
      expected: { result: 'ServiceNotFoundException', attempts: 1 },
    },
    {
      name: 'gives up after the last attempt',
      error: throttled,
      failures: 10,
      expected: { result: 'ThrottlingException', attempts: 5 },
    },
  ])('$name', async ({ error, failures, expected }) => {
    let attempts = 0;
    const delays: number[] = [];
    const outcome = await withRetries(
      async () => {
        attempts++;
        if (attempts <= failures) throw error;
        return 'ok';
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        random: () => 1,
        sleep: async (ms) => void delays.push(ms),
      },
    ).catch((e: Error) => e.name);
    expect({ result: outcome, attempts }).toEqual(expected);
    expect(delays).toEqual([100, 200, 400, 800].slice(0, attempts - 1));
  });
});

describe('backoffDelay', () => {
  test.each([
    { attempt: 1, random: 1, expected: 250 },
    { attempt: 3, random: 1, expected: 1000 },
    { attempt: 10, random: 1, expected: 8000 },
    { attempt: 3, random: 0.5, expected: 500 },
    { attempt: 3, random: 0, expected: 0 },
  ])('attempt $attempt, random $random -> $expected ms', ({ attempt, random, expected }) => {
    expect(backoffDelay(attempt, { baseDelayMs: 250, maxDelayMs: 8000 }, () => random)).toBe(expected);
  });
});
