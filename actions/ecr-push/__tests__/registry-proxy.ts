// Test fixture: a loopback HTTP proxy in front of the real test registry that injects the faults a push to ECR can
// meet (a connection cut mid-push, ECR's refusal to overwrite an immutable tag, a push that hangs), and records
// every request so tests can tell whether anything was pushed.
import http from 'node:http';
import type { Socket } from 'node:net';
import { freePort } from '@hokusai/action-harness';

export type ManifestPutFault = 'pass' | 'reset' | 'refuse-immutable' | 'hang';

export interface ProxiedRequest {
  method: string;
  path: string;
  status?: number;
}

export interface RegistryProxy {
  host: string;
  requests: ProxiedRequest[];
  /** Requests that write to the registry (blob uploads, manifest puts). */
  writes(): ProxiedRequest[];
  manifestPuts(): ProxiedRequest[];
  stop(): Promise<void>;
}

/**
 * `onManifestPut(tag, n)` decides the fate of the n-th (1-based) PUT of a manifest; everything else is forwarded.
 * The Host header is kept, so the registry's upload URLs point back at the proxy.
 */
export async function startRegistryProxy(
  targetHost: string,
  onManifestPut: (tag: string, n: number) => ManifestPutFault = () => 'pass',
  hooks: { onHang?: () => void } = {},
): Promise<RegistryProxy> {
  const [targetName, targetPort] = targetHost.split(':') as [string, string];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let manifestPutCount = 0;

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, record: ProxiedRequest) => {
    const upstream = http.request(
      { host: targetName, port: Number(targetPort), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        record.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const tagExists = (repository: string, tag: string, authorization: string | undefined) =>
    new Promise<boolean>((resolve, reject) => {
      const check = http.request(
        {
          host: targetName,
          port: Number(targetPort),
          method: 'HEAD',
          path: `/v2/${repository}/manifests/${tag}`,
          headers: {
            ...(authorization ? { authorization } : {}),
            accept: 'application/vnd.docker.distribution.manifest.v2+json',
          },
        },
        (answer) => {
          answer.resume();
          resolve(answer.statusCode === 200);
        },
      );
      check.on('error', reject);
      check.end();
    });

  const server = http.createServer((req, res) => {
    const record: ProxiedRequest = { method: req.method ?? '', path: req.url ?? '' };
    requests.push(record);
    const manifest = /^\/v2\/(.+)\/manifests\/([^/?]+)$/.exec(record.path);
    if (req.method !== 'PUT' || !manifest) return forward(req, res, record);
    const [, repository, tag] = manifest as unknown as [string, string, string];
    const fault = onManifestPut(tag, ++manifestPutCount);
    if (fault === 'pass') return forward(req, res, record);
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'hang') {
      hooks.onHang?.();
      return;
    }
    // ECR's answer to a push over an existing tag in an IMMUTABLE repository.
    void tagExists(repository, tag, req.headers.authorization).then(
      (exists) => {
        if (!exists) return forward(req, res, record);
        req.resume();
        record.status = 400;
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [
              {
                code: 'TAG_INVALID',
                message: `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
              },
            ],
          }),
        );
      },
      () => res.destroy(),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${port}`,
    requests,
    writes: () => requests.filter((r) => ['PUT', 'POST', 'PATCH', 'DELETE'].includes(r.method)),
    manifestPuts: () => requests.filter((r) => r.method === 'PUT' && /\/manifests\//.test(r.path)),
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
