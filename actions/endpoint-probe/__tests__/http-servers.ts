// Real HTTP(S) servers on 127.0.0.1 free ports for the tests, and a self-signed certificate made with openssl.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { freePort, requireCommand } from '@hokusai/action-harness';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

export interface TestServer {
  /** `http://127.0.0.1:<port>` (or https). */
  origin: string;
  port: number;
  /** Requests seen, in order: method, path and headers. */
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

function listen(server: http.Server, scheme: string, port: number): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  server.prependListener('request', (req: http.IncomingMessage) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({
        origin: `${scheme}://127.0.0.1:${actual}`,
        port: actual,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** An HTTP server calling `handler` with a 1-based hit counter. `port` 0 picks a free one. */
export function startHttpServer(handler: Handler, port = 0): Promise<TestServer> {
  let hits = 0;
  const server = http.createServer((req, res) => handler(req, res, ++hits));
  return listen(server, 'http', port);
}

export interface SelfSignedCertificate {
  key: string;
  cert: string;
}

/** A fresh self-signed certificate for 127.0.0.1; throws how to install openssl when it is missing. */
export function makeSelfSignedCertificate(): SelfSignedCertificate {
  requireCommand('openssl', 'apt-get install openssl');
  const dir = mkdtempSync(path.join(tmpdir(), 'endpoint-probe-tls-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    const result = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`openssl req failed: ${result.stderr}`);
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function startHttpsServer(certificate: SelfSignedCertificate, handler: Handler): Promise<TestServer> {
  let hits = 0;
  const server = https.createServer(certificate, (req, res) => handler(req, res, ++hits));
  return listen(server, 'https', 0);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A port nothing listens on (yet). */
export { freePort };

/** The incident plan's API: /health open, the MLflow endpoints need X-Api-Key; a wrong key is echoed back. */
export function incidentApi(apiKey: string): Handler {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (req.headers['x-api-key'] !== apiKey) {
      // A careless server quoting the credential back: the probe must still never show it.
      return sendJson(res, 401, { error: `invalid api key ${String(req.headers['x-api-key'])}` });
    }
    if (path === '/api/mlflow/health') return sendJson(res, 200, { status: 'ok', backend: 'mlflow' });
    if (path === '/api/2.0/mlflow/experiments/list') {
      return sendJson(res, 200, { experiments: [{ experiment_id: '0', name: 'Default' }], count: 1 });
    }
    sendJson(res, 404, { error: 'not found' });
  };
}
