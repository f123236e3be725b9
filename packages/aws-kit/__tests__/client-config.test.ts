import { describe, expect, test } from '@jest/globals';
import { awsClientConfig, resolveEndpoint, resolveRegion } from '../src/client-config.js';

describe('resolveRegion', () => {
  test.each([
    { name: 'input wins', input: 'eu-west-1', env: { AWS_REGION: 'us-east-1' }, expected: 'eu-west-1' },
    {
      name: 'AWS_REGION',
      input: '',
      env: { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'x' },
      expected: 'us-east-2',
    },
    {
      name: 'AWS_DEFAULT_REGION',
      input: ' ',
      env: { AWS_DEFAULT_REGION: 'ap-southeast-2' },
      expected: 'ap-southeast-2',
    },
    { name: 'gov cloud', input: 'us-gov-west-1', env: {}, expected: 'us-gov-west-1' },
  ])('$name', ({ input, env, expected }) => {
    expect(resolveRegion(input, env)).toBe(expected);
  });
  test.each([
    { input: '', env: {}, error: 'no AWS region' },
    { input: 'Frankfurt', env: {}, error: 'invalid AWS region "Frankfurt"' },
  ])('rejects $input', ({ input, env, error }) => {
    expect(() => resolveRegion(input, env)).toThrow(error);
  });
});

describe('resolveEndpoint', () => {
  test.each([
    { name: 'none', env: {}, expected: undefined },
    { name: 'global', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }, expected: 'http://127.0.0.1:5000' },
    {
      name: 'service-specific first',
      env: { AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_ECS: 'http://b:2' },
      expected: 'http://b:2',
    },
  ])('$name', ({ env, expected }) => {
    expect(resolveEndpoint('ECS', env)).toBe(expected);
  });
  test('an endpoint that is not a URL is a configuration error', () => {
    expect(() => resolveEndpoint('ECR', { AWS_ENDPOINT_URL: 'localhost 5000' })).toThrow(
      'invalid endpoint URL "localhost 5000"',
    );
  });
  test('awsClientConfig carries region, endpoint, timeouts, and no SDK retries (withRetries retries)', () => {
    expect(
      awsClientConfig('ECR', { region: 'us-east-1', env: { AWS_ENDPOINT_URL_ECR: 'http://m:1' } }),
    ).toEqual({
      region: 'us-east-1',
      endpoint: 'http://m:1',
      maxAttempts: 1,
      retryMode: 'standard',
      requestHandler: { connectionTimeout: 5000, requestTimeout: 20_000, throwOnRequestTimeout: true },
    });
  });
  test('timeouts can be given (tests pass short ones in-process)', () => {
    expect(
      awsClientConfig('ECS', { region: 'us-east-1', env: {}, timeouts: { requestTimeoutMs: 250 } })
        .requestHandler,
    ).toEqual({ connectionTimeout: 5000, requestTimeout: 250, throwOnRequestTimeout: true });
  });
});
