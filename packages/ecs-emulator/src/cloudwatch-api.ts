// The CloudWatch alarm operations, on the protocol the installed @aws-sdk/client-cloudwatch speaks: AWS JSON 1.0,
// X-Amz-Target GraniteServiceVersion20100801.*, query-compatible errors (x-amzn-query-error: Code;Sender).
// Timestamps are simulated epoch seconds.
import { ApiError, RequestFields } from './api-error.js';
import type { Alarm, AlarmState, Simulation } from './simulation.js';

type Body = Record<string, unknown>;
type Handler = (sim: Simulation, body: Body) => Body;

export const CLOUDWATCH_PREFIX = 'GraniteServiceVersion20100801';

/** The query-protocol error code of each error shape (the `x-amzn-query-error` header), where they differ. */
export const CLOUDWATCH_QUERY_CODES: Record<string, string> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  MissingRequiredParameterException: 'MissingParameter',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
};

const STATES: AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];

const fields = (body: Body): RequestFields => new RequestFields(body, 'InvalidParameterValueException');
const seconds = (ms: number): number => ms / 1000;

function required(f: RequestFields, name: string): string {
  const value = f.string(name);
  if (value === undefined || value === '')
    throw new ApiError('MissingRequiredParameterException', `The parameter ${name} is required.`);
  return value;
}

function alarmShape(a: Alarm): Body {
  const shape: Body = {
    AlarmName: a.name,
    AlarmArn: a.arn,
    AlarmDescription: a.description,
    AlarmConfigurationUpdatedTimestamp: seconds(a.configurationUpdatedAt),
    ActionsEnabled: a.actionsEnabled,
    OKActions: a.okActions,
    AlarmActions: a.alarmActions,
    InsufficientDataActions: a.insufficientDataActions,
    StateValue: a.state,
    StateReason: a.stateReason,
    StateReasonData: a.stateReasonData,
    StateUpdatedTimestamp: seconds(a.stateUpdatedAt),
    StateTransitionedTimestamp: seconds(a.stateUpdatedAt),
    MetricName: a.metricName,
    Namespace: a.namespace,
    Statistic: a.statistic,
    ExtendedStatistic: a.extendedStatistic,
    Dimensions: a.dimensions,
    Period: a.period,
    Unit: a.unit,
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm,
    Threshold: a.threshold,
    ComparisonOperator: a.comparisonOperator,
    TreatMissingData: a.treatMissingData,
  };
  for (const key of Object.keys(shape)) if (shape[key] === undefined) delete shape[key];
  return shape;
}

/** Pages with NextToken as the index of the next item. */
function page<T>(items: T[], f: RequestFields, max = 100): { items: T[]; NextToken?: string } {
  const limit = f.integer('MaxRecords') ?? max;
  if (limit < 1 || limit > max)
    throw new ApiError('InvalidParameterValueException', `MaxRecords must be between 1 and ${max}.`);
  const token = f.string('NextToken');
  const start = token === undefined ? 0 : Number.parseInt(token, 10);
  if (!Number.isInteger(start) || start < 0)
    throw new ApiError('InvalidNextToken', 'The next token is invalid.');
  return {
    items: items.slice(start, start + limit),
    ...(start + limit < items.length ? { NextToken: String(start + limit) } : {}),
  };
}

function alarmOfArn(sim: Simulation, arn: string): Alarm {
  const name = /^arn:aws:cloudwatch:[^:]*:\d*:alarm:(.+)$/.exec(arn)?.[1];
  const alarm = name ? sim.alarms.alarms.get(name) : undefined;
  if (!alarm) throw new ApiError('ResourceNotFoundException', `The resource ${arn} does not exist.`, 404);
  return alarm;
}

function readTags(f: RequestFields): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of f.objects('Tags') ?? []) {
    if (typeof tag.Key !== 'string' || tag.Key === '')
      throw new ApiError('InvalidParameterValueException', 'Tag keys must be non-empty strings.');
    tags[tag.Key] = typeof tag.Value === 'string' ? tag.Value : '';
  }
  return tags;
}

