import { describe, expect, test } from '@jest/globals';
import { inputVariable } from '@hokusai/action-kit';
import { actionDefaults, resolveActionDir } from '@hokusai/action-harness';
import { getInputs, type Inputs } from '../src/inputs.js';

const base = { INPUT_CLUSTER: 'production', INPUT_SERVICE: 'hokusai-api', AWS_REGION: 'eu-west-1' };

const DEFAULTS: Inputs = {
  cluster: 'production',
  service: 'hokusai-api',
  'target-group': '',
  'latency-threshold': 5,
  'error-rate-threshold': 1,
  'restart-threshold': 3,
  'restart-window': 300,
  period: 60,
  'evaluation-periods': 3,
  'alarm-actions': [],
  'ok-actions': [],
  'alarm-prefix': '',
  dashboard: true,
  'dashboard-name': '',
  'deployment-alarms': true,
  'enable-container-insights': false,
  tags: {},
  'aws-region': 'eu-west-1',
};

describe('getInputs', () => {
  test('defaults', () => {
    expect(getInputs(base)).toEqual(DEFAULTS);
  });

  test("action.yml's defaults, as the runner passes them, mean the same", () => {
    const fromActionYml = Object.fromEntries(
      Object.entries(actionDefaults(resolveActionDir('ecs-service-monitoring'))).map(([k, v]) => [
        inputVariable(k),
        v,
      ]),
    );
    expect(getInputs({ ...fromActionYml, ...base })).toEqual(DEFAULTS);
  });

  const valid: Array<{ name: string; env: Record<string, string>; expected: Partial<Inputs> }> = [
    {
      name: 'latency in ms',
      env: { 'INPUT_LATENCY-THRESHOLD': '800ms' },
      expected: { 'latency-threshold': 0.8 },
    },
    {
      name: 'latency at the ALB maximum',
      env: { 'INPUT_LATENCY-THRESHOLD': '4000s' },
      expected: { 'latency-threshold': 4000 },
    },
    {
      name: 'a fractional rate',
      env: { 'INPUT_ERROR-RATE-THRESHOLD': '0.5%' },
      expected: { 'error-rate-threshold': 0.5 },
    },
    {
      name: 'rate 0 % and 100 %',
      env: { 'INPUT_ERROR-RATE-THRESHOLD': '100%' },
      expected: { 'error-rate-threshold': 100 },
    },
    {
      name: 'windows and periods',
      env: { 'INPUT_RESTART-WINDOW': '1h', INPUT_PERIOD: '5m', 'INPUT_EVALUATION-PERIODS': '2' },
      expected: { 'restart-window': 3600, period: 300, 'evaluation-periods': 2 },
    },
    {
      name: 'hour-long periods may span up to seven days',
      env: { INPUT_PERIOD: '1h', 'INPUT_EVALUATION-PERIODS': '168' },
      expected: { period: 3600, 'evaluation-periods': 168 },
    },
    {
      name: 'SNS topics, one per line, duplicates dropped',
      env: {
        'INPUT_ALARM-ACTIONS':
          'arn:aws:sns:eu-west-1:123456789012:oncall\narn:aws:sns:eu-west-1:123456789012:oncall\n',
        'INPUT_OK-ACTIONS': 'arn:aws:sns:eu-west-1:123456789012:alerts.fifo',
      },
      expected: {
        'alarm-actions': ['arn:aws:sns:eu-west-1:123456789012:oncall'],
        'ok-actions': ['arn:aws:sns:eu-west-1:123456789012:alerts.fifo'],
      },
    },
    {
      name: 'a target group ARN',
      env: {
        'INPUT_TARGET-GROUP':
          'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/hokusai-api/73e2d6bc24d8a067',
      },
      expected: {
        'target-group':
          'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/hokusai-api/73e2d6bc24d8a067',
      },
    },
    {
      name: 'tags',
      env: { INPUT_TAGS: 'team=platform\ncost-center = 42\n# a comment\nowner:email=ops@example.com' },
      expected: { tags: { team: 'platform', 'cost-center': '42', 'owner:email': 'ops@example.com' } },
    },
    {
      name: 'names',
      env: { 'INPUT_ALARM-PREFIX': 'prod/hokusai-api', 'INPUT_DASHBOARD-NAME': 'hokusai_status' },
      expected: { 'alarm-prefix': 'prod/hokusai-api', 'dashboard-name': 'hokusai_status' },
    },
    {
      name: 'booleans',
      env: {
        INPUT_DASHBOARD: 'false',
        'INPUT_DEPLOYMENT-ALARMS': 'false',
        'INPUT_ENABLE-CONTAINER-INSIGHTS': 'true',
      },
      expected: { dashboard: false, 'deployment-alarms': false, 'enable-container-insights': true },
    },
  ];
  test.each(valid)('$name', ({ env, expected }) => {
    expect(getInputs({ ...base, ...env })).toMatchObject(expected);
  });

  const invalid: Array<{ name: string; env: Record<string, string | undefined>; error: string }> = [
    {
      name: 'no cluster',
      env: { INPUT_CLUSTER: '' },
      error: 'input "cluster" is required and was not supplied',
    },
    {
      name: 'a bad service name',
      env: { INPUT_SERVICE: 'a b' },
      error: 'invalid value "a b" for input "service"',
    },
    {
      name: 'a service ARN in another cluster than "cluster" (trial A: it reported "no change" on the wrong service)',
      env: {
        INPUT_CLUSTER: 'production',
        INPUT_SERVICE: 'arn:aws:ecs:us-east-1:123456789012:service/staging/hokusai-api',
      },
      error: 'is in cluster "staging", not in cluster "production" (input "cluster")',
    },
    {
      name: 'a negative latency',
      env: { 'INPUT_LATENCY-THRESHOLD': '-1s' },
      error: 'for input "latency-threshold": must not be negative',
    },
    {
      name: 'latency 0',
      env: { 'INPUT_LATENCY-THRESHOLD': '0s' },
      error: 'must be more than 0s and at most 4000s',
    },
    {
      name: 'latency over 4000 s',
      env: { 'INPUT_LATENCY-THRESHOLD': '2h' },
      error: `at most 4000s (the ALB's maximum)`,
    },
    {
      name: 'latency not a duration',
      env: { 'INPUT_LATENCY-THRESHOLD': 'fast' },
      error: 'invalid duration "fast" for input "latency-threshold"',
    },
    {
      name: 'a rate over 100 %',
      env: { 'INPUT_ERROR-RATE-THRESHOLD': '100.5%' },
      error: 'a rate cannot be over 100%',
    },
    {
      name: 'a negative rate',
      env: { 'INPUT_ERROR-RATE-THRESHOLD': '-0.1%' },
      error: 'must not be negative',
    },
    {
      name: 'a rate without %',
      env: { 'INPUT_ERROR-RATE-THRESHOLD': '1' },
      error: 'use a percentage such as 1% or 0.5%',
    },
    {
      name: 'restart threshold 0',
      env: { 'INPUT_RESTART-THRESHOLD': '0' },
      error: 'invalid value "0" for input "restart-threshold": must be from 1 to 10000',
    },
    {
      name: 'a negative restart threshold',
      env: { 'INPUT_RESTART-THRESHOLD': '-2' },
      error: 'must not be negative',
    },
    {
      name: 'a restart window of seconds',
      env: { 'INPUT_RESTART-WINDOW': '90s' },
      error: 'must be a whole number of minutes from 1m to 24h',
    },
    {
      name: 'a period of 30 s',
      env: { INPUT_PERIOD: '30s' },
      error: 'invalid value "30s" for input "period"',
    },
    {
      name: 'a negative period',
      env: { INPUT_PERIOD: '-1m' },
      error: 'for input "period": must not be negative',
    },
    {
      name: 'evaluation periods 0',
      env: { 'INPUT_EVALUATION-PERIODS': '0' },
      error: 'for input "evaluation-periods": must be from 1 to 1440',
    },
    {
      name: 'period × evaluation periods over a day',
      env: { INPUT_PERIOD: '30m', 'INPUT_EVALUATION-PERIODS': '49' },
      error: 'times "evaluation-periods" (49) is more than one day',
    },
    {
      name: 'hour-long periods over seven days',
      env: { INPUT_PERIOD: '2h', 'INPUT_EVALUATION-PERIODS': '85' },
      error: 'times "evaluation-periods" (85) is more than seven days',
    },
    {
      name: 'an SQS ARN as an alarm action',
      env: { 'INPUT_ALARM-ACTIONS': 'arn:aws:sqs:eu-west-1:123456789012:q' },
      error: 'for input "alarm-actions": not an SNS topic ARN',
    },
    {
      name: 'an SNS ARN without an account',
      env: { 'INPUT_OK-ACTIONS': 'arn:aws:sns:eu-west-1::oncall' },
      error: 'for input "ok-actions": not an SNS topic ARN',
    },
    {
      name: 'six topics',
      env: {
        'INPUT_ALARM-ACTIONS': [1, 2, 3, 4, 5, 6]
          .map((n) => `arn:aws:sns:eu-west-1:123456789012:t${n}`)
          .join('\n'),
      },
      error: 'input "alarm-actions" lists 6 topics; CloudWatch allows at most 5',
    },
    {
      name: 'a bad target group',
      env: { 'INPUT_TARGET-GROUP': 'has spaces' },
      error: 'invalid value "has spaces" for input "target-group"',
    },
    {
      name: 'a bad dashboard name',
      env: { 'INPUT_DASHBOARD-NAME': 'my dashboard' },
      error: 'for input "dashboard-name"',
    },
    { name: 'a bad alarm prefix', env: { 'INPUT_ALARM-PREFIX': '-x' }, error: 'for input "alarm-prefix"' },
    {
      name: 'a reserved tag',
      env: { INPUT_TAGS: 'hokusai:service=x' },
      error: 'invalid value "hokusai:service" for input "tags"',
    },
    {
      name: 'an aws: tag',
      env: { INPUT_TAGS: 'aws:cloudformation=x' },
      error: 'keys starting with aws: and the hokusai: keys',
    },
    {
      name: 'a tag line without =',
      env: { INPUT_TAGS: 'team' },
      error: 'invalid value "team" for input "tags": use KEY=VALUE lines',
    },
    {
      name: 'a tag value with a quote',
      env: { INPUT_TAGS: 'team="x"' },
      error: 'tag values are at most 256',
    },
    {
      name: 'a bad boolean',
      env: { INPUT_DASHBOARD: 'yes' },
      error: 'invalid boolean "yes" for input "dashboard"',
    },
    { name: 'no region', env: { AWS_REGION: undefined }, error: 'no AWS region' },
  ];
  test.each(invalid)('refuses $name', ({ env, error }) => {
    expect(() => getInputs({ ...base, ...env })).toThrow(error);
  });

  test('a long value is shortened in the error line', () => {
    const long = `arn:aws:sqs:eu-west-1:123456789012:${'q'.repeat(200)}`;
    expect(() => getInputs({ ...base, 'INPUT_ALARM-ACTIONS': long })).toThrow(
      /invalid value "arn:aws:sqs:.{60,}\.\.\." for input/,
    );
  });
});
