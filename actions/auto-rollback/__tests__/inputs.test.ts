import { describe, expect, test } from '@jest/globals';
import { getInputs } from '../src/inputs.js';

const base = { INPUT_CLUSTER: 'hokusai', INPUT_SERVICE: 'hokusai-api', AWS_REGION: 'us-east-1' };

describe('getInputs', () => {
  test('defaults as action.yml gives them', () => {
    expect(getInputs(base)).toEqual({
      cluster: 'hokusai',
      service: 'hokusai-api',
      to: { kind: 'previous' },
      reason: '',
      'failure-reason': '',
      'allow-other-family': false,
      wait: true,
      timeout: 600_000,
      'stable-for': 60_000,
      'poll-interval': 10_000,
      'aws-region': 'us-east-1',
    });
  });

  const valid: Array<{ name: string; env: Record<string, string>; expected: Record<string, unknown> }> = [
    {
      name: 'to as a revision',
      env: { INPUT_TO: '108' },
      expected: { to: { kind: 'revision', revision: 108 } },
    },
    {
      name: 'durations',
      env: { INPUT_TIMEOUT: '15m', 'INPUT_STABLE-FOR': '90s', 'INPUT_POLL-INTERVAL': '2s' },
      expected: { timeout: 900_000, 'stable-for': 90_000, 'poll-interval': 2000 },
    },
    { name: 'stable-for 0 is allowed', env: { 'INPUT_STABLE-FOR': '0s' }, expected: { 'stable-for': 0 } },
    {
      name: 'booleans',
      env: { INPUT_WAIT: 'false', 'INPUT_ALLOW-OTHER-FAMILY': 'true' },
      expected: { wait: false, 'allow-other-family': true },
    },
    {
      name: 'multi-line reason folded to one line',
      env: { INPUT_REASON: ' crash\n  on import \n' },
      expected: { reason: 'crash on import' },
    },
    {
      name: 'aws-region input wins',
      env: { 'INPUT_AWS-REGION': 'eu-west-1' },
      expected: { 'aws-region': 'eu-west-1' },
    },
    {
      name: 'cluster and service ARNs',
      env: {
        INPUT_CLUSTER: 'arn:aws:ecs:us-east-1:123456789012:cluster/hokusai',
        INPUT_SERVICE: 'arn:aws:ecs:us-east-1:123456789012:service/hokusai/hokusai-api',
      },
      expected: { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/hokusai' },
    },
  ];
  test.each(valid)('$name', ({ env, expected }) => {
    expect(getInputs({ ...base, ...env })).toMatchObject(expected);
  });

  const invalid: Array<{ name: string; env: Record<string, string | undefined>; error: string }> = [
    {
      name: 'missing cluster',
      env: { INPUT_CLUSTER: '' },
      error: 'input "cluster" is required and was not supplied',
    },
    {
      name: 'missing service',
      env: { INPUT_SERVICE: ' ' },
      error: 'input "service" is required and was not supplied',
    },
    {
      name: 'bad cluster name',
      env: { INPUT_CLUSTER: 'a b' },
      error: 'invalid cluster "a b" for input "cluster"',
    },
    { name: 'to: abc', env: { INPUT_TO: 'abc' }, error: 'invalid value "abc" for input "to"' },
    {
      name: 'bad duration',
      env: { INPUT_TIMEOUT: '5x' },
      error: 'invalid duration "5x" for input "timeout"',
    },
    {
      name: 'zero timeout',
      env: { INPUT_TIMEOUT: '0s' },
      error: 'duration "0s" for input "timeout" is shorter than the minimum 1.00s',
    },
    {
      name: 'poll-interval too short',
      env: { 'INPUT_POLL-INTERVAL': '100ms' },
      error: 'duration "100ms" for input "poll-interval" is shorter than the minimum 1.00s',
    },
    {
      name: 'poll-interval past what timers hold',
      env: { 'INPUT_POLL-INTERVAL': '600h' },
      error: 'duration "600h" for input "poll-interval" is longer than the maximum 10m00s',
    },
    {
      name: 'poll-interval not shorter than timeout',
      env: { 'INPUT_POLL-INTERVAL': '5m', INPUT_TIMEOUT: '5m', 'INPUT_STABLE-FOR': '0s' },
      error: 'input "poll-interval" (5m) must be shorter than input "timeout" (5m)',
    },
    {
      name: 'stable-for not below timeout',
      env: { INPUT_TIMEOUT: '1m', 'INPUT_STABLE-FOR': '1m' },
      error: 'input "stable-for" (1m) must be shorter than input "timeout" (1m)',
    },
    { name: 'bad boolean', env: { INPUT_WAIT: 'yes' }, error: 'invalid boolean "yes" for input "wait"' },
    { name: 'no region', env: { AWS_REGION: undefined }, error: 'no AWS region' },
  ];
  test.each(invalid)('refuses $name', ({ env, error }) => {
    expect(() => getInputs({ ...base, ...env })).toThrow(error);
  });
});
