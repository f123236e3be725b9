// An alarm as DescribeAlarms returns it compares equal to the alarm as the action asked for it; a change is named.
import { describe, expect, test } from '@jest/globals';
import { alarmChanges, canonicalAlarm, type DescribedAlarm } from '../src/alarm-definition.js';
import { desiredState } from '../src/desired.js';
import type { AlarmDefinition } from '../src/model.js';
import { serviceContext, settings } from './service-context.js';

const state = desiredState(settings(), serviceContext());
const byName = (suffix: string): AlarmDefinition =>
  state.alarms.find((a) => a.definition.AlarmName.endsWith(suffix))!.definition;

/** What DescribeAlarms answers for an alarm: extra read-only fields, dimensions in any order, defaults left out. */
function described(definition: AlarmDefinition): DescribedAlarm & Record<string, unknown> {
  return {
    ...definition,
    AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${definition.AlarmName}`,
    StateValue: 'OK',
    StateReason: 'Threshold Crossed',
    AlarmConfigurationUpdatedTimestamp: new Date(0),
    Dimensions: definition.Dimensions ? [...definition.Dimensions].reverse() : [],
    AlarmActions: definition.AlarmActions.length > 0 ? [...definition.AlarmActions].reverse() : undefined,
    InsufficientDataActions: undefined,
    Metrics: definition.Metrics?.map((q) =>
      'MetricStat' in q
        ? {
            ...q,
            MetricStat: {
              ...q.MetricStat,
              Metric: { ...q.MetricStat.Metric, Dimensions: [...q.MetricStat.Metric.Dimensions].reverse() },
            },
          }
        : q,
    ),
  };
}

describe('alarmChanges', () => {
  test.each(['running-tasks', 'restarts', 'latency-p95', '5xx-rate'])(
    '%s read back as described: no change',
    (suffix) => {
      expect(alarmChanges(described(byName(suffix)), byName(suffix))).toEqual([]);
    },
  );

  test('DatapointsToAlarm left out reads as EvaluationPeriods; ReturnData left out reads as true', () => {
    const latency = byName('latency-p95');
    const { DatapointsToAlarm: _, ...withoutDatapoints } = latency;
    expect(alarmChanges(withoutDatapoints, latency)).toEqual([]);
    const rate = byName('5xx-rate');
    const withoutReturnData = {
      ...rate,
      Metrics: rate.Metrics!.map((q) =>
        q.Id === 'rate'
          ? { Id: q.Id, Label: q.Label, Expression: (q as { Expression: string }).Expression }
          : q,
      ),
    };
    expect(alarmChanges(withoutReturnData as DescribedAlarm, rate)).toEqual([]);
  });

  const changes: Array<{ name: string; edit: (a: AlarmDefinition) => AlarmDefinition; expected: string[] }> =
    [
      { name: 'threshold', edit: (a) => ({ ...a, Threshold: 9 }), expected: ['Threshold 9 → 5'] },
      {
        name: 'statistic',
        edit: (a) => ({ ...a, ExtendedStatistic: 'p99' }),
        expected: ['ExtendedStatistic p99 → p95'],
      },
      {
        name: 'a dimension',
        edit: (a) => ({ ...a, Dimensions: [{ Name: 'LoadBalancer', Value: 'app/other/1' }] }),
        expected: ['Dimensions changed'],
      },
      {
        name: 'the description (text, never printed)',
        edit: (a) => ({ ...a, AlarmDescription: '::error::x' }),
        expected: ['AlarmDescription changed'],
      },
      {
        name: 'actions',
        edit: (a) => ({ ...a, OKActions: ['arn:aws:sns:eu-west-1:123456789012:t'] }),
        expected: ['OKActions changed'],
      },
      {
        name: 'missing-data treatment',
        edit: (a) => ({ ...a, TreatMissingData: 'breaching' }),
        expected: ['TreatMissingData breaching → notBreaching'],
      },
    ];
  test.each(changes)('names a changed $name', ({ edit, expected }) => {
    const latency = byName('latency-p95');
    expect(alarmChanges(edit(latency), latency)).toEqual(expected);
  });

  test('a changed metric-math expression', () => {
    const rate = byName('5xx-rate');
    const edited = {
      ...rate,
      Metrics: rate.Metrics!.map((q) => (q.Id === 'rate' ? { ...q, Expression: 'errors' } : q)),
    };
    expect(alarmChanges(edited, rate)).toEqual(['Metrics changed']);
  });

  test('a single-metric alarm turned into a metric-math one', () => {
    expect(
      alarmChanges(byName('latency-p95'), { ...byName('5xx-rate'), AlarmName: 'hokusai-api-latency-p95' }),
    ).toEqual(expect.arrayContaining(['Namespace changed', 'Metrics changed']));
  });
});

test('canonicalAlarm sorts dimensions and actions', () => {
  const canonical = canonicalAlarm({
    AlarmName: 'a',
    AlarmActions: ['b', 'a'],
    Namespace: 'N',
    MetricName: 'M',
    Statistic: 'Sum',
    Period: 60,
    Dimensions: [
      { Name: 'Z', Value: '1' },
      { Name: 'A', Value: '2' },
    ],
  });
  expect(canonical.AlarmActions).toEqual(['a', 'b']);
  expect(canonical.Dimensions!.map((d) => d.Name)).toEqual(['A', 'Z']);
});
