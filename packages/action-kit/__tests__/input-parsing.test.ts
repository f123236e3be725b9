import { describe, expect, test } from '@jest/globals';
import {
  parseBoolean,
  parseChoice,
  parseInteger,
  parseKeyValueLines,
  parseList,
  parsePercentage,
} from '../src/input-parsing.js';

describe('parseList', () => {
  test.each([
    { name: 'newlines', input: 'a\nb\r\nc', options: {}, expected: ['a', 'b', 'c'] },
    {
      name: 'blank lines and comments dropped',
      input: '\n a \n# note\n\nb\n',
      options: {},
      expected: ['a', 'b'],
    },
    { name: 'commas kept without the option', input: 'a,b', options: {}, expected: ['a,b'] },
    { name: 'commas', input: 'a, b\nc', options: { commas: true }, expected: ['a', 'b', 'c'] },
    {
      name: 'spaces',
      input: 'src  tests\nlib',
      options: { spaces: true },
      expected: ['src', 'tests', 'lib'],
    },
    { name: 'empty', input: '', options: { commas: true }, expected: [] },
  ])('$name', ({ input, options, expected }) => {
    expect(parseList(input, options)).toEqual(expected);
  });
});

describe('parseBoolean', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    [' false ', false],
    ['False', false],
    ['FALSE', false],
  ])('%j -> %s', (input, expected) => {
    expect(parseBoolean(input, 'wait')).toBe(expected);
  });
  test.each(['yes', 'no', '1', '0', 'tRue', 'on', ''])('rejects %j', (input) => {
    expect(() => parseBoolean(input, 'wait')).toThrow(`invalid boolean "${input}" for input "wait"`);
  });
});

describe('parseInteger', () => {
  test.each([
    { input: '2', range: {}, expected: 2 },
    { input: ' 0 ', range: { min: 0 }, expected: 0 },
    { input: '-3', range: {}, expected: -3 },
    { input: '10', range: { min: 1, max: 10 }, expected: 10 },
  ])('$input', ({ input, range, expected }) => {
    expect(parseInteger(input, 'retries', range)).toBe(expected);
  });
  test.each([
    { input: '1.5', range: {}, error: 'invalid integer "1.5" for input "retries"' },
    { input: 'two', range: {}, error: 'invalid integer "two" for input "retries"' },
    { input: '-1', range: { min: 0 }, error: 'invalid value "-1" for input "retries": must be at least 0' },
    { input: '11', range: { min: 1, max: 10 }, error: 'must be from 1 to 10' },
  ])('rejects $input', ({ input, range, error }) => {
    expect(() => parseInteger(input, 'retries', range)).toThrow(error);
  });
});

describe('parseChoice', () => {
  test('accepts a listed word', () => {
    expect(parseChoice(' b ', 'mode', ['a', 'b'] as const)).toBe('b');
  });
  test('lists the choices when the value is not one', () => {
    expect(() => parseChoice('c', 'mode', ['a', 'b'])).toThrow(
      'invalid value "c" for input "mode" (expected one of: a, b)',
    );
  });
});

describe('parseKeyValueLines', () => {
  test.each([
    {
      name: 'pairs in order',
      input: 'A=1\nB=two',
      expected: [
        ['A', '1'],
        ['B', 'two'],
      ],
    },
    {
      name: 'value keeps =',
      input: 'URL=postgres://u@h/db?x=1',
      expected: [['URL', 'postgres://u@h/db?x=1']],
    },
    { name: 'empty value', input: 'EMPTY=', expected: [['EMPTY', '']] },
    { name: 'comments and blanks', input: '# c\n\n K = v \n', expected: [['K', ' v']] },
  ])('$name', ({ input, expected }) => {
    expect(parseKeyValueLines(input, 'env')).toEqual(expected);
  });
  test.each([
    { input: 'NOEQUALS', error: 'invalid KEY=VALUE line "NOEQUALS" in input "env"' },
    { input: '=value', error: 'invalid KEY=VALUE line "" in input "env"' },
    { input: '1BAD=x', error: 'invalid KEY=VALUE line "1BAD" in input "env"' },
  ])('rejects $input without echoing the value', ({ input, error }) => {
    expect(() => parseKeyValueLines(input, 'env')).toThrow(error);
  });
  test('a rejected line never shows its value (values may be secrets)', () => {
    expect(() => parseKeyValueLines('BAD KEY=hunter2', 'env')).toThrow(/^(?!.*hunter2)/);
  });
});

describe('parsePercentage', () => {
  test.each([
    ['1%', 0.01],
    ['0.5%', 0.005],
    ['0.01', 0.01],
    ['100%', 1],
  ])('%s -> %d', (input, expected) => {
    expect(parsePercentage(input, 'max-error-rate')).toBeCloseTo(expected);
  });
  test.each(['150%', '-1%', 'abc', '2'])('rejects %s', (input) => {
    expect(() => parsePercentage(input, 'max-error-rate')).toThrow(`invalid percentage "${input}"`);
  });
});
