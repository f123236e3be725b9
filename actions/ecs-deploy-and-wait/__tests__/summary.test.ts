import { describe, expect, test } from '@jest/globals';
import type { TaskInfo } from '@hokusai/ecs-kit';
import type { DeployReport } from '../src/deploy.js';
import { logStreamConsoleUrl, renderSummary, serviceConsoleUrl } from '../src/summary.js';

const task: TaskInfo = {
  arn: 'arn:aws:ecs:us-east-1:123456789012:task/hokusai/3f2a9c0e1b2d4e5f',
  id: '3f2a9c0e1b2d4e5f',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:109',
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers: [{ name: 'api', exitCode: 1 }],
  privateIps: [],
};

const base: DeployReport = {
  result: 'rolled-back',
  failureReason:
    'task 3f2a9c0e… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26)',
  cluster: 'hokusai',
  service: 'hokusai-api',
  serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/hokusai/hokusai-api',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:109',
  previousTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108',
  deploymentId: 'ecs-svc/1',
  startedAt: 0,
  elapsedMs: 42_000,
  waited: true,
  cancelled: false,
  failedTasks: [task],
  logTails: [
    {
      taskId: task.id,
      container: 'api',
      group: '/ecs/hokusai-api',
      stream: 'hokusai/api/3f2a9c0e1b2d4e5f',
      lines: ['Traceback (most recent call last):', 'SyntaxError: invalid syntax'],
      lastLine: 'SyntaxError: invalid syntax (model_registry.py, line 26)',
    },
  ],
  events: [
    {
      id: 'e1',
      createdAt: Date.UTC(2026, 0, 1, 12, 0, 5),
      message: '(service hokusai-api) has started 2 tasks.',
    },
  ],
  timeline: [
    { at: 0, kind: 'update', label: 'UpdateService → hokusai-api:109' },
    { at: 31_000, kind: 'task-stopped', label: 'task 3f2a9c0e… exited with code 1' },
  ],
  rollback: { outcome: 'rolled-back', updated: true, summary: 'rolled back to hokusai-api:108; stable' },
  rollbackCommand:
    'aws ecs update-service --cluster hokusai --service hokusai-api --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108',
  lastState: '',
};

describe('renderSummary', () => {
  const summary = renderSummary(base, 'us-east-1');
  test.each([
    { name: 'result heading', expected: '## ↩️ ecs-deploy-and-wait: rolled-back' },
    { name: 'old -> new revision', expected: '| revision | hokusai-api:108 → hokusai-api:109 |' },
    { name: 'failure reason', expected: 'SyntaxError: invalid syntax (model\\_registry.py, line 26)' },
    {
      name: 'timeline',
      expected:
        '```mermaid\ntimeline\n  title hokusai-api 108 → hokusai-api 109\n  +0ms : UpdateService → hokusai-api 109\n  +31.0s : task 3f2a9c0e… exited with code 1\n```',
    },
    {
      name: 'failed task row',
      expected:
        '| 3f2a9c0e… | Essential container in task exited | 1 | SyntaxError: invalid syntax (model\\_registry.py, line 26) |',
    },
    { name: 'log tail', expected: '<details><summary>log tail of task 3f2a9c0e… (api, 2 lines)</summary>' },
    { name: 'service event', expected: '| 12:00:05 | (service hokusai-api) has started 2 tasks. |' },
    { name: 'rollback line', expected: '| rollback | rolled back to hokusai-api:108; stable |' },
  ])('$name', ({ expected }) => {
    expect(summary).toContain(expected);
  });

  test('a cancelled run shows the command to roll back', () => {
    expect(
      renderSummary({ ...base, result: 'failed', cancelled: true, rollback: undefined }, 'us-east-1'),
    ).toContain(
      '| to roll back by hand | `aws ecs update-service --cluster hokusai --service hokusai-api --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108` |',
    );
  });
});

describe('console links', () => {
  test.each([
    {
      name: 'service',
      url: serviceConsoleUrl('eu-west-1', 'prod', 'api'),
      expected:
        'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/api/health?region=eu-west-1',
    },
    {
      name: 'log stream (double-escaped with $)',
      url: logStreamConsoleUrl('us-east-1', '/ecs/hokusai-api', 'hokusai/api/abc'),
      expected:
        'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fhokusai-api/log-events/hokusai$252Fapi$252Fabc',
    },
  ])('$name', ({ url, expected }) => {
    expect(url).toBe(expected);
  });
});
