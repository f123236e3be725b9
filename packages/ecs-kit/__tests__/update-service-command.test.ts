import { execFileSync } from 'node:child_process';
import { describe, expect, test } from '@jest/globals';
import { awsCliCommand, shellQuote, updateServiceCommand } from '../src/update-service-command.js';

const ARN = 'arn:aws:ecs:us-east-1:1:task-definition/hokusai-api:108';

const cases: Array<{ name: string; input: [string, string, string]; expected: string }> = [
  {
    name: 'plain names and an ARN stay unquoted',
    input: ['hokusai', 'hokusai-api', ARN],
    expected: `aws ecs update-service --cluster hokusai --service hokusai-api --task-definition ${ARN}`,
  },
  {
    name: 'family:revision',
    input: ['prod', 'api', 'hokusai-api:7'],
    expected: 'aws ecs update-service --cluster prod --service api --task-definition hokusai-api:7',
  },
  {
    name: 'shell syntax in a name is quoted',
    input: ['prod; rm -rf ~', 'api', 'hokusai-api:7'],
    expected:
      "aws ecs update-service --cluster 'prod; rm -rf ~' --service api --task-definition hokusai-api:7",
  },
  {
    name: 'a single quote is closed, escaped and reopened',
    input: ['prod', "it's $(id)", 'hokusai-api:7'],
    expected: `aws ecs update-service --cluster prod --service 'it'\\''s $(id)' --task-definition hokusai-api:7`,
  },
  {
    name: 'an empty value is still one word',
    input: ['', 'api', 'hokusai-api:7'],
    expected: "aws ecs update-service --cluster '' --service api --task-definition hokusai-api:7",
  },
];

describe('updateServiceCommand', () => {
  test.each(cases)('$name', ({ input, expected }) => {
    expect(updateServiceCommand(...input)).toBe(expected);
  });

  test('awsCliCommand quotes every argument the same way', () => {
    expect(awsCliCommand(['ecs', 'describe-services', '--cluster', 'prod', '--services', 'a b'])).toBe(
      "aws ecs describe-services --cluster prod --services 'a b'",
    );
  });

  // The shell a person pastes into: each argument must come back as exactly the word we meant.
  test.each([
    'hokusai',
    'prod; rm -rf ~',
    "it's $(id) `id` $HOME",
    'a "b" \\ c',
    'tab\there\nnewline',
    '*',
    '',
    '-',
  ])('sh reads %j back as one argument', (value) => {
    const argv = execFileSync('sh', ['-c', `set -- ${shellQuote(value)}; printf '%s\\0' "$@"`], {
      encoding: 'utf8',
    });
    expect(argv).toBe(`${value}\0`);
  });
});
