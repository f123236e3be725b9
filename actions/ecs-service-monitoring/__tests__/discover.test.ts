// Which target group the ALB alarms watch, and its CloudWatch dimensions, from plain data.
import { describe, expect, test } from '@jest/globals';
import { albOf, chooseTargetGroup } from '../src/discover.js';

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/hokusai-api/73e2d6bc24d8a067';
const ALB =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/hokusai-alb/50dc6c495c0c9188';
const NLB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/hokusai-nlb/1a2b3c';

describe('chooseTargetGroup', () => {
  const cases: Array<{
    name: string;
    input: string;
    service: string[];
    expected: ReturnType<typeof chooseTargetGroup>;
  }> = [
    {
      name: 'the input wins',
      input: 'other',
      service: [TG],
      expected: { kind: 'lookup', nameOrArn: 'other', fromInput: true },
    },
    {
      name: "the service's only target group",
      input: '',
      service: [TG],
      expected: { kind: 'lookup', nameOrArn: TG, fromInput: false },
    },
    { name: 'no load balancer', input: '', service: [], expected: { kind: 'none' } },
    {
      name: 'several: ambiguous',
      input: '',
      service: [TG, `${TG}x`],
      expected: { kind: 'ambiguous', arns: [TG, `${TG}x`] },
    },
  ];
  test.each(cases)('$name', ({ input, service, expected }) => {
    expect(chooseTargetGroup(input, service)).toEqual(expected);
  });
});

describe('albOf', () => {
  test('an ALB target group: the LoadBalancer and TargetGroup dimensions', () => {
    expect(albOf({ arn: TG, name: 'hokusai-api', loadBalancerArns: [ALB] })).toEqual({
      ok: true,
      loadBalancer: 'app/hokusai-alb/50dc6c495c0c9188',
      targetGroup: 'targetgroup/hokusai-api/73e2d6bc24d8a067',
    });
  });
  test('not attached to a load balancer', () => {
    expect(albOf({ arn: TG, name: 'hokusai-api', loadBalancerArns: [] })).toEqual({
      ok: false,
      reason: 'target group hokusai-api is not attached to a load balancer',
    });
  });
  test('behind a network load balancer', () => {
    expect(albOf({ arn: TG, name: 'hokusai-api', loadBalancerArns: [NLB] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining(
        'behind a network load balancer, which publishes no TargetResponseTime',
      ),
    });
  });
});
