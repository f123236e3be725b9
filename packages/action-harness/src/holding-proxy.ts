// A proxy in front of an AWS endpoint (the emulator, moto) that holds chosen requests — an AWS call that never
// answers, as a stalled connection does — until the test releases or drops them; everything else is forwarded.
import { startForwardingServer } from './forwarding-server.js';
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
  const counts = new Map<string, number>();
  const held: HeldRequest[] = [];
  let onHeld: (request: HeldRequest) => void = () => {};
  const firstHeld = new Promise<HeldRequest>((resolve) => (onHeld = resolve));
  const server = await startForwardingServer(target, ({ req, res, raw, path, forward }) => {
    const operation = operationOf(req.method ?? '', req.headers, path, raw.toString('utf8'));
    const count = (counts.get(operation) ?? 0) + 1;
    counts.set(operation, count);
    let gone = false;
    res.on('close', () => (gone = true));
    const release = () => {
      if (!gone) forward({ onError: () => res.destroy() });
    };
    if (!hold(operation, count)) return release();
    const request: HeldRequest = { operation, count, release };
    held.push(request);
    onHeld(request);
  });
  return {
    endpoint: server.endpoint,
    firstHeld,
    held,
    count: (operation) => counts.get(operation) ?? 0,
    stop: server.stop,
  };
}
