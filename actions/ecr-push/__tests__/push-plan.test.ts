import { expect, test } from '@jest/globals';
import { planTags, type RemoteTagState } from '../src/push-plan.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const absent: RemoteTagState = { kind: 'absent' };

test.each([
  {
    name: 'absent tags are pushed',
    states: [{ tag: 'v1', state: absent }],
    options: { overwrite: false, tagMutability: 'IMMUTABLE' },
    expected: [{ tag: 'v1', action: 'push' }],
  },
  {
    name: 'a tag at this image is left alone',
    states: [
      { tag: 'v1', state: { kind: 'same-image', digest: A } as RemoteTagState },
      { tag: 'latest', state: absent },
    ],
    options: { overwrite: false, tagMutability: 'MUTABLE' },
    expected: [
      { tag: 'v1', action: 'already-there', digest: A },
      { tag: 'latest', action: 'push' },
    ],
  },
  {
    name: 'unchecked tags (skip-existing false) are pushed',
    states: [{ tag: 'v1', state: { kind: 'unchecked' } as RemoteTagState }],
    options: { overwrite: false, tagMutability: 'IMMUTABLE' },
    expected: [{ tag: 'v1', action: 'push' }],
  },
  {
    name: 'overwrite moves a tag in a MUTABLE repository',
    states: [{ tag: 'latest', state: { kind: 'other-image', digest: B } as RemoteTagState }],
    options: { overwrite: true, tagMutability: 'MUTABLE' },
    expected: [{ tag: 'latest', action: 'push', replaces: B }],
  },
])('$name', ({ states, options, expected }) => {
  expect(planTags(states, { ...options, repository: 'api' })).toEqual(expected);
});

test.each([
  {
    name: 'a tag at another image without overwrite',
    options: { overwrite: false, tagMutability: 'MUTABLE' },
    error: `tag latest (now ${B}) already points at a different image in "api": refusing to overwrite (set overwrite: true to move the tag, or reuse-existing: true to use the image already there)`,
  },
  {
    name: 'overwrite in an IMMUTABLE repository',
    options: { overwrite: true, tagMutability: 'IMMUTABLE' },
    error: `tag latest (now ${B}) already points at a different image in the IMMUTABLE repository "api": ECR will not overwrite it; push under a new tag`,
  },
])('fails on $name', ({ options, error }) => {
  const states = [
    { tag: 'v1', state: absent },
    { tag: 'latest', state: { kind: 'other-image', digest: B } as RemoteTagState },
  ];
  expect(() => planTags(states, { ...options, repository: 'api' })).toThrow(error);
});

test('several tags: "point at" them', () => {
  const states = [
    { tag: 'v1', state: { kind: 'other-image', digest: B } as RemoteTagState },
    { tag: 'latest', state: { kind: 'other-image', digest: B } as RemoteTagState },
  ];
  expect(() => planTags(states, { overwrite: true, tagMutability: 'IMMUTABLE', repository: 'api' })).toThrow(
    `tags v1 (now ${B}), latest (now ${B}) already point at a different image in the IMMUTABLE repository "api": ECR will not overwrite them;`,
  );
});

const REV = '1cdcfc3f0a5b9e8d7c6b5a4f3e2d1c0b9a8f7e6d';
const other = (revision?: { local?: string; remote?: string }): RemoteTagState => ({
  kind: 'other-image',
  digest: B,
  ...(revision ? { revision } : {}),
});
const reuse = { overwrite: false, reuseExisting: true, tagMutability: 'IMMUTABLE', repository: 'api' };

test.each([
  {
    name: 'a tag at an image of the same revision is reused',
    states: [{ tag: '1cdcfc3', state: other({ local: REV, remote: REV }) }],
    expected: [{ tag: '1cdcfc3', action: 'reuse', digest: B, revision: REV }],
  },
  {
    name: 'an unlabelled local image: reused, unverified (nothing says which commit it is)',
    states: [{ tag: '1cdcfc3', state: other({ remote: REV }) }],
    expected: [{ tag: '1cdcfc3', action: 'reuse', digest: B }],
  },
  {
    name: 'no label on either side: reused, unverified',
    states: [{ tag: '1cdcfc3', state: other({}) }],
    expected: [{ tag: '1cdcfc3', action: 'reuse', digest: B }],
  },
  {
    name: 'absent tags are still pushed when nothing is reused',
    states: [{ tag: '1cdcfc3', state: absent }],
    expected: [{ tag: '1cdcfc3', action: 'push' }],
  },
  {
    name: 'two tags already at the same other image are both reused',
    states: [
      { tag: '1cdcfc3', state: other({ local: REV, remote: REV }) },
      { tag: 'release-7', state: other({ local: REV, remote: REV }) },
    ],
    expected: [
      { tag: '1cdcfc3', action: 'reuse', digest: B, revision: REV },
      { tag: 'release-7', action: 'reuse', digest: B, revision: REV },
    ],
  },
])('reuse-existing: $name', ({ states, expected }) => {
  expect(planTags(states, reuse)).toEqual(expected);
});

test.each([
  {
    name: 'an image of another revision',
    states: [{ tag: '1cdcfc3', state: other({ local: REV, remote: 'f00ba47' }) }],
    error: `tag 1cdcfc3 in "api" holds an image built from revision f00ba47 (${B}), but the local image is from ${REV}: refusing to reuse it`,
  },
  {
    // The outputs would name bytes never smoke-tested: the local image says its commit, the remote one cannot.
    name: 'an unlabelled remote image when the local image is labelled',
    states: [{ tag: '1cdcfc3', state: other({ local: REV }) }],
    error: `tag 1cdcfc3 in "api" holds an image without an org.opencontainers.image.revision label (${B}), so it cannot be shown to be built from revision ${REV} like the local image: refusing to reuse it; push under a new tag`,
  },
  {
    name: 'a reused tag beside a tag that would get the local image',
    states: [
      { tag: '1cdcfc3', state: other({ local: REV, remote: REV }) },
      { tag: 'latest', state: absent },
    ],
    error: `reuse-existing: the tags would name different images (1cdcfc3 (${B}), latest (not there yet))`,
  },
  {
    name: 'a reused tag beside a tag already at the local image',
    states: [
      { tag: '1cdcfc3', state: other({ local: REV, remote: REV }) },
      { tag: 'v1', state: { kind: 'same-image', digest: A } as RemoteTagState },
    ],
    error: `reuse-existing: the tags would name different images (1cdcfc3 (${B}), v1 (${A}))`,
  },
])('reuse-existing refuses $name', ({ states, error }) => {
  expect(() => planTags(states, reuse)).toThrow(error);
});
