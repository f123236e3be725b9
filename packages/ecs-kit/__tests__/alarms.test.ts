// The rules for watched CloudWatch alarms, as ECS's deployment alarms apply them (pure, plain data).
import { describe, expect, test } from '@jest/globals';
import {
  alarmReasonLine,
  alarmsAlreadyInAlarm,
  describeFiredAlarm,
  describeIgnoredAlarm,
  firedAlarm,
  wentIntoAlarm,
} from '../src/alarms.js';
import { alarmInfoFromSdk } from '../src/aws-adapters.js';
import type { AlarmInfo } from '../src/model.js';

const a = (state: string, transitionedAt?: number, name = 'api-5xx'): AlarmInfo => ({
  name,
  state,
  reason: 'Threshold Crossed',
  ...(transitionedAt !== undefined ? { transitionedAt } : {}),
});

describe('wentIntoAlarm', () => {
  test.each([
    { name: 'OK now', now: a('OK', 50), start: a('OK', 10), created: 20, expected: false },
    {
      name: 'INSUFFICIENT_DATA now',
      now: a('INSUFFICIENT_DATA', 50),
      start: a('OK', 10),
      created: 20,
      expected: false,
    },
    {
      name: 'into ALARM after the deployment was created',
      now: a('ALARM', 50),
      start: a('OK', 10),
      created: 20,
      expected: true,
    },
    {
      name: 'into ALARM before it was created (after the plan read)',
      now: a('ALARM', 15),
      start: a('OK', 10),
      created: 20,
      expected: false,
    },
    { name: 'in ALARM all along', now: a('ALARM', 5), start: a('ALARM', 5), created: 20, expected: false },
    {
      name: 'in ALARM at the start, out and back after',
      now: a('ALARM', 30),
      start: a('ALARM', 5),
      created: 20,
      expected: true,
    },
    {
      name: 'the same instant as the creation is not after it',
      now: a('ALARM', 20),
      start: a('OK', 10),
      created: 20,
      expected: false,
    },
    {
      name: 'no timestamps: OK at the plan, ALARM now',
      now: a('ALARM'),
      start: a('OK'),
      created: undefined,
      expected: true,
    },
    {
      name: 'no timestamps: ALARM at the plan and now',
      now: a('ALARM'),
      start: a('ALARM'),
      created: undefined,
      expected: false,
    },
    {
      name: 'no creation time: in ALARM at the plan, a later transition',
      now: a('ALARM', 30),
      start: a('ALARM', 5),
      created: undefined,
      expected: true,
    },
    {
      name: 'not read at the plan (added since): ALARM',
      now: a('ALARM'),
      start: undefined,
      created: undefined,
      expected: true,
    },
  ])('$name: $expected', ({ now, start, created, expected }) => {
    expect(wentIntoAlarm(now, start, created)).toBe(expected);
  });
});

describe('firedAlarm', () => {
  test('the earliest transition wins, then the name; ignored ones never', () => {
    const watch = {
      names: ['b', 'a', 'c'],
      atStart: [a('OK', 1, 'a'), a('OK', 1, 'b'), a('ALARM', 1, 'c')],
      deploymentCreatedAt: 10,
    };
    expect(firedAlarm([a('ALARM', 40, 'b'), a('ALARM', 30, 'a'), a('ALARM', 1, 'c')], watch)?.name).toBe('a');
    expect(firedAlarm([a('ALARM', 30, 'b'), a('ALARM', 30, 'a')], watch)?.name).toBe('a');
    expect(firedAlarm([a('OK', 40, 'a'), a('ALARM', 1, 'c')], watch)).toBeUndefined();
  });
  test('alarmsAlreadyInAlarm', () => {
    expect(
      alarmsAlreadyInAlarm([a('OK', 1, 'x'), a('ALARM', 1, 'y'), a('INSUFFICIENT_DATA', 1, 'z')]).map(
        (x) => x.name,
      ),
    ).toEqual(['y']);
  });
});

describe('wording', () => {
  test('the failure reason issue 14 specifies, the reason on one line and shortened', () => {
    expect(
      describeFiredAlarm({ name: 'api-5xx', state: 'ALARM', reason: 'Threshold\nCrossed:  42 > 1' }),
    ).toBe('alarm api-5xx went into ALARM: Threshold Crossed: 42 > 1');
    expect(describeFiredAlarm({ name: 'api-5xx', state: 'ALARM', reason: '' })).toBe(
      'alarm api-5xx went into ALARM',
    );
    const long = alarmReasonLine('x'.repeat(1000));
    expect([...long]).toHaveLength(301);
    expect(long.endsWith('…')).toBe(true);
  });
  test('an ignored alarm says why', () => {
    expect(describeIgnoredAlarm({ name: 'api-latency', state: 'ALARM', reason: 'p95 7 s' })).toMatch(
      /^alarm api-latency was already in ALARM when the deploy started \(p95 7 s\): ignored, as ECS ignores an alarm already in ALARM when a deployment starts/,
    );
  });
});

describe('alarmInfoFromSdk', () => {
  test('StateTransitionedTimestamp first, else StateUpdatedTimestamp', () => {
    expect(
      alarmInfoFromSdk({
        AlarmName: 'x',
        StateValue: 'ALARM',
        StateReason: 'r',
        StateTransitionedTimestamp: new Date(2000),
        StateUpdatedTimestamp: new Date(3000),
      }),
    ).toEqual({ name: 'x', state: 'ALARM', reason: 'r', transitionedAt: 2000 });
    expect(
      alarmInfoFromSdk({ AlarmName: 'x', StateValue: 'OK', StateUpdatedTimestamp: new Date(3000) }),
    ).toEqual({
      name: 'x',
      state: 'OK',
      reason: '',
      transitionedAt: 3000,
    });
    expect(alarmInfoFromSdk({ AlarmName: 'x', StateValue: 'OK' })).toEqual({
      name: 'x',
      state: 'OK',
      reason: '',
    });
  });
});
