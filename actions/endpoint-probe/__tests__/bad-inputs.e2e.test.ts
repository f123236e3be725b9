// Issue 12: every bad input gets one line naming the input (header values never shown), a non-zero exit, and no
// request is sent: one local server for the whole table counts what reached it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { badInputProblems, runAction } from '@hokusai/action-harness';
import { sendJson, startHttpServer, type TestServer } from './http-servers.js';

const SECRET = 'k-s3cr3t-value-91c2';
let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer((_req, res) => sendJson(res, 200, { status: 'ok' }));
});
afterAll(() => server?.close());

interface Case {
  name: string;
  inputs: Record<string, string>;
  input: string;
  says?: string | RegExp;
  secrets?: string[];
}
const long = (n: number, c = 'a') => c.repeat(n);
const url = () => `${server.origin}/health`;
const cases: Array<Omit<Case, 'inputs'> & { inputs: () => Record<string, string> }> = [
  { name: 'no endpoint', inputs: () => ({ urls: '' }), input: 'urls' },
  {
    name: 'urls and endpoints',
    inputs: () => ({ urls: url(), endpoints: `- ${url()}` }),
    input: 'endpoints',
  },
  { name: 'url not a URL', inputs: () => ({ urls: 'not a url' }), input: 'urls' },
  {
    name: 'url ftp',
    inputs: () => ({ urls: 'ftp://example.com/x' }),
    input: 'urls',
    says: 'only http and https',
  },
  { name: 'url file', inputs: () => ({ urls: 'file:///etc/passwd' }), input: 'urls' },
  { name: 'url javascript', inputs: () => ({ urls: 'javascript:alert(1)' }), input: 'urls' },
  {
    name: 'url 128 KB (shortened, once)',
    inputs: () => ({ urls: `https://example.com/${long(128_000)}` }),
    input: 'urls',
    says: 'longer than 8192',
  },
  {
    name: 'url with a password, invalid',
    inputs: () => ({ urls: `htp//u:${SECRET}@host` }),
    input: 'urls',
    secrets: [SECRET],
  },
  {
    name: 'expect-status word',
    inputs: () => ({ urls: url(), 'expect-status': 'ok' }),
    input: 'expect-status',
  },
  {
    name: 'expect-status 999',
    inputs: () => ({ urls: url(), 'expect-status': '999' }),
    input: 'expect-status',
  },
  {
    name: 'expect-status 6xx',
    inputs: () => ({ urls: url(), 'expect-status': '6xx' }),
    input: 'expect-status',
  },
  {
    name: 'expect-status list',
    inputs: () => ({ urls: url(), 'expect-status': '200,abc' }),
    input: 'expect-status',
  },
  {
    name: 'expect-body bad regex',
    inputs: () => ({ urls: url(), 'expect-body': '/(/' }),
    input: 'expect-body',
  },
  {
    name: 'expect-body bad quantifier',
    inputs: () => ({ urls: url(), 'expect-body': '/a{2,1}/' }),
    input: 'expect-body',
  },
  {
    name: 'expect-json operator',
    inputs: () => ({ urls: url(), 'expect-json': 'status = "ok"' }),
    input: 'expect-json',
  },
  {
    name: 'expect-json empty path',
    inputs: () => ({ urls: url(), 'expect-json': '== 1' }),
    input: 'expect-json',
  },
  {
    name: 'expect-json unclosed string',
    inputs: () => ({ urls: url(), 'expect-json': 'status == "ok' }),
    input: 'expect-json',
  },
  {
    name: 'header line without a colon',
    inputs: () => ({ urls: url(), headers: `Authorization Bearer ${SECRET}` }),
    input: 'headers',
    says: 'line 1',
    secrets: [SECRET],
  },
  {
    name: 'header lone carriage return in the value',
    inputs: () => ({ urls: url(), headers: `X-Api-Key: ${SECRET}\rX-Other: 1` }),
    input: 'headers',
    secrets: [SECRET],
  },
  {
    name: 'header control character in the value',
    inputs: () => ({ urls: url(), headers: `X-Api-Key: ${SECRET}\u0001` }),
    input: 'headers',
    secrets: [SECRET],
  },
  {
    name: 'header name with a space',
    inputs: () => ({ urls: url(), headers: `X Api Key: ${SECRET}` }),
    input: 'headers',
    secrets: [SECRET],
  },
  {
    name: 'header second line bad',
    inputs: () => ({ urls: url(), headers: `Accept: application/json\n${SECRET}` }),
    input: 'headers',
    says: 'line 2',
    secrets: [SECRET],
  },
  { name: 'timeout zero', inputs: () => ({ urls: url(), timeout: '0s' }), input: 'timeout' },
  { name: 'timeout word', inputs: () => ({ urls: url(), timeout: 'ten' }), input: 'timeout' },
  { name: 'max-latency unit', inputs: () => ({ urls: url(), 'max-latency': '5 s' }), input: 'max-latency' },
  { name: 'wait word', inputs: () => ({ urls: url(), wait: 'long' }), input: 'wait' },
  { name: 'soak 128 KB', inputs: () => ({ urls: url(), soak: long(128_000, '1') + 'z' }), input: 'soak' },
  { name: 'interval zero', inputs: () => ({ urls: url(), interval: '0ms' }), input: 'interval' },
  {
    name: 'consecutive-successes 0',
    inputs: () => ({ urls: url(), 'consecutive-successes': '0' }),
    input: 'consecutive-successes',
  },
  { name: 'requests negative', inputs: () => ({ urls: url(), requests: '-5' }), input: 'requests' },
  { name: 'requests word', inputs: () => ({ urls: url(), requests: 'many' }), input: 'requests' },
  { name: 'concurrency 0', inputs: () => ({ urls: url(), concurrency: '0' }), input: 'concurrency' },
  { name: 'concurrency 1001', inputs: () => ({ urls: url(), concurrency: '1001' }), input: 'concurrency' },
  {
    name: 'max-error-rate 150%',
    inputs: () => ({ urls: url(), 'max-error-rate': '150%' }),
    input: 'max-error-rate',
  },
  {
    name: 'max-error-rate word',
    inputs: () => ({ urls: url(), 'max-error-rate': 'low' }),
    input: 'max-error-rate',
  },
  {
    name: 'follow-redirects maybe',
    inputs: () => ({ urls: url(), 'follow-redirects': 'maybe' }),
    input: 'follow-redirects',
  },
  { name: 'insecure yes', inputs: () => ({ urls: url(), insecure: 'yes' }), input: 'insecure' },
  { name: 'endpoints not YAML', inputs: () => ({ endpoints: '- [' }), input: 'endpoints' },
  { name: 'endpoints a number', inputs: () => ({ endpoints: '42' }), input: 'endpoints' },
  { name: 'endpoints item without url', inputs: () => ({ endpoints: '- name: x' }), input: 'endpoints' },
  {
    name: 'endpoints unknown key',
    inputs: () => ({ endpoints: `- url: ${url()}\n  retries: 3` }),
    input: 'endpoints',
  },
  {
    name: 'endpoints bad method',
    inputs: () => ({ endpoints: `- url: ${url()}\n  method: FETCH` }),
    input: 'endpoints',
  },
  {
    name: 'endpoints header value a mapping',
    inputs: () => ({ endpoints: `- url: ${url()}\n  headers:\n    X-Key: { a: ${SECRET} }` }),
    input: 'endpoints',
    secrets: [SECRET],
  },
  {
    name: 'endpoints header with a line break',
    inputs: () => ({ endpoints: `- url: ${url()}\n  headers:\n    X-Key: "${SECRET}\\nX: 1"` }),
    input: 'endpoints',
    secrets: [SECRET],
  },
  {
    name: 'endpoints bad expect-status',
    inputs: () => ({ endpoints: `- url: ${url()}\n  expect-status: abc` }),
    input: 'endpoints',
  },
];

describe('endpoint-probe: one line per bad input, no request sent', () => {
  test.each(cases)('$name', async ({ inputs, input, says, secrets }) => {
    const before = server.requests.length;
    const run = await runAction({ action: 'endpoint-probe', inputs: inputs(), timeoutMs: 60_000 });
    try {
      expect(await badInputProblems(run, { input, says, secrets })).toEqual([]);
      expect(server.requests.length).toBe(before);
    } finally {
      await run.cleanup();
    }
  });
});
