// End to end: the bundled action run as the runner runs it, against moto (ECR API), a real registry (Distribution
// with htpasswd auth holding moto's ECR token) and the real Docker engine; faults come from real broken parts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  freePort,
  requireDocker,
  runAction,
  startMoto,
  startRegistry,
  type ActionRun,
  type MotoServer,
  type RegistryServer,
} from '@hokusai/action-harness';
import { startRegistryProxy, type RegistryProxy } from './registry-proxy.js';
import {
  buildScratchImage,
  filesContaining,
  imageId,
  imageTags,
  removeImages,
  uniqueName,
} from './test-images.js';

const PASSWORD = '123456789012-auth-token';
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
const SHORT_SHA = '1cdcfc3'; // runAction's GITHUB_SHA starts with it

let moto: MotoServer;
let registry: RegistryServer;
let ecr: ECRClient;
const images: string[] = [];
const proxies: RegistryProxy[] = [];
const runs: ActionRun[] = [];

beforeAll(async () => {
  requireDocker();
  [moto, registry] = await Promise.all([startMoto(), startRegistry()]);
  ecr = new ECRClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}, 60_000);

afterAll(async () => {
  removeImages(images);
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(runs.map((r) => r.cleanup()));
  ecr?.destroy();
  await Promise.all([moto?.stop(), registry?.stop()]);
});

function image(label: string, content = label, sizeBytes = 0): string {
  const reference = buildScratchImage(uniqueName(label), `${content} ${Math.random()}`, sizeBytes);
  // By id too, so names a failed run may have left on it go with it.
  images.push(reference, imageId(reference));
  return reference;
}

async function proxy(
  ...args: Parameters<typeof startRegistryProxy> extends [string, ...infer R] ? R : never
) {
  const started = await startRegistryProxy(registry.host, ...args);
  proxies.push(started);
  return started;
}

async function push(
  inputs: Record<string, string>,
  options: { env?: Record<string, string | undefined> } & Partial<Parameters<typeof runAction>[0]> = {},
): Promise<ActionRun> {
  const { env, ...rest } = options;
  const run = await runAction({
    action: 'ecr-push',
    timeoutMs: 100_000,
    ...rest,
    inputs: { registry: registry.host, ...inputs },
    env: { ...moto.env, AWS_EC2_METADATA_DISABLED: 'true', ...env },
  });
  runs.push(run);
  return run;
}

function failure(run: ActionRun): string {
  const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

async function repositoryInMoto(name: string) {
  try {
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return out.repositories?.[0];
  } catch (error) {
    if ((error as Error).name === 'RepositoryNotFoundException') return undefined;
    throw error;
  }
}

/** No credential in the log, the outputs, the summary, or any file the run left (runner temp, ~/.docker, /tmp). */
function expectNoCredentialLeft(run: ActionRun, startedAt: number): void {
  for (const secret of [PASSWORD, TOKEN]) {
    expect(run.leaksOf(secret)).toEqual([]);
    expect(JSON.stringify(run.outputs)).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
  }
  expect(run.masks).toEqual(expect.arrayContaining([PASSWORD, TOKEN]));
  // The step's DOCKER_CONFIG is gone...
  expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('ecr-push-docker-config-'))).toEqual([]);
  // ...and no file written during the run holds the password or the token.
  const roots = [run.runnerTemp, path.join(os.homedir(), '.docker'), os.tmpdir()].filter((d) =>
    existsSync(d),
  );
  const leftovers = filesContaining(roots, [PASSWORD, TOKEN], startedAt - 1000).filter(
    (f) => !f.startsWith(registry.dir), // the test registry's own htpasswd file
  );
  expect(leftovers).toEqual([]);
}

