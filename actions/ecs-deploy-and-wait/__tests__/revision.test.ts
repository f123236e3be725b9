import { describe, expect, test } from '@jest/globals';
import type { TaskDefinition } from '@hokusai/ecs-kit';
import { applyRevisionChange, pickContainer } from '../src/revision.js';

const described: TaskDefinition = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108',
  family: 'hokusai-api',
  revision: 108,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
  compatibilities: ['EC2', 'FARGATE'],
  registeredAt: new Date(0),
  registeredBy: 'arn:aws:iam::123456789012:user/ci',
  cpu: '512',
  containerDefinitions: [
    { name: 'api', image: 'repo/api:good', environment: [{ name: 'APP_ENV', value: 'production' }] },
    { name: 'envoy', image: 'envoy:1' },
  ],
};

describe('applyRevisionChange', () => {
  test('changes only the named container image and environment, drops read-only fields', () => {
    const next = applyRevisionChange(described, {
      image: 'repo/api:new',
      containerName: 'api',
      environment: [
        ['APP_ENV', 'staging'],
        ['GIT_SHA', 'abc'],
      ],
    });
    expect(next).toEqual({
      family: 'hokusai-api',
      cpu: '512',
      containerDefinitions: [
        {
          name: 'api',
          image: 'repo/api:new',
          environment: [
            { name: 'APP_ENV', value: 'staging' },
            { name: 'GIT_SHA', value: 'abc' },
          ],
        },
        { name: 'envoy', image: 'envoy:1' },
      ],
    });
    expect(described.containerDefinitions![0]!.image).toBe('repo/api:good');
  });

  test('no change: a registrable copy', () => {
    expect(applyRevisionChange(described, { environment: [] })).not.toHaveProperty('revision');
  });

  test.each([
    {
      name: 'two containers and no name',
      containerName: undefined,
      error: 'input "container-name" is required: hokusai-api:108 has 2 containers (api, envoy)',
    },
    {
      name: 'unknown name',
      containerName: 'web',
      error: 'container "web" (input "container-name") is not in hokusai-api:108; it has: api, envoy',
    },
  ])('refuses: $name', ({ containerName, error }) => {
    expect(() =>
      applyRevisionChange(described, {
        image: 'x:1',
        ...(containerName ? { containerName } : {}),
        environment: [],
      }),
    ).toThrow(error);
  });

  test('the only container needs no name', () => {
    expect(pickContainer({ containerDefinitions: [{ name: 'api' }] }, undefined, 'x')).toBe('api');
  });
});
