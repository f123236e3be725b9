import { describe, expect, test } from '@jest/globals';
import type { TaskInfo } from '@hokusai/ecs-kit';
import type { DeployReport } from '../src/deploy.js';
import { renderEarlySummary, renderSummary } from '../src/summary.js';

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
  rollback: {
    outcome: 'rolled-back',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108',
    updated: true,
    summary: 'rolled back to hokusai-api:108; stable',
  },
  endedBy: 'rollback',
  serviceState: 'hokusai-api runs hokusai-api:108 (PRIMARY ecs-svc/2, COMPLETED): 2/2 running',
  notes: [],
  warnings: [],
  breaker: 'off',
  deploymentAlarms: 'none',
  uncountedStops: [],
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
    { name: 'the step that ended it', expected: '| ended by | the rollback step |' },
    {
      name: 'the state the service is in',
      expected:
        '| service now | hokusai-api runs hokusai-api:108 (PRIMARY ecs-svc/2, COMPLETED): 2/2 running |',
    },
    { name: 'the breaker', expected: '| ECS circuit breaker | off |' },
  ])('$name', ({ expected }) => {
    expect(summary).toContain(expected);
  });

  test('a cancelled run shows what to do next, as a shell block', () => {
    const command =
      'aws ecs update-service --cluster hokusai --service hokusai-api --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108';
    const summary = renderSummary(
      {
        ...base,
        result: 'cancelled',
        cancelled: true,
        rollback: undefined,
        nextStep: { text: 'the new revision is still deployed; to roll back by hand', command },
      },
      'us-east-1',
    );
    expect(summary).toContain('## ⏹️ ecs-deploy-and-wait: cancelled\n');
    expect(summary).toContain(
      `**Next:** the new revision is still deployed; to roll back by hand:\n\n\`\`\`sh\n${command}\n\`\`\``,
    );
  });

  test('the watched alarms: states at the start and last read, what each meant, the reason escaped', () => {
    const fired = {
      name: 'api-5xx',
      state: 'ALARM',
      reason: 'Threshold Crossed: [42.0] > 1 | <b>*x*</b>\n`y`',
      transitionedAt: 9,
    };
    const summary = renderSummary(
      {
        ...base,
        failureReason: `alarm api-5xx went into ALARM: ${fired.reason}`,
        decision: {
          kind: 'failed',
          cause: 'alarm',
          reason: `alarm api-5xx went into ALARM: ${fired.reason}`,
          alarm: fired,
          failedTasks: [],
        },
        deploymentAlarms: 'api-5xx (rollback off)',
        alarms: {
          names: ['api-5xx', 'api-latency'],
          source: 'deployment-alarms',
          atStart: [
            { name: 'api-5xx', state: 'OK', reason: 'fine' },
            { name: 'api-latency', state: 'ALARM', reason: 'p95 7 s' },
          ],
          last: [fired, { name: 'api-latency', state: 'ALARM', reason: 'p95 7 s' }],
        },
      },
      'us-east-1',
    );
    expect(summary).toContain("### CloudWatch alarms (the service's deployment alarms)");
    expect(summary).toContain(
      '| api-5xx | OK | ALARM | went into ALARM: failed the deploy | Threshold Crossed: \\[42.0\\] &gt; 1 \\| &lt;b&gt;\\*x\\*&lt;/b&gt; \\`y\\` |',
    );
    expect(summary).toContain(
      '| api-latency | ALARM | ALARM | already in ALARM at the start: ignored, as ECS does | p95 7 s |',
    );
    expect(summary).toContain(
      '| why | alarm api-5xx went into ALARM: Threshold Crossed: \\[42.0\\] &gt; 1 \\| &lt;b&gt;\\*x\\*&lt;/b&gt;<br>\\`y\\` |',
    );
    expect(summary).toContain('| ECS deployment alarms | api-5xx (rollback off) |');
    expect(summary).toContain(
      '- [alarm api-5xx](https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/api-5xx)',
    );
  });

  test("stops that are not the revision's fault are listed apart", () => {
    const spot: TaskInfo = {
      ...task,
      id: 'aa11bb22cc33',
      stopCode: 'TerminationNotice',
      stoppedReason: 'Your Spot Task was interrupted.',
    };
    const summary = renderSummary({ ...base, uncountedStops: [spot] }, 'us-east-1');
    expect(summary).toContain('| aa11bb22… | TerminationNotice | Your Spot Task was interrupted. |');
  });
});

describe('renderSummary: warnings and the ends before any change', () => {
  test("the plan's notes and the end's warnings are each shown once", () => {
    const summary = renderSummary(
      {
        ...base,
        notes: ['the revision the service runs, hokusai-api:108, is INACTIVE (deregistered): …'],
        warnings: ['desiredCount became 0 during the deploy: …'],
      },
      'us-east-1',
    );
    expect(summary.match(/is INACTIVE/g)).toHaveLength(1);
    expect(summary.match(/desiredCount became 0/g)).toHaveLength(1);
  });

  test('wait: false says nothing was verified', () => {
    const summary = renderSummary({ ...base, result: 'started', waited: false }, 'us-east-1');
    expect(summary).toContain('## ▶️ ecs-deploy-and-wait: started');
    expect(summary).toContain('the rollout was not watched, so nothing was verified');
    expect(summary).not.toContain('✅');
  });

  test.each([
    {
      result: 'refused' as const,
      step: 'plan' as const,
      why: 'service "hokusai-api" in cluster "hokusai" uses the CODE_DEPLOY deployment controller: …; nothing was changed',
      heading: '## 🚫 ecs-deploy-and-wait: refused',
    },
    {
      result: 'failed' as const,
      step: 'plan' as const,
      why: 'plan step: DescribeServices kept failing (ServerException) before the deploy changed anything: nothing was changed; run the job again',
      heading: '## ❌ ecs-deploy-and-wait: failed',
    },
    {
      result: 'cancelled' as const,
      step: 'start' as const,
      why: 'cancelled during the start step: nothing was changed',
      heading: '## ⏹️ ecs-deploy-and-wait: cancelled',
    },
  ])('$result before any change: what ended it, why, and that nothing changed', (end) => {
    const summary = renderEarlySummary({
      ...end,
      cluster: 'hokusai',
      service: 'hokusai-api',
      serviceNow: 'unchanged: nothing was changed',
    });
    expect(summary).toContain(end.heading);
    expect(summary).toContain('| service | hokusai-api in hokusai |');
    expect(summary).toContain(`| ended by | the ${end.step} step |`);
    expect(summary).toContain('| service now | unchanged: nothing was changed |');
    expect(summary).toMatch(/\| why \| .+nothing was changed/);
  });
});
