import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getInputs } from '../src/inputs.js';

const workspace = mkdtempSync(path.join(tmpdir(), 'ecsdw-inputs-'));
writeFileSync(
  path.join(workspace, 'td.json'),
  JSON.stringify({ family: 'hokusai-api', containerDefinitions: [{ name: 'api', image: 'x:1' }] }),
);
writeFileSync(
  path.join(workspace, 'wrapped.json'),
  JSON.stringify({
    taskDefinition: { family: 'hokusai-api', containerDefinitions: [{ name: 'api', image: 'x:1' }] },
  }),
);
writeFileSync(path.join(workspace, 'broken.json'), '{ "family": ');
writeFileSync(path.join(workspace, 'empty.json'), '{ "family": "x", "containerDefinitions": [] }');

const env = (inputs: Record<string, string | undefined>) => ({
  GITHUB_WORKSPACE: workspace,
  ...Object.fromEntries(
    Object.entries({ cluster: 'prod', service: 'api', ...inputs }).map(([k, v]) => [
      `INPUT_${k.toUpperCase()}`,
      v,
    ]),
  ),
});

describe('getInputs', () => {
  test.each([
    {
      name: 'image with defaults',
      inputs: { image: 'repo/api:abc' },
      expected: {
        source: { kind: 'image', image: 'repo/api:abc' },
        timeout: 900_000,
        'poll-interval': 10_000,
        'stable-for': 60_000,
        'max-failed-tasks': 1,
        'log-lines': 40,
        rollback: true,
        wait: true,
        'force-new-deployment': false,
        'check-target-health': true,
        alarms: [],
      },
    },
    {
      name: 'alarm names, one per line: spaces, commas and # kept inside a name, blank lines and repeats dropped',
      inputs: { image: 'a:b', alarms: 'api-5xx\n\n  api latency, p95 \n#team-alarm\napi-5xx\r\n' },
      expected: { alarms: ['api-5xx', 'api latency, p95', '#team-alarm'] },
    },
    {
      name: 'an alarm name of 255 characters',
      inputs: { image: 'a:b', alarms: 'a'.repeat(255) },
      expected: { alarms: ['a'.repeat(255)] },
    },
    {
      name: 'existing revision',
      inputs: { 'task-definition-arn': 'hokusai-api:108' },
      expected: { source: { kind: 'task-definition-arn', reference: 'hokusai-api:108' } },
    },
    {
      name: 'existing revision by ARN',
      inputs: { 'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108' },
      expected: {
        source: {
          kind: 'task-definition-arn',
          reference: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108',
        },
      },
    },
    {
      name: 'file',
      inputs: { 'task-definition': 'td.json' },
      expected: {
        source: {
          kind: 'task-definition',
          path: 'td.json',
          definition: { family: 'hokusai-api', containerDefinitions: [{ name: 'api', image: 'x:1' }] },
        },
      },
    },
    {
      name: 'file as describe-task-definition output, image override',
      inputs: { 'task-definition': 'wrapped.json', image: 'y:2' },
      expected: {
        source: {
          kind: 'task-definition',
          path: 'wrapped.json',
          image: 'y:2',
          definition: { family: 'hokusai-api', containerDefinitions: [{ name: 'api', image: 'x:1' }] },
        },
      },
    },
    {
      name: 'environment lines and durations',
      inputs: {
        image: 'a:b',
        environment: 'A=1\n# note\nB=x=y',
        timeout: '1h',
        'poll-interval': '500ms',
        'stable-for': '0s',
        'max-failed-tasks': '3',
        rollback: 'false',
      },
      expected: {
        environment: [
          ['A', '1'],
          ['B', 'x=y'],
        ],
        timeout: 3_600_000,
        'poll-interval': 500,
        'stable-for': 0,
        'max-failed-tasks': 3,
        rollback: false,
      },
    },
  ])('$name', ({ inputs, expected }) => {
    expect(getInputs(env(inputs))).toMatchObject(expected);
  });

  test.each([
    {
      name: 'no cluster',
      inputs: { cluster: '', image: 'a:b' },
      error: 'input "cluster" is required and was not supplied',
    },
    {
      name: 'no source',
      inputs: {},
      error:
        'no new revision: set exactly one of the inputs "image", "task-definition" or "task-definition-arn"',
    },
    {
      name: 'image and arn',
      inputs: { image: 'a:b', 'task-definition-arn': 'x:1' },
      error: /^inputs "image" and "task-definition-arn" are both set/,
    },
    {
      name: 'file and arn',
      inputs: { 'task-definition': 'td.json', 'task-definition-arn': 'x:1' },
      error: /^inputs "task-definition" and "task-definition-arn" are both set/,
    },
    {
      name: 'bad arn',
      inputs: { 'task-definition-arn': 'latest' },
      error:
        'invalid task definition "latest" for input "task-definition-arn" (use an ARN or family:revision)',
    },
    {
      name: 'bad image',
      inputs: { image: 'has space:1' },
      error:
        'invalid image reference "has space:1" for input "image": a reference has no spaces or line breaks',
    },
    {
      name: 'environment with arn',
      inputs: { 'task-definition-arn': 'x:1', environment: 'A=1' },
      error: /^input "environment" cannot change an existing revision/,
    },
    {
      name: 'bad environment',
      inputs: { image: 'a:b', environment: '1BAD=x' },
      error: /^input "environment", line 1: invalid name before "="/,
    },
    {
      name: 'an alarm name of 256 characters',
      inputs: { image: 'a:b', alarms: `ok\n${'a'.repeat(256)}` },
      error:
        /^invalid alarm name "a{80}…" \(256 characters\) \(input "alarms", line 2\): CloudWatch alarm names are at most 255 characters$/,
    },
    {
      name: 'an alarm name with a control character',
      inputs: { image: 'a:b', alarms: 'api\u00075xx' },
      error:
        'invalid alarm name "api\\x075xx" (input "alarms", line 1): control characters are not allowed in CloudWatch alarm names',
    },
    {
      name: 'an alarm name with a tab',
      inputs: { image: 'a:b', alarms: 'api\t5xx' },
      error: /^invalid alarm name .* control characters are not allowed/,
    },
    {
      name: 'more alarms than one DescribeAlarms call reads',
      inputs: { image: 'a:b', alarms: Array.from({ length: 101 }, (_, i) => `a${i}`).join('\n') },
      error: 'input "alarms" names 101 alarms: at most 100 (one DescribeAlarms call) are watched',
    },
    {
      name: 'alarms without waiting',
      inputs: { image: 'a:b', alarms: 'api-5xx', wait: 'false' },
      error: 'input "alarms" has no effect with "wait: false" (nothing is watched)',
    },
    {
      name: 'bad duration',
      inputs: { image: 'a:b', timeout: '5x' },
      error: 'invalid duration "5x" for input "timeout" (use e.g. 90s, 15m, 1h)',
    },
    {
      name: 'zero timeout',
      inputs: { image: 'a:b', timeout: '0s' },
      error: 'duration "0s" for input "timeout" is shorter than the minimum 1.00s',
    },
    {
      name: 'too fast polling',
      inputs: { image: 'a:b', 'poll-interval': '10ms' },
      error: 'duration "10ms" for input "poll-interval" is shorter than the minimum 100ms',
    },
    {
      name: 'a poll interval past what timers hold (the 600h that polled 15,852 times in 40 s)',
      inputs: { image: 'a:b', 'poll-interval': '600h' },
      error: 'duration "600h" for input "poll-interval" is longer than the maximum 10m00s',
    },
    {
      name: 'a poll interval too slow to fail fast',
      inputs: { image: 'a:b', 'poll-interval': '11m', timeout: '1h' },
      error: 'duration "11m" for input "poll-interval" is longer than the maximum 10m00s',
    },
    {
      name: 'a timeout longer than a day',
      inputs: { image: 'a:b', timeout: '25h' },
      error: 'duration "25h" for input "timeout" is longer than the maximum 24h00m',
    },
    {
      name: 'stable-for not shorter than timeout (20m with 1m was accepted and ended rollback-failed)',
      inputs: { image: 'a:b', 'stable-for': '20m', timeout: '1m' },
      error: 'input "stable-for" (20m) must be shorter than input "timeout" (1m)',
    },
    {
      name: 'poll-interval not shorter than timeout',
      inputs: { image: 'a:b', 'poll-interval': '2m', timeout: '2m', 'stable-for': '0s' },
      error: 'input "poll-interval" (2m) must be shorter than input "timeout" (2m)',
    },
    {
      name: 'stable-for against the default timeout',
      inputs: { image: 'a:b', 'stable-for': '15m' },
      error: 'input "stable-for" (15m) must be shorter than input "timeout" (15m)',
    },
    {
      name: 'max-failed-tasks 0',
      inputs: { image: 'a:b', 'max-failed-tasks': '0' },
      error: 'invalid value "0" for input "max-failed-tasks": must be from 1 to 1000',
    },
    {
      name: 'bad boolean',
      inputs: { image: 'a:b', rollback: 'yes' },
      error: 'invalid boolean "yes" for input "rollback" (use true or false)',
    },
    {
      name: 'missing file',
      inputs: { 'task-definition': 'nope.json' },
      error: /^input "task-definition": file "nope.json" does not exist$/,
    },
    {
      name: 'invalid JSON',
      inputs: { 'task-definition': 'broken.json' },
      error: /^input "task-definition": file "broken.json" is not valid JSON/,
    },
    {
      name: 'no containers',
      inputs: { 'task-definition': 'empty.json' },
      error:
        'input "task-definition": file "empty.json" needs "family" and a non-empty "containerDefinitions"',
    },
  ])('refuses: $name', ({ inputs, error }) => {
    expect(() => getInputs(env(inputs))).toThrow(
      error instanceof RegExp ? error : new RegExp(`^${error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
  });
});
