import { describe, expect, test } from '@jest/globals';
import {
  parseBoolean,
  parseChoice,
  parseInteger,
  parseKeyValueLines,
  parseList,
  parsePercentage,
  shorten,
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
    { input: 'NOEQUALS', error: 'input "env", line 1: expected NAME=value (the line is not shown' },
    { input: 'A=1\n=value', error: 'input "env", line 2: the name before "=" is empty' },
    { input: '# c\n\n1BAD=x', error: 'input "env", line 3: invalid name before "="' },
    { input: 'A=1\r\rSECRET_TOKEN s3cr3t-value', error: 'input "env", line 3: expected NAME=value' },
  ])('rejects $input by line number', ({ input, error }) => {
    expect(() => parseKeyValueLines(input, 'env')).toThrow(error);
  });
  test.each(['BAD KEY=hunter2', 'SECRET_TOKEN hunter2', 'DATABASE_URL postgres://u:hunter2@h/db?x=1'])(
    'a rejected line never shows its name or value (values may be secrets): %s',
    (input) => {
      let message = '';
      try {
        parseKeyValueLines(input, 'env');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^input "env", line 1: /);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('KEY');
      expect(message).not.toContain('SECRET_TOKEN');
    },
  );
});

describe('shorten', () => {
  test.each([
    { value: 'abc', expected: '"abc"' },
    { value: 'say "hi"', expected: '"say \\"hi\\""' },
    { value: 'a\nb', expected: '"a\\nb"' },
    { value: '::error::x', expected: '"\\::error::x"' },
    { value: 'x'.repeat(81), expected: `"${'x'.repeat(80)}…" (81 characters)` },
    { value: 'é'.repeat(128_000), expected: `"${'é'.repeat(80)}…" (128000 characters)` },
  ])('$expected', ({ value, expected }) => {
    expect(shorten(value)).toBe(expected);
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
