import { describe, expect, test } from '@jest/globals';
import { evaluateJsonAssertion, formatPath, parseJsonAssertion } from '../src/json-assertion.js';

const doc = {
  status: 'ok',
  count: 3,
  ratio: 0.5,
  ready: true,
  nothing: null,
  experiments: [{ experiment_id: '0', name: 'Default', tags: ['a', 'b'] }],
  a: { b: [{ c: 'deep' }] },
  'dotted.key': { x: 1 },
  empty: [],
};

describe('parseJsonAssertion + evaluateJsonAssertion', () => {
  const cases: Array<{ name: string; input: string; expected: string | null }> = [
    { name: 'string equality holds', input: 'status == "ok"', expected: null },
    { name: 'single-quoted string', input: "status == 'ok'", expected: null },
    { name: 'string equality fails', input: 'status == "down"', expected: 'status is "ok", expected "down"' },
    { name: 'exists', input: 'experiments exists', expected: null },
    { name: 'exists on missing', input: 'models exists', expected: 'models is missing' },
    { name: 'exists holds for null', input: 'nothing exists', expected: null },
    { name: 'not exists', input: 'models not exists', expected: null },
    { name: 'not exists on present', input: 'status not exists', expected: 'status exists ("ok")' },
    { name: 'number >=', input: 'count >= 1', expected: null },
    { name: 'number > fails', input: 'count > 3', expected: 'count is 3, expected > 3' },
    { name: 'number <', input: 'ratio < 1', expected: null },
    { name: 'number <=', input: 'ratio <= 0.5', expected: null },
    { name: 'compare on a string', input: 'status >= 1', expected: 'status is "ok", not a number' },
    { name: 'nested path', input: 'a.b[0].c == "deep"', expected: null },
    { name: 'index out of range', input: 'a.b[3].c exists', expected: 'a.b[3].c is missing' },
    { name: 'index into an object', input: 'status[0] exists', expected: 'status[0] is missing' },
    { name: 'quoted key', input: '["dotted.key"].x == 1', expected: null },
    { name: '$ prefix', input: '$.status == "ok"', expected: null },
    { name: 'length of a list', input: 'length(experiments) >= 1', expected: null },
    {
      name: 'length of empty list',
      input: 'length(empty) >= 1',
      expected: 'length(empty) is 0, expected >= 1',
    },
    { name: 'length of a string', input: 'length(status) == 2', expected: null },
    {
      name: 'length of a number',
      input: 'length(count) == 1',
      expected: 'length(count): count is 3, not a list, object or string',
    },
    { name: 'length of the root', input: 'length($) == 9', expected: null },
    { name: '!= null', input: 'a.b[0].c != null', expected: null },
    { name: '!= fails', input: 'nothing != null', expected: 'nothing is null' },
    { name: 'boolean', input: 'ready == true', expected: null },
    { name: 'deep equality with a list', input: 'experiments[0].tags == ["a", "b"]', expected: null },
    { name: 'contains in a string', input: 'experiments[0].name contains "Def"', expected: null },
    { name: 'contains in a list', input: 'experiments[0].tags contains "b"', expected: null },
    {
      name: 'contains fails',
      input: 'experiments[0].tags contains "z"',
      expected: 'experiments[0].tags has no element "z"',
    },
    { name: 'matches', input: 'status matches /^o/', expected: null },
    { name: 'matches with flags', input: 'status matches /^OK$/i', expected: null },
    {
      name: 'matches fails',
      input: 'status matches /^down/',
      expected: 'status is "ok", does not match /^down/',
    },
    { name: 'matches a non-string', input: 'count matches /3/', expected: 'count is 3, not a string' },
    {
      name: 'path through a list needs an index',
      input: 'experiments.name exists',
      expected: 'experiments.name is missing',
    },
    {
      name: 'inherited properties are not fields',
      input: 'status.length exists',
      expected: 'status.length is missing',
    },
    { name: '__proto__ is not a field', input: '["__proto__"] exists', expected: '__proto__ is missing' },
  ];
  test.each(cases)('$name: $input', ({ input, expected }) => {
    expect(evaluateJsonAssertion(parseJsonAssertion(input), doc)).toBe(expected);
  });

  test('a top-level list document', () => {
    expect(evaluateJsonAssertion(parseJsonAssertion('[1].id == 2'), [{ id: 1 }, { id: 2 }])).toBeNull();
  });
});

describe('parseJsonAssertion errors', () => {
  const cases: Array<{ name: string; input: string; error: RegExp }> = [
    { name: 'empty', input: '  ', error: /empty assertion/ },
    { name: 'no operator', input: 'status', error: /expected exists, not exists/ },
    { name: 'unknown operator', input: 'status === "ok"', error: /is not JSON/ },
    { name: 'unquoted string', input: 'status == ok', error: /value ok is not JSON/ },
    { name: 'missing value', input: 'status ==', error: /expected a value/ },
    { name: 'ordering against a string', input: 'count >= "1"', error: /needs a number/ },
    { name: 'bad index', input: 'a[x] exists', error: /expected \[<index>\]/ },
    { name: 'unterminated quoted key', input: '["a exists', error: /unterminated/ },
    { name: 'leading digit', input: '1abc exists', error: /expected a field name/ },
    { name: 'dot without name', input: 'a. exists', error: /after "\."/ },
    { name: 'unclosed length(', input: 'length(a >= 1', error: /expected "\)"/ },
    { name: 'bad regex', input: 'a matches /(/', error: /bad regex/ },
    { name: 'matches without slashes', input: 'a matches ok', error: /expected \/regex\// },
    { name: 'code is not run', input: 'process.exit(1)', error: /expected exists/ },
  ];
  test.each(cases)('$name: $input', ({ input, error }) => {
    expect(() => parseJsonAssertion(input)).toThrow(error);
  });
});

test('formatPath round-trips through the parser', () => {
  for (const text of ['a.b[0].c', '["dotted.key"].x', 'x[2][3]']) {
    const parsed = parseJsonAssertion(`${text} exists`);
    expect(formatPath(parsed.path)).toBe(text);
  }
  expect(formatPath([])).toBe('$');
});
