import { describe, expect, test } from '@jest/globals';
import { backoffDelay, decideAfterProbe, INITIAL_WAIT_STATE, type WaitStep } from '../src/retry-schedule.js';

describe('backoffDelay', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };
  test.each([
    { retry: 0, random: 0, expected: 50 },
    { retry: 0, random: 1, expected: 100 },
    { retry: 1, random: 0.5, expected: 150 },
    { retry: 2, random: 0, expected: 200 },
    { retry: 3, random: 1, expected: 800 },
    { retry: 4, random: 1, expected: 1000 },
    { retry: 30, random: 0, expected: 500 },
    { retry: 0, random: 7, expected: 100 },
  ])('retry $retry, random $random -> $expected ms', ({ retry, random, expected }) => {
    expect(backoffDelay(retry, random, policy)).toBe(expected);
  });
});

describe('decideAfterProbe', () => {
  const base: Omit<WaitStep, 'state' | 'outcome' | 'elapsedMs'> = {
    waitMs: 10_000,
    consecutiveSuccesses: 2,
    intervalMs: 500,
    random: 1,
    policy: { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 },
  };
  const ok = { ok: true, transient: false };
  const transient = { ok: false, transient: true };
  const definitive = { ok: false, transient: false };
  const cases = [
    {
      name: 'first success: confirm after interval',
      step: { state: INITIAL_WAIT_STATE, outcome: ok, elapsedMs: 10 },
      expected: {
        state: { attempts: 1, streak: 1, failuresInARow: 0 },
        decision: { kind: 'probe', delayMs: 500 },
      },
    },
    {
      name: 'second success in a row: healthy',
      step: { state: { attempts: 1, streak: 1, failuresInARow: 0 }, outcome: ok, elapsedMs: 600 },
      expected: { state: { attempts: 2, streak: 2, failuresInARow: 0 }, decision: { kind: 'healthy' } },
    },
    {
      name: 'one success needed: healthy at once',
      step: { state: INITIAL_WAIT_STATE, outcome: ok, elapsedMs: 10, consecutiveSuccesses: 1 },
      expected: { state: { attempts: 1, streak: 1, failuresInARow: 0 }, decision: { kind: 'healthy' } },
    },
    {
      name: 'transient failure: first backoff step',
      step: { state: INITIAL_WAIT_STATE, outcome: transient, elapsedMs: 10 },
      expected: {
        state: { attempts: 1, streak: 0, failuresInARow: 1 },
        decision: { kind: 'probe', delayMs: 100 },
      },
    },
    {
      name: 'third transient failure: backoff grows',
      step: { state: { attempts: 2, streak: 0, failuresInARow: 2 }, outcome: transient, elapsedMs: 500 },
      expected: {
        state: { attempts: 3, streak: 0, failuresInARow: 3 },
        decision: { kind: 'probe', delayMs: 400 },
      },
    },
    {
      name: 'failure after a success resets the streak',
      step: { state: { attempts: 3, streak: 1, failuresInARow: 0 }, outcome: transient, elapsedMs: 500 },
      expected: {
        state: { attempts: 4, streak: 0, failuresInARow: 1 },
        decision: { kind: 'probe', delayMs: 100 },
      },
    },
    {
      name: 'definitive failure: stop at once',
      step: { state: INITIAL_WAIT_STATE, outcome: definitive, elapsedMs: 10 },
      expected: {
        state: { attempts: 1, streak: 0, failuresInARow: 1 },
        decision: { kind: 'unhealthy', reason: 'definitive' },
      },
    },
    {
      name: 'transient failure past the deadline',
      step: { state: { attempts: 5, streak: 0, failuresInARow: 5 }, outcome: transient, elapsedMs: 10_000 },
      expected: {
        state: { attempts: 6, streak: 0, failuresInARow: 6 },
        decision: { kind: 'unhealthy', reason: 'deadline' },
      },
    },
    {
      name: 'the pause never passes the deadline',
      step: { state: { attempts: 5, streak: 0, failuresInARow: 5 }, outcome: transient, elapsedMs: 9_950 },
      expected: {
        state: { attempts: 6, streak: 0, failuresInARow: 6 },
        decision: { kind: 'probe', delayMs: 50 },
      },
    },
    {
      name: 'success without the streak at the deadline',
      step: { state: INITIAL_WAIT_STATE, outcome: ok, elapsedMs: 10_001 },
      expected: {
        state: { attempts: 1, streak: 1, failuresInARow: 0 },
        decision: { kind: 'unhealthy', reason: 'deadline' },
      },
    },
    {
      name: 'wait 0: one probe decides',
      step: { state: INITIAL_WAIT_STATE, outcome: transient, elapsedMs: 3, waitMs: 0 },
      expected: {
        state: { attempts: 1, streak: 0, failuresInARow: 1 },
        decision: { kind: 'unhealthy', reason: 'deadline' },
      },
    },
  ];
  test.each(cases)('$name', ({ step, expected }) => {
    expect(decideAfterProbe({ ...base, ...step })).toEqual(expected);
  });
});
