import { describe, expect, test } from '@jest/globals';
import { formatDuration, parseDuration } from '../src/duration.js';

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['45', 45_000],
    [' 2m ', 120_000],
    ['0s', 0],
  ])('%s -> %d ms', (input, expected) => {
    expect(parseDuration(input, 'timeout')).toBe(expected);
  });

  test.each(['5x', '', 'm', '1 m', '-1s', '1h2', 's5'])(
    'rejects %j naming the input and the value',
    (input) => {
      expect(() => parseDuration(input, 'timeout')).toThrow(
        `invalid duration "${input}" for input "timeout"`,
      );
    },
  );
});

describe('formatDuration', () => {
  test.each([
    [850, '850ms'],
    [1500, '1.50s'],
    [12_300, '12.3s'],
    [245_000, '4m05s'],
    [3_720_000, '1h02m'],
  ])('%d ms -> %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
