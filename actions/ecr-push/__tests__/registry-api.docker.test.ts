// The Registry HTTP API v2 client against a real registry (Distribution with htpasswd basic auth).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { freePort, requireDocker, startRegistry, type RegistryServer } from '@hokusai/action-harness';
import { HttpRegistryApi } from '../src/registry-api.js';
import { buildScratchImage, imageId, removeImages, uniqueName } from './test-images.js';

let registry: RegistryServer;
const cleanup: string[] = [];
const token = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
const noWait = async () => {};

beforeAll(async () => {
  requireDocker();
  registry = await startRegistry();
}, 60_000);

afterAll(async () => {
  removeImages(cleanup);
  await registry?.stop();
});

test('reads a pushed manifest: the registry digest, the config of the local image, the size', async () => {
  const local = buildScratchImage(uniqueName('api'), 'registry-api test');
  const target = `${registry.host}/${uniqueName('repo')}:v1`;
  cleanup.push(local, target);
  spawnSync('docker', ['tag', local, target]);
  const login = spawnSync('docker', ['login', '-u', registry.username, '--password-stdin', registry.host], {
    input: registry.password,
    encoding: 'utf8',
    env: { ...process.env, DOCKER_CONFIG: registry.dir },
  });
  expect(login.status).toBe(0);
  const pushed = spawnSync('docker', ['push', target], {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_CONFIG: registry.dir },
  });
  expect(pushed.status).toBe(0);
  const [repository, tag] = target.slice(registry.host.length + 1).split(':') as [string, string];

  const api = new HttpRegistryApi({
    host: registry.host,
    basicToken: token(registry.username, registry.password),
  });
  const manifest = await api.getManifest(repository, tag);
  expect(manifest?.digest).toBe(await registry.manifestDigest(repository, tag));
  expect(manifest?.config?.digest).toBe(imageId(local));
  expect(manifest?.layers).toHaveLength(1);
  expect(await api.getManifest(repository, 'nope')).toBeUndefined();
  expect(await api.getManifest(uniqueName('never-pushed'), 'v1')).toBeUndefined();
  // By digest too, as index children are fetched.
  expect((await api.getManifest(repository, manifest!.digest))?.digest).toBe(manifest!.digest);
});

test('a token the registry rejects is one clear line', async () => {
  const api = new HttpRegistryApi({ host: registry.host, basicToken: token('AWS', 'wrong'), sleep: noWait });
  await expect(api.getManifest('api', 'v1')).rejects.toThrow(
    `registry ${registry.host} rejected the ECR authorization token (401) while reading api:v1 from registry ${registry.host}: is "registry" the registry of this account and region?`,
  );
});

test('an expired token is named in the 401 message', async () => {
  const api = new HttpRegistryApi({
    host: registry.host,
    basicToken: token('AWS', 'wrong'),
    tokenExpiresAt: new Date('2015-01-01T00:00:00Z'),
  });
  await expect(api.getManifest('api', 'v1')).rejects.toThrow(
    '(the ECR token expired at 2015-01-01T00:00:00.000Z)',
  );
});

test('an unreachable registry is retried, then one clear line', async () => {
  const host = `127.0.0.1:${await freePort()}`;
  const waits: number[] = [];
  const api = new HttpRegistryApi({
    host,
    basicToken: token('AWS', 'x'),
    attempts: 3,
    retryDelayMs: 10,
    sleep: async (ms) => void waits.push(ms),
  });
  await expect(api.getManifest('api', 'v1')).rejects.toThrow(
    new RegExp(`^cannot reach registry ${host} to read api:v1 \\(3 attempts\\): connect ECONNREFUSED`),
  );
  // Backoff with full jitter (aws-kit's retry policy): under 10 ms, then under 20 ms.
  expect(waits).toHaveLength(2);
  expect(waits[0]).toBeLessThan(10);
  expect(waits[1]).toBeLessThan(20);
});
