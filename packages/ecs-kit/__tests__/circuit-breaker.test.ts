import { describe, expect, test } from '@jest/globals';
import { breakerThreshold, describeBreaker } from '../src/circuit-breaker.js';

describe('breakerThreshold', () => {
  test.each([
    { name: 'default, desired 1: the floor of 3', breaker: {}, desired: 1, failures: 3 },
    { name: 'default, desired 2', breaker: {}, desired: 2, failures: 3 },
    { name: 'default, desired 10: half', breaker: {}, desired: 10, failures: 5 },
    { name: 'default, desired 1000: the cap of 200', breaker: {}, desired: 1000, failures: 200 },
    {
      name: 'BOUNDED_PERCENT 20, desired 40',
      breaker: { thresholdConfiguration: { type: 'BOUNDED_PERCENT', value: 20 } },
      desired: 40,
      failures: 8,
    },
    {
      name: 'UNBOUNDED_PERCENT 50, desired 1: no floor',
      breaker: { thresholdConfiguration: { type: 'UNBOUNDED_PERCENT', value: 50 } },
      desired: 1,
      failures: 1,
    },
    {
      name: 'UNBOUNDED_PERCENT 50, desired 1000: no cap',
      breaker: { thresholdConfiguration: { type: 'UNBOUNDED_PERCENT', value: 50 } },
      desired: 1000,
      failures: 500,
    },
    {
      name: 'COUNT 1',
      breaker: { thresholdConfiguration: { type: 'COUNT', value: 1 } },
      desired: 10,
      failures: 1,
    },
  ])('$name -> $failures', ({ breaker, desired, failures }) => {
    expect(breakerThreshold({ enable: true, rollback: true, ...breaker }, desired).failures).toBe(failures);
  });

  test.each([
    { breaker: undefined, expected: 'off' },
    { breaker: { enable: false, rollback: true }, expected: 'off' },
    {
      breaker: { enable: true, rollback: true },
      expected:
        'on, rollback on: trips after 3 failed tasks in a row (BOUNDED_PERCENT 50 of desired 2, 3 to 200)',
    },
    {
      breaker: {
        enable: true,
        rollback: false,
        thresholdConfiguration: { type: 'COUNT', value: 1 },
        resetOnHealthyTask: false,
      },
      expected: 'on, rollback off: trips after 1 failed task in all (COUNT 1)',
    },
  ])('describeBreaker $expected', ({ breaker, expected }) => {
    expect(describeBreaker(breaker, 2)).toBe(expected);
  });
});
