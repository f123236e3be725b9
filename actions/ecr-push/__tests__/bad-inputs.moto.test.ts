// Issue 12: every bad input gets one line naming the input, a non-zero exit, and changes nothing: moto (the real
// ECR wire protocol) holds no repository afterwards, so neither CreateRepository nor a push happened.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { badInputProblems, runAction, startMoto, type MotoServer } from '@hokusai/action-harness';

let moto: MotoServer;
let ecr: ECRClient;
beforeAll(async () => {
  moto = await startMoto();
  ecr = new ECRClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}, 60_000);
afterAll(async () => {
  ecr?.destroy();
  await moto?.stop();
});

interface Case {
  name: string;
  inputs: Record<string, string>;
  input: string;
  says?: string | RegExp;
  env?: Record<string, string>;
}
const long = (n: number, c = 'a') => c.repeat(n);
const OK = { image: 'hokusai-api:ci', repository: 'hokusai-api', 'create-repository': 'true' };
const cases: Case[] = [
  { name: 'image missing', inputs: { ...OK, image: '' }, input: 'image', says: 'is required' },
  { name: 'image option', inputs: { ...OK, image: '--all-tags' }, input: 'image' },
  { name: 'image tag -bad', inputs: { ...OK, image: 'api:-bad' }, input: 'image' },
  { name: 'image upper case', inputs: { ...OK, image: 'API:ci' }, input: 'image' },
  {
    name: 'image 128 KB',
    inputs: { ...OK, image: long(128_000) },
    input: 'image',
    says: '128000 characters',
  },
  { name: 'image space', inputs: { ...OK, image: 'a b' }, input: 'image' },
  { name: 'image newline', inputs: { ...OK, image: 'api:ci\n::add-mask::hokusai' }, input: 'image' },
  { name: 'repository missing', inputs: { ...OK, repository: '' }, input: 'repository' },
  { name: 'repository upper case', inputs: { ...OK, repository: 'Hokusai' }, input: 'repository' },
  { name: 'repository one character', inputs: { ...OK, repository: 'a' }, input: 'repository' },
  { name: 'repository 257 characters', inputs: { ...OK, repository: long(257) }, input: 'repository' },
  { name: 'repository shell', inputs: { ...OK, repository: 'api;id' }, input: 'repository' },
  { name: 'repository leading slash', inputs: { ...OK, repository: '/api' }, input: 'repository' },
  { name: 'tag -bad', inputs: { ...OK, tags: '-bad' }, input: 'tags' },
  { name: 'tag .bad', inputs: { ...OK, tags: '.bad' }, input: 'tags' },
  { name: 'tag 129 characters', inputs: { ...OK, tags: long(129) }, input: 'tags' },
  { name: 'tag with a slash', inputs: { ...OK, tags: 'a/b' }, input: 'tags' },
  { name: 'second tag bad', inputs: { ...OK, tags: 'v1, v$(id)' }, input: 'tags' },
  { name: 'no tags and no commit', inputs: { ...OK, tags: '' }, env: { GITHUB_SHA: '' }, input: 'tags' },
  { name: 'registry a path', inputs: { ...OK, registry: 'host/path' }, input: 'registry' },
  { name: 'registry port too big', inputs: { ...OK, registry: 'host:99999' }, input: 'registry' },
  { name: 'registry option', inputs: { ...OK, registry: '-bad.example' }, input: 'registry' },
  { name: 'registry-id short', inputs: { ...OK, 'registry-id': '123' }, input: 'registry-id' },
  { name: 'registry-id letters', inputs: { ...OK, 'registry-id': 'abcdefghijkl' }, input: 'registry-id' },
  { name: 'aws-region a city', inputs: { ...OK, 'aws-region': 'Frankfurt' }, input: 'aws-region' },
  {
    name: 'create-repository yes',
    inputs: { ...OK, 'create-repository': 'yes' },
    input: 'create-repository',
  },
  { name: 'skip-existing 1', inputs: { ...OK, 'skip-existing': '1' }, input: 'skip-existing' },
  { name: 'overwrite on', inputs: { ...OK, overwrite: 'on' }, input: 'overwrite' },
  { name: 'retries 11', inputs: { ...OK, retries: '11' }, input: 'retries' },
  { name: 'retries negative', inputs: { ...OK, retries: '-1' }, input: 'retries' },
  { name: 'retries word', inputs: { ...OK, retries: 'twice' }, input: 'retries' },
];

describe('ecr-push: one line per bad input, no repository created, nothing pushed', () => {
  test.each(cases)('$name', async ({ inputs, input, says, env }) => {
    const run = await runAction({
      action: 'ecr-push',
      inputs,
      env: { ...moto.env, ...env },
      timeoutMs: 60_000,
    });
    try {
      expect(await badInputProblems(run, { input, says })).toEqual([]);
      expect(run.outputs['image-uri'] ?? '').toBe('');
      const { repositories } = await ecr.send(new DescribeRepositoriesCommand({}));
      expect(repositories ?? []).toEqual([]);
    } finally {
      await run.cleanup();
    }
  });
});
