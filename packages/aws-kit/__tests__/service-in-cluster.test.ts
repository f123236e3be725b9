import { describe, expect, test } from '@jest/globals';
import { checkServiceInCluster, parseEcsArn } from '../src/service-in-cluster.js';

const PROD_CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/production';
const STAGING_SERVICE = 'arn:aws:ecs:eu-west-1:123456789012:service/staging/hokusai-api';
const PROD_SERVICE = 'arn:aws:ecs:eu-west-1:123456789012:service/production/hokusai-api';

describe('parseEcsArn', () => {
  test.each([
    {
      value: PROD_CLUSTER,
      expected: { region: 'eu-west-1', account: '123456789012', cluster: 'production', name: 'production' },
    },
    {
      value: STAGING_SERVICE,
      expected: { region: 'eu-west-1', account: '123456789012', cluster: 'staging', name: 'hokusai-api' },
    },
    {
      value: 'arn:aws:ecs:us-east-1:210987654321:service/hokusai-api', // the older form: no cluster
      expected: { region: 'us-east-1', account: '210987654321', name: 'hokusai-api' },
    },
    { value: 'production', expected: undefined },
    { value: 'arn:aws:ecs:eu-west-1:123456789012:cluster/a/b', expected: undefined },
    { value: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/api:1', expected: undefined },
  ])('$value', ({ value, expected }) => expect(parseEcsArn(value)).toEqual(expected));
});

describe('checkServiceInCluster', () => {
  test.each([
    { cluster: 'production', service: 'hokusai-api' },
    { cluster: 'production', service: PROD_SERVICE },
    { cluster: PROD_CLUSTER, service: PROD_SERVICE },
    { cluster: PROD_CLUSTER, service: 'hokusai-api' },
    { cluster: 'production', service: 'arn:aws:ecs:eu-west-1:123456789012:service/hokusai-api' },
  ])('agrees: $cluster / $service', ({ cluster, service }) => {
    expect(() => checkServiceInCluster(cluster, service)).not.toThrow();
  });

  test.each([
    {
      name: 'a service ARN in another cluster (trial A: production / …service/staging/hokusai-api)',
      cluster: 'production',
      service: STAGING_SERVICE,
      error: `service "${STAGING_SERVICE}" (input "service") is in cluster "staging", not in cluster "production" (input "cluster"): give the service's own cluster (nothing was changed)`,
    },
    {
      name: 'the same against a cluster ARN',
      cluster: PROD_CLUSTER,
      service: STAGING_SERVICE,
      error: `service "${STAGING_SERVICE}" (input "service") is in cluster "staging", not in cluster "${PROD_CLUSTER}" (input "cluster"): give the service's own cluster (nothing was changed)`,
    },
    {
      name: 'a service ARN of another account',
      cluster: PROD_CLUSTER,
      service: 'arn:aws:ecs:eu-west-1:210987654321:service/production/hokusai-api',
      error: `service "arn:aws:ecs:eu-west-1:210987654321:service/production/hokusai-api" (input "service") is in account 210987654321, but cluster "${PROD_CLUSTER}" (input "cluster") is in account 123456789012 (nothing was changed)`,
    },
    {
      name: 'the older service form in another region',
      cluster: PROD_CLUSTER,
      service: 'arn:aws:ecs:us-east-1:123456789012:service/hokusai-api',
      error: `service "arn:aws:ecs:us-east-1:123456789012:service/hokusai-api" (input "service") is in region us-east-1, but cluster "${PROD_CLUSTER}" (input "cluster") is in region eu-west-1 (nothing was changed)`,
    },
  ])('refuses $name in one line', ({ cluster, service, error }) => {
    const thrown = (() => {
      try {
        checkServiceInCluster(cluster, service);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(thrown).toMatchObject({ name: 'ConfigurationError', message: error });
  });
});
