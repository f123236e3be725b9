import { describe, expect, test } from '@jest/globals';
import {
  decideVerdict,
  initialVerdictState,
  isFinal,
  nameRollbackAlarmCandidates,
  type BreakerRollback,
  type Decision,
  type VerdictConfig,
} from '../src/verdict.js';
import type { AlarmInfo, Observation } from '../src/model.js';
import { OLD, OTHER, OURS, TD108, TD110, TG, crashed, deployment, obs, service, task } from './fixtures.js';

const config: VerdictConfig = {
  deploymentId: OURS,
  startedAt: 0,
  timeoutMs: 900_000,
  stableForMs: 60_000,
  maxFailedTasks: 1,
  checkTargetHealth: true,
};

/** Feeds a recorded sequence to the verdict; returns the first final decision and its index (or the last one). */
function replay(
  sequence: Observation[],
  overrides: Partial<VerdictConfig> = {},
): { decision: Decision; index: number } {
  let state = initialVerdictState;
  let decision: Decision = { kind: 'in-progress', phase: 'rolling-out', summary: '' };
  for (const [index, o] of sequence.entries()) {
    const step = decideVerdict(state, o, { ...config, ...overrides });
    state = step.state;
    decision = step.decision;
    if (isFinal(decision)) return { decision, index };
  }
  return { decision, index: sequence.length - 1 };
}

const decisionText = (d: Decision) => ('reason' in d ? d.reason : d.summary);

const old = (running: number, desired = 2) =>
  deployment({
    id: OLD,
    status: 'ACTIVE',
    taskDefinition: TD108,
    runningCount: running,
    desiredCount: desired,
    rolloutState: 'COMPLETED',
  });
const ours = (partial: Parameters<typeof deployment>[0] extends infer P ? Partial<P> : never = {}) =>
  deployment({ id: OURS, ...partial });
const done = ours({ runningCount: 2, rolloutState: 'COMPLETED' });
const runningTasks = [task('t1'), task('t2')];

interface Case {
  name: string;
  sequence: Observation[];
  overrides?: Partial<VerdictConfig>;
  expected: { kind: Decision['kind']; index: number; reason?: RegExp; cause?: string };
}

