import { describe, expect, test } from '@jest/globals';
import {
  checkResponse,
  formatStatusSpec,
  parseBodyExpectation,
  parseStatusSpec,
  type Expectations,
} from '../src/expectations.js';
import { parseJsonAssertion } from '../src/json-assertion.js';
import { createRedactor } from '../src/redaction.js';
import { compileUserRegex } from '../src/user-regex.js';

describe('parseStatusSpec', () => {
  const cases = [
    { input: '200', expected: [{ from: 200, to: 200 }] },
    { input: '2xx', expected: [{ from: 200, to: 299 }] },
    { input: '2XX', expected: [{ from: 200, to: 299 }] },
    {
      input: '200,204',
      expected: [
        { from: 200, to: 200 },
        { from: 204, to: 204 },
      ],
    },
    {
      input: '200, 3xx',
      expected: [
        { from: 200, to: 200 },
        { from: 300, to: 399 },
      ],
    },
    { input: '', expected: null },
    { input: '99', expected: null },
    { input: '600', expected: null },
    { input: 'ok', expected: null },
    { input: '2xxx', expected: null },
    { input: '200-299', expected: null },
  ];
  test.each(cases)('"$input"', ({ input, expected }) => {
    expect(parseStatusSpec(input)).toEqual(expected);
  });
  test('formats back', () => {
    expect(formatStatusSpec(parseStatusSpec('200, 3xx,204')!)).toBe('200,3xx,204');
  });
});

describe('parseBodyExpectation', () => {
  test.each([
    { input: 'ok', expected: { kind: 'substring', text: 'ok' } },
    { input: '/a/b', expected: { kind: 'substring', text: '/a/b' } },
    { input: '//', expected: { kind: 'substring', text: '//' } },
  ])('"$input"', ({ input, expected }) => {
    expect(parseBodyExpectation(input)).toEqual(expected);
  });
  test.each([
    { input: '/^ok$/i', matches: ['OK', 'ok'], misses: ['not ok!'] },
    { input: '/x/g', matches: ['axb'], misses: ['a'] },
    { input: '/^a.b$/s', matches: ['a\nb'], misses: ['ab'] },
    { input: '/^b$/m', matches: ['a\nb\nc'], misses: ['abc'] },
    { input: '/"status":\\s*"ok"/', matches: ['{"status": "ok"}'], misses: ['{"status":"down"}'] },
    { input: '/a\\/b/', matches: ['a/b'], misses: ['ab'] },
  ])('regex $input', ({ input, matches, misses }) => {
    const parsed = parseBodyExpectation(input);
    if (!('kind' in parsed) || parsed.kind !== 'regex') throw new Error('not a regex');
    expect(parsed.pattern.source).toBe(input);
    for (const text of matches) expect(parsed.pattern.test(text)).toBe(true);
    for (const text of misses) expect(parsed.pattern.test(text)).toBe(false);
  });
  test.each([
    { input: '/(/', error: /missing closing \)/ },
    { input: '/(?=x)y/', error: /unsupported Perl syntax.*no lookahead, lookbehind or backreferences/ },
    { input: '/(a)\\1/', error: /invalid escape sequence.*no lookahead, lookbehind or backreferences/ },
    { input: '/x/v', error: /^flag "v" is not supported/ },
  ])('$input is refused: $error', ({ input, error }) => {
    const parsed = parseBodyExpectation(input);
    expect('error' in parsed && parsed.error).toMatch(error);
  });
  // A backtracking engine takes minutes on this (the trial's /^(.*?)*x$/ ran past 90 s, blocking the event loop so
  // no deadline could fire); RE2's runs in time linear in the body. No time is measured: the call returns.
  test('a catastrophic-backtracking pattern is answered', () => {
    const parsed = parseBodyExpectation('/^(.*?)*x$/');
    if (!('kind' in parsed) || parsed.kind !== 'regex') throw new Error('not a regex');
    expect(parsed.pattern.test('a'.repeat(34))).toBe(false);
    expect(parsed.pattern.test(`${'a'.repeat(100_000)}x`)).toBe(true);
  });
});

