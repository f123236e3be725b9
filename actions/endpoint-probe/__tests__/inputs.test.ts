import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '@hokusai/action-kit';
import { getInputs, probePlanOf, secretsOf } from '../src/inputs.js';

/** The environment the runner would give for these inputs (unset inputs get no variable, like an empty default). */
function env(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
}

describe('getInputs: valid', () => {
  test('urls with defaults', () => {
    const inputs = getInputs(
      env({ urls: 'https://api.example.com/health\nhttps://api.example.com/api/mlflow/health' }),
    );
    expect(inputs.endpoints.map((e) => e.name)).toEqual([
      'GET https://api.example.com/health',
      'GET https://api.example.com/api/mlflow/health',
    ]);
    expect(inputs.endpoints[0]).toMatchObject({
      method: 'GET',
      timeoutMs: 10_000,
      headers: {},
      expect: { status: [{ from: 200, to: 200 }], json: [], maxLatencyMs: 5000 },
    });
    const plan = probePlanOf(inputs);
    expect(plan).toMatchObject({
      waitMs: 120_000,
      consecutiveSuccesses: 2,
      soakMs: 0,
      intervalMs: 5000,
      requests: 0,
      concurrency: 10,
      maxErrorRate: 0.01,
      followRedirects: true,
    });
    expect(inputs.insecure).toBe(false);
  });

  test('urls take expect-status, expect-json, headers and durations', () => {
    const inputs = getInputs(
      env({
        urls: 'http://127.0.0.1:8080/health',
        'expect-status': '200,204',
        'expect-json': 'status == "ok"\nlength(experiments) >= 1',
        'expect-body': '/ok/i',
        headers: 'X-Api-Key: k-123\n# comment\nAuthorization: Bearer abcdef123',
        timeout: '2s',
        'max-latency': '750ms',
        wait: '30s',
        soak: '1m',
        interval: '1s',
        requests: '200',
        concurrency: '20',
        'max-error-rate': '5%',
        'follow-redirects': 'false',
        insecure: 'true',
      }),
    );
    const [endpoint] = inputs.endpoints;
    expect(endpoint!.headers).toEqual({ 'X-Api-Key': 'k-123', Authorization: 'Bearer abcdef123' });
    expect(endpoint!.expect.status).toEqual([
      { from: 200, to: 200 },
      { from: 204, to: 204 },
    ]);
    expect(endpoint!.expect.json.map((a) => a.source)).toEqual([
      'status == "ok"',
      'length(experiments) >= 1',
    ]);
    expect(endpoint!.expect.body).toMatchObject({ kind: 'regex', pattern: { source: '/ok/i' } });
    expect(endpoint!.timeoutMs).toBe(2000);
    expect(endpoint!.expect.maxLatencyMs).toBe(750);
    expect(probePlanOf(inputs)).toMatchObject({
      waitMs: 30_000,
      soakMs: 60_000,
      intervalMs: 1000,
      requests: 200,
      concurrency: 20,
      maxErrorRate: 0.05,
      followRedirects: false,
    });
    expect(inputs.insecure).toBe(true);
    expect(secretsOf(inputs).sort()).toEqual(['Bearer abcdef123', 'abcdef123', 'k-123']);
  });

  test('endpoints YAML: per-endpoint settings over the inputs', () => {
    const inputs = getInputs(
      env({
        endpoints: [
          '- https://api.example.com/health',
          '- url: https://api.example.com/api/2.0/mlflow/experiments/list',
          '  name: experiments',
          '  headers:',
          '    X-Api-Key: k-123',
          '  expect-json:',
          '    - experiments exists',
          '    - count >= 1',
          '  max-latency: 2s',
          '- url: https://api.example.com/api/items',
          '  method: post',
          '  headers: ["Accept: application/json"]',
          '  body: {name: probe}',
          '  expect-status: 201',
          '  expect-body: created',
          '  timeout: 3s',
        ].join('\n'),
        headers: 'X-Trace: probe-1',
        'expect-json': 'status == "ok"',
      }),
    );
    const [health, experiments, items] = inputs.endpoints;
    expect(health).toMatchObject({
      name: 'GET https://api.example.com/health',
      headers: { 'X-Trace': 'probe-1' },
    });
    expect(health!.expect.json.map((a) => a.source)).toEqual(['status == "ok"']);
    expect(experiments).toMatchObject({
      name: 'experiments',
      headers: { 'X-Trace': 'probe-1', 'X-Api-Key': 'k-123' },
      expect: { maxLatencyMs: 2000 },
    });
    expect(experiments!.expect.json.map((a) => a.source)).toEqual(['experiments exists', 'count >= 1']);
    expect(items).toMatchObject({
      name: 'POST https://api.example.com/api/items',
      method: 'POST',
      body: '{"name":"probe"}',
      contentType: 'application/json',
      timeoutMs: 3000,
      headers: { Accept: 'application/json', 'X-Trace': 'probe-1' },
      expect: { status: [{ from: 201, to: 201 }], body: { kind: 'substring', text: 'created' } },
    });
    expect(secretsOf(inputs).sort()).toEqual(['application/json', 'k-123', 'probe-1']);
  });

  test('endpoint header values are taken as written, not as YAML numbers or booleans', () => {
    const inputs = getInputs(
      env({
        endpoints: [
          '- url: https://api.example.com/a',
          '  headers:',
          '    X-Api-Key: 0123',
          '    X-Flag: true',
          '    X-Exp: 1e3',
          '  max-latency: 2',
        ].join('\n'),
      }),
    );
    expect(inputs.endpoints[0]!.headers).toEqual({ 'X-Api-Key': '0123', 'X-Flag': 'true', 'X-Exp': '1e3' });
    expect(inputs.endpoints[0]!.expect.maxLatencyMs).toBe(2000);
  });

  test('a URL password is a secret and is not shown in the name', () => {
    const inputs = getInputs(env({ urls: 'https://probe:pa55word@api.example.com/health' }));
    expect(inputs.endpoints[0]!.name).toBe('GET https://probe:***@api.example.com/health');
    expect(secretsOf(inputs)).toContain('pa55word');
  });
});

