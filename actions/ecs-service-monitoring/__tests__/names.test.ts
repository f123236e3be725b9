import { describe, expect, test } from '@jest/globals';
import {
  alarmConsoleUrl,
  dashboardConsoleUrl,
  nameOf,
  ownershipOf,
  parseArn,
  serviceTagValue,
  stoppedTaskLogGroupName,
  stoppedTaskRuleName,
} from '../src/names.js';

describe('names', () => {
  test('EventBridge rule names stay within 64 characters of the allowed set, distinct per service', () => {
    expect(stoppedTaskRuleName('production', 'hokusai-api')).toBe(
      'hokusai-stopped-tasks-production-hokusai-api',
    );
    const long = stoppedTaskRuleName('c'.repeat(100), 's'.repeat(100));
    const other = stoppedTaskRuleName('c'.repeat(100), `${'s'.repeat(99)}t`);
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[.\-_A-Za-z0-9]+$/);
    expect(long).not.toBe(other);
  });

  test('log group names', () => {
    expect(stoppedTaskLogGroupName('production', 'hokusai-api')).toBe(
      '/aws/events/hokusai/production/hokusai-api/stopped-tasks',
    );
  });

  test('the service tag value, hashed when longer than a tag value may be', () => {
    expect(serviceTagValue('production', 'hokusai-api')).toBe('production/hokusai-api');
    expect(serviceTagValue('c'.repeat(200), 's'.repeat(100))).toMatch(/^sha256:[0-9a-f]{10}$/);
  });

  const owners: Array<{ tags: Record<string, string>; expected: string }> = [
    {
      tags: { 'hokusai:managed-by': 'ecs-service-monitoring', 'hokusai:service': 'production/hokusai-api' },
      expected: 'ours',
    },
    {
      tags: { 'hokusai:managed-by': 'ecs-service-monitoring', 'hokusai:service': 'staging/hokusai-api' },
      expected: 'other-service',
    },
    { tags: { 'hokusai:service': 'production/hokusai-api' }, expected: 'not-managed' },
    { tags: {}, expected: 'not-managed' },
  ];
  test.each(owners)('ownershipOf $tags is $expected', ({ tags, expected }) => {
    expect(ownershipOf(tags, 'production', 'hokusai-api')).toBe(expected);
  });

  test('ARNs', () => {
    expect(parseArn('arn:aws-cn:ecs:cn-north-1:123456789012:cluster/prod')).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      account: '123456789012',
      resource: 'cluster/prod',
    });
    expect(parseArn('prod')).toBeUndefined();
    expect(nameOf('arn:aws:ecs:eu-west-1:123456789012:service/production/hokusai-api')).toBe('hokusai-api');
    expect(nameOf('hokusai-api')).toBe('hokusai-api');
  });
  test.each([
    ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/two-tg/138eb743b0b990a8', 'two-tg'],
    ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/0123456789abcdef', 'x'],
    [
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api-alb/50dc6c495c0c9188',
      'api-alb',
    ],
    ['arn:aws:ecs:eu-west-1:123456789012:cluster/production', 'production'],
  ])('an ELB ARN is named by its name, not its id: %s', (arn, name) => {
    expect(nameOf(arn)).toBe(name);
  });

  test('console links per partition', () => {
    expect(alarmConsoleUrl('aws', 'eu-west-1', 'a/b c')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/a%2Fb%20c',
    );
    expect(dashboardConsoleUrl('aws-cn', 'cn-north-1', 'd')).toBe(
      'https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#dashboards/dashboard/d',
    );
    expect(dashboardConsoleUrl('aws-us-gov', 'us-gov-west-1', 'd')).toBe(
      'https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#dashboards/dashboard/d',
    );
  });
});
