import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { createHttpClient, type HttpRequest } from '../src/http-client.js';
import {
  freePort,
  makeSelfSignedCertificate,
  sendJson,
  startHttpServer,
  startHttpsServer,
  type TestServer,
} from './http-servers.js';

const now = () => performance.now();
const get = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  url,
  method: 'GET',
  headers: {},
  timeoutMs: 2000,
  followRedirects: true,
  ...extra,
});

describe('redirects', () => {
  let other: TestServer;
  let server: TestServer;
  beforeAll(async () => {
    other = await startHttpServer((req, res) =>
      sendJson(res, 200, { where: 'other', key: req.headers['x-api-key'] ?? null }),
    );
    server = await startHttpServer((req, res) => {
      if (req.url === '/old') return void res.writeHead(301, { location: '/new' }).end();
      if (req.url === '/elsewhere')
        return void res.writeHead(302, { location: `${other.origin}/landing` }).end();
      if (req.url === '/loop') return void res.writeHead(307, { location: '/loop' }).end();
      if (req.url === '/post') return void res.writeHead(303, { location: '/new' }).end();
      sendJson(res, 200, { where: 'new', method: req.method, key: req.headers['x-api-key'] ?? null });
    });
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });

  test('followed on the same origin, headers kept', async () => {
    const client = createHttpClient({ insecure: false, now });
    const result = await client.send(get(`${server.origin}/old`, { headers: { 'X-Api-Key': 'k-1' } }));
    await client.close();
    expect(result).toMatchObject({
      kind: 'response',
      status: 200,
      redirects: 1,
      finalUrl: `${server.origin}/new`,
    });
    expect(JSON.parse((result as { body: string }).body)).toEqual({
      where: 'new',
      method: 'GET',
      key: 'k-1',
    });
  });

  test('not followed when follow-redirects is false: the 301 is the answer', async () => {
    const client = createHttpClient({ insecure: false, now });
    const result = await client.send(get(`${server.origin}/old`, { followRedirects: false }));
    await client.close();
    expect(result).toMatchObject({ kind: 'response', status: 301, redirects: 0 });
  });

  test('to another origin: the configured headers are dropped and reported', async () => {
    const crossings: string[] = [];
    const client = createHttpClient({
      insecure: false,
      now,
      onCrossOriginRedirect: (_from, to) => crossings.push(to),
    });
    const result = await client.send(get(`${server.origin}/elsewhere`, { headers: { 'X-Api-Key': 'k-1' } }));
    await client.close();
    expect(JSON.parse((result as { body: string }).body)).toEqual({ where: 'other', key: null });
    expect(crossings).toEqual([`${other.origin}/landing`]);
    expect(other.requests.at(-1)!.headers['x-api-key']).toBeUndefined();
  });

  test('303 after POST becomes a GET without body', async () => {
    const client = createHttpClient({ insecure: false, now });
    const result = await client.send(get(`${server.origin}/post`, { method: 'POST', body: '{}' }));
    await client.close();
    expect(JSON.parse((result as { body: string }).body)).toMatchObject({ method: 'GET' });
  });

  test('a redirect loop stops after 5 hops', async () => {
    const client = createHttpClient({ insecure: false, now });
    const result = await client.send(get(`${server.origin}/loop`));
    await client.close();
    expect(result).toMatchObject({
      kind: 'error',
      failure: { kind: 'too-many-redirects', transient: false },
    });
  });
});

describe('TLS with a self-signed certificate', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startHttpsServer(makeSelfSignedCertificate(), (_req, res) =>
      sendJson(res, 200, { status: 'ok' }),
    );
  });
  afterAll(() => server.close());

  test('rejected without insecure', async () => {
    const client = createHttpClient({ insecure: false, now });
    const result = await client.send(get(`${server.origin}/health`));
    await client.close();
    expect(result).toMatchObject({ kind: 'error', failure: { kind: 'tls', transient: false } });
    expect((result as { failure: { message: string } }).failure.message).toMatch(/set insecure: true/);
  });

  test('accepted with insecure, and only by this client: the process default still verifies', async () => {
    const client = createHttpClient({ insecure: true, now });
    const result = await client.send(get(`${server.origin}/health`));
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    // While the insecure client is open, Node's global fetch must still refuse the certificate.
    await expect(fetch(`${server.origin}/health`)).rejects.toThrow();
    await client.close();
  });
});

describe('network failures', () => {
  test('connection refused is transient', async () => {
    const port = await freePort();
    const client = createHttpClient({ insecure: false, now });
    const result = await client.send(get(`http://127.0.0.1:${port}/health`));
    await client.close();
    expect(result).toMatchObject({ kind: 'error', failure: { kind: 'connection-refused', transient: true } });
  });

  test('a DNS failure is transient', async () => {
    const client = createHttpClient({ insecure: false, now });
    // A long timeout: a slow resolver must still end in a DNS error, not in our timer.
    const result = await client.send(get('http://no-such-host.invalid/health', { timeoutMs: 30_000 }));
    await client.close();
    expect(result).toMatchObject({ kind: 'error', failure: { kind: 'dns', transient: true } });
  });

  test('no answer within timeout is a transient timeout', async () => {
    const server = await startHttpServer((_req, res) => void setTimeout(() => res.end('late'), 1500));
    const client = createHttpClient({ insecure: false, now });
    const result = await client.send(get(`${server.origin}/slow`, { timeoutMs: 200 }));
    await client.close();
    await server.close();
    expect(result).toMatchObject({ kind: 'error', failure: { kind: 'timeout', transient: true } });
    expect(result.latencyMs).toBeGreaterThanOrEqual(150);
  });

  test('a large body is read up to 1 MiB', async () => {
    const server = await startHttpServer((_req, res) => res.end('x'.repeat(3 * 1024 * 1024)));
    const client = createHttpClient({ insecure: false, now });
    const result = await client.send(get(`${server.origin}/big`, { timeoutMs: 10_000 }));
    await client.close();
    await server.close();
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect((result as { body: string }).body).toHaveLength(1024 * 1024);
  });
});
