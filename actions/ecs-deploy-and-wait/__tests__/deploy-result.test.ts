// The report step's pure parts on plain data: which `result` each typed cause and rollback outcome gives, and the
// one-line failure reason.
import { describe, expect, test } from '@jest/globals';
import { RollbackError, type RollbackResult, type TaskInfo, type TaskLogTail } from '@hokusai/ecs-kit';
import { ending, failureReason, resultOf, type WatchEnd } from '../src/report.js';
import { rollbackCalledFor, type RolledBack } from '../src/roll-back.js';

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
const TD108 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:108';
const outcome = (o: RollbackResult['outcome'], updated: boolean): RolledBack => ({
  rollback: { outcome: o, updated, taskDefinitionArn: TD108, summary: '' },
});
const notMade: RolledBack = {
  error: new RollbackError(
    Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    }),
    false,
    'UpdateService',
  ),
};
const madeThenDenied: RolledBack = {
  error: new RollbackError(
    Object.assign(new Error('no'), { name: 'AccessDeniedException' }),
    true,
    'DescribeTasks',
  ),
};

const failed: WatchEnd = {
  kind: 'failed',
  cause: 'task-stopped',
  reason: 'task 3f2a9c0e… exited with code 1',
  task: crashed,
  failedTasks: [crashed],
};
const lateStop: WatchEnd = {
  ...failed,
  cause: 'stopped-during-stable-for',
  reason: 'task 3f2a9c0e… exited with code 1 during stable-for',
};
const timedOut: WatchEnd = {
  kind: 'timed-out',
  cause: 'time-limit',
  reason: 'timed out after 15m00s: 1/2 running',
  failedTasks: [],
};
const breaker: WatchEnd = {
  kind: 'rolled-back-by-circuit-breaker',
  cause: 'breaker-rolled-back',
  reason:
    'ECS circuit breaker rolled back to api:108 (deployment ecs-svc/0): deployment failed: tasks failed to start.',
  deploymentId: 'ecs-svc/0',
  taskDefinition: TD108,
  trigger: 'tasks',
  failedTasks: [crashed],
};
const takenOver: WatchEnd = {
  kind: 'taken-over',
  cause: 'taken-over',
  reason: 'another deployment ecs-svc/2 (api:110) replaced ours; not rolling back over it',
  deploymentId: 'ecs-svc/2',
  taskDefinition: 'api:110',
};
const draining: WatchEnd = {
  kind: 'succeeded',
  cause: 'draining-at-time-limit',
  summary:
    'deployment ecs-svc/1 (api:109): 2/2 running; 2 old tasks draining (about 3m00s left) at the time limit',
  drain: { tasks: 2 },
};
const cancelled: WatchEnd = { kind: 'cancelled', summary: 'deployment ecs-svc/1 (api:109): 1/2 running' };
const fiveXx = { name: 'api-5xx', state: 'ALARM', reason: 'Threshold Crossed: 42 > 1', transitionedAt: 5 };
const alarmFired: WatchEnd = {
  kind: 'failed',
  cause: 'alarm',
  reason: 'alarm api-5xx went into ALARM: Threshold Crossed: 42 > 1',
  alarm: fiveXx,
  failedTasks: [crashed],
};
const ecsAlarmRollback: WatchEnd = {
  ...breaker,
  reason:
    'ECS deployment alarms rolled back to api:108 (deployment ecs-svc/0): alarm api-5xx went into ALARM: Threshold Crossed: 42 > 1',
  trigger: 'alarm',
  alarm: fiveXx,
} as WatchEnd;

