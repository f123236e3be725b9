// Compares an alarm as the action wants it with the alarm DescribeAlarms returns, field by field, so an unchanged
// alarm is never written again and a changed one says what changed. Pure.
import type { AlarmDefinition, Dimension, MetricQuery } from './model.js';

/** The fields of a DescribeAlarms MetricAlarm this module reads (the SDK's type is structurally compatible). */
export interface DescribedAlarm {
  AlarmName?: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  AlarmActions?: string[];
  OKActions?: string[];
  InsufficientDataActions?: string[];
  ComparisonOperator?: string;
  Threshold?: number;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  TreatMissingData?: string;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Array<{ Name?: string; Value?: string }>;
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  Metrics?: Array<{
    Id?: string;
    Label?: string;
    ReturnData?: boolean;
    Expression?: string;
    Period?: number;
    MetricStat?: {
      Metric?: {
        Namespace?: string;
        MetricName?: string;
        Dimensions?: Array<{ Name?: string; Value?: string }>;
      };
      Period?: number;
      Stat?: string;
    };
  }>;
}

function dimensions(list: Array<{ Name?: string; Value?: string }> | undefined): Dimension[] {
  return (list ?? [])
    .map((d) => ({ Name: d.Name ?? '', Value: d.Value ?? '' }))
    .sort((a, b) => a.Name.localeCompare(b.Name));
}

function queries(list: DescribedAlarm['Metrics']): MetricQuery[] | undefined {
  if (!list || list.length === 0) return undefined;
  return list.map((q) => {
    const base = { Id: q.Id ?? '', ...(q.Label ? { Label: q.Label } : {}), ReturnData: q.ReturnData ?? true };
    if (q.Expression !== undefined) return { ...base, Expression: q.Expression };
    const m = q.MetricStat?.Metric;
    return {
      ...base,
      MetricStat: {
        Metric: {
          Namespace: m?.Namespace ?? '',
          MetricName: m?.MetricName ?? '',
          Dimensions: dimensions(m?.Dimensions),
        },
        Period: q.MetricStat?.Period ?? q.Period ?? 0,
        Stat: q.MetricStat?.Stat ?? '',
      },
    };
  });
}

/** An alarm (desired or described) in canonical form: sorted dimensions and actions, defaults made explicit. */
export function canonicalAlarm(alarm: DescribedAlarm | AlarmDefinition): AlarmDefinition {
  const metrics = queries(alarm.Metrics);
  const single = !metrics;
  return {
    AlarmName: alarm.AlarmName ?? '',
    AlarmDescription: alarm.AlarmDescription ?? '',
    ActionsEnabled: alarm.ActionsEnabled ?? true,
    AlarmActions: [...(alarm.AlarmActions ?? [])].sort(),
    OKActions: [...(alarm.OKActions ?? [])].sort(),
    InsufficientDataActions: [...(alarm.InsufficientDataActions ?? [])].sort(),
    ComparisonOperator: alarm.ComparisonOperator ?? '',
    Threshold: alarm.Threshold ?? 0,
    EvaluationPeriods: alarm.EvaluationPeriods ?? 0,
    // CloudWatch treats a missing DatapointsToAlarm as EvaluationPeriods.
    DatapointsToAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods ?? 0,
    TreatMissingData: alarm.TreatMissingData ?? 'missing',
    ...(single
      ? {
          Namespace: alarm.Namespace ?? '',
          MetricName: alarm.MetricName ?? '',
          Dimensions: dimensions(alarm.Dimensions),
          ...(alarm.ExtendedStatistic
            ? { ExtendedStatistic: alarm.ExtendedStatistic }
            : { Statistic: alarm.Statistic ?? '' }),
          Period: alarm.Period ?? 0,
        }
      : { Metrics: metrics }),
  };
}

/**
 * A value safe and short enough to print: numbers, and plain words such as GreaterThanThreshold or p95. Anything
 * else (descriptions, lists, queries) may hold text someone else wrote and is only reported as changed.
 */
function shortValue(value: unknown): string | undefined {
  if (value === undefined) return '(none)';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(value)) return value;
  return undefined;
}

/**
 * What differs between the current and the desired alarm, one entry per top-level PutMetricAlarm field, e.g.
 * `Threshold 5 → 3`; empty when they are the same.
 */
export function alarmChanges(current: DescribedAlarm | AlarmDefinition, desired: AlarmDefinition): string[] {
  const a = canonicalAlarm(current) as unknown as Record<string, unknown>;
  const b = canonicalAlarm(desired) as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changes: string[] = [];
  for (const key of keys) {
    if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
    const before = shortValue(a[key]);
    const after = shortValue(b[key]);
    changes.push(
      before === undefined || after === undefined ? `${key} changed` : `${key} ${before} → ${after}`,
    );
  }
  return changes;
}