const cases: Case[] = [
  {
    name: 'healthy rollout succeeds after stable-for',
    sequence: [
      obs(10_000, service([ours({ pendingCount: 2 }), old(2)])),
      obs(20_000, service([ours({ runningCount: 1, pendingCount: 1 }), old(2)]), [task('t1')]),
      obs(30_000, service([ours({ runningCount: 2 }), old(1)]), runningTasks),
      obs(40_000, service([done]), runningTasks),
      obs(70_000, service([done]), runningTasks),
      obs(100_000, service([done]), runningTasks),
    ],
    expected: { kind: 'succeeded', index: 5 },
  },
  {
    name: 'the incident: first crash fails at once (max-failed-tasks 1)',
    sequence: [
      obs(10_000, service([ours({ pendingCount: 2 }), old(2)])),
      obs(20_000, service([ours({ runningCount: 1, pendingCount: 1 }), old(2)]), [task('t1')]),
      obs(30_000, service([ours({ runningCount: 0, pendingCount: 2 }), old(2)]), [
        crashed('t1'),
        task('t3', { lastStatus: 'PENDING' }),
      ]),
    ],
    expected: { kind: 'failed', index: 2, reason: /^task t1 exited with code 1$/ },
  },
  {
    name: 'max-failed-tasks 3 tolerates two crashes',
    overrides: { maxFailedTasks: 3 },
    sequence: [
      obs(10_000, service([ours({ pendingCount: 2 }), old(2)]), [crashed('t1')]),
      obs(20_000, service([ours({ pendingCount: 2 }), old(2)]), [crashed('t1'), crashed('t2', 2)]),
      obs(30_000, service([ours({ pendingCount: 2 }), old(2)]), [
        crashed('t1'),
        crashed('t2', 2),
        crashed('t3'),
      ]),
    ],
    expected: { kind: 'failed', index: 2, reason: /^task t1 exited with code 1$/ },
  },
  {
    name: 'a task dying inside stable-for fails the deploy even below max-failed-tasks',
    overrides: { maxFailedTasks: 3 },
    sequence: [
      obs(40_000, service([done]), runningTasks),
      obs(70_000, service([done]), runningTasks),
      obs(80_000, service([ours({ runningCount: 1, pendingCount: 1, rolloutState: 'COMPLETED' })]), [
        crashed('t1', 137),
        task('t2'),
      ]),
    ],
    expected: { kind: 'failed', index: 2, reason: /^task t1 exited with code 137 during stable-for$/ },
  },
  {
    name: 'scale-in of our own task during stable-for is not a failure',
    sequence: [
      obs(40_000, service([done]), runningTasks),
      obs(60_000, service([done]), [
        task('t1'),
        task('t2', {
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1111111111111111111)',
        }),
      ]),
      obs(110_000, service([done]), [task('t1')]),
    ],
    expected: { kind: 'succeeded', index: 2 },
  },
  {
    name: 'old tasks still running keep it in progress',
    sequence: [
      obs(40_000, service([ours({ runningCount: 2, rolloutState: 'IN_PROGRESS' }), old(1)]), runningTasks),
      obs(200_000, service([ours({ runningCount: 2, rolloutState: 'IN_PROGRESS' }), old(1)]), runningTasks),
    ],
    expected: { kind: 'in-progress', index: 1 },
  },
  {
    name: 'unhealthy targets keep it in progress, healthy ones let it succeed',
    sequence: [
      obs(
        40_000,
        service([done], { loadBalancers: [{ targetGroupArn: TG }] }),
        [task('t1', { privateIps: ['10.0.0.1'] }), task('t2', { privateIps: ['10.0.0.2'] })],
        {
          targets: [
            { targetGroupArn: TG, targetId: '10.0.0.1', state: 'healthy' },
            { targetGroupArn: TG, targetId: '10.0.0.2', state: 'unhealthy' },
          ],
        },
      ),
      obs(
        50_000,
        service([done], { loadBalancers: [{ targetGroupArn: TG }] }),
        [task('t1', { privateIps: ['10.0.0.1'] }), task('t2', { privateIps: ['10.0.0.2'] })],
        {
          targets: [
            { targetGroupArn: TG, targetId: '10.0.0.1', state: 'healthy' },
            { targetGroupArn: TG, targetId: '10.0.0.2', state: 'healthy' },
          ],
        },
      ),
      obs(
        110_000,
        service([done], { loadBalancers: [{ targetGroupArn: TG }] }),
        [task('t1', { privateIps: ['10.0.0.1'] }), task('t2', { privateIps: ['10.0.0.2'] })],
        {
          targets: [
            { targetGroupArn: TG, targetId: '10.0.0.1', state: 'healthy' },
            { targetGroupArn: TG, targetId: '10.0.0.2', state: 'healthy' },
          ],
        },
      ),
    ],
    expected: { kind: 'succeeded', index: 2 },
  },
  {
    name: 'check-target-health false ignores targets',
    overrides: { checkTargetHealth: false, stableForMs: 0 },
    sequence: [obs(40_000, service([done], { loadBalancers: [{ targetGroupArn: TG }] }), runningTasks)],
    expected: { kind: 'succeeded', index: 0 },
  },
  {
    name: 'ELB health check failure counts as a failed task',
    sequence: [
      obs(60_000, service([ours({ runningCount: 1, pendingCount: 1 }), old(2)]), [
        task('t1', {
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: `Task failed ELB health checks in (target-group ${TG})`,
        }),
      ]),
    ],
    expected: {
      kind: 'failed',
      index: 0,
      reason: /^task t1 failed ELB health checks in target group hokusai-api$/,
    },
  },
  {
    name: 'circuit breaker rolled back: recognised, not fought',
    sequence: [
      obs(30_000, service([ours({ pendingCount: 2, failedTasks: 2 }), old(2)]), [crashed('t1')], {}),
      obs(
        60_000,
        service([
          deployment({ id: 'ecs-svc/333', taskDefinition: TD108, runningCount: 2 }),
          ours({
            status: 'ACTIVE',
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          }),
        ]),
      ),
    ],
    overrides: { maxFailedTasks: 5 },
    expected: {
      kind: 'rolled-back-by-circuit-breaker',
      index: 1,
      reason:
        /^ECS circuit breaker rolled back to hokusai-api:108 \(deployment ecs-svc\/333\): ECS deployment circuit breaker: tasks failed to start\.$/,
      cause: 'breaker-rolled-back',
    },
  },
  {
    name: 'someone else deploys mid-way: taken over',
    sequence: [
      obs(20_000, service([ours({ pendingCount: 2 }), old(2)])),
      obs(
        30_000,
        service([deployment({ id: OTHER, taskDefinition: TD110 }), ours({ status: 'ACTIVE' }), old(2)]),
      ),
    ],
    expected: {
      kind: 'taken-over',
      index: 1,
      reason: /^another deployment ecs-svc\/2222222222222222222 \(hokusai-api:110\) replaced ours/,
    },
  },
  {
    name: 'circuit breaker without rollback: FAILED rollout fails',
    overrides: { maxFailedTasks: 10 },
    sequence: [
      obs(
        30_000,
        service([
          ours({
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          }),
          old(2),
        ]),
      ),
    ],
    expected: { kind: 'failed', index: 0, reason: /^deployment failed: ECS deployment circuit breaker/ },
  },
  {
    name: 'service deleted mid-deploy',
    sequence: [obs(20_000, service([ours({ pendingCount: 2 }), old(2)])), obs(30_000, undefined)],
    expected: { kind: 'failed', index: 1, reason: /no longer exists/ },
  },
  {
    name: 'service draining',
    sequence: [obs(20_000, service([ours({ pendingCount: 2 })], { status: 'DRAINING' }))],
    expected: { kind: 'failed', index: 0, reason: /is DRAINING/ },
  },
  {
    name: 'timeout reports where it stood',
    overrides: { timeoutMs: 60_000 },
    sequence: [
      obs(30_000, service([ours({ runningCount: 1, pendingCount: 1 }), old(2)])),
      obs(61_000, service([ours({ runningCount: 1, pendingCount: 1 }), old(2)])),
    ],
    expected: {
      kind: 'timed-out',
      index: 1,
      reason:
        /^timed out after 1m01s: deployment ecs-svc\/1111111111111111111 \(hokusai-api:109\): 1\/2 running, 1 pending; older deployments 2 running/,
    },
  },
  {
    name: 'tasks of the old deployment stopping are not ours',
    sequence: [
      obs(30_000, service([ours({ runningCount: 2 }), old(0)]), [
        crashed('old1', 1, { startedBy: OLD, taskDefinitionArn: TD108 }),
        ...runningTasks,
      ]),
    ],
    expected: { kind: 'in-progress', index: 0 },
  },
  {
    name: 'stable window resets when the rollout stops looking complete',
    overrides: { stableForMs: 30_000 },
    sequence: [
      obs(40_000, service([done]), runningTasks),
      obs(
        50_000,
        service([ours({ runningCount: 1, pendingCount: 1, rolloutState: 'COMPLETED' })]),
        runningTasks,
      ),
      obs(75_000, service([done]), runningTasks),
      obs(100_000, service([done]), runningTasks),
      obs(105_000, service([done]), runningTasks),
    ],
    expected: { kind: 'succeeded', index: 4 },
  },
];

