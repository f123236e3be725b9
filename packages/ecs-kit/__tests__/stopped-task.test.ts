import { describe, expect, test } from '@jest/globals';
import { classifyStoppedTask, describeStoppedTask } from '../src/stopped-task.js';
import { crashed, task } from './fixtures.js';
import type { TaskInfo } from '../src/model.js';

const stopped = (partial: Partial<TaskInfo>) =>
  task('3f2a9c0e1b2d4e5f', { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', ...partial });

const cases: Array<{
  name: string;
  input: TaskInfo;
  expected: { abnormal: boolean; kind: string; summary: string | RegExp; exitCode?: number };
}> = [
  {
    name: 'essential container exit 1',
    input: crashed('a', 1),
    expected: { abnormal: true, kind: 'exited', summary: 'exited with code 1', exitCode: 1 },
  },
  {
    name: 'essential container exit 0 still ends a service task',
    input: crashed('a', 0),
    expected: { abnormal: true, kind: 'exited', summary: 'exited with code 0', exitCode: 0 },
  },
  {
    name: 'OOM kill',
    input: stopped({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [
        { name: 'api', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      ],
    }),
    expected: { abnormal: true, kind: 'out-of-memory', summary: /too much memory/, exitCode: 137 },
  },
  {
    name: 'ELB health checks',
    input: stopped({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason:
        'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/hokusai-api/0123456789abcdef)',
    }),
    expected: {
      abnormal: true,
      kind: 'elb-health-check',
      summary: 'failed ELB health checks in target group hokusai-api',
    },
  },
  {
    name: 'container health checks',
    input: stopped({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
      containers: [{ name: 'api', healthStatus: 'UNHEALTHY' }],
    }),
    expected: {
      abnormal: true,
      kind: 'container-health-check',
      summary: 'failed container health checks (api)',
    },
  },
  {
    name: 'image pull',
    input: stopped({
      stopCode: 'TaskFailedToStart',
      stoppedReason:
        'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 1234.dkr.ecr.us-east-1.amazonaws.com/api:nope: not found',
      containers: [{ name: 'api' }],
    }),
    expected: {
      abnormal: true,
      kind: 'image-pull',
      summary: /^could not pull the image: CannotPullContainerError/,
    },
  },
  {
    name: 'secrets / registry auth',
    input: stopped({
      stopCode: 'TaskFailedToStart',
      stoppedReason:
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed',
    }),
    expected: {
      abnormal: true,
      kind: 'resource-initialization',
      summary: /^ResourceInitializationError: unable to pull secrets/,
    },
  },
  {
    name: 'other failure to start',
    input: stopped({
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotStartContainerError: Error response from daemon: failed to create shim task',
      containers: [{ name: 'api' }],
    }),
    expected: {
      abnormal: true,
      kind: 'failed-to-start',
      summary: /^failed to start: CannotStartContainerError/,
    },
  },
  {
    name: 'scale-in by a deployment is normal',
    input: stopped({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1111)',
      containers: [{ name: 'api', exitCode: 0 }],
    }),
    expected: { abnormal: false, kind: 'scaled-in', summary: /^Scaling activity/ },
  },
  {
    name: 'stopped by a user is not a failure',
    input: stopped({
      stopCode: 'UserInitiated',
      stoppedReason: 'Task stopped by user',
      containers: [{ name: 'api', exitCode: 143 }],
    }),
    expected: { abnormal: false, kind: 'stopped-by-user', summary: 'Task stopped by user' },
  },
  {
    name: 'spot interruption is not a failure',
    input: stopped({ stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }),
    expected: { abnormal: false, kind: 'infrastructure', summary: 'Your Spot Task was interrupted.' },
  },
  {
    name: "Fargate Spot termination notice, killed with 137: not the revision's fault",
    input: stopped({
      stopCode: 'TerminationNotice',
      stoppedReason: 'Your Spot Task was interrupted.',
      containers: [{ name: 'api', exitCode: 137 }],
    }),
    expected: { abnormal: false, kind: 'infrastructure', summary: 'Your Spot Task was interrupted.' },
  },
  {
    name: 'moved off unhealthy infrastructure, exit 143: not counted',
    input: stopped({
      stopCode: 'InfrastructureHealth',
      stoppedReason: 'Task stopped due to an infrastructure health issue',
      containers: [{ name: 'api', exitCode: 143 }],
    }),
    expected: {
      abnormal: false,
      kind: 'infrastructure',
      summary: 'Task stopped due to an infrastructure health issue',
    },
  },
  {
    name: 'stopped by a person, exit 137: not counted',
    input: stopped({
      stopCode: 'UserInitiated',
      stoppedReason: 'Task stopped by user',
      containers: [{ name: 'api', exitCode: 137 }],
    }),
    expected: { abnormal: false, kind: 'stopped-by-user', summary: 'Task stopped by user' },
  },
  {
    name: 'unknown reason with a non-zero exit counts',
    input: stopped({ stoppedReason: 'something odd', containers: [{ name: 'api', exitCode: 2 }] }),
    expected: { abnormal: true, kind: 'exited', summary: 'exited with code 2', exitCode: 2 },
  },
  {
    name: 'unknown and clean is not counted',
    input: stopped({ stoppedReason: 'something odd' }),
    expected: { abnormal: false, kind: 'unknown', summary: 'something odd' },
  },
  {
    name: 'sidecar names the failing container',
    input: stopped({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [
        { name: 'envoy', exitCode: 0 },
        { name: 'api', exitCode: 3 },
      ],
    }),
    expected: { abnormal: true, kind: 'exited', summary: 'container api exited with code 3', exitCode: 3 },
  },
];

describe('classifyStoppedTask', () => {
  test.each(cases)('$name', ({ input, expected }) => {
    const c = classifyStoppedTask(input);
    expect(c.abnormal).toBe(expected.abnormal);
    expect(c.kind).toBe(expected.kind);
    if (expected.summary instanceof RegExp) expect(c.summary).toMatch(expected.summary);
    else expect(c.summary).toBe(expected.summary);
    if (expected.exitCode !== undefined) expect(c.exitCode).toBe(expected.exitCode);
  });
});

describe('describeStoppedTask', () => {
  test('one line with the short task id and the detail', () => {
    expect(
      describeStoppedTask(
        crashed('3f2a9c0e1b2d4e5f6a7b'),
        'SyntaxError: invalid syntax (model_registry.py, line 26)',
      ),
    ).toBe('task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26)');
  });
  test('without detail', () => {
    expect(describeStoppedTask(crashed('abc', 2))).toBe('task abc exited with code 2');
  });
});
