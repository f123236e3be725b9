// Starts a real container registry (Debian's docker-registry, Distribution 2.x) on a free loopback port with
// htpasswd basic auth, for tests that push images; docker treats 127.0.0.0/8 as an insecure (http) registry.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './moto.js';
import { requireCommand } from './prerequisites.js';

export interface RegistryServer {
  /** host:port, as docker and image references use it, e.g. 127.0.0.1:41234 */
  host: string;
  port: number;
  url: string;
  username: string;
  password: string;
  /** The folder holding the config, the htpasswd file and the storage; removed by stop(). */
  dir: string;
  /** The registry's own answer for repo:tag (Docker-Content-Digest), or undefined when the tag is unknown. */
  manifestDigest(repository: string, tag: string): Promise<string | undefined>;
  /** Tags of a repository as the registry lists them ([] when the repository is unknown). */
  tags(repository: string): Promise<string[]>;
  stop(): Promise<void>;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/**
 * Starts `docker-registry serve` on 127.0.0.1:<free port>. The default credentials are moto's ECR token for
 * account 123456789012, so an action that logs in with the token moto hands out logs in for real.
 */
export async function startRegistry(
  options: { username?: string; password?: string } = {},
): Promise<RegistryServer> {
  const binary = requireCommand('docker-registry', 'apt-get install docker-registry (or run .ci/setup)');
  requireCommand('htpasswd', 'apt-get install apache2-utils (or run .ci/setup)');
  const username = options.username ?? 'AWS';
  const password = options.password ?? '123456789012-auth-token';
  const dir = await mkdtemp(path.join(tmpdir(), 'hokusai-registry-'));
  // -i reads the password from stdin, so it never shows in a process listing.
  const hashed = spawnSync('htpasswd', ['-niB', username], { input: `${password}\n`, encoding: 'utf8' });
  if (hashed.status !== 0) throw new Error(`htpasswd failed: ${hashed.stderr}`);
  await writeFile(path.join(dir, 'htpasswd'), hashed.stdout.trim() + '\n');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(path.join(dir, 'storage'))}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    'auth:',
    '  htpasswd:',
    '    realm: hokusai-test-registry',
    `    path: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'config.yml'), config);

  const child: ChildProcess = spawn(binary, ['serve', path.join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const url = `http://${host}`;
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited early: ${stderr}`);
    try {
      const response = await fetch(`${url}/v2/`, { headers: { authorization } });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not answer within 20s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    host,
    port,
    url,
    username,
    password,
    dir,
    async manifestDigest(repository, tag) {
      const response = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
        headers: { authorization, accept: MANIFEST_TYPES },
      });
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`registry answered ${response.status} for ${repository}:${tag}`);
      const body = Buffer.from(await response.arrayBuffer());
      const computed = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      const header = response.headers.get('docker-content-digest');
      if (header !== computed) throw new Error(`registry digest header ${header} != body digest ${computed}`);
      return computed;
    },
    async tags(repository) {
      const response = await fetch(`${url}/v2/${repository}/tags/list`, { headers: { authorization } });
      if (response.status === 404) return [];
      if (!response.ok) throw new Error(`registry answered ${response.status} listing ${repository}`);
      return ((await response.json()) as { tags?: string[] | null }).tags ?? [];
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        // The timer is cleared once the registry has exited, so it does not hold the test process open.
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
        clearTimeout(timer);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
