import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/errors.js';
import { createInputReader, inputVariable } from '../src/inputs.js';

describe('inputVariable', () => {
  test.each([
    ['paths', 'INPUT_PATHS'],
    ['fail-on-error', 'INPUT_FAIL-ON-ERROR'],
    ['my input', 'INPUT_MY_INPUT'],
  ])('%s -> %s', (name, expected) => {
    expect(inputVariable(name)).toBe(expected);
  });
});

describe('createInputReader', () => {
  const reader = createInputReader({
    INPUT_NAME: '  api  ',
    INPUT_EMPTY: '   ',
    INPUT_WAIT: 'false',
    INPUT_TIMEOUT: '90s',
    INPUT_RETRIES: '3',
    INPUT_TAGS: 'a\n b \n',
    'INPUT_BAD-BOOL': 'yes',
  });

  test('string trims; unset is empty', () => {
    expect(reader.string('name')).toBe('api');
    expect(reader.string('missing')).toBe('');
    expect(reader.raw('name')).toBe('  api  ');
  });
  test('required throws a ConfigurationError naming the input', () => {
    expect(() => reader.required('empty')).toThrow(ConfigurationError);
    expect(() => reader.required('missing')).toThrow('input "missing" is required and was not supplied');
  });
  test('typed readers fall back only when unset', () => {
    expect(reader.boolean('wait', true)).toBe(false);
    expect(reader.boolean('missing', true)).toBe(true);
    expect(reader.duration('timeout', '15m')).toBe(90_000);
    expect(reader.duration('missing', '15m')).toBe(900_000);
    expect(reader.integer('retries', 2)).toBe(3);
    expect(reader.integer('missing', 2)).toBe(2);
    expect(reader.list('tags')).toEqual(['a', 'b']);
  });
  test('typed readers reject bad values with the input name', () => {
    expect(() => reader.boolean('bad-bool', true)).toThrow('invalid boolean "yes" for input "bad-bool"');
  });
});
