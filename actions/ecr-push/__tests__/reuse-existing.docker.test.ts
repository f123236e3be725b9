// End to end, the bundle as the runner runs it (moto for ECR's API, a real registry, the real Docker engine): the
// push of a commit whose IMMUTABLE tag is already in the registry (a re-run, a redeploy, a second environment of the
// same commit rebuilds the image and gets a new digest), and the check that the local image is the tested one.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  requireDocker,
  runAction,
  startMoto,
  startRegistry,
  type ActionRun,
  type MotoServer,
  type RegistryServer,
} from '@hokusai/action-harness';
import { imageId, removeImages, uniqueName } from './test-images.js';

const SHORT_SHA = '1cdcfc3'; // runAction's GITHUB_SHA starts with it
const REVISION = 'org.opencontainers.image.revision';

let moto: MotoServer;
let registry: RegistryServer;
const images: string[] = [];
const runs: ActionRun[] = [];

beforeAll(async () => {
  requireDocker();
  [moto, registry] = await Promise.all([startMoto(), startRegistry()]);
}, 60_000);

afterAll(async () => {
  removeImages(images);
  await Promise.all(runs.map((r) => r.cleanup()));
  await Promise.all([moto?.stop(), registry?.stop()]);
});

/** A small image with a revision label, as the deploy workflow's build job makes it; every build is a new image. */
function build(label: string, revision: string | undefined): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hokusai-ecrpush-reuse-'));
  try {
    writeFileSync(path.join(dir, 'payload.txt'), `${label} ${Math.random()}`);
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY payload.txt /\n');
    const reference = `${uniqueName(label)}:ci`;
    const labels = revision ? ['--label', `${REVISION}=${revision}`] : [];
    const built = spawnSync('docker', ['build', '-q', ...labels, '-t', reference, dir], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`docker build failed: ${built.stderr}`);
    images.push(reference, imageId(reference));
    return reference;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function push(inputs: Record<string, string>): Promise<ActionRun> {
  const run = await runAction({
    action: 'ecr-push',
    timeoutMs: 100_000,
    inputs: { registry: registry.host, ...inputs },
    env: { ...moto.env, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  runs.push(run);
  return run;
}

const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const GITHUB_SHA = '1cdcfc3f0a5b9e8d7c6b5a4f3e2d1c0b9a8f7e6d'; // runAction's

describe('reuse-existing', () => {
  test('a rebuild of the same commit reuses the image under the IMMUTABLE tag and names its digest', async () => {
    const repository = uniqueName('api');
    const first = await push({
      image: build('first-run', GITHUB_SHA),
      repository,
      'create-repository': 'true',
    });
    expect(first.exitCode).toBe(0);
    const digest = await registry.manifestDigest(repository, SHORT_SHA);
    expect(first.outputs.digest).toBe(digest);

    // The re-run rebuilt the commit: same revision label, another image.
    const rebuilt = build('re-run', GITHUB_SHA);
    expect(imageId(rebuilt)).not.toBe(first.outputs['image-id']);
    const refused = await push({ image: rebuilt, repository });
    expect(refused.exitCode).toBe(1);
    expect(errors(refused)).toEqual([
      expect.stringContaining('or set reuse-existing: true to use the image already there'),
    ]);

    const run = await push({ image: rebuilt, repository, 'reuse-existing': 'true' });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      digest,
      'image-uri-with-digest': `${registry.host}/${repository}@${digest}`,
      pushed: 'false',
      reused: 'true',
      'image-id': imageId(rebuilt),
    });
    expect(await registry.manifestDigest(repository, SHORT_SHA)).toBe(digest); // nothing moved
    expect(run.log).not.toContain('docker push');
    expect(run.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual([
      expect.stringContaining(`built from the same revision ${GITHUB_SHA}: reusing it`),
    ]);
    expect(run.summary).toContain('Reused the image already in the registry under `1cdcfc3`');
  });

  test('an image of another revision under the tag is refused, nothing moved', async () => {
    const repository = uniqueName('api');
    expect(
      (await push({ image: build('other', 'f00ba47'), repository, 'create-repository': 'true' })).exitCode,
    ).toBe(0);
    const before = await registry.manifestDigest(repository, SHORT_SHA);
    const run = await push({ image: build('mine', GITHUB_SHA), repository, 'reuse-existing': 'true' });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      `tag ${SHORT_SHA} in "${repository}" holds an image built from revision f00ba47 (${before}), but the local image is from ${GITHUB_SHA}: refusing to reuse it; push under a new tag`,
    ]);
    expect(await registry.manifestDigest(repository, SHORT_SHA)).toBe(before);
  });

  test('an unlabelled image under the tag is refused when the local image is labelled: nothing moved', async () => {
    const repository = uniqueName('api');
    expect(
      (await push({ image: build('unlabelled', undefined), repository, 'create-repository': 'true' }))
        .exitCode,
    ).toBe(0);
    const before = await registry.manifestDigest(repository, SHORT_SHA);
    const run = await push({ image: build('mine', GITHUB_SHA), repository, 'reuse-existing': 'true' });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      `tag ${SHORT_SHA} in "${repository}" holds an image without an ${REVISION} label (${before}), so it cannot be shown to be built from revision ${GITHUB_SHA} like the local image: refusing to reuse it; push under a new tag`,
    ]);
    expect(run.outputs.reused ?? '').not.toBe('true');
    expect(await registry.manifestDigest(repository, SHORT_SHA)).toBe(before);
  });

  test('images without the label are reused with a warning that the revision was not checked', async () => {
    const repository = uniqueName('api');
    expect(
      (await push({ image: build('unlabelled', undefined), repository, 'create-repository': 'true' }))
        .exitCode,
    ).toBe(0);
    const run = await push({ image: build('unlabelled-2', undefined), repository, 'reuse-existing': 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.reused).toBe('true');
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      expect.stringContaining('it cannot be checked that it was built from the same commit'),
    ]);
  });
});

describe('expected-image-id', () => {
  test('the tested image is pushed; any other image fails before anything is created or pushed', async () => {
    const tested = build('tested', GITHUB_SHA);
    const other = build('swapped', GITHUB_SHA);
    const repository = uniqueName('api');

    const swapped = await push({
      image: other,
      repository,
      'create-repository': 'true',
      'expected-image-id': imageId(tested),
    });
    expect(swapped.exitCode).toBe(1);
    expect(errors(swapped)).toEqual([
      `local image ${other} is ${imageId(other)}, not the expected ${imageId(tested)} (input "expected-image-id"): it is not the image that was tested; nothing pushed`,
    ]);
    expect(await registry.tags(repository)).toEqual([]);

    const run = await push({
      image: tested,
      repository,
      'create-repository': 'true',
      'expected-image-id': imageId(tested),
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['image-id']).toBe(imageId(tested));
    expect(run.outputs.digest).toBe(await registry.manifestDigest(repository, SHORT_SHA));
  });
});
