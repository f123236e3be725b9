import { describe, expect, test } from '@jest/globals';
import type { RollbackReport } from '../src/auto-rollback.js';
import { followUps, incidentReportMarkdown, whyItFailed } from '../src/incident-report.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function report(overrides: Partial<RollbackReport> = {}): RollbackReport {
  return {
    result: 'rolled-back',
    cluster: 'hokusai',
    service: 'hokusai-api',
    from: `${TD}109`,
    to: `${TD}108`,
    source: 'previous-deployment',
    reason: '',
    failureReason: 'task 3f2a… exited with code 1: SyntaxError: invalid syntax (model_registry.py, line 26)',
    updated: true,
    startedAt: T0 + 60_000,
    finishedAt: T0 + 150_000,
    deployedAt: T0,
    evidence: {
      deployedAt: T0,
      firstFailureAt: T0 + 20_000,
      firstFailure: 'task 9e1b… exited with code 1',
      failedTasks: 3,
    },
    timeline: [
      { at: T0, kind: 'update', label: 'deploy of hokusai-api:109' },
      { at: T0 + 20_000, kind: 'task-stopped', label: 'first failure: task 9e1b… exited with code 1' },
      { at: T0 + 60_000, kind: 'verdict', label: 'verdict: deploy failed, rollback decided' },
      { at: T0 + 61_000, kind: 'rollback', label: 'rollback to hokusai-api:108' },
      { at: T0 + 150_000, kind: 'stable', label: 'stable on hokusai-api:108' },
    ],
    health: {
      status: 'ACTIVE',
      taskDefinition: `${TD}108`,
      running: 2,
      desired: 2,
      pending: 0,
      deployments: [
        {
          id: 'ecs-svc/1',
          status: 'PRIMARY',
          taskDefinition: `${TD}108`,
          running: 2,
          desired: 2,
          rolloutState: 'COMPLETED',
        },
      ],
      targets: { healthy: 2, total: 3, states: { healthy: 2, draining: 1 } },
    },
    summary: 'rolled back to hokusai-api:108; stable',
    ...overrides,
  };
}

describe('whyItFailed', () => {
  test.each([
    {
      name: 'the deploy action’s failure-reason first',
      input: {},
      expected: /^task 3f2a… exited with code 1: SyntaxError/,
    },
    {
      name: 'else the first failure the service shows',
      input: { failureReason: '' },
      expected: /^task 9e1b… exited with code 1$/,
    },
    {
      name: 'else says it was not given',
      input: { failureReason: '', evidence: { failedTasks: 0 } },
      expected: /^not given/,
    },
  ])('$name', ({ input, expected }) => expect(whyItFailed(report(input))).toMatch(expected));
});

describe('followUps', () => {
  const cases: Array<{
    name: string;
    input: Partial<RollbackReport>;
    includes: RegExp[];
    excludes: RegExp[];
  }> = [
    {
      name: 'rolled back',
      input: {},
      includes: [
        /^Find the root cause of the failure of hokusai-api:109: task 3f2a/,
        /^Probe the live endpoints on hokusai-api:108/,
        /^Write the postmortem/,
      ],
      excludes: [/not stable/, /Find who deployed/],
    },
    {
      name: 'timed out',
      input: { result: 'timed-out' },
      includes: [/^\*\*The service is not stable on hokusai-api:108\*\*/],
      excludes: [/Probe the live endpoints/],
    },
    {
      name: 'taken over',
      input: { result: 'taken-over', takenOverBy: { deploymentId: 'ecs-svc/9', taskDefinition: `${TD}110` } },
      includes: [/^Find who deployed hokusai-api:110 \(deployment ecs-svc\/9\)/],
      excludes: [/Probe the live endpoints/],
    },
    {
      name: 'cancelled after UpdateService',
      input: { result: 'cancelled' },
      includes: [/^Check the service: the rollback to hokusai-api:108 was started/],
      excludes: [],
    },
    {
      name: 'cancelled before any change',
      input: { result: 'cancelled', updated: false },
      includes: [/^The service still runs hokusai-api:109/],
      excludes: [],
    },
    {
      name: 'no-op',
      input: { result: 'no-op', from: `${TD}108` },
      includes: [/^Confirm hokusai-api:108 is the revision you meant/],
      excludes: [/root cause/],
    },
  ];
  test.each(cases)('$name', ({ input, includes, excludes }) => {
    const items = followUps(report(input));
    for (const pattern of includes) expect(items.some((i) => pattern.test(i))).toBe(true);
    for (const pattern of excludes) expect(items.some((i) => pattern.test(i))).toBe(false);
  });
});

describe('incidentReportMarkdown', () => {
  const md = incidentReportMarkdown(report({ reason: 'page 1 | 2 <b>' }), { region: 'us-east-1' });

  test('title, overview, timeline, health and the checklist', () => {
    expect(md).toMatch(
      /^## Rollback of hokusai-api: hokusai-api:109 → hokusai-api:108 — rolled back, stable\n/,
    );
    expect(md).toContain('| failing revision | `hokusai-api:109` |');
    expect(md).toContain(
      '| restored revision | `hokusai-api:108` (previous: the deployment that served before) |',
    );
    expect(md).toContain('| deploy → stable again | 2m30s |');
    expect(md).toContain(
      '```mermaid\ntimeline\n  title hokusai-api rollback\n  +0ms : deploy of hokusai-api 109\n  +20.0s : first failure',
    );
    expect(md).toContain('**2/2 running**');
    expect(md).toContain('Load balancer targets: **2/2 healthy** (2 healthy, 1 draining).');
    expect(md).toMatch(/\n- \[ \] Find the root cause/);
  });

  test('the first failed task’s log, collapsed', () => {
    const withLog = incidentReportMarkdown(
      report({
        evidence: {
          failedTasks: 1,
          log: {
            taskId: '9e1b2c3d4e5f',
            container: 'api',
            group: '/ecs/hokusai-api',
            stream: 'hokusai/api/9e1b2c3d4e5f',
            lines: ['Traceback (most recent call last):', 'SyntaxError: invalid syntax'],
          },
        },
      }),
      { region: 'us-east-1' },
    );
    expect(withLog).toContain(
      '<details><summary>Log of the first failed task 9e1b2c3d… (/ecs/hokusai-api hokusai/api/9e1b2c3d4e5f)</summary>\n\n```\nTraceback (most recent call last):\nSyntaxError: invalid syntax\n```',
    );
    expect(md).not.toContain('<details>');
  });

  test('free text cannot break the table', () => {
    expect(md).toContain('| reason | page 1 \\| 2 &lt;b&gt; |');
  });

  test('a job cancelled before any change carries the command to roll back by hand', () => {
    const cancelled = incidentReportMarkdown(report({ result: 'cancelled', updated: false }), {
      region: 'us-east-1',
    });
    expect(cancelled).toContain(
      'aws ecs update-service --cluster hokusai --service hokusai-api --task-definition hokusai-api:108',
    );
    const failed = incidentReportMarkdown(report({ result: 'failed' }), { region: 'us-east-1' });
    expect(failed).not.toContain('aws ecs update-service');
    expect(failed).not.toContain('deploy → stable again');
    expect(md).not.toContain('aws ecs update-service');
  });

  test('no-op says so in the title and has no timeline', () => {
    const noop = incidentReportMarkdown(
      report({ result: 'no-op', from: `${TD}108`, timeline: [], updated: false }),
      { region: 'us-east-1' },
    );
    expect(noop).toMatch(/^## Rollback of hokusai-api: already on hokusai-api:108\n/);
    expect(noop).not.toContain('mermaid');
  });
});
