// A real git smart-HTTP server for the tests: git http-backend behind a Node server that demands Basic auth
// x-access-token:<token>, as github.com does, with the token each repository accepts (a token of another repository
// gets 401, as an App token minted for other repositories does). Every request is recorded: its path, whether it was
// let in, and whether it carried credentials that were refused (git's first request of a push carries none).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { requireCommand } from '@hokusai/action-harness';

const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export interface GitHttpServer {
  /** http://127.0.0.1:<port> — a repository is <base>/<path under root>. */
  base: string;
  requests: Array<{ path: string; accepted: boolean; refusedCredentials: boolean }>;
  close(): Promise<void>;
}

/**
 * Serves the bare repositories under `root`; `tokenFor(repositoryPath)` is the one token that path accepts (e.g.
 * `hokusai/actions.git`), or undefined to refuse every request to it.
 */
export async function startGitHttpServer(
  root: string,
  tokenFor: (repository: string) => string | undefined,
): Promise<GitHttpServer> {
  requireCommand('git', 'apt-get install git');
  if (!existsSync(HTTP_BACKEND))
    throw new Error(`prerequisite missing: ${HTTP_BACKEND} (apt-get install git)`);
  const requests: GitHttpServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const repository = /^\/(.+?\.git)(?:\/|$)/.exec(url.pathname)?.[1] ?? '';
    const token = tokenFor(repository);
    const accepted =
      token !== undefined &&
      request.headers.authorization === `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
    requests.push({
      path: url.pathname,
      accepted,
      refusedCredentials: !accepted && request.headers.authorization !== undefined,
    });
    if (!accepted) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const cgi = spawn(HTTP_BACKEND, [], {
      env: {
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
        ...(request.headers['content-encoding']
          ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] }
          : {}),
      },
    });
    request.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    cgi.on('close', () => {
      const output = Buffer.concat(chunks);
      const split = output.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of output.subarray(0, split).toString('latin1').split('\r\n')) {
        const [name = '', ...rest] = line.split(':');
        if (name.toLowerCase() === 'status') status = Number.parseInt(rest.join(':').trim(), 10);
        else if (name) headers[name] = rest.join(':').trim();
      }
      response.writeHead(status, headers).end(output.subarray(split + 4));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A bare repository under `root` at `repository` (e.g. hokusai/actions.git). */
export function bareRepository(root: string, repository: string): string {
  const dir = path.join(root, repository);
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir]);
  return dir;
}
