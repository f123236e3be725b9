import { describe, expect, test } from '@jest/globals';
import type { RollbackResult, TaskInfo, TaskLogTail, WatchDecision } from '@hokusai/ecs-kit';
import { failureReason, resultOf } from '../src/deploy.js';

const crashed: TaskInfo = {
  arn: 'arn:aws:ecs:us-east-1:123456789012:task/hokusai/3f2a9c0e1b2d4e5f',
  id: '3f2a9c0e1b2d4e5f',
  taskDefinitionArn: 'td:109',
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers: [{ name: 'api', exitCode: 1 }],
  privateIps: [],
};
const tail: TaskLogTail = {
  taskId: crashed.id,
  container: 'api',
  group: '/ecs/api',
  stream: 'ecs/api/3f2a9c0e1b2d4e5f',
  lines: [],
  lastLine: 'SyntaxError: invalid syntax (model_registry.py, line 26)',
};
const rolledBack: RollbackResult = { outcome: 'rolled-back', updated: true, summary: '' };
const alreadyBack: RollbackResult = { outcome: 'already-rolled-back', updated: false, summary: '' };
const rollbackFailed: RollbackResult = { outcome: 'failed', updated: true, summary: '' };
const rollbackTakenOver: RollbackResult = { outcome: 'taken-over', updated: false, summary: '' };

const failed: WatchDecision = {
  kind: 'failed',
  reason: 'task 3f2a9c0e… exited with code 1',
  failedTasks: [crashed],
};
const timedOut: WatchDecision = {
  kind: 'timed-out',
  reason: 'timed out after 15m00s: 1/2 running',
  failedTasks: [],
};
const breaker: WatchDecision = {
  kind: 'rolled-back-by-circuit-breaker',
  reason: 'ECS circuit breaker rolled back to api:108: tasks failed to start.',
  failedTasks: [crashed],
};
const takenOver: WatchDecision = {
  kind: 'taken-over',
  reason: 'another deployment ecs-svc/2 (api:110) replaced ours; not rolling back over it',
  deploymentId: 'ecs-svc/2',
  taskDefinition: 'api:110',
};

describe('resultOf', () => {
  test.each([
    {
      name: 'succeeded',
      decision: { kind: 'succeeded', summary: '' } as WatchDecision,
      rollback: undefined,
      expected: 'succeeded',
    },
    { name: 'failed, rolled back', decision: failed, rollback: rolledBack, expected: 'rolled-back' },
    { name: 'failed, rollback off', decision: failed, rollback: undefined, expected: 'failed' },
    {
      name: 'failed, rollback failed',
      decision: failed,
      rollback: rollbackFailed,
      expected: 'rollback-failed',
    },
    { name: 'timed out, rollback off', decision: timedOut, rollback: undefined, expected: 'timed-out' },
    { name: 'timed out, rolled back', decision: timedOut, rollback: rolledBack, expected: 'rolled-back' },
    { name: 'circuit breaker, watched', decision: breaker, rollback: alreadyBack, expected: 'rolled-back' },
    { name: 'taken over', decision: takenOver, rollback: undefined, expected: 'failed' },
    {
      name: 'failed, someone deployed before the rollback',
      decision: failed,
      rollback: rollbackTakenOver,
      expected: 'failed',
    },
    {
      name: 'failed, cancelled before the rollback changed anything',
      decision: failed,
      rollback: { ...rollbackTakenOver, outcome: 'cancelled', summary: 'cancelled' } as RollbackResult,
      expected: 'failed',
    },
  ])('$name -> $expected', ({ decision, rollback, expected }) => {
    expect(resultOf(decision, rollback)).toBe(expected);
  });
});

describe('failureReason', () => {
  test.each([
    {
      name: 'crash with its exception line',
      decision: failed,
      tails: [tail],
      expected: 'task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26)',
    },
    {
      name: 'crash without logs',
      decision: failed,
      tails: [],
      expected: 'task 3f2a9c0e… exited with code 1',
    },
    {
      name: 'circuit breaker keeps the task line first',
      decision: breaker,
      tails: [tail],
      expected:
        'task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26) (ECS circuit breaker rolled back to api:108: tasks failed to start.)',
    },
    {
      name: 'timeout without failed tasks',
      decision: timedOut,
      tails: [],
      expected: 'timed out after 15m00s: 1/2 running',
    },
    {
      name: 'taken over',
      decision: takenOver,
      tails: [],
      expected: 'another deployment ecs-svc/2 (api:110) replaced ours; not rolling back over it',
    },
  ])('$name', ({ decision, tails, expected }) => {
    const tasks = 'failedTasks' in decision ? decision.failedTasks : [];
    expect(failureReason(decision, tasks, tails)).toBe(expected);
  });
});
