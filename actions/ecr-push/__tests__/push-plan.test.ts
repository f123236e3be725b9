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
    error: `tag latest (now ${B}) already point at a different image in "api": refusing to overwrite (set overwrite: true to move the tag)`,
  },
  {
    name: 'overwrite in an IMMUTABLE repository',
    options: { overwrite: true, tagMutability: 'IMMUTABLE' },
    error: `tag latest (now ${B}) already point at a different image in the IMMUTABLE repository "api": ECR will not overwrite them; push under a new tag`,
  },
])('fails on $name', ({ options, error }) => {
  const states = [
    { tag: 'v1', state: absent },
    { tag: 'latest', state: { kind: 'other-image', digest: B } as RemoteTagState },
  ];
  expect(() => planTags(states, { ...options, repository: 'api' })).toThrow(error);
});
