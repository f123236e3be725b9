import { expect, test } from '@jest/globals';
import { unsupportedDeploymentReason } from '../src/deployment-controller.js';
import { deployment, service } from './fixtures.js';

const where = 'service "api" in cluster "prod"';
test.each([
  { name: 'a rolling ECS service', partial: {}, expected: undefined },
  {
    name: 'ROLLING said explicitly',
    partial: { deploymentController: 'ECS', deploymentStrategy: 'ROLLING' },
    expected: undefined,
  },
  {
    name: 'CODE_DEPLOY',
    partial: { deploymentController: 'CODE_DEPLOY' },
    expected:
      /^service "api" in cluster "prod" uses the CODE_DEPLOY deployment controller: UpdateService cannot change its task definition; deploy it with a CodeDeploy deployment/,
  },
  {
    name: 'EXTERNAL',
    partial: { deploymentController: 'EXTERNAL' },
    expected: /uses the EXTERNAL deployment controller: .*task sets/,
  },
  ...['BLUE_GREEN', 'LINEAR', 'CANARY'].map((strategy) => ({
    name: strategy,
    partial: { deploymentStrategy: strategy },
    expected: new RegExp(
      `uses the ECS-native ${strategy} deployment strategy, which this action does not watch or roll back .*; nothing was changed$`,
    ),
  })),
])('$name', ({ partial, expected }) => {
  const reason = unsupportedDeploymentReason(service([deployment({ id: 'ecs-svc/1' })], partial), where);
  if (expected === undefined) expect(reason).toBeUndefined();
  else expect(reason).toMatch(expected);
});