describe('getInputs: one clear line for each mistake', () => {
  const cases: Array<{ name: string; inputs: Record<string, string>; error: string }> = [
    {
      name: 'neither urls nor endpoints',
      inputs: {},
      error: 'no endpoint to probe: set input "urls" (one URL a line) or "endpoints" (a YAML list)',
    },
    {
      name: 'both urls and endpoints',
      inputs: { urls: 'https://a.example/', endpoints: '- https://b.example/' },
      error: 'inputs "urls" and "endpoints" were both given: use one of them',
    },
    {
      name: 'bad URL',
      inputs: { urls: 'api.example.com/health' },
      error: 'invalid URL "api.example.com/health" in input "urls" (expected http://... or https://...)',
    },
    {
      name: 'not http',
      inputs: { urls: 'ftp://example.com/x' },
      error: 'invalid URL "ftp://example.com/x" in input "urls": only http and https are probed',
    },
    {
      name: 'bad duration',
      inputs: { urls: 'https://a.example/', timeout: '5x' },
      error: 'invalid duration "5x" for input "timeout" (use e.g. 90s, 15m, 1h)',
    },
    {
      name: 'zero timeout',
      inputs: { urls: 'https://a.example/', timeout: '0s' },
      error: 'invalid value "0s" for input "timeout": must be above 0',
    },
    {
      name: 'bad wait',
      inputs: { urls: 'https://a.example/', wait: 'soon' },
      error: 'invalid duration "soon" for input "wait" (use e.g. 90s, 15m, 1h)',
    },
    {
      name: 'bad expect-status',
      inputs: { urls: 'https://a.example/', 'expect-status': 'ok' },
      error: 'invalid status "ok" for input "expect-status" (use e.g. 200, 2xx or 200,204)',
    },
    {
      name: 'bad expect-json',
      inputs: { urls: 'https://a.example/', 'expect-json': 'status = "ok"' },
      error:
        'invalid expect-json assertion "status = \\"ok\\"" in input "expect-json": expected exists, not exists, ==, !=, <, <=, >, >=, contains or matches after the path, got "= "ok""',
    },
    {
      name: 'bad expect-body regex',
      inputs: { urls: 'https://a.example/', 'expect-body': '/(/' },
      error:
        'invalid regex "/(/" for input "expect-body": missing closing ): `(` (patterns run on a linear-time engine, RE2 syntax: no lookahead, lookbehind or backreferences)',
    },
    {
      name: 'header line without colon: the value is not shown',
      inputs: { urls: 'https://a.example/', headers: 'X-Api-Key k-123' },
      error: 'invalid header line 1 in input "headers": expected "Name: value" (the value is not shown)',
    },
    {
      name: 'bad header name',
      inputs: { urls: 'https://a.example/', headers: 'X Api Key: k-123' },
      error:
        'invalid header line 1 (name "X Api Key") in input "headers": expected "Name: value" (the value is not shown)',
    },
    {
      name: 'consecutive-successes 0',
      inputs: { urls: 'https://a.example/', 'consecutive-successes': '0' },
      error: 'invalid value "0" for input "consecutive-successes": must be from 1 to 1000',
    },
    {
      name: 'bad max-error-rate',
      inputs: { urls: 'https://a.example/', 'max-error-rate': '150%' },
      error: 'invalid percentage "150%" for input "max-error-rate" (use e.g. 1% or 0.01)',
    },
    {
      name: 'bad boolean',
      inputs: { urls: 'https://a.example/', insecure: 'yes' },
      error: 'invalid boolean "yes" for input "insecure" (use true or false)',
    },
    {
      name: 'endpoints not a list',
      inputs: { endpoints: 'url: https://a.example/' },
      error: 'invalid input "endpoints": expected a YAML list of endpoints (- url: https://...)',
    },
    {
      name: 'endpoints YAML syntax: first line only',
      inputs: { endpoints: '- url: https://a.example/\n  headers: {X-Api-Key: k-123\n' },
      error: 'invalid YAML in input "endpoints":',
    },
    {
      name: 'endpoint without url',
      inputs: { endpoints: '- method: GET' },
      error: 'input "endpoints" item 1 has no "url"',
    },
    {
      name: 'unknown endpoint key',
      inputs: { endpoints: '- url: https://a.example/\n  expect_status: 200' },
      error:
        'unknown key "expect_status" in input "endpoints" item 1 (expected one of: url, name, method, headers, body, expect-status, expect-body, expect-json, max-latency, timeout)',
    },
    {
      name: 'bad endpoint URL',
      inputs: { endpoints: '- url: https://a.example/\n- url: /api/health' },
      error: 'invalid URL "/api/health" in input "endpoints" item 2 (expected http://... or https://...)',
    },
    {
      name: 'bad endpoint method',
      inputs: { endpoints: '- url: https://a.example/\n  method: FETCH' },
      error:
        'invalid method "FETCH" in input "endpoints" item 1 (expected one of: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)',
    },
    {
      name: 'bad endpoint expect-json',
      inputs: { endpoints: '- url: https://a.example/\n  expect-json: [status ==]' },
      error:
        'invalid expect-json assertion "status ==" in input "endpoints" item 1: expected a value after the operator',
    },
    {
      name: 'a timeout past what Node timers hold (600h would fire after 1 ms): bounded at a day',
      inputs: { urls: 'https://a.example/', timeout: '600h' },
      error: 'duration "600h" for input "timeout" is longer than the maximum 24h00m',
    },
    {
      name: 'an endpoint timeout past what Node timers hold',
      inputs: { endpoints: '- url: https://a.example/\n  timeout: 600h' },
      error: 'duration "600h" for input "endpoints[1].timeout" is longer than the maximum 24h00m',
    },
    {
      name: 'bad endpoint duration',
      inputs: { endpoints: '- url: https://a.example/\n  max-latency: fast' },
      error: 'invalid duration "fast" for input "endpoints[1].max-latency" (use e.g. 90s, 15m, 1h)',
    },
  ];
  test.each(cases)('$name', ({ inputs, error }) => {
    let thrown: unknown;
    try {
      getInputs(env(inputs));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    const message = (thrown as Error).message;
    expect(message.startsWith(error)).toBe(true);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('k-123');
  });
});