// ECS's own shapes (ECS-FACTS.md), as DescribeServices shows them on AWS.
const breakerEvent = (id: string, at: number, message: string) => ({ id, createdAt: at, message });
const previousAgain = (partial: Partial<Parameters<typeof deployment>[0]> = {}) =>
  deployment({ id: OLD, taskDefinition: TD108, runningCount: 2, rolloutState: 'IN_PROGRESS', ...partial });
const realShapes: Case[] = [
  {
    name: 'real ECS: the breaker puts the old deployment back to IN_PROGRESS under its id, ours leaves the list',
    overrides: { maxFailedTasks: 10, previousDeploymentId: OLD, previousTaskDefinition: TD108 },
    sequence: [
      obs(30_000, service([ours({ pendingCount: 1, failedTasks: 2 }), old(2)]), [
        crashed('t1'),
        crashed('t2'),
      ]),
      obs(
        60_000,
        service([previousAgain()], {
          events: [
            breakerEvent('e2', 55, '(service api) rolling back to deployment ecs-svc/0000000000000000000.'),
            breakerEvent(
              'e1',
              54,
              '(service api) (deployment ecs-svc/1111111111111111111) deployment failed: tasks failed to start.',
            ),
          ],
        }),
        [crashed('t1'), crashed('t2'), crashed('t3')],
      ),
    ],
    expected: {
      kind: 'rolled-back-by-circuit-breaker',
      cause: 'breaker-rolled-back',
      index: 1,
      reason:
        /^ECS circuit breaker rolled back to hokusai-api:108 \(deployment ecs-svc\/0000000000000000000\): deployment failed: tasks failed to start\.$/,
    },
  },
  {
    name: 'real ECS: the old id PRIMARY again is the breaker even when the events were not seen',
    overrides: { maxFailedTasks: 10, previousDeploymentId: OLD },
    sequence: [obs(60_000, service([previousAgain()]))],
    expected: { kind: 'rolled-back-by-circuit-breaker', cause: 'breaker-rolled-back', index: 0 },
  },
  {
    name: 'real ECS: the alarm variant is the breaker too, triggered by an alarm',
    overrides: { maxFailedTasks: 10, previousDeploymentId: OLD },
    sequence: [
      obs(
        60_000,
        service([previousAgain()], {
          events: [
            breakerEvent(
              'e1',
              54,
              '(service api) (deployment ecs-svc/1111111111111111111) deployment failed: alarm detected.',
            ),
          ],
        }),
      ),
    ],
    expected: {
      kind: 'rolled-back-by-circuit-breaker',
      index: 0,
      reason: /: deployment failed: alarm detected\.$/,
    },
  },
  {
    name: 'the older emulator shape: ours FAILED and listed, a new PRIMARY announced by "rolling back to"',
    overrides: { maxFailedTasks: 10, previousDeploymentId: OLD, previousTaskDefinition: TD108 },
    sequence: [
      obs(
        60_000,
        service(
          [
            deployment({ id: 'ecs-svc/333', taskDefinition: TD108, runningCount: 1 }),
            ours({
              status: 'ACTIVE',
              rolloutState: 'FAILED',
              rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/333',
            }),
          ],
          {
            events: [
              breakerEvent(
                'e1',
                50,
                '(service api) deployment ecs-svc/1111111111111111111 deployment failed: tasks failed to start.',
              ),
              breakerEvent('e2', 51, '(service api) rolling back to deployment ecs-svc/333.'),
            ],
          },
        ),
      ),
    ],
    expected: {
      kind: 'rolled-back-by-circuit-breaker',
      index: 0,
      reason: /\(deployment ecs-svc\/333\): deployment failed: tasks failed to start\.$/,
    },
  },
  {
    name: 'someone deploying the previous revision again (a new deployment id, no breaker event) is a take-over',
    overrides: { previousDeploymentId: OLD, previousTaskDefinition: TD108 },
    sequence: [
      obs(30_000, service([deployment({ id: OTHER, taskDefinition: TD108 }), ours({ status: 'ACTIVE' })])),
    ],
    expected: { kind: 'taken-over', cause: 'taken-over', index: 0 },
  },
  {
    name: 'our deployment gone with nothing PRIMARY: deployment-gone',
    sequence: [obs(30_000, service([old(2)]))],
    expected: { kind: 'failed', cause: 'deployment-gone', index: 0, reason: /is no longer listed/ },
  },
  {
    name: 'rolloutState FAILED without a rollback: rollout-failed',
    overrides: { maxFailedTasks: 10 },
    sequence: [
      obs(
        30_000,
        service([
          ours({
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          }),
          old(2),
        ]),
      ),
    ],
    expected: { kind: 'failed', cause: 'rollout-failed', index: 0 },
  },
  ...(['TerminationNotice', 'InfrastructureHealth', 'SpotInterruption', 'UserInitiated'] as const).map(
    (stopCode): Case => ({
      name: `a task stopped with ${stopCode} is reported, not counted`,
      sequence: [
        obs(30_000, service([ours({ runningCount: 1, pendingCount: 1 }), old(2)]), [
          crashed('t1', 137, { stopCode, stoppedReason: `${stopCode}: stopped by AWS` }),
          task('t2'),
        ]),
      ],
      expected: { kind: 'in-progress', index: 0 },
    }),
  ),
  {
    name: 'draining: every new task healthy, old ones leaving, is not a failure — and not a success before the limit',
    overrides: { timeoutMs: 600_000 },
    sequence: [
      obs(40_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks, {
        drain: { tasks: 2, endsAt: 340_000 },
      }),
      obs(200_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks, {
        drain: { tasks: 2, endsAt: 340_000 },
      }),
    ],
    expected: { kind: 'in-progress', index: 1 },
  },
  {
    name: 'draining at the time limit: succeeded, naming the drain',
    overrides: { timeoutMs: 120_000 },
    sequence: [
      obs(40_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks, {
        drain: { tasks: 2, endsAt: 340_000 },
      }),
      obs(121_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks, {
        drain: { tasks: 2, endsAt: 340_000 },
      }),
    ],
    expected: { kind: 'succeeded', cause: 'draining-at-time-limit', index: 1 },
  },
  {
    // The trial: deregistration delay 900 s, tasks crashing 90 s after start, timeout 80 s, stable-for 1 m.
    name: 'draining at the time limit, new tasks healthy for less than stable-for: timed out, naming the drain',
    overrides: { timeoutMs: 80_000, stableForMs: 60_000 },
    sequence: [
      obs(70_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks, {
        drain: { tasks: 2, endsAt: 970_000 },
      }),
      obs(80_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks, {
        drain: { tasks: 2, endsAt: 970_000 },
      }),
    ],
    expected: {
      kind: 'timed-out',
      cause: 'time-limit',
      index: 1,
      reason:
        /^timed out after 1m20s: every new task running and healthy for only 10\.0s of stable-for 1m00s, 2 old tasks draining \(about 15 minutes left\): deployment /,
    },
  },
  {
    name: 'an old deployment listed with no task left at the time limit is not called a drain of 0 tasks',
    overrides: { timeoutMs: 120_000, stableForMs: 30_000 },
    sequence: [
      obs(40_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks),
      obs(121_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks),
    ],
    expected: { kind: 'succeeded', cause: 'draining-at-time-limit', index: 1 },
  },
  {
    name: 'the drain ends, ECS completes the deployment: succeeded after stable-for, counted from when the new tasks were up',
    overrides: { timeoutMs: 900_000 },
    sequence: [
      obs(40_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks, {
        drain: { tasks: 2, endsAt: 90_000 },
      }),
      obs(100_000, service([done]), runningTasks),
    ],
    expected: { kind: 'succeeded', cause: 'stable', index: 1 },
  },
  {
    name: "ECS completed ours while old tasks still drain: the drain is ECS's business, stable-for decides",
    sequence: [
      obs(40_000, service([done]), runningTasks, { drain: { tasks: 2, endsAt: 340_000 } }),
      obs(100_000, service([done]), runningTasks, { drain: { tasks: 2, endsAt: 340_000 } }),
    ],
    expected: { kind: 'succeeded', cause: 'stable', index: 1 },
  },
];
cases.push(...realShapes);

