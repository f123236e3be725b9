import { expect, test } from '@jest/globals';
import {
  configLabels,
  isSameImage,
  type LocalImage,
  parseManifest,
  platformManifest,
  registrySize,
  type RemoteManifest,
} from '../src/manifest.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const CONFIG = d('c');
const local: LocalImage = {
  id: CONFIG,
  repoTags: [],
  repoDigests: [],
  size: 10,
  os: 'linux',
  architecture: 'amd64',
  labels: {},
};

const single = parseManifest(
  d('1'),
  'application/vnd.docker.distribution.manifest.v2+json',
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 100, digest: CONFIG },
    layers: [
      { size: 1000, digest: d('2') },
      { size: 20, digest: d('3') },
    ],
  }),
);
const other = { ...single, digest: d('4'), config: { digest: d('5'), size: 1 } };
const index = parseManifest(
  d('6'),
  'application/vnd.oci.image.index.v1+json',
  JSON.stringify({
    schemaVersion: 2,
    manifests: [
      { digest: d('7'), size: 1, platform: { os: 'linux', architecture: 'arm64' } },
      { digest: single.digest, size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  }),
);
const children = new Map<string, RemoteManifest>([
  [single.digest, single],
  [d('7'), other],
]);
const fetchChild = async (digest: string) => children.get(digest);

test('parseManifest takes the media type from the body, else the content type', () => {
  expect(single.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
  expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  expect(registrySize(single)).toBe(1120);
});

test.each([
  { name: 'config digest is the local image id (classic store)', local, remote: single, expected: true },
  { name: 'another image', local, remote: other, expected: false },
  {
    name: 'manifest digest is the local id (containerd store)',
    local: { ...local, id: d('4') },
    remote: other,
    expected: true,
  },
  {
    name: 'RepoDigests says docker pushed or pulled this manifest',
    local: { ...local, id: d('9'), repoDigests: [`127.0.0.1:5000/api@${d('4')}`] },
    remote: other,
    expected: true,
  },
  {
    name: 'RepoDigests of another repository do not count',
    local: { ...local, id: d('9'), repoDigests: [`127.0.0.1:5000/other@${d('4')}`] },
    remote: other,
    expected: false,
  },
  { name: 'index whose child for this platform is the image', local, remote: index, expected: true },
  {
    name: 'index without this platform',
    local: { ...local, architecture: 's390x' },
    remote: index,
    expected: false,
  },
])('isSameImage: $name', async ({ local: image, remote, expected }) => {
  expect(await isSameImage(image, remote, '127.0.0.1:5000/api', fetchChild)).toBe(expected);
});

test('platformManifest: the manifest itself, or the index child for the local platform', async () => {
  expect(await platformManifest(single, local, fetchChild)).toBe(single);
  expect(await platformManifest(index, local, fetchChild)).toBe(single);
  expect(await platformManifest(index, { os: 'linux', architecture: 's390x' }, fetchChild)).toBeUndefined();
});

test('configLabels reads the labels of an image config, {} when there are none', () => {
  expect(
    configLabels(JSON.stringify({ config: { Labels: { 'org.opencontainers.image.revision': 'abc' } } })),
  ).toEqual({ 'org.opencontainers.image.revision': 'abc' });
  expect(configLabels(JSON.stringify({ config: { Labels: null } }))).toEqual({});
  expect(configLabels('{}')).toEqual({});
});
