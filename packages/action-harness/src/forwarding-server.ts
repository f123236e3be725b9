// The skeleton both test proxies share (recording-proxy.ts, holding-proxy.ts): a loopback HTTP server that reads
// each request whole and can forward it unchanged to an upstream AWS endpoint (the emulator, moto).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as received, with a way to forward it to the upstream and pass the answer back. */
export interface ReceivedRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** The request body, whole. */
  raw: Buffer;
  /** The request path with its query. */
  path: string;
  /**
   * Sends the request to the upstream unchanged (but for Host) and pipes the answer back; `onAnswer` sees the
   * status first, `onError` a failure to reach the upstream (the caller decides what the client gets).
   */
  forward(handlers: { onAnswer?: (status: number) => void; onError: (error: Error) => void }): void;
}

export interface ForwardingServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** Closes every connection (held ones too) and the server. */
  stop(): Promise<void>;
}

/** Starts a loopback server on a free port that hands every request, read whole, to `onRequest`. */
export async function startForwardingServer(
  target: string,
  onRequest: (request: ReceivedRequest) => void,
): Promise<ForwardingServer> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = req.url ?? '/';
      onRequest({
        req,
        res,
        raw,
        path,
        forward: ({ onAnswer, onError }) => {
          const outgoing = http.request(
            {
              hostname: upstream.hostname,
              port: upstream.port,
              method: req.method,
              path,
              headers: { ...req.headers, host: upstream.host },
            },
            (answer) => {
              onAnswer?.(answer.statusCode ?? 0);
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          );
          outgoing.on('error', onError);
          outgoing.end(raw);
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