describe('resultOf', () => {
  test.each([
    {
      name: 'succeeded',
      decision: { kind: 'succeeded', cause: 'stable', summary: '' } as WatchEnd,
      rollback: undefined,
      expected: 'succeeded',
    },
    {
      name: 'draining at the time limit is a success',
      decision: draining,
      rollback: undefined,
      expected: 'succeeded',
    },
    {
      name: 'failed, rolled back',
      decision: failed,
      rollback: outcome('rolled-back', true),
      expected: 'rolled-back',
    },
    { name: 'failed, rollback off', decision: failed, rollback: undefined, expected: 'failed' },
    {
      name: 'failed, the rollback deployment failed too',
      decision: failed,
      rollback: outcome('failed', true),
      expected: 'rollback-failed',
    },
    {
      name: 'failed, the rollback could not be made',
      decision: failed,
      rollback: notMade,
      expected: 'rollback-failed',
    },
    {
      name: 'rollback made, still rolling out at the time limit',
      decision: failed,
      rollback: outcome('rolling-out', true),
      expected: 'rolling-back',
    },
    {
      name: 'rollback made, then watching it failed',
      decision: failed,
      rollback: madeThenDenied,
      expected: 'rolling-back',
    },
    { name: 'timed out, rollback off', decision: timedOut, rollback: undefined, expected: 'timed-out' },
    {
      name: 'timed out, rolled back',
      decision: timedOut,
      rollback: outcome('rolled-back', true),
      expected: 'rolled-back',
    },
    {
      name: 'circuit breaker, watched to stable',
      decision: breaker,
      rollback: outcome('already-rolled-back', false),
      expected: 'rolled-back',
    },
    {
      name: 'circuit breaker, cancelled while watching its rollback',
      decision: breaker,
      rollback: outcome('cancelled', false),
      expected: 'rolling-back',
    },
    { name: 'taken over', decision: takenOver, rollback: undefined, expected: 'failed' },
    {
      name: 'someone deployed before the rollback',
      decision: failed,
      rollback: outcome('taken-over', false),
      expected: 'failed',
    },
    {
      name: 'cancelled before the rollback changed anything',
      decision: failed,
      rollback: outcome('cancelled', false),
      expected: 'cancelled',
    },
    {
      name: 'cancelled after the rollback UpdateService was made',
      decision: failed,
      rollback: outcome('cancelled', true),
      expected: 'rolling-back',
    },
    {
      name: 'cancelled while watching the deploy',
      decision: cancelled,
      rollback: undefined,
      expected: 'cancelled',
    },
    {
      name: 'cancelled while our tasks were failing: the rollback made within the grace time',
      decision: cancelled,
      rollback: outcome('cancelled', true),
      expected: 'rolling-back',
    },
    {
      name: 'an alarm, rolled back',
      decision: alarmFired,
      rollback: outcome('rolled-back', true),
      expected: 'rolled-back',
    },
    { name: 'an alarm, rollback off', decision: alarmFired, rollback: undefined, expected: 'failed' },
    {
      name: "ECS's rollback on a deployment alarm, watched to stable",
      decision: ecsAlarmRollback,
      rollback: outcome('already-rolled-back', false),
      expected: 'rolled-back',
    },
  ])('$name -> $expected', ({ decision, rollback, expected }) => {
    expect(resultOf(decision, rollback)).toBe(expected);
  });
});

