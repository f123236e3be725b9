import { describe, expect, test } from '@jest/globals';
import {
  checkResponse,
  formatStatusSpec,
  parseBodyExpectation,
  parseStatusSpec,
  type Expectations,
} from '../src/expectations.js';
import { parseJsonAssertion } from '../src/json-assertion.js';

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
    { input: '/^ok$/i', expected: { kind: 'regex', pattern: /^ok$/i } },
    { input: '/x/g', expected: { kind: 'regex', pattern: /x/ } },
  ])('"$input"', ({ input, expected }) => {
    expect(parseBodyExpectation(input)).toEqual(expected);
  });
  test('an invalid regex is an error', () => {
    expect(parseBodyExpectation('/(/')).toHaveProperty('error');
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
      expect: { body: { kind: 'regex', pattern: /ok$/i } },
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
