// A proxy in front of an AWS endpoint (the emulator, moto) that holds chosen requests — an AWS call that never
// answers, as a stalled connection does — until the test releases or drops them; everything else is forwarded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { operationOf } from './recording-proxy.js';

export interface HeldRequest {
  operation: string;
  /** The 1-based count of this operation among the requests the proxy received. */
  count: number;
  /** Forwards it now and passes the answer back (if the client still waits). */
  release(): void;
}

export interface HoldingProxy {
  /** Point AWS_ENDPOINT_URL here. */
  endpoint: string;
  /** Resolves with the first request held (at once if one already was). */
  firstHeld: Promise<HeldRequest>;
  /** Every request held so far. */
  readonly held: HeldRequest[];
  /** How many requests of `operation` reached the proxy. */
  count(operation: string): number;
  stop(): Promise<void>;
}

/**
 * Starts a proxy to `target` that holds every request for which `hold(operation, count)` is true (count: the
 * 1-based number of that operation so far). A held request stays unanswered until released; a client that gives up
 * (an aborted request) just disconnects, and its request is never forwarded.
 */
export async function startHoldingProxy(
  target: string,
  hold: (operation: string, count: number) => boolean,
): Promise<HoldingProxy> {
  const upstream = new URL(target);
  const counts = new Map<string, number>();
  const held: HeldRequest[] = [];
  let onHeld: (request: HeldRequest) => void = () => {};
  const firstHeld = new Promise<HeldRequest>((resolve) => (onHeld = resolve));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const operation = operationOf(req.method ?? '', req.headers, path, raw.toString('utf8'));
      const count = (counts.get(operation) ?? 0) + 1;
      counts.set(operation, count);
      let gone = false;
      res.on('close', () => (gone = true));
      const forward = () => {
        if (gone) return;
        const outgoing = http.request(
          {
            hostname: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path,
            headers: { ...req.headers, host: upstream.host },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        outgoing.on('error', () => res.destroy());
        outgoing.end(raw);
      };
      if (!hold(operation, count)) return forward();
      const request: HeldRequest = { operation, count, release: forward };
      held.push(request);
      onHeld(request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    firstHeld,
    held,
    count: (operation) => counts.get(operation) ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
