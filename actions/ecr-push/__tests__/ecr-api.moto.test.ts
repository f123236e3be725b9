// The ECR adapter against moto (real wire protocol); aws-sdk-client-mock only for a race moto cannot stage.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { startMoto, type MotoServer } from '@hokusai/action-harness';
import { SdkEcrApi } from '../src/ecr-api.js';
import { uniqueName } from './test-images.js';

let moto: MotoServer;
let client: ECRClient;
let api: SdkEcrApi;

beforeAll(async () => {
  moto = await startMoto();
  client = new ECRClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  api = new SdkEcrApi(client, 'us-east-1');
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

test('getAuthorizationToken returns the token and the registry of the account', async () => {
  const auth = await api.getAuthorizationToken();
  expect(Buffer.from(auth.token, 'base64').toString()).toBe('AWS:123456789012-auth-token');
  expect(auth.proxyEndpoint).toBe('https://123456789012.dkr.ecr.us-east-1.amazonaws.com');
});

test('a missing repository is undefined; create makes it IMMUTABLE with scan on push', async () => {
  const name = uniqueName('repo');
  expect(await api.describeRepository(name)).toBeUndefined();
  const created = await api.createRepository(name);
  expect(created).toEqual({
    name,
    registryId: '123456789012',
    uri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}`,
    tagMutability: 'IMMUTABLE',
    scanOnPush: true,
  });
  expect(await api.describeRepository(name)).toEqual(created);
});

test('a repository another job created between describe and create is used as it is', async () => {
  const mock = mockClient(ECRClient);
  try {
    mock
      .on(CreateRepositoryCommand)
      .rejects(new RepositoryAlreadyExistsException({ message: 'exists', $metadata: {} }))
      .on(DescribeRepositoriesCommand)
      .resolves({
        repositories: [{ repositoryName: 'api', registryId: '123456789012', imageTagMutability: 'MUTABLE' }],
      });
    const mocked = new SdkEcrApi(new ECRClient({ region: 'us-east-1' }), 'us-east-1');
    expect(await mocked.createRepository('api')).toMatchObject({ name: 'api', tagMutability: 'MUTABLE' });
    mock
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'gone', $metadata: {} }));
    expect(await mocked.describeRepository('api')).toBeUndefined();
  } finally {
    mock.restore();
  }
});