export const cloudwatchOperations: Record<string, Handler> = {
  DescribeAlarms(sim, body) {
    const f = fields(body);
    const names = f.strings('AlarmNames');
    const prefix = f.string('AlarmNamePrefix');
    if (names && prefix)
      throw new ApiError(
        'InvalidParameterCombinationException',
        'AlarmNames and AlarmNamePrefix cannot both be given.',
      );
    const state = f.string('StateValue');
    if (state !== undefined && !STATES.includes(state as AlarmState))
      throw new ApiError('InvalidParameterValueException', `StateValue must be one of ${STATES.join(', ')}.`);
    const types = f.strings('AlarmTypes');
    const metricAlarms = !types || types.includes('MetricAlarm');
    const alarms = [...sim.alarms.alarms.values()]
      .filter(
        (a) =>
          metricAlarms &&
          (!names || names.includes(a.name)) &&
          (!prefix || a.name.startsWith(prefix)) &&
          (!state || a.state === state),
      )
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const { items, NextToken } = page(alarms, f);
    return { MetricAlarms: items.map(alarmShape), CompositeAlarms: [], ...(NextToken ? { NextToken } : {}) };
  },

  DescribeAlarmHistory(sim, body) {
    const f = fields(body);
    const name = f.string('AlarmName');
    const type = f.string('HistoryItemType');
    const start = f.number('StartDate');
    const end = f.number('EndDate');
    const scanBy = f.string('ScanBy') ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending')
      throw new ApiError(
        'InvalidParameterValueException',
        'ScanBy must be TimestampDescending or TimestampAscending.',
      );
    const items = [...sim.alarms.alarms.values()]
      .filter((a) => !name || a.name === name)
      .flatMap((a) => a.history.map((h) => ({ alarm: a, h })))
      .filter(
        ({ h }) =>
          (!type || h.type === type) &&
          (start === undefined || h.timestamp >= start * 1000) &&
          (end === undefined || h.timestamp <= end * 1000),
      )
      .sort((a, b) => b.h.timestamp - a.h.timestamp);
    if (scanBy === 'TimestampAscending') items.reverse();
    const { items: slice, NextToken } = page(items, f);
    return {
      AlarmHistoryItems: slice.map(({ alarm, h }) => ({
        AlarmName: alarm.name,
        AlarmType: 'MetricAlarm',
        Timestamp: seconds(h.timestamp),
        HistoryItemType: h.type,
        HistorySummary: h.summary,
        HistoryData: h.data,
      })),
      ...(NextToken ? { NextToken } : {}),
    };
  },

  PutMetricAlarm(sim, body) {
    const f = fields(body);
    const name = required(f, 'AlarmName');
    const evaluationPeriods = f.integer('EvaluationPeriods');
    if (evaluationPeriods === undefined)
      throw new ApiError('MissingRequiredParameterException', 'The parameter EvaluationPeriods is required.');
    const comparison = required(f, 'ComparisonOperator');
    if (!COMPARISONS.includes(comparison))
      throw new ApiError(
        'InvalidParameterValueException',
        `ComparisonOperator must be one of ${COMPARISONS.join(', ')}.`,
      );
    const str = (key: string): string | undefined => f.string(key);
    const dimensions = (f.objects('Dimensions') ?? []).map((d) => ({
      Name: String(d.Name ?? ''),
      Value: String(d.Value ?? ''),
    }));
    const optional: Partial<Alarm> = {};
    const set = <K extends keyof Alarm>(key: K, value: Alarm[K] | undefined): void => {
      if (value !== undefined) optional[key] = value;
    };
    set('description', str('AlarmDescription'));
    set('namespace', str('Namespace'));
    set('metricName', str('MetricName'));
    set('statistic', str('Statistic'));
    set('extendedStatistic', str('ExtendedStatistic'));
    set('unit', str('Unit'));
    set('threshold', f.number('Threshold'));
    set('datapointsToAlarm', f.integer('DatapointsToAlarm'));
    set('treatMissingData', str('TreatMissingData'));
    set('actionsEnabled', f.boolean('ActionsEnabled'));
    set('alarmActions', f.strings('AlarmActions'));
    set('okActions', f.strings('OKActions'));
    set('insufficientDataActions', f.strings('InsufficientDataActions'));
    const alarm = sim.alarms.put({
      name,
      ...optional,
      dimensions,
      period: f.integer('Period') ?? 60,
      evaluationPeriods,
      comparisonOperator: comparison,
    });
    Object.assign(alarm.tags, readTags(f));
    return {};
  },

  DeleteAlarms(sim, body) {
    const f = fields(body);
    const names = f.strings('AlarmNames');
    if (!names)
      throw new ApiError('MissingRequiredParameterException', 'The parameter AlarmNames is required.');
    sim.alarms.delete(names);
    return {};
  },

  SetAlarmState(sim, body) {
    const f = fields(body);
    const name = required(f, 'AlarmName');
    const state = required(f, 'StateValue');
    if (!STATES.includes(state as AlarmState))
      throw new ApiError('InvalidParameterValueException', `StateValue must be one of ${STATES.join(', ')}.`);
    sim.alarms.setState(name, state as AlarmState, required(f, 'StateReason'));
    return {};
  },

  TagResource(sim, body) {
    const f = fields(body);
    Object.assign(alarmOfArn(sim, required(f, 'ResourceARN')).tags, readTags(f));
    return {};
  },

  UntagResource(sim, body) {
    const f = fields(body);
    const alarm = alarmOfArn(sim, required(f, 'ResourceARN'));
    for (const key of f.strings('TagKeys') ?? []) delete alarm.tags[key];
    return {};
  },

  ListTagsForResource(sim, body) {
    const f = fields(body);
    const alarm = alarmOfArn(sim, required(f, 'ResourceARN'));
    return { Tags: Object.entries(alarm.tags).map(([Key, Value]) => ({ Key, Value })) };
  },
};