// CloudWatch alarms watched during the rollout and stable-for (issue 14). Times: the deployment was created at
// 1_000 on AWS's clock; alarm transitions are on AWS's clock too.
const alarm = (
  name: string,
  state: string,
  transitionedAt?: number,
  reason = `${name} reason`,
): AlarmInfo => ({
  name,
  state,
  reason,
  ...(transitionedAt !== undefined ? { transitionedAt } : {}),
});
const watching = (atStart: AlarmInfo[], deploymentCreatedAt: number | undefined = 1_000) => ({
  alarms: {
    names: atStart.map((a) => a.name),
    atStart,
    ...(deploymentCreatedAt !== undefined ? { deploymentCreatedAt } : {}),
  },
});
const FIVE_XX_OK = alarm('api-5xx', 'OK', 500);
const LATENCY_ALARM = alarm('api-latency', 'ALARM', 400, 'Threshold Crossed: p95 7.2 s');
const withAlarms = (alarms: AlarmInfo[]) => ({ alarms });
const alarmCases: Case[] = [
  {
    name: 'alarms: the 5xx alarm going into ALARM during stable-for fails the deploy, cause alarm, the alarm named',
    overrides: watching([FIVE_XX_OK, LATENCY_ALARM]),
    sequence: [
      obs(10_000, service([ours({ pendingCount: 2 }), old(2)]), [], withAlarms([FIVE_XX_OK, LATENCY_ALARM])),
      obs(40_000, service([done]), runningTasks, withAlarms([FIVE_XX_OK, LATENCY_ALARM])),
      obs(
        60_000,
        service([done]),
        runningTasks,
        withAlarms([
          alarm('api-5xx', 'ALARM', 55_000, 'Threshold Crossed: 1 datapoint [4.0] > 1.0'),
          LATENCY_ALARM,
        ]),
      ),
      obs(100_000, service([done]), runningTasks),
    ],
    expected: {
      kind: 'failed',
      cause: 'alarm',
      index: 2,
      reason: /^alarm api-5xx went into ALARM: Threshold Crossed: 1 datapoint \[4\.0\] > 1\.0$/,
    },
  },
  {
    name: 'alarms: one already in ALARM when the deployment started is ignored, as ECS ignores it',
    overrides: watching([FIVE_XX_OK, LATENCY_ALARM]),
    sequence: [
      obs(10_000, service([ours({ pendingCount: 2 }), old(2)]), [], withAlarms([FIVE_XX_OK, LATENCY_ALARM])),
      obs(40_000, service([done]), runningTasks, withAlarms([FIVE_XX_OK, LATENCY_ALARM])),
      obs(100_000, service([done]), runningTasks, withAlarms([FIVE_XX_OK, LATENCY_ALARM])),
    ],
    expected: { kind: 'succeeded', cause: 'stable', index: 2 },
  },
  {
    name: 'alarms: one that left ALARM and went back during the deploy counts (a later transition)',
    overrides: watching([FIVE_XX_OK, LATENCY_ALARM]),
    sequence: [
      obs(40_000, service([done]), runningTasks, withAlarms([FIVE_XX_OK, LATENCY_ALARM])),
      obs(
        60_000,
        service([done]),
        runningTasks,
        withAlarms([FIVE_XX_OK, alarm('api-latency', 'ALARM', 58_000)]),
      ),
    ],
    expected: { kind: 'failed', cause: 'alarm', index: 1, reason: /^alarm api-latency went into ALARM/ },
  },
  {
    name: 'alarms: one that went into ALARM between the plan and the UpdateService was in ALARM at the start: ignored',
    overrides: watching([FIVE_XX_OK], 1_000),
    sequence: [
      obs(40_000, service([done]), runningTasks, withAlarms([alarm('api-5xx', 'ALARM', 900)])),
      obs(100_000, service([done]), runningTasks, withAlarms([alarm('api-5xx', 'ALARM', 900)])),
    ],
    expected: { kind: 'succeeded', cause: 'stable', index: 1 },
  },
  {
    name: 'alarms without timestamps: not in ALARM at the plan, in ALARM now, counts',
    overrides: watching([alarm('api-5xx', 'OK')], undefined),
    sequence: [
      obs(
        30_000,
        service([ours({ runningCount: 1, pendingCount: 1 }), old(2)]),
        [],
        withAlarms([alarm('api-5xx', 'ALARM')]),
      ),
    ],
    expected: { kind: 'failed', cause: 'alarm', index: 0 },
  },
  {
    name: 'alarms without timestamps: in ALARM at the plan and still, ignored',
    overrides: watching([alarm('api-5xx', 'ALARM')], undefined),
    sequence: [
      obs(40_000, service([done]), runningTasks, withAlarms([alarm('api-5xx', 'ALARM')])),
      obs(100_000, service([done]), runningTasks, withAlarms([alarm('api-5xx', 'ALARM')])),
    ],
    expected: { kind: 'succeeded', cause: 'stable', index: 1 },
  },
  {
    name: 'alarms: INSUFFICIENT_DATA is not ALARM',
    overrides: watching([FIVE_XX_OK]),
    sequence: [
      obs(40_000, service([done]), runningTasks, withAlarms([alarm('api-5xx', 'INSUFFICIENT_DATA', 30_000)])),
      obs(
        100_000,
        service([done]),
        runningTasks,
        withAlarms([alarm('api-5xx', 'INSUFFICIENT_DATA', 30_000)]),
      ),
    ],
    expected: { kind: 'succeeded', cause: 'stable', index: 1 },
  },
  {
    name: 'alarms: a crash and an alarm in one poll: the crash leads (it carries the log), max-failed-tasks reached',
    overrides: watching([FIVE_XX_OK]),
    sequence: [
      obs(
        30_000,
        service([ours({ pendingCount: 1 }), old(2)]),
        [crashed('t1')],
        withAlarms([alarm('api-5xx', 'ALARM', 29_000)]),
      ),
    ],
    expected: { kind: 'failed', cause: 'task-stopped', index: 0 },
  },
  {
    name: 'alarms: ECS failed ours on the alarm without rollback (rolloutState FAILED): the alarm is the cause',
    overrides: watching([FIVE_XX_OK]),
    sequence: [
      obs(
        50_000,
        service([
          ours({
            runningCount: 2,
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment alarms: alarm detected (api-5xx).',
          }),
          old(0),
        ]),
        runningTasks,
        withAlarms([alarm('api-5xx', 'ALARM', 45_000, 'Threshold Crossed')]),
      ),
    ],
    expected: {
      kind: 'failed',
      cause: 'alarm',
      index: 0,
      reason: /^alarm api-5xx went into ALARM: Threshold Crossed$/,
    },
  },
  {
    name: "alarms: ECS's own rollback on a deployment alarm names the alarm it saw",
    overrides: { ...watching([FIVE_XX_OK]), maxFailedTasks: 10, previousDeploymentId: OLD },
    sequence: [
      obs(
        60_000,
        service([previousAgain()], {
          deploymentAlarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
          events: [
            breakerEvent(
              'e1',
              54,
              '(service api) (deployment ecs-svc/1111111111111111111) deployment failed: alarm detected.',
            ),
          ],
        }),
        [],
        withAlarms([alarm('api-5xx', 'ALARM', 50_000, 'Threshold Crossed')]),
      ),
    ],
    expected: {
      kind: 'rolled-back-by-circuit-breaker',
      cause: 'breaker-rolled-back',
      index: 0,
      reason:
        /^ECS deployment alarms rolled back to hokusai-api:108 \(deployment ecs-svc\/0+\): alarm api-5xx went into ALARM: Threshold Crossed$/,
    },
  },
  {
    name: "alarms: ECS's rollback with the events gone: a fired deployment alarm says it was the alarm",
    overrides: { ...watching([FIVE_XX_OK]), maxFailedTasks: 10, previousDeploymentId: OLD },
    sequence: [
      obs(
        60_000,
        service([previousAgain()], {
          deploymentAlarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
        }),
        [],
        withAlarms([alarm('api-5xx', 'ALARM', 50_000, 'Threshold Crossed')]),
      ),
    ],
    expected: {
      kind: 'rolled-back-by-circuit-breaker',
      index: 0,
      reason: /^ECS deployment alarms rolled back .*: alarm api-5xx went into ALARM/,
    },
  },
  {
    name: "alarms: ECS's breaker rollback for tasks is not blamed on a watched alarm ECS does not watch",
    overrides: { ...watching([FIVE_XX_OK]), maxFailedTasks: 10, previousDeploymentId: OLD },
    sequence: [
      obs(
        60_000,
        service([previousAgain()], {
          events: [
            breakerEvent(
              'e1',
              54,
              '(service api) (deployment ecs-svc/1111111111111111111) deployment failed: tasks failed to start.',
            ),
          ],
        }),
        [],
        withAlarms([alarm('api-5xx', 'ALARM', 50_000)]),
      ),
    ],
    expected: {
      kind: 'rolled-back-by-circuit-breaker',
      index: 0,
      reason: /^ECS circuit breaker rolled back .*: deployment failed: tasks failed to start\.$/,
    },
  },
];
cases.push(...alarmCases);