describe('checkResponse', () => {
  const base: Expectations = { status: [{ from: 200, to: 200 }], json: [], maxLatencyMs: 1000 };
  const cases: Array<{
    name: string;
    response: { status: number; body: string; latencyMs: number };
    expect?: Partial<Expectations>;
    expected: { ok: boolean; transient: boolean; failures: RegExp[] };
  }> = [
    {
      name: 'ok',
      response: { status: 200, body: '', latencyMs: 5 },
      expected: { ok: true, transient: false, failures: [] },
    },
    {
      name: '503 is transient',
      response: { status: 503, body: 'starting', latencyMs: 5 },
      expected: { ok: false, transient: true, failures: [/^status 503, expected 200 \(body: starting\)$/] },
    },
    {
      name: '429 is transient',
      response: { status: 429, body: '', latencyMs: 5 },
      expected: { ok: false, transient: true, failures: [/^status 429, expected 200$/] },
    },
    {
      name: '404 is definitive',
      response: { status: 404, body: '', latencyMs: 5 },
      expected: { ok: false, transient: false, failures: [/status 404/] },
    },
    {
      name: '503 accepted when expected',
      response: { status: 503, body: '', latencyMs: 5 },
      expect: { status: [{ from: 500, to: 599 }] },
      expected: { ok: true, transient: false, failures: [] },
    },
    {
      name: 'slow is transient',
      response: { status: 200, body: '', latencyMs: 1500 },
      expected: { ok: false, transient: true, failures: [/took 1500ms, over max-latency 1000ms/] },
    },
    {
      name: 'substring missing',
      response: { status: 200, body: 'hello', latencyMs: 5 },
      expect: { body: { kind: 'substring', text: 'ok' } },
      expected: { ok: false, transient: false, failures: [/body does not contain "ok" \(body: hello\)/] },
    },
    {
      name: 'regex matches',
      response: { status: 200, body: 'status: OK', latencyMs: 5 },
      expect: { body: { kind: 'regex', pattern: compileUserRegex('ok$', 'i') } },
      expected: { ok: true, transient: false, failures: [] },
    },
    {
      name: 'not JSON',
      response: { status: 200, body: '<html>', latencyMs: 5 },
      expect: { json: [parseJsonAssertion('status == "ok"')] },
      expected: { ok: false, transient: false, failures: [/body is not JSON/] },
    },
    {
      name: 'wrong JSON and slow: definitive, both reported',
      response: { status: 200, body: '{"status":"down"}', latencyMs: 2000 },
      expect: { json: [parseJsonAssertion('status == "ok"')] },
      expected: {
        ok: false,
        transient: false,
        failures: [/expect-json "status == "ok"" failed: status is "down"/, /took 2000ms/],
      },
    },
    {
      name: 'long bodies are cut in messages',
      response: { status: 500, body: 'x'.repeat(500), latencyMs: 5 },
      expected: {
        ok: false,
        transient: true,
        failures: [/^status 500, expected 200 \(body: x{117}\.\.\.\)$/],
      },
    },
  ];
  test.each(cases)('$name', ({ response, expect: partial, expected }) => {
    const verdict = checkResponse(response, { ...base, ...partial });
    expect(verdict.ok).toBe(expected.ok);
    expect(verdict.transient).toBe(expected.transient);
    expect(verdict.failures).toHaveLength(expected.failures.length);
    expected.failures.forEach((pattern, i) => expect(verdict.failures[i]).toMatch(pattern));
  });
});

describe('secrets in a quoted body are redacted before the body is cut', () => {
  // The trial: a server echoing request headers; the 108-character key's start survived the cut at 117 characters.
  const key = `sk_live_${'Q'.repeat(100)}`;
  const basic = `Basic ${Buffer.from('admin:s3cret-passw0rd-for-the-probe').toString('base64')}`;
  const redact = createRedactor([key, basic, basic.slice('Basic '.length)]);
  const echo = JSON.stringify({ host: '127.0.0.1', 'x-api-key': key, authorization: basic });
  const base: Expectations = { status: [{ from: 200, to: 200 }], json: [], maxLatencyMs: 1000 };
  test.each([
    {
      name: 'body expectation',
      expect: { body: { kind: 'substring' as const, text: 'nomatch' } },
      status: 200,
    },
    { name: 'wrong status', expect: {}, status: 500 },
    {
      name: 'not JSON',
      expect: { json: [parseJsonAssertion('status == "ok"')] },
      status: 200,
      body: `x${echo}`,
    },
    { name: 'a JSON value', expect: { json: [parseJsonAssertion('x-api-key == "other"')] }, status: 200 },
    {
      name: 'a JSON value, matches',
      expect: { json: [parseJsonAssertion('authorization matches /^x/')] },
      status: 200,
    },
  ])('$name', ({ expect: partial, status, body }) => {
    const verdict = checkResponse(
      { status, body: body ?? echo, latencyMs: 5 },
      { ...base, ...partial },
      redact,
    );
    expect(verdict.ok).toBe(false);
    const text = verdict.failures.join('\n');
    expect(text).toContain('***');
    expect(text).not.toContain('sk_live_Q');
    expect(text).not.toContain(basic.slice('Basic '.length, 'Basic '.length + 8));
  });
});
