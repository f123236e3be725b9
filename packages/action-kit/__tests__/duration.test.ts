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

describe('parseDuration bounds', () => {
  test.each([
    ['600h', 'poll-interval', {}, 'is longer than the maximum 24h00m'],
    ['24h1s', 'timeout', {}, 'is longer than the maximum 24h00m'],
    // 2^31 ms and more would overflow Node's timers to 1 ms.
    [String(2 ** 31), 'timeout', {}, 'is longer than the maximum 24h00m'],
    ['2h', 'timeout', { max: 3_600_000 }, 'is longer than the maximum 1h00m'],
    ['0s', 'interval', { min: 1 }, 'is shorter than the minimum 1ms'],
    ['1e400', 'timeout', {}, 'invalid duration'],
  ])('%s for %s %j', (value, name, bounds, message) => {
    expect(() => parseDuration(value, name, bounds)).toThrow(message);
    expect(() => parseDuration(value, name, bounds)).toThrow(`input "${name}"`);
  });

  test('a day is the ceiling even when a caller asks for more', () => {
    expect(parseDuration('24h', 'timeout', { max: 10 * 86_400_000 })).toBe(86_400_000);
    expect(() => parseDuration('25h', 'timeout', { max: 10 * 86_400_000 })).toThrow('maximum 24h00m');
  });

  test('a long bad value is shortened in the message', () => {
    const value = `${'9'.repeat(5000)}x`;
    let message = '';
    try {
      parseDuration(value, 'timeout');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('input "timeout"');
    expect(message).toContain('(5001 characters)');
    expect(message.length).toBeLessThan(200);
  });
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
