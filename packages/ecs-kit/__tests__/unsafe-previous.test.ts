import { describe, expect, test } from '@jest/globals';
import type { DeploymentInfo } from '../src/model.js';
import {
  alreadyOnLastGoodReason,
  ecsRolledBackReason,
  unsafePreviousReason,
  type RollbackTarget,
} from '../src/rollback-target.js';
import type { RevisionTags } from '../src/last-good.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:';

function deployment(revision: number, status: string, extra: Partial<DeploymentInfo> = {}): DeploymentInfo {
  return {
    id: `ecs-svc/${revision}`,
    status,
    taskDefinition: `${TD}${revision}`,
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    failedTasks: 0,
    ...extra,
  };
}

function target(
  current: number,
  to: number,
  deployments: DeploymentInfo[],
  source: RollbackTarget['source'] = 'previous-deployment',
): RollbackTarget {
  return {
    taskDefinitionArn: `${TD}${to}`,
    currentTaskDefinitionArn: `${TD}${current}`,
    source,
    noop: false,
    service: {
      arn: 'arn:aws:ecs:us-east-1:123456789012:service/hokusai/hokusai-api',
      name: 'hokusai-api',
      clusterArn: '',
      status: 'ACTIVE',
      taskDefinition: `${TD}${current}`,
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      deployments,
      events: [],
      loadBalancers: [],
    },
  };
}

