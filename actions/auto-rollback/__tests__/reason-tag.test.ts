import { describe, expect, test } from '@jest/globals';
import { isValidTagValue, MAX_TAG_VALUE_LENGTH, reasonTagValue } from '../src/reason-tag.js';

const cases: Array<{ name: string; input: string; expected: string; adapted: boolean }> = [
  {
    name: 'plain text kept',
    input: 'crash on import in 109',
    expected: 'crash on import in 109',
    adapted: false,
  },
  {
    name: 'allowed punctuation kept',
    input: 'see a/b: x=1 +2 -3 @ops_team.',
    expected: 'see a/b: x=1 +2 -3 @ops_team.',
    adapted: false,
  },
  {
    name: 'unicode letters kept',
    input: 'Rückrollen nach Absturz',
    expected: 'Rückrollen nach Absturz',
    adapted: false,
  },
  {
    name: 'parentheses and commas become spaces',
    input: 'SyntaxError: invalid syntax (model_registry.py, line 26)',
    expected: 'SyntaxError: invalid syntax model_registry.py line 26',
    adapted: true,
  },
  { name: 'newlines and tabs folded', input: 'a\n\tb', expected: 'a b', adapted: true },
  { name: 'quotes removed', input: `"bad" 'deploy'`, expected: 'bad deploy', adapted: true },
  { name: 'aws: prefix is reserved', input: 'aws:thing', expected: 'reason aws:thing', adapted: true },
  {
    name: 'AWS: prefix is reserved in any case',
    input: 'AWS:thing',
    expected: 'reason AWS:thing',
    adapted: true,
  },
  { name: 'empty stays empty', input: '', expected: '', adapted: false },
];

describe('reasonTagValue', () => {
  test.each(cases)('$name', ({ input, expected, adapted }) => {
    const tag = reasonTagValue(input);
    expect(tag).toEqual({ value: expected, adapted });
    expect(isValidTagValue(tag.value)).toBe(true);
  });

  test('a long reason is cut to 256 characters ending in ...', () => {
    const tag = reasonTagValue('x'.repeat(300));
    expect([...tag.value]).toHaveLength(MAX_TAG_VALUE_LENGTH);
    expect(tag.value.endsWith('...')).toBe(true);
    expect(tag.adapted).toBe(true);
    expect(isValidTagValue(tag.value)).toBe(true);
  });

  test('length counts characters, not UTF-16 units or bytes', () => {
    const text = 'ü'.repeat(256);
    expect(reasonTagValue(text)).toEqual({ value: text, adapted: false });
    const emoji = '😀 rollback';
    expect(reasonTagValue(emoji)).toEqual({ value: 'rollback', adapted: true });
  });
});

describe('isValidTagValue', () => {
  test.each([
    { input: 'ok value', expected: true },
    { input: 'a(b)', expected: false },
    { input: 'x'.repeat(257), expected: false },
    { input: 'aws:x', expected: false },
  ])('$input', ({ input, expected }) => expect(isValidTagValue(input)).toBe(expected));
});
