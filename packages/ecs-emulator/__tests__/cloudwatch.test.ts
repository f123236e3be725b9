// CloudWatch alarms through the installed @aws-sdk/client-cloudwatch (AWS JSON 1.0, query-compatible errors), on the
// virtual clock: scenario alarms change state over simulated time, with their history; PutMetricAlarm, SetAlarmState,
// DeleteAlarms and tags for code that creates alarms.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  InvalidParameterValueException,
  ListTagsForResourceCommand,
  MissingRequiredParameterException,
  PutMetricAlarmCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import path from 'node:path';
import { loadScenario, SCENARIOS_DIR, startEmulator, type EmulatorHandle } from '../src/index.js';
import { errorOf } from './sdk-clients.js';

let emulator: EmulatorHandle;
let cw: CloudWatchClient;
const START = Date.parse('2026-03-01T10:00:00Z');

beforeEach(async () => {
  const scenario = loadScenario(path.join(SCENARIOS_DIR, 'healthy-rollout.yaml'));
  scenario.startTime = new Date(START).toISOString();
  scenario.cloudWatchAlarms = [
    {
      name: 'hokusai-api-5xx',
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      statistic: 'Sum',
      dimensions: [{ name: 'TargetGroup', value: 'targetgroup/hokusai-api/0123456789abcdef' }],
      period: 60,
      evaluationPeriods: 3,
      threshold: 10,
      comparisonOperator: 'GreaterThanThreshold',
      states: [
        { atSeconds: 120, state: 'ALARM', reason: 'Threshold Crossed: 3 datapoints were greater than 10.' },
        { atSeconds: 300, state: 'OK' },
      ],
    },
    { name: 'hokusai-api-latency', state: 'INSUFFICIENT_DATA' },
  ];
  emulator = await startEmulator({ scenario, clock: 'virtual' });
  cw = new CloudWatchClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
});
afterEach(async () => {
  cw.destroy();
  await emulator.close();
});

describe('CloudWatch alarms on the wire', () => {
  test('DescribeAlarms shows scenario alarms; their state follows the scenario timeline in simulated time', async () => {
    const first = await cw.send(new DescribeAlarmsCommand({}));
    expect(first.MetricAlarms!.map((a) => [a.AlarmName, a.StateValue])).toEqual([
      ['hokusai-api-5xx', 'OK'],
      ['hokusai-api-latency', 'INSUFFICIENT_DATA'],
    ]);
    expect(first.MetricAlarms![0]).toMatchObject({
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:hokusai-api-5xx',
      Namespace: 'AWS/ApplicationELB',
      Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/hokusai-api/0123456789abcdef' }],
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(first.CompositeAlarms).toEqual([]);

    await emulator.clock.sleep(150_000);
    const alarmed = await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    expect(alarmed.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['hokusai-api-5xx']);
    expect(alarmed.MetricAlarms![0]!.StateReason).toBe(
      'Threshold Crossed: 3 datapoints were greater than 10.',
    );
    expect(alarmed.MetricAlarms![0]!.StateUpdatedTimestamp!.getTime()).toBe(START + 120_000);

    await emulator.clock.sleep(200_000);
    const history = await cw.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'hokusai-api-5xx', HistoryItemType: 'StateUpdate' }),
    );
    expect(history.AlarmHistoryItems!.map((h) => [h.HistorySummary, h.Timestamp!.getTime()])).toEqual([
      ['Alarm updated from ALARM to OK', START + 300_000],
      ['Alarm updated from OK to ALARM', START + 120_000],
    ]);
    expect(JSON.parse(history.AlarmHistoryItems![1]!.HistoryData!)).toMatchObject({
      oldState: { stateValue: 'OK' },
      newState: { stateValue: 'ALARM' },
    });
  });

  test('PutMetricAlarm creates an alarm in INSUFFICIENT_DATA; SetAlarmState, tags and DeleteAlarms work', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'hokusai-api-running-tasks',
        Namespace: 'ECS/ContainerInsights',
        MetricName: 'RunningTaskCount',
        Statistic: 'Minimum',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 2,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        Tags: [{ Key: 'service', Value: 'hokusai-api' }],
      }),
    );
    const [created] = (
      await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['hokusai-api-running-tasks'] }))
    ).MetricAlarms!;
    expect(created).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', TreatMissingData: 'breaching' });
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: 'hokusai-api-running-tasks',
        StateValue: 'ALARM',
        StateReason: 'testing',
      }),
    );
    expect(
      (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'hokusai-api-running' }))).MetricAlarms![0]!
        .StateValue,
    ).toBe('ALARM');
    await cw.send(
      new TagResourceCommand({ ResourceARN: created!.AlarmArn!, Tags: [{ Key: 'team', Value: 'api' }] }),
    );
    expect((await cw.send(new ListTagsForResourceCommand({ ResourceARN: created!.AlarmArn! }))).Tags).toEqual(
      [
        { Key: 'service', Value: 'hokusai-api' },
        { Key: 'team', Value: 'api' },
      ],
    );
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['hokusai-api-running-tasks'] }));
    expect(
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['hokusai-api-running-tasks'] }))).MetricAlarms,
    ).toEqual([]);
  });

  test('errors surface as the SDK’s named exceptions', async () => {
    const missing = await errorOf(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['nope'] })));
    expect(missing).toBeInstanceOf(ResourceNotFound);
    const state = await errorOf(
      cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' })),
    );
    expect(state).toBeInstanceOf(ResourceNotFound);
    const bad = await errorOf(
      cw.send(
        new PutMetricAlarmCommand({
          AlarmName: 'x',
          EvaluationPeriods: 1,
          ComparisonOperator: 'Sideways' as never,
        }),
      ),
    );
    expect(bad).toBeInstanceOf(InvalidParameterValueException);
    const incomplete = await errorOf(
      cw.send(
        new PutMetricAlarmCommand({ AlarmName: 'x', ComparisonOperator: 'GreaterThanThreshold' } as never),
      ),
    );
    expect(incomplete).toBeInstanceOf(MissingRequiredParameterException);
  });
});
