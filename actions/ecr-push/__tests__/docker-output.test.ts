import { expect, test } from '@jest/globals';
import { classifyDockerFailure, failureLine, pushedDigest } from '../src/docker-output.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const PUSHED = [
  'The push refers to repository [127.0.0.1:5000/api]',
  '8cae290ff7be: Preparing',
  '8cae290ff7be: Pushed',
  `1cdcfc3: digest: ${DIGEST} size: 524`,
].join('\n');

test.each([
  { name: 'the tag pushed', output: PUSHED, tag: '1cdcfc3', expected: DIGEST },
  { name: 'another tag', output: PUSHED, tag: 'latest', expected: undefined },
  { name: 'a tag that is a prefix', output: PUSHED, tag: '1cdcfc', expected: undefined },
  {
    name: 'no digest line',
    output: 'The push refers to repository [x]',
    tag: '1cdcfc3',
    expected: undefined,
  },
])('pushedDigest: $name', ({ output, tag, expected }) => {
  expect(pushedDigest(output, tag)).toBe(expected);
});

test.each([
  {
    output:
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    expected: 'daemon-unreachable',
  },
  {
    output:
      "tag invalid: The image tag '1cdcfc3' already exists in the 'api' repository and cannot be overwritten because the repository is immutable.",
    expected: 'tag-immutable',
  },
  {
    output: 'denied: Your authorization token has expired. Reauthenticate and try again.',
    expected: 'token-expired',
  },
  {
    output:
      'denied: User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: ecr:InitiateLayerUpload',
    expected: 'denied',
  },
  { output: 'unauthorized: authentication required', expected: 'denied' },
  {
    output: "name unknown: The repository with name 'api' does not exist in the registry",
    expected: 'repository-missing',
  },
  { output: 'An image does not exist locally with the tag: 127.0.0.1:5000/api', expected: 'image-missing' },
  { output: 'Put "http://127.0.0.1:5000/v2/api/manifests/1cdcfc3": EOF', expected: 'transient' },
  { output: 'read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer', expected: 'transient' },
  { output: 'received unexpected HTTP status: 502 Bad Gateway', expected: 'transient' },
])('classifyDockerFailure: $expected <- $output', ({ output, expected }) => {
  expect(classifyDockerFailure(output)).toBe(expected);
});

test.each([
  {
    name: 'skips progress lines',
    output: 'x\nerror: boom\n8cae290ff7be: Retrying in 5 seconds\n',
    expected: 'error: boom',
  },
  { name: 'empty output', output: '\n \n', expected: 'no output' },
])('failureLine: $name', ({ output, expected }) => {
  expect(failureLine(output)).toBe(expected);
});