const cases: Array<{
  name: string;
  input: RollbackTarget;
  tags?: RevisionTags;
  expected: RegExp | undefined;
}> = [
  {
    name: 'bad deploy in progress, the older deployment completed: follow it',
    input: target(109, 108, [
      deployment(109, 'PRIMARY', { rolloutState: 'IN_PROGRESS', failedTasks: 4 }),
      deployment(108, 'ACTIVE', { rolloutState: 'COMPLETED' }),
    ]),
    expected: undefined,
  },
  {
    name: 'an older deployment that completed after losing tasks is still good',
    input: target(109, 108, [
      deployment(109, 'PRIMARY', { rolloutState: 'IN_PROGRESS' }),
      deployment(108, 'ACTIVE', { rolloutState: 'COMPLETED', failedTasks: 1 }),
    ]),
    expected: undefined,
  },
  {
    name: 'after the deploy action rolled back: the draining deployment lost tasks and never completed',
    input: target(108, 109, [
      deployment(108, 'PRIMARY', { rolloutState: 'IN_PROGRESS' }),
      deployment(109, 'ACTIVE', { rolloutState: 'IN_PROGRESS', failedTasks: 3 }),
    ]),
    expected:
      /^"previous" resolves to hokusai-api:109, but its deployment ecs-svc\/109 has 3 failed tasks: the service already left it for hokusai-api:108/,
  },
  {
    name: 'after the circuit breaker: the older deployment FAILED',
    input: target(108, 109, [
      deployment(108, 'PRIMARY', { rolloutState: 'IN_PROGRESS' }),
      deployment(109, 'ACTIVE', { rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' }),
    ]),
    expected: /deployment ecs-svc\/109 FAILED \(tasks failed to start\)/,
  },
  {
    name: 'one failed task is singular',
    input: target(108, 109, [deployment(108, 'PRIMARY'), deployment(109, 'ACTIVE', { failedTasks: 1 })]),
    expected: /has 1 failed task:/,
  },
  {
    name: 'a rollback already put the service on its last good revision',
    input: target(108, 107, [
      deployment(108, 'PRIMARY', { rolloutState: 'IN_PROGRESS' }),
      deployment(107, 'ACTIVE', { rolloutState: 'COMPLETED' }),
    ]),
    tags: { lastGood: `${TD}108`, rolledBackFrom: `${TD}109` },
    expected: /rolled back from hokusai-api:109 and already runs hokusai-api:108, its last good revision/,
  },
  {
    name: 'right after a successful deploy (no rollback mark): previous goes to the deployment still draining',
    input: target(108, 107, [
      deployment(108, 'PRIMARY', { rolloutState: 'COMPLETED' }),
      deployment(107, 'ACTIVE', { rolloutState: 'COMPLETED' }),
    ]),
    tags: { lastGood: `${TD}108` },
    expected: undefined,
  },
  {
    name: 'a last-good tag on another revision does not matter',
    input: target(109, 108, [
      deployment(109, 'PRIMARY'),
      deployment(108, 'ACTIVE', { rolloutState: 'COMPLETED' }),
    ]),
    tags: { lastGood: `${TD}108`, rolledBackFrom: `${TD}110` },
    expected: undefined,
  },
  {
    name: 'explicit targets are the user’s call',
    input: target(
      108,
      109,
      [deployment(108, 'PRIMARY'), deployment(109, 'ACTIVE', { rolloutState: 'FAILED' })],
      'explicit',
    ),
    expected: undefined,
  },
];

describe('unsafePreviousReason', () => {
  test.each(cases)('$name', ({ input, tags, expected }) => {
    const reason = unsafePreviousReason(input, tags ?? {});
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(expected);
  });
});

// The trial: 107 good, 108 good; deploy 108 (succeeded, last-good 108); deploy a broken 109, rolled back to 108 by
// ecs-deploy-and-wait; then `previous` went through ECS's history to 107 and called 108 the failing revision.
describe('alreadyOnLastGoodReason: `previous` on a service already on its last good revision', () => {
  const onService = (deployments: DeploymentInfo[]) => target(108, 107, deployments).service;
  test.each([
    {
      name: 'steady on the last good revision after a rollback: refused, nothing to roll back',
      service: onService([deployment(108, 'PRIMARY', { rolloutState: 'COMPLETED' })]),
      tags: { lastGood: `${TD}108`, rolledBackFrom: `${TD}109` },
      expected:
        /^"previous": the service was rolled back from hokusai-api:109 and already runs hokusai-api:108, its last good revision \(tags hokusai:last-good-task-definition, hokusai:rolled-back-from\), and is steady: nothing to roll back\. Pass "to" explicitly to go further back$/,
    },
    {
      name: 'steady on the last good revision after a successful deploy (mark cleared): previous goes back as usual',
      service: onService([deployment(108, 'PRIMARY', { rolloutState: 'COMPLETED' })]),
      tags: { lastGood: `${TD}108` },
      expected: undefined,
    },
    {
      name: 'still rolling out to the last good revision: refused as well',
      service: onService([
        deployment(108, 'PRIMARY', { rolloutState: 'IN_PROGRESS', runningCount: 1 }),
        deployment(109, 'ACTIVE', { rolloutState: 'IN_PROGRESS', failedTasks: 3, runningCount: 0 }),
      ]),
      tags: { lastGood: `${TD}108`, rolledBackFrom: `${TD}109` },
      expected:
        /already runs hokusai-api:108, its last good revision .*\(deployment ecs-svc\/108 IN_PROGRESS: 1\/2 running\)/,
    },
    {
      name: 'the last good revision itself failing now: previous may go further back',
      service: onService([deployment(108, 'PRIMARY', { rolloutState: 'IN_PROGRESS', failedTasks: 2 })]),
      tags: { lastGood: `${TD}108`, rolledBackFrom: `${TD}109` },
      expected: undefined,
    },
    {
      name: 'the service runs another revision than the last good one: the usual rules',
      service: target(109, 108, [deployment(109, 'PRIMARY', { rolloutState: 'COMPLETED' })]).service,
      tags: { lastGood: `${TD}108`, rolledBackFrom: `${TD}109` },
      expected: undefined,
    },
    {
      name: 'no last-good tag: the usual rules',
      service: onService([deployment(108, 'PRIMARY', { rolloutState: 'COMPLETED' })]),
      tags: {},
      expected: undefined,
    },
  ])('$name', ({ service, tags, expected }) => {
    const reason = alreadyOnLastGoodReason(service, tags);
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(expected);
  });
});

// The trial: ECS's circuit breaker rolled back a deploy nobody watched (110 → 109); ECS's history then listed 109's
// older success first among SUCCESSFUL entries, and `previous` went on to 108.
describe('ecsRolledBackReason: ECS already rolled back', () => {
  const entry = (id: string, revision: number, status: string, finishedAt?: number) => ({
    id,
    status,
    taskDefinition: `${TD}${revision}`,
    ...(finishedAt !== undefined ? { finishedAt } : {}),
  });
  test.each([
    {
      name: 'the newest deployment was rolled back off a revision the service no longer runs: refused',
      history: [entry('d110', 110, 'ROLLBACK_SUCCESSFUL', 300), entry('d109', 109, 'SUCCESSFUL', 200)],
      expected:
        /^"previous": ECS already rolled back deployment d110 \(hokusai-api:110, ROLLBACK_SUCCESSFUL\) to the revision the service runs, hokusai-api:109: nothing to roll back/,
    },
    {
      name: 'a rollback in progress (not finished yet) counts too',
      history: [entry('d109', 109, 'SUCCESSFUL', 200), entry('d110', 110, 'ROLLBACK_IN_PROGRESS')],
      expected: /deployment d110 \(hokusai-api:110, ROLLBACK_IN_PROGRESS\)/,
    },
    {
      name: 'an older rollback, then a successful deploy: the usual rules',
      history: [entry('d109', 109, 'SUCCESSFUL', 400), entry('d110', 110, 'ROLLBACK_SUCCESSFUL', 300)],
      expected: undefined,
    },
    {
      name: 'a rollback that failed: not on a good revision, the usual rules',
      history: [entry('d110', 110, 'ROLLBACK_FAILED', 300), entry('d109', 109, 'SUCCESSFUL', 200)],
      expected: undefined,
    },
    { name: 'no history', history: [], expected: undefined },
  ])('$name', ({ history, expected }) => {
    const reason = ecsRolledBackReason(history, `${TD}109`);
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(expected);
  });

  test('a mark naming the revision the service runs (a rollback that never left it) refuses nothing', () => {
    const service = target(109, 108, [deployment(109, 'PRIMARY', { rolloutState: 'COMPLETED' })]).service;
    expect(
      alreadyOnLastGoodReason(service, { lastGood: `${TD}109`, rolledBackFrom: `${TD}109` }),
    ).toBeUndefined();
  });
});
