// A recording HTTP proxy in front of an AWS endpoint (moto, the emulator): forwards every request unchanged and keeps
// a log of the AWS operations made, so a test can check which calls an action made (moto keeps no call log).
import type http from 'node:http';
import { startForwardingServer } from './forwarding-server.js';

export interface RecordedCall {
  /** The signing name from the SigV4 credential scope: ecs, monitoring (CloudWatch), events, logs, elasticloadbalancing… */
  service: string;
  /** The API operation, e.g. PutMetricAlarm. */
  operation: string;
  /** The request body as sent (JSON or form-encoded; empty for CBOR). */
  body: string;
  /** The HTTP status the target answered. */
  status: number;
}

export interface RecordingProxy {
  /** Point AWS_ENDPOINT_URL here. */
  endpoint: string;
  /** Every call so far, in the order the proxy received them. */
  readonly calls: RecordedCall[];
  /** Forgets the calls recorded so far. */
  clear(): void;
  stop(): Promise<void>;
}

/** Reads/lists are Describe*, Get*, List*; every other AWS operation changes something. */
export function isReadOperation(operation: string): boolean {
  return /^(Describe|Get|List)/.test(operation);
}

/**
 * The operation of an AWS request, whatever the protocol: the X-Amz-Target header (JSON protocols), the Action field
 * (query protocol) or the Smithy RPC v2 path (`/service/<name>/operation/<op>`).
 */
export function operationOf(
  method: string,
  headers: http.IncomingHttpHeaders,
  path: string,
  body: string,
): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) return target.slice(target.lastIndexOf('.') + 1);
  const rpc = /\/operation\/([A-Za-z0-9]+)/.exec(path);
  if (rpc) return rpc[1]!;
  const contentType = String(headers['content-type'] ?? '');
  if (contentType.includes('x-www-form-urlencoded')) {
    const action = new URLSearchParams(body).get('Action');
    if (action) return action;
  }
  return `${method} ${path}`;
}

function serviceOf(headers: http.IncomingHttpHeaders): string {
  const auth = String(headers.authorization ?? '');
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? '';
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  const server = await startForwardingServer(target, ({ req, res, raw, path, forward }) => {
    const body = String(req.headers['content-type'] ?? '').includes('cbor') ? '' : raw.toString('utf8');
    const call: RecordedCall = {
      service: serviceOf(req.headers),
      operation: operationOf(req.method ?? '', req.headers, path, body),
      body,
      status: 0,
    };
    calls.push(call);
    forward({
      onAnswer: (status) => (call.status = status),
      onError: (error) => {
        call.status = 502;
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`recording proxy: ${error.message}`);
      },
    });
  });
  return { endpoint: server.endpoint, calls, clear: () => void calls.splice(0), stop: server.stop };
}
