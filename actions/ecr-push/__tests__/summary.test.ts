import { expect, test } from '@jest/globals';
import { formatBytes, renderSummary } from '../src/summary.js';
import type { PushResult } from '../src/push-image.js';

const A = `sha256:${'a'.repeat(64)}`;
const result: PushResult = {
  registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
  repository: 'hokusai-api',
  account: '123456789012',
  region: 'us-east-1',
  repositoryCreated: false,
  tagMutability: 'IMMUTABLE',
  tags: [
    {
      tag: '1cdcfc3',
      uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:1cdcfc3',
      status: 'pushed',
      digest: A,
      attempts: 2,
    },
    {
      tag: 'v1',
      uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:v1',
      status: 'already-there',
      digest: A,
      attempts: 0,
    },
  ],
  digest: A,
  imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:1cdcfc3',
  imageUris: [],
  imageUriWithDigest: `123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api@${A}`,
  pushed: true,
  reused: false,
  registrySize: 52_428_800,
  localSize: 140_000_000,
  localId: `sha256:${'c'.repeat(64)}`,
};

test('the summary names the image by digest, its size, and each tag with its result', () => {
  const markdown = renderSummary(result);
  expect(markdown).toContain('Pushed 1 of 2 tags; digest verified with the registry.');
  expect(markdown).toContain(`| Image | \`123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api@${A}\` |`);
  expect(markdown).toContain('| Size | 50.0 MiB in the registry (compressed), 133.5 MiB locally |');
  expect(markdown).toContain(
    '| `1cdcfc3` | `123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:1cdcfc3` | pushed (attempt 2) |',
  );
  expect(markdown).toContain(
    '| `v1` | `123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:v1` | already pushed |',
  );
  expect(markdown).toContain('`hokusai-api` in account 123456789012, us-east-1 (IMMUTABLE)');
});

test('nothing pushed says so', () => {
  const markdown = renderSummary({ ...result, pushed: false, tags: [result.tags[1]!] });
  expect(markdown).toContain('Nothing to push: every tag was already pushed with this image.');
});

test('a reused image says which revision it came from and that the local image was not pushed', () => {
  const reused = {
    ...result.tags[0]!,
    status: 'reused' as const,
    attempts: 0,
    revision: '1cdcfc3f0a5b9e8d7c6b5a4f3e2d1c0b9a8f7e6d',
  };
  const markdown = renderSummary({ ...result, pushed: false, reused: true, tags: [reused] });
  expect(markdown).toContain(
    'Reused the image already in the registry under `1cdcfc3`, built from the same revision `1cdcfc3f0a5b9e8d7c6b5a4f3e2d1c0b9a8f7e6d`; the local image `sha256:ccc',
  );
  expect(markdown).toContain('| reused (already there from the same revision) |');
});

test.each([
  { bytes: 0, expected: '0 B' },
  { bytes: 1023, expected: '1023 B' },
  { bytes: 1024, expected: '1.00 KiB' },
  { bytes: 1536 * 1024, expected: '1.50 MiB' },
  { bytes: 12 * 1024 ** 3, expected: '12.0 GiB' },
])('formatBytes($bytes) = $expected', ({ bytes, expected }) => {
  expect(formatBytes(bytes)).toBe(expected);
});
