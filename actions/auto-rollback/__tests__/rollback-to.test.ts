import { describe, expect, test } from '@jest/globals';
import { parseRollbackTo, rollbackToReference, type RollbackTo } from '../src/rollback-to.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108';

const valid: Array<{ name: string; input: string; expected: RollbackTo; reference: string }> = [
  { name: 'previous', input: 'previous', expected: { kind: 'previous' }, reference: 'previous' },
  { name: 'empty means previous', input: '', expected: { kind: 'previous' }, reference: 'previous' },
  {
    name: 'whitespace trimmed',
    input: '  previous \n',
    expected: { kind: 'previous' },
    reference: 'previous',
  },
  { name: 'bare revision', input: '108', expected: { kind: 'revision', revision: 108 }, reference: '108' },
  {
    name: 'family:revision',
    input: 'hokusai-api:108',
    expected: { kind: 'family-revision', family: 'hokusai-api', revision: 108 },
    reference: 'hokusai-api:108',
  },
  {
    name: 'family with underscore',
    input: 'my_app-2:7',
    expected: { kind: 'family-revision', family: 'my_app-2', revision: 7 },
    reference: 'my_app-2:7',
  },
  {
    name: 'ARN',
    input: ARN,
    expected: { kind: 'arn', arn: ARN, family: 'hokusai-api', revision: 108 },
    reference: ARN,
  },
  {
    name: 'GovCloud ARN',
    input: 'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/api:3',
    expected: {
      kind: 'arn',
      arn: 'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/api:3',
      family: 'api',
      revision: 3,
    },
    reference: 'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/api:3',
  },
];

const invalid: Array<{ name: string; input: string; error: string }> = [
  { name: 'a word', input: 'abc', error: 'invalid value "abc" for input "to"' },
  { name: 'PREVIOUS is not previous', input: 'PREVIOUS', error: 'invalid value "PREVIOUS" for input "to"' },
  { name: 'revision zero', input: '0', error: 'invalid revision in "0" for input "to"' },
  { name: 'family:0', input: 'api:0', error: 'invalid revision in "api:0"' },
  { name: 'negative', input: '-1', error: 'invalid value "-1" for input "to"' },
  { name: 'family without revision', input: 'hokusai-api', error: 'invalid value "hokusai-api"' },
  { name: 'family:latest', input: 'hokusai-api:latest', error: 'invalid value "hokusai-api:latest"' },
  { name: 'space in family', input: 'hokusai api:1', error: 'invalid value "hokusai api:1"' },
  {
    name: 'ARN of a service',
    input: 'arn:aws:ecs:us-east-1:123456789012:service/hokusai/hokusai-api',
    error: 'invalid value "arn:aws:ecs:us-east-1:123456789012:service/hokusai/hokusai-api"',
  },
  {
    name: 'ARN without revision',
    input: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api',
    error: 'invalid value',
  },
  { name: 'revision beyond safe integers', input: '99999999999999999999', error: 'invalid revision' },
  { name: 'two lines', input: '108\n109', error: 'invalid value' },
];

describe('parseRollbackTo', () => {
  test.each(valid)('$name', ({ input, expected, reference }) => {
    const parsed = parseRollbackTo(input);
    expect(parsed).toEqual(expected);
    expect(rollbackToReference(parsed)).toBe(reference);
  });

  test.each(invalid)('refuses $name', ({ input, error }) => {
    expect(() => parseRollbackTo(input)).toThrow(error);
    try {
      parseRollbackTo(input);
    } catch (e) {
      expect((e as Error).name).toBe('ConfigurationError');
      expect((e as Error).message).not.toContain('\n');
    }
  });
});