describe('ending: the service state and what to do next', () => {
  const base = {
    cluster: 'prod',
    service: 'api',
    previous: TD108,
    previousInactive: false,
    nothingToVerify: false as const,
  };
  test('cancelled after the rollback was made: watch it, do not repeat it', () => {
    const end = ending({ ...base, decision: failed, rolledBack: outcome('cancelled', true) });
    expect(end.result).toBe('rolling-back');
    expect(end.endedBy).toBe('rollback');
    expect(end.nextStep).toEqual({
      text: 'the rollback was made and ECS carries on with it; do not repeat it — to watch it',
      command: 'aws ecs wait services-stable --cluster prod --services api',
    });
  });
  test('a rollback that could not be made: the exact command, and why', () => {
    const end = ending({ ...base, decision: failed, rolledBack: notMade });
    expect(end.result).toBe('rollback-failed');
    expect(end.nextStep?.text).toBe(
      'the rollback could not be made: UpdateService failed (ThrottlingException); to roll back by hand',
    );
    expect(end.nextStep?.command).toBe(
      `aws ecs update-service --cluster prod --service api --task-definition ${TD108}`,
    );
    expect(end.serviceState).toBe('api: state unknown (it could not be read)');
  });
  test('cancelled while watching the deploy: the command to roll back by hand', () => {
    const end = ending({ ...base, decision: cancelled });
    expect(end).toMatchObject({ result: 'cancelled', endedBy: 'watch' });
    expect(end.nextStep?.command).toMatch(/^aws ecs update-service /);
  });
  test('draining at the time limit: succeeded, with a warning naming the drain', () => {
    const end = ending({ ...base, decision: draining });
    expect(end.result).toBe('succeeded');
    expect(end.warnings).toEqual([
      expect.stringMatching(
        /^succeeded with old tasks still draining at the time limit: .*2 old tasks draining/,
      ),
    ]);
    expect(end.nextStep).toBeUndefined();
  });
  test('desiredCount 0 from the start: the plan said so, the end does not repeat it', () => {
    const end = ending({
      ...base,
      nothingToVerify: 'plan',
      decision: { kind: 'succeeded', cause: 'stable', summary: '' },
    });
    expect(end.warnings).toEqual([]);
  });
  test('desiredCount became 0 during the deploy: a warning that nothing was verified', () => {
    const end = ending({
      ...base,
      nothingToVerify: 'end',
      decision: { kind: 'succeeded', cause: 'stable', summary: '' },
    });
    expect(end.warnings).toEqual([
      expect.stringMatching(
        /^desiredCount became 0 during the deploy: no task ran the new revision at the end, so nothing was verified; the last-good tag was not written$/,
      ),
    ]);
  });
  test('a deregistered previous revision: the by-hand command registers its content again first', () => {
    const end = ending({ ...base, previousInactive: true, decision: failed });
    expect(end.nextStep?.text).toBe(
      'the new revision is still deployed; to roll back by hand (api:108 is INACTIVE, so this registers its exact content again as a new revision and deploys that; needs jq)',
    );
    expect(end.nextStep?.command).toBe(
      `aws ecs update-service --cluster prod --service api --task-definition "$(aws ecs register-task-definition --cli-input-json "$(aws ecs describe-task-definition --task-definition ${TD108} --query taskDefinition --output json | jq -c 'del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities, .registeredAt, .registeredBy, .deregisteredAt)')" --query taskDefinition.taskDefinitionArn --output text)"`,
    );
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
      name: 'a stop during stable-for says so',
      decision: lateStop,
      tails: [tail],
      expected:
        'task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26) (during stable-for)',
    },
    {
      name: 'circuit breaker keeps the task line first',
      decision: breaker,
      tails: [tail],
      expected:
        'task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26) (ECS circuit breaker rolled back to api:108 (deployment ecs-svc/0): deployment failed: tasks failed to start.)',
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
    {
      name: 'cancelled',
      decision: cancelled,
      tails: [],
      expected: 'cancelled while watching: deployment ecs-svc/1 (api:109): 1/2 running',
    },
    {
      name: 'an alarm leads, whatever tasks did meanwhile',
      decision: alarmFired,
      tails: [tail],
      expected: 'alarm api-5xx went into ALARM: Threshold Crossed: 42 > 1',
    },
    {
      name: "ECS's rollback on an alarm leads with ECS and the alarm",
      decision: ecsAlarmRollback,
      tails: [tail],
      expected:
        'ECS deployment alarms rolled back to api:108 (deployment ecs-svc/0): alarm api-5xx went into ALARM: Threshold Crossed: 42 > 1',
    },
  ])('$name', ({ decision, tails, expected }) => {
    expect(failureReason(decision, tails)).toBe(expected);
  });

  const spot = (id: string): TaskInfo => ({
    ...crashed,
    id,
    arn: `arn:aws:ecs:us-east-1:123456789012:task/hokusai/${id}`,
    stopCode: 'SpotInterruption',
    stoppedReason: 'Your Spot Task was interrupted.',
    containers: [{ name: 'api', exitCode: 0 }],
  });
  test('the real cause is named: our crashes before a take-over, interruptions in a time-out, the failed rollback', () => {
    const revision = 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:109';
    expect(failureReason(takenOver, [tail], [], { revision, ourFailures: [crashed, crashed] })).toBe(
      'another deployment ecs-svc/2 (api:110) replaced ours; not rolling back over it; api:109 had already failed 2 times (first: task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26))',
    );
    expect(
      failureReason({ ...timedOut, reason: 'timed out after 15m00s: 0/2 running, 2 pending' }, [], [], {
        revision,
        uncountedStops: [spot('a1'), spot('a2'), spot('a3')],
      }),
    ).toBe(
      "timed out after 15m00s: 0/2 running, 2 pending; meanwhile 3 tasks of api:109 were stopped by AWS, not for the revision's fault (SpotInterruption: Your Spot Task was interrupted.)",
    );
    const rollbackFailed: RollbackResult = {
      outcome: 'failed',
      updated: true,
      taskDefinitionArn: TD108,
      summary: '',
      decision: {
        kind: 'failed',
        cause: 'task-stopped',
        reason: 'task 9a8b7c6d… failed to start: CannotPullContainerError: image not found',
        task: crashed,
        failedTasks: [crashed],
      },
    };
    expect(failureReason(failed, [tail], [], { revision, rollback: rollbackFailed })).toBe(
      'task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26); the rollback to api:108 failed too: task 9a8b7c6d… failed to start: CannotPullContainerError: image not found',
    );
    expect(
      failureReason(cancelled, [tail], [], {
        revision,
        ourFailures: [crashed],
        rollback: { outcome: 'cancelled', updated: true, taskDefinitionArn: TD108, summary: '' },
      }),
    ).toBe(
      'cancelled while watching: deployment ecs-svc/1 (api:109): 1/2 running; api:109 had already failed 1 time (first: task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26)), so the rollback to api:108 was made before stopping',
    );
  });

  test('a breaker rollback that names no task: the failed tasks found afterwards lead the line', () => {
    const quick: WatchEnd = { ...breaker, failedTasks: [] } as WatchEnd;
    expect(failureReason(quick, [tail], [crashed])).toBe(
      'task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26) (ECS circuit breaker rolled back to api:108 (deployment ecs-svc/0): deployment failed: tasks failed to start.)',
    );
  });
});

describe('rollbackCalledFor', () => {
  test.each([
    { decision: alarmFired, input: true, expected: true },
    { decision: alarmFired, input: false, expected: false },
    { decision: ecsAlarmRollback, input: false, expected: true },
    { decision: failed, input: true, expected: true },
    { decision: takenOver, input: true, expected: false },
    { decision: draining, input: true, expected: false },
  ])('$decision.cause with rollback $input: $expected', ({ decision, input, expected }) => {
    expect(rollbackCalledFor(decision as Exclude<WatchEnd, { kind: 'cancelled' }>, input)).toBe(expected);
  });
});
