import { expect, test } from '@jest/globals';
import { getInputs } from '../src/inputs.js';

const base = {
  INPUT_IMAGE: 'hokusai-api:ci',
  INPUT_REPOSITORY: 'hokusai-api',
  AWS_REGION: 'eu-west-1',
  GITHUB_SHA: '1cdcfc3f0a5b9e8d7c6b5a4f3e2d1c0b9a8f7e6d',
};

test('defaults: the short commit, the ECR registry, skip existing, two retries', () => {
  expect(getInputs(base)).toEqual({
    image: 'hokusai-api:ci',
    repository: 'hokusai-api',
    tags: ['1cdcfc3'],
    'aws-region': 'eu-west-1',
    'create-repository': false,
    'skip-existing': true,
    overwrite: false,
    'reuse-existing': false,
    retries: 2,
  });
});

test('every input set; duplicate tags pushed once', () => {
  expect(
    getInputs({
      ...base,
      INPUT_TAGS: '1cdcfc3\nlatest, latest\n',
      INPUT_REGISTRY: 'https://210987654321.dkr.ecr.eu-west-1.amazonaws.com',
      'INPUT_REGISTRY-ID': '210987654321',
      'INPUT_AWS-REGION': 'us-west-2',
      'INPUT_CREATE-REPOSITORY': 'true',
      'INPUT_SKIP-EXISTING': 'false',
      INPUT_OVERWRITE: 'true',
      INPUT_RETRIES: '0',
    }),
  ).toEqual({
    image: 'hokusai-api:ci',
    repository: 'hokusai-api',
    tags: ['1cdcfc3', 'latest'],
    registry: '210987654321.dkr.ecr.eu-west-1.amazonaws.com',
    'registry-id': '210987654321',
    'aws-region': 'us-west-2',
    'create-repository': true,
    'skip-existing': false,
    overwrite: true,
    'reuse-existing': false,
    retries: 0,
  });
});

test.each([
  { name: 'no image', env: { INPUT_IMAGE: '' }, error: 'input "image" is required and was not supplied' },
  {
    name: 'image with a space',
    env: { INPUT_IMAGE: 'a b' },
    error: 'invalid image reference "a b" for input "image"',
  },
  { name: 'bad repository', env: { INPUT_REPOSITORY: 'Hokusai' }, error: 'invalid repository "Hokusai"' },
  { name: 'bad tag', env: { INPUT_TAGS: 'ok\nno/slash' }, error: 'invalid tag "no/slash" in input "tags"' },
  {
    name: 'no tags and no commit',
    env: { GITHUB_SHA: undefined },
    error: 'input "tags" is empty and GITHUB_SHA is not set',
  },
  { name: 'bad registry', env: { INPUT_REGISTRY: 'a b' }, error: 'invalid registry "a b"' },
  { name: 'bad registry-id', env: { 'INPUT_REGISTRY-ID': '42' }, error: 'invalid registry-id "42"' },
  { name: 'no region', env: { AWS_REGION: undefined }, error: 'no AWS region' },
  {
    name: 'bad boolean',
    env: { INPUT_OVERWRITE: 'yes' },
    error: 'invalid boolean "yes" for input "overwrite"',
  },
  {
    name: 'retries out of range',
    env: { INPUT_RETRIES: '11' },
    error: 'invalid value "11" for input "retries": must be from 0 to 10',
  },
])('rejects $name', ({ env, error }) => {
  expect(() => getInputs({ ...base, ...env })).toThrow(error);
});

test('reuse-existing and expected-image-id (the bare 64 hex digits are accepted)', () => {
  const id = 'f'.repeat(64);
  expect(getInputs({ ...base, 'INPUT_REUSE-EXISTING': 'true', 'INPUT_EXPECTED-IMAGE-ID': id })).toMatchObject(
    { 'reuse-existing': true, 'expected-image-id': `sha256:${id}` },
  );
});

test.each([
  {
    env: { INPUT_OVERWRITE: 'true', 'INPUT_REUSE-EXISTING': 'true' },
    error: 'inputs "overwrite" and "reuse-existing" are both true',
  },
  {
    env: { 'INPUT_SKIP-EXISTING': 'false', 'INPUT_REUSE-EXISTING': 'true' },
    error: 'input "reuse-existing" is true but "skip-existing" is false',
  },
  {
    env: { 'INPUT_EXPECTED-IMAGE-ID': 'sha256:abc' },
    error: 'invalid image ID "sha256:abc" for input "expected-image-id"',
  },
])('refuses $error', ({ env, error }) => {
  expect(() => getInputs({ ...base, ...env })).toThrow(error);
});