describe('ecr-push against moto and a real registry', () => {
  test('pushes under the short commit hash, reports the registry digest, leaves no credential behind', async () => {
    const local = image('first');
    const repository = uniqueName('api');
    const startedAt = Date.now();
    const run = await push({ image: local, repository, 'create-repository': 'true' });

    expect(run.exitCode).toBe(0);
    const digest = await registry.manifestDigest(repository, SHORT_SHA);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs).toEqual({
      registry: registry.host,
      'image-uri': `${registry.host}/${repository}:${SHORT_SHA}`,
      'image-uris': `${registry.host}/${repository}:${SHORT_SHA}`,
      digest,
      'image-uri-with-digest': `${registry.host}/${repository}@${digest}`,
      pushed: 'true',
      reused: 'false',
      'image-id': imageId(local),
    });
    expect(await registry.tags(repository)).toEqual([SHORT_SHA]);
    const created = await repositoryInMoto(repository);
    expect(created?.imageTagMutability).toBe('IMMUTABLE');
    expect(created?.imageScanningConfiguration?.scanOnPush).toBe(true);
    expect(run.summary).toContain(digest!);
    expect(run.summary).toMatch(/\| `1cdcfc3` \| .* \| pushed \|/);
    expect(run.summary).toMatch(/in the registry \(compressed\)/);
    // The tag this step added for the push is gone again; the image keeps its own name.
    expect(imageTags(local)).toEqual([local]);
    expectNoCredentialLeft(run, startedAt);
  });

  test('a desktop credential helper on the runner never receives the password', async () => {
    // Docker picks `pass` as credential store by itself when `pass` and docker-credential-pass are on PATH and the
    // config has no auth settings; the step's DOCKER_CONFIG must keep the login in the file it deletes.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'hokusai-ecrpush-test-bin-'));
    const calls = path.join(bin, 'calls');
    writeFileSync(path.join(bin, 'pass'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    writeFileSync(
      path.join(bin, 'docker-credential-pass'),
      `#!/bin/sh\necho "$1" >> ${calls}\ncat >> ${calls}\n`,
      {
        mode: 0o755,
      },
    );
    try {
      const run = await push(
        { image: image('helper'), repository: uniqueName('api'), 'create-repository': 'true' },
        { env: { PATH: `${bin}:${process.env.PATH}` } },
      );
      expect(run.exitCode).toBe(0);
      expect(existsSync(calls)).toBe(false);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test('a re-run says "already pushed" and pushes nothing', async () => {
    const local = image('rerun');
    const repository = uniqueName('api');
    const first = await push({ image: local, repository, 'create-repository': 'true' });
    expect(first.exitCode).toBe(0);

    const watch = await proxy();
    const startedAt = Date.now();
    const again = await push({ image: local, repository, registry: watch.host });
    expect(again.exitCode).toBe(0);
    expect(again.log).toContain('already pushed');
    expect(again.log).not.toContain('docker push');
    expect(watch.requests.length).toBeGreaterThan(0); // it did ask the registry
    expect(watch.writes()).toEqual([]);
    expect(again.outputs.pushed).toBe('false');
    expect(again.outputs.digest).toBe(first.outputs.digest);
    expect(again.outputs.digest).toBe(await registry.manifestDigest(repository, SHORT_SHA));
    expect(again.summary).toContain('already pushed');
    expectNoCredentialLeft(again, startedAt);
  });

  test('pushes only the missing tags when some are already there', async () => {
    const local = image('partial');
    const repository = uniqueName('api');
    expect((await push({ image: local, repository, 'create-repository': 'true', tags: 'v1' })).exitCode).toBe(
      0,
    );
    const run = await push({ image: local, repository, tags: 'v1\nlatest' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['image-uris']).toBe(
      `${registry.host}/${repository}:v1\n${registry.host}/${repository}:latest`,
    );
    expect(run.outputs.pushed).toBe('true');
    expect(run.summary).toMatch(/\| `v1` \| .* \| already pushed \|/);
    expect(run.summary).toMatch(/\| `latest` \| .* \| pushed \|/);
    expect(await registry.manifestDigest(repository, 'latest')).toBe(run.outputs.digest);
  });

  test('a tag at a different image fails clearly and moves nothing', async () => {
    const repository = uniqueName('api');
    await push({ image: image('old'), repository, 'create-repository': 'true' });
    const before = await registry.manifestDigest(repository, SHORT_SHA);
    const run = await push({ image: image('new'), repository });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(
      new RegExp(
        `tag ${SHORT_SHA} \\(now ${before}\\) already points at a different image in the IMMUTABLE repository`,
      ),
    );
    expect(await registry.manifestDigest(repository, SHORT_SHA)).toBe(before);
  });

  test('registry refusing the push (ECR immutable tag) is one clear line and is not retried', async () => {
    const local = image('immutable');
    const repository = uniqueName('api');
    expect((await push({ image: local, repository, 'create-repository': 'true' })).exitCode).toBe(0);
    const ecrLike = await proxy(() => 'refuse-immutable');
    const run = await push({ image: local, repository, registry: ecrLike.host, 'skip-existing': 'false' });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(
      /registry refused .*: the tag already exists and the repository's tags are immutable/,
    );
    expect(ecrLike.manifestPuts()).toHaveLength(1);
  });

  test('a network error mid-push is retried, then succeeds', async () => {
    const local = image('flaky');
    const repository = uniqueName('api');
    const flaky = await proxy((_tag, n) => (n === 1 ? 'reset' : 'pass'));
    const run = await push({ image: local, repository, registry: flaky.host, 'create-repository': 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      expect.stringMatching(/docker push .* failed .*; retrying in 2s/),
    ]);
    expect(flaky.manifestPuts()).toHaveLength(2);
    expect(run.outputs.digest).toBe(await registry.manifestDigest(repository, SHORT_SHA));
    expect(run.summary).toContain('pushed (attempt 2)');
  });

  test('a network error on every attempt ends in one clear line after the retries', async () => {
    const repository = uniqueName('api');
    const broken = await proxy(() => 'reset');
    const startedAt = Date.now();
    const run = await push({
      image: image('broken'),
      repository,
      registry: broken.host,
      'create-repository': 'true',
      retries: '1',
    });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(/^docker push 127\.0\.0\.1:\d+\/.+ failed after 2 attempts: /);
    expect(broken.manifestPuts()).toHaveLength(2);
    expect(await registry.tags(repository)).toEqual([]);
    expectNoCredentialLeft(run, startedAt);
  });

  test.each([
    {
      name: 'a new repository: docker login',
      create: true,
      expected: 'docker login to {host} failed \\(the registry is unreachable\\): .*connection refused',
    },
    {
      name: 'an existing repository: the tag check',
      create: false,
      expected: 'cannot reach registry {host} to read .* \\(3 attempts\\): .*ECONNREFUSED .*',
    },
  ])('a registry nobody listens on fails clearly ($name)', async ({ create, expected }) => {
    const repository = uniqueName('api');
    if (!create)
      expect((await push({ image: image('exists'), repository, 'create-repository': 'true' })).exitCode).toBe(
        0,
      );
    const closed = `127.0.0.1:${await freePort()}`;
    const run = await push({
      image: image('closed'),
      repository,
      registry: closed,
      'create-repository': String(create),
    });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(new RegExp(`^${expected.replace('{host}', closed)}$`));
  });

  // The suite's convention on cancel: one line, a summary, exit code 1 (as a failure), for SIGINT and SIGTERM alike.
  test.each([{ signal: 'SIGTERM' as const }, { signal: 'SIGINT' as const }])(
    'cancelling mid-push ($signal) still removes the docker credential, says so in one line and a summary',
    async ({ signal }) => {
      let hung!: () => void;
      const hangs = new Promise<void>((resolve) => (hung = resolve));
      const stuck = await proxy(() => 'hang', { onHang: () => hung() });
      const startedAt = Date.now();
      const local = image('cancel');
      const running = push({
        image: local,
        repository: uniqueName('api'),
        registry: stuck.host,
        'create-repository': 'true',
      });
      await hangs;
      // The runner cancels a step with SIGINT, then SIGTERM: send it to this test's action process only.
      const pid = Number(
        execFileSync('pgrep', ['-n', '-P', String(process.pid), '-f', 'actions/ecr-push/dist/index.js'], {
          encoding: 'utf8',
        }).trim(),
      );
      process.kill(pid, signal);
      const run = await running;
      expect(run.exitCode).toBe(1);
      expect(failure(run)).toBe(
        `cancelled (${signal}): 0 tag(s) pushed before it (none); the temporary docker credential and tags were removed`,
      );
      expect(run.summary).toContain(`⏹️ Cancelled (${signal})`);
      expect(run.outputs.pushed).toBe('false');
      expectNoCredentialLeft(run, startedAt);
      expect(imageTags(local)).toEqual([local]);
    },
  );
});

describe('an AWS endpoint that accepts connections and never answers', () => {
  // The SDK had no timeout: the step hung until the runner killed it, with nothing in the log. Each request now
  // times out (20 s), the one retry policy tries 3 times, and the step ends with one line naming the call. Only the
  // outcome is asserted; the wait is real (a request timeout is wall time) and bounded.
  test('fails with one line naming the ECR call, before anything is created or pushed', async () => {
    const held = new Set<net.Socket>();
    const blackHole = net.createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
      const run = await push(
        { image: image('blackhole'), repository: uniqueName('api'), 'create-repository': 'true' },
        { env: { AWS_ENDPOINT_URL: endpoint, AWS_ENDPOINT_URL_ECR: endpoint }, timeoutMs: 230_000 },
      );
      expect(run.timedOut).toBe(false);
      expect(run.exitCode).toBe(1);
      expect(failure(run)).toBe(
        'getting an ECR authorization token in us-east-1: ECR GetAuthorizationToken failed after 3 attempts (it timed out again and again): no answer within the 20s request timeout',
      );
      expect(run.summary).toContain('❌ Failed: getting an ECR authorization token');
      expect(held.size).toBeGreaterThanOrEqual(3);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  }, 240_000);
});

describe('ecr-push refuses bad input and faults with one clear line, before changing anything', () => {
  test('image not present locally', async () => {
    const repository = uniqueName('api');
    const run = await push({ image: `${uniqueName('missing')}:ci`, repository, 'create-repository': 'true' });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(/^image ".*missing.*:ci" is not present locally: build it first/);
    expect(await repositoryInMoto(repository)).toBeUndefined();
  });

  test('repository missing and create-repository false names the account and region', async () => {
    const repository = uniqueName('api');
    const local = image('norepo');
    const run = await push({ image: local, repository });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toBe(
      `ECR repository "${repository}" does not exist in account 123456789012 region us-east-1: create it, or set create-repository: true`,
    );
    // A failure has its summary and the outputs that are true: the image checked, the registry, nothing pushed.
    expect(run.summary).toContain(`❌ Failed: ECR repository "${repository}" does not exist`);
    expect(run.outputs).toMatchObject({ 'image-id': imageId(local), pushed: 'false', 'image-uris': '' });
  });

  test('with registry-id, the missing repository is named in that account', async () => {
    const repository = uniqueName('api');
    const run = await push({ image: image('otheraccount'), repository, 'registry-id': '210987654321' });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toBe(
      `ECR repository "${repository}" does not exist in account 210987654321 region us-east-1: create it, or set create-repository: true`,
    );
  });

  test.each([
    { name: 'a character ECR does not allow', tags: 'v1\nfeature/login', bad: 'feature/login' },
    { name: 'a leading dot', tags: '.hidden', bad: '.hidden' },
    { name: 'too long for docker', tags: 'a'.repeat(129), bad: `${'a'.repeat(80)}…" (129 characters` },
  ])('invalid tag: $name', async ({ tags, bad }) => {
    const repository = uniqueName('api');
    const run = await push({ image: image('badtag'), repository, tags, 'create-repository': 'true' });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toContain(`invalid tag "${bad}`);
    expect(failure(run)).toContain('in input "tags"');
    expect(await repositoryInMoto(repository)).toBeUndefined();
  });

  test('docker daemon unreachable', async () => {
    const socket = path.join(os.tmpdir(), `${uniqueName('nodaemon')}.sock`);
    const run = await push(
      { image: 'anything:ci', repository: uniqueName('api') },
      { env: { DOCKER_HOST: `unix://${socket}` } },
    );
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(
      new RegExp(`^the Docker daemon at unix://${socket} is unreachable: Cannot connect`),
    );
  });

  test('no AWS credentials', async () => {
    const run = await push(
      { image: image('nocreds'), repository: uniqueName('api') },
      {
        env: {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
          AWS_CONFIG_FILE: '/nonexistent/config',
        },
      },
    );
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(
      /^no usable AWS credentials while getting an ECR authorization token in us-east-1/,
    );
  });

  test('expired AWS credentials', async () => {
    // An endpoint that answers as AWS does when the session token has expired (moto cannot expire credentials).
    const expired = http.createServer((req, res) => {
      req.resume();
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': 'ExpiredTokenException',
      });
      res.end(
        JSON.stringify({
          __type: 'ExpiredTokenException',
          message: 'The security token included in the request is expired',
        }),
      );
    });
    const port = await freePort();
    await new Promise<void>((resolve) => expired.listen(port, '127.0.0.1', resolve));
    try {
      const run = await push(
        { image: image('expired'), repository: uniqueName('api') },
        { env: { AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${port}` } },
      );
      expect(run.exitCode).toBe(1);
      expect(failure(run)).toBe(
        'the AWS credentials have expired while getting an ECR authorization token in us-east-1: The security token included in the request is expired',
      );
    } finally {
      await new Promise((resolve) => expired.close(resolve));
    }
  });
});
