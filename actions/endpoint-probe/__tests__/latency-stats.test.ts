import { describe, expect, test } from '@jest/globals';
import { formatRate, loadCheckFailures, percentile, summarizeLatency } from '../src/latency-stats.js';

const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('percentile (nearest rank)', () => {
  test.each([
    { values: [], p: 50, expected: null },
    { values: [7], p: 50, expected: 7 },
    { values: [7], p: 99, expected: 7 },
    { values: [1, 2, 3, 4], p: 50, expected: 2 },
    { values: [1, 2, 3, 4], p: 75, expected: 3 },
    { values: [1, 2, 3, 4], p: 76, expected: 4 },
    { values: hundred, p: 50, expected: 50 },
    { values: hundred, p: 95, expected: 95 },
    { values: hundred, p: 99, expected: 99 },
    { values: hundred, p: 100, expected: 100 },
    { values: hundred, p: 0, expected: 1 },
  ])('p$p of $values.length values', ({ values, p, expected }) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

test('summarizeLatency sorts and counts errors', () => {
  const samples = [30, 10, 20, 40].map((latencyMs, i) => ({ latencyMs, ok: i !== 2 }));
  expect(summarizeLatency(samples)).toEqual({
    count: 4,
    errors: 1,
    errorRate: 0.25,
    p50: 20,
    p95: 40,
    p99: 40,
    max: 40,
  });
  expect(summarizeLatency([])).toEqual({
    count: 0,
    errors: 0,
    errorRate: 0,
    p50: null,
    p95: null,
    p99: null,
    max: null,
  });
});

describe('loadCheckFailures', () => {
  const summary = (errorRate: number, p95: number | null) => ({
    count: 100,
    errors: Math.round(errorRate * 100),
    errorRate,
    p50: 1,
    p95,
    p99: p95,
    max: p95,
  });
  test.each([
    { name: 'within limits', s: summary(0.01, 100), expected: [] },
    {
      name: 'error rate over',
      s: summary(0.05, 100),
      expected: [/error rate 5% \(5 of 100\) is above max-error-rate 1%/],
    },
    { name: 'p95 over', s: summary(0, 501), expected: [/p95 latency 501ms is above max-latency 500ms/] },
    { name: 'both', s: summary(0.02, 900), expected: [/error rate/, /p95/] },
    { name: 'nothing measured', s: summary(0, null), expected: [] },
  ])('$name', ({ s, expected }) => {
    const failures = loadCheckFailures(s, 0.01, 500);
    expect(failures).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(failures[i]).toMatch(pattern));
  });
});

test.each([
  { rate: 0, expected: '0%' },
  { rate: 0.05, expected: '5%' },
  { rate: 0.0123, expected: '1.23%' },
  { rate: 1 / 3, expected: '33.33%' },
])('formatRate($rate)', ({ rate, expected }) => expect(formatRate(rate)).toBe(expected));
