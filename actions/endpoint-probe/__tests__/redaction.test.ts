import { expect, test } from '@jest/globals';
import { createRedactor, secretPartsOfHeaderValue } from '../src/redaction.js';

test.each([
  { name: 'plain', secrets: ['s3cr3t'], input: 'key s3cr3t here', expected: 'key *** here' },
  { name: 'every occurrence', secrets: ['ab12'], input: 'ab12ab12', expected: '******' },
  { name: 'longest first', secrets: ['abc', 'abcdef'], input: 'abcdef', expected: '***' },
  {
    name: 'JSON-escaped form',
    secrets: ['a"b\\c'],
    input: JSON.stringify({ k: 'a"b\\c' }),
    expected: '{"k":"***"}',
  },
  { name: 'URL-encoded form', secrets: ['p@ss word'], input: 'x=p%40ss%20word', expected: 'x=***' },
  { name: 'empty secrets ignored', secrets: [''], input: 'text', expected: 'text' },
])('$name', ({ secrets, input, expected }) => {
  expect(createRedactor(secrets)(input)).toBe(expected);
});

test.each([
  { value: 'k-123', expected: ['k-123'] },
  { value: 'Bearer abcdef123', expected: ['Bearer abcdef123', 'abcdef123'] },
  { value: 'Basic dXNlcjpw', expected: ['Basic dXNlcjpw', 'dXNlcjpw'] },
  { value: 'no x', expected: ['no x'] },
])('secretPartsOfHeaderValue($value)', ({ value, expected }) => {
  expect(secretPartsOfHeaderValue(value)).toEqual(expected);
});