describe('decideVerdict on recorded sequences', () => {
  test.each(cases)('$name', ({ sequence, overrides, expected }) => {
    const { decision, index } = replay(sequence, overrides);
    expect(decision.kind).toBe(expected.kind);
    expect(index).toBe(expected.index);
    if (expected.cause) expect('cause' in decision && decision.cause).toBe(expected.cause);
    if (expected.reason) expect('reason' in decision ? decision.reason : '').toMatch(expected.reason);
  });

  test('no line speaks of "0 old tasks draining": an old deployment left without tasks is ECS finishing up', () => {
    const listedEmpty = [
      obs(40_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks),
      obs(121_000, service([ours({ runningCount: 2 }), old(0, 0)]), runningTasks),
    ];
    const early = replay(listedEmpty.slice(0, 1), { timeoutMs: 120_000, stableForMs: 30_000 }).decision;
    const atLimit = replay(listedEmpty, { timeoutMs: 120_000, stableForMs: 30_000 }).decision;
    expect(early).toMatchObject({ kind: 'in-progress', phase: 'draining' });
    expect(decisionText(early)).toMatch(/every new task running and healthy, waiting for ECS to complete/);
    expect(decisionText(atLimit)).toMatch(
      /healthy for 1m21s, ECS had not completed the deployment yet at the time limit/,
    );
    for (const d of [early, atLimit]) expect(decisionText(d)).not.toMatch(/\b0 old tasks/);
  });

  test('the failed decision lists the failed tasks, first stop first', () => {
    const { decision } = replay([
      obs(30_000, service([ours({ pendingCount: 2 }), old(2)]), [
        crashed('b', 1, { stoppedAt: 20 }),
        crashed('a', 1, { stoppedAt: 10 }),
      ]),
    ]);
    expect(decision.kind).toBe('failed');
    expect(decision.kind === 'failed' && decision.failedTasks.map((t) => t.id)).toEqual(['a', 'b']);
    expect(decision.kind === 'failed' && decision.reason).toBe('task a exited with code 1');
  });

  test("ECS's rollback on an alarm no longer in ALARM: the reason lists the deployment alarms it was one of", () => {
    const unnamed = replay(
      [
        obs(
          60_000,
          service([previousAgain()], {
            deploymentAlarms: { alarmNames: ['api-5xx', 'api-latency'], enable: true, rollback: true },
            events: [
              breakerEvent('e1', 54, `(service api) (deployment ${OURS}) deployment failed: alarm detected.`),
            ],
          }),
          [],
        ),
      ],
      { previousDeploymentId: OLD },
    ).decision;
    expect(unnamed).toMatchObject({ trigger: 'alarm' });
    const named = nameRollbackAlarmCandidates(unnamed as BreakerRollback, ['api-5xx', 'api-latency']);
    expect(named.reason).toMatch(
      /^ECS deployment alarms rolled back to .*: deployment failed: alarm detected\. \(one of the service's deployment alarms: api-5xx, api-latency; none was still in ALARM when read after the rollback\)$/,
    );
    // A rollback on tasks, or one whose alarm is named, is left as it is.
    const byName = { ...(unnamed as BreakerRollback), alarm: alarm('api-5xx', 'ALARM', 50_000) };
    expect(nameRollbackAlarmCandidates(byName, ['api-5xx'])).toBe(byName);
  });

  test("ECS's rollback on an alarm carries the trigger and the alarm; one on tasks does not", () => {
    const rolledBack = (events: string) =>
      replay(
        [
          obs(
            60_000,
            service([previousAgain()], {
              deploymentAlarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
              events: [
                breakerEvent('e1', 54, `(service api) (deployment ${OURS}) deployment failed: ${events}.`),
              ],
            }),
            [],
            withAlarms([alarm('api-5xx', 'ALARM', 50_000, 'Threshold Crossed')]),
          ),
        ],
        { ...watching([FIVE_XX_OK]), previousDeploymentId: OLD },
      ).decision;
    const byAlarm = rolledBack('alarm detected');
    expect(byAlarm).toMatchObject({ trigger: 'alarm', alarm: { name: 'api-5xx', state: 'ALARM' } });
    const byTasks = rolledBack('tasks failed to start');
    expect(byTasks).toMatchObject({ trigger: 'tasks' });
    expect('alarm' in byTasks).toBe(false);
  });

  test('in-progress summary is the progress line', () => {
    const { decision } = replay([obs(10_000, service([ours({ runningCount: 1, pendingCount: 1 }), old(2)]))]);
    expect(decision).toEqual({
      kind: 'in-progress',
      phase: 'rolling-out',
      summary:
        'deployment ecs-svc/1111111111111111111 (hokusai-api:109): 1/2 running, 1 pending; older deployments 2 running [IN_PROGRESS]',
    });
  });
});
