// The job summary from plain data: each alarm with metric, statistic, threshold, state and link; the dashboard and
// its widgets; outside text (CloudWatch's state reasons) only inside code spans.
import { describe, expect, test } from '@jest/globals';
import { desiredState } from '../src/desired.js';
import type { Write } from '../src/plan.js';
import { summaryMarkdown, type MonitoringReport } from '../src/summary.js';
import { serviceContext, settings } from './service-context.js';

function report(overrides: Partial<MonitoringReport> = {}): MonitoringReport {
  const context = serviceContext();
  const desired = desiredState(settings(), context);
  return {
    context,
    desired,
    alarms: desired.alarms.map((spec) => ({
      spec,
      arn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${spec.definition.AlarmName}`,
      state: 'OK',
      stateReason: '',
      outcome: 'unchanged',
    })),
    writes: [],
    warnings: [],
    leftAlone: [],
    calls: { reads: 12, writes: 0 },
    ...overrides,
  };
}

describe('summaryMarkdown', () => {
  test('an unchanged run says so, lists each alarm and the dashboard with its widgets', () => {
    const md = summaryMarkdown(report());
    expect(md).toContain('## ECS service monitoring: hokusai-api on production');
    expect(md).toContain(
      '**No change:** every alarm, the dashboard and the stopped-task pipeline already match the inputs; no write call was made.',
    );
    expect(md).toContain(
      '| [hokusai-api-latency-p95](https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/hokusai-api-latency-p95) | AWS/ApplicationELB TargetResponseTime (LoadBalancer, TargetGroup) | p95 per 1m | &gt; 5s for 3 consecutive 1m periods | 🟢 OK | unchanged | yes (rollback on) |',
    );
    expect(md).toContain('| Sum per 5m | ≥ 3 stopped tasks in 5m |');
    expect(md).toContain(
      '[production-hokusai-api](https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/production-hokusai-api)',
    );
    expect(md).toContain('- ECS task health: running, desired and pending tasks');
    expect(md).toContain('- API response time: p50, p90, p99 (seconds)');
    expect(md).toContain('- Error rate: 5xx % against the alarm threshold');
    expect(md).toContain('AWS requests: 12 (0 writes).');
    expect(md).not.toContain('### Changes made');
  });

  test('changes are listed', () => {
    const write: Write = { kind: 'delete-alarms', names: ['old-restarts'] };
    const md = summaryMarkdown(report({ writes: [write], calls: { reads: 12, writes: 1 } }));
    expect(md).toContain('**Changed:** 1 change made (below).');
    expect(md).toContain('- delete alarm old-restarts (no longer wanted)');
  });

  test("CloudWatch's state reason stays inert: in a code span, one line, pipes escaped", () => {
    const base = report();
    const alarms = base.alarms.map((a, i) =>
      i === 0 ? { ...a, state: 'ALARM', stateReason: 'Threshold Crossed | x\n::error::injected `code`' } : a,
    );
    const md = summaryMarkdown({ ...base, alarms });
    const row = md.split('\n').find((line) => line.includes('hokusai-api-running-tasks]('))!;
    expect(row).toContain('🔴 ALARM<br>`` Threshold Crossed \\| x ::error::injected `code` ``');
    expect(md.split('\n').some((line) => line.startsWith('::'))).toBe(false);
  });

  test("a state that is not one of CloudWatch's words is shown as unknown", () => {
    const base = report();
    const md = summaryMarkdown({ ...base, alarms: base.alarms.map((a) => ({ ...a, state: '<b>x</b>' })) });
    expect(md).toContain('| unknown | unchanged |');
    expect(md).not.toContain('<b>');
  });

  test('warnings, left-alone resources and a service without deployment alarms', () => {
    const context = serviceContext({ deploymentController: 'CODE_DEPLOY' });
    const md = summaryMarkdown(
      report({
        context,
        desired: desiredState(settings({ dashboard: false }), context),
        warnings: ['Container Insights is off for cluster production'],
        leftAlone: ['alarm old_restarts'],
      }),
    );
    expect(md).toContain(
      'Deployment alarms: left as they are (the service does not use the ECS deployment controller).',
    );
    expect(md).toContain('None (dashboard: false).');
    expect(md).toContain('- Container Insights is off for cluster production');
    expect(md).toContain(
      '- alarm old\\_restarts: has a name this action used before, but it did not make it',
    );
  });
});
