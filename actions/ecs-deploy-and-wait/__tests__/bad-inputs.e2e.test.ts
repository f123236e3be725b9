// Issue 12: every bad input gets one line naming the input, a non-zero exit, and changes nothing. The bundled
// action runs against one ECS emulator for the whole table; its event log proves no mutating call was made.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { badInputProblems, runAction } from '@hokusai/action-harness';
import { startEmulator, SCENARIOS_DIR, type EmulatorHandle } from '@hokusai/ecs-emulator';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api';
const SECRET = 's3cr3t-value-7f3a';
const PASSWD = 'root:x:0:0:root:/root:/bin/bash';
const READ_ONLY = /^(Describe|List|Get|FilterLogEvents)/;

let emulator: EmulatorHandle;
const root = mkdtempSync(path.join(tmpdir(), 'deploy-bad-'));
const workspace = path.join(root, 'workspace');
const outside = path.join(root, 'outside');
const definition = (containers: string[]) =>
  JSON.stringify({
    family: 'hokusai-api',
    containerDefinitions: containers.map((name) => ({ name, image: `${REPO}:good`, essential: true })),
  });

beforeAll(async () => {
  mkdirSync(path.join(workspace, 'folder.json'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(workspace, 'task.json'), definition(['api']));
  writeFileSync(path.join(workspace, 'broken.json'), `{ "family": "${SECRET}", `);
  writeFileSync(path.join(workspace, 'empty.json'), '{ "family": "x", "containerDefinitions": [] }');
  writeFileSync(path.join(workspace, 'array.json'), '[1, 2]');
  writeFileSync(path.join(outside, 'outside.json'), definition(['api']));
  writeFileSync(path.join(outside, 'passwd'), PASSWD);
  symlinkSync(path.join(outside, 'outside.json'), path.join(workspace, 'link.json'));
  symlinkSync(outside, path.join(workspace, 'linked-folder'));
  emulator = await startEmulator({
    scenario: `${SCENARIOS_DIR}/healthy-rollout.yaml`,
    port: 0,
    timeScale: 20,
  });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Case {
  name: string;
  inputs: Record<string, string>;
  input: string;
  says?: string | RegExp;
  env?: Record<string, string | undefined>;
  secrets?: string[];
}

const long = (n: number, c = 'a') => c.repeat(n);
const IMAGE = { image: `${REPO}:abc1234` };
const cases: Case[] = [
  // cluster and service: names or ARNs, nothing else
  { name: 'cluster missing', inputs: { cluster: '', ...IMAGE }, input: 'cluster', says: 'is required' },
  { name: 'cluster with a space', inputs: { cluster: 'a b', ...IMAGE }, input: 'cluster' },
  { name: 'cluster too long', inputs: { cluster: long(256), ...IMAGE }, input: 'cluster' },
  { name: 'cluster shell', inputs: { cluster: 'c;touch /tmp/x', ...IMAGE }, input: 'cluster' },
  { name: 'cluster option', inputs: { cluster: '--cluster=x', ...IMAGE }, input: 'cluster' },
  { name: 'cluster newline', inputs: { cluster: 'a\nb', ...IMAGE }, input: 'cluster' },
  {
    name: 'cluster ARN with a short account',
    inputs: { cluster: 'arn:aws:ecs:us-east-1:123:cluster/hokusai', ...IMAGE },
    input: 'cluster',
  },
  {
    name: 'cluster 128 KB',
    inputs: { cluster: long(128_000), ...IMAGE },
    input: 'cluster',
    says: '128000 characters',
  },
  { name: 'service missing', inputs: { service: '', ...IMAGE }, input: 'service', says: 'is required' },
  { name: 'service substitution', inputs: { service: 'svc$(touch /tmp/x)', ...IMAGE }, input: 'service' },
  { name: 'service too long', inputs: { service: long(300), ...IMAGE }, input: 'service' },
  {
    name: 'service given a cluster ARN',
    inputs: { service: 'arn:aws:ecs:us-east-1:123456789012:cluster/hokusai', ...IMAGE },
    input: 'service',
  },
  { name: 'service with a slash', inputs: { service: 'a/b', ...IMAGE }, input: 'service' },
  // image: the Docker reference grammar
  { name: 'image tag starting with -', inputs: { image: `${REPO}:-bad` }, input: 'image', says: 'the tag' },
  { name: 'image tag starting with .', inputs: { image: `${REPO}:.bad` }, input: 'image', says: 'the tag' },
  { name: 'image tag of 129 characters', inputs: { image: `${REPO}:${long(129)}` }, input: 'image' },
  { name: 'image upper case', inputs: { image: 'Hokusai-API:1' }, input: 'image', says: 'lower case' },
  { name: 'image with a space', inputs: { image: 'a b' }, input: 'image' },
  { name: 'image 128 KB', inputs: { image: long(128_000) }, input: 'image', says: '128000 characters' },
  { name: 'image as an option', inputs: { image: '--entrypoint=sh' }, input: 'image' },
  { name: 'image short digest', inputs: { image: `${REPO}@sha256:abc` }, input: 'image', says: 'digest' },
  { name: 'image double slash', inputs: { image: 'a//b' }, input: 'image' },
  { name: 'image without a name', inputs: { image: ':tag' }, input: 'image' },
  { name: 'image bad port', inputs: { image: 'host:port/x:1' }, input: 'image' },
  { name: 'image backticks', inputs: { image: '`id`' }, input: 'image' },
  { name: 'image substitution', inputs: { image: '$(touch /tmp/x)' }, input: 'image' },
  { name: 'image newline', inputs: { image: `${REPO}:a\n::error::x` }, input: 'image' },
  { name: 'image URL', inputs: { image: 'https://registry.example/x:1' }, input: 'image' },
  { name: 'image name of 256', inputs: { image: long(256) }, input: 'image', says: '255' },
  { name: 'image id', inputs: { image: long(64, 'f') }, input: 'image', says: 'image id' },
  // container-name
  { name: 'container with a space', inputs: { ...IMAGE, 'container-name': 'a b' }, input: 'container-name' },
  { name: 'container too long', inputs: { ...IMAGE, 'container-name': long(256) }, input: 'container-name' },
  { name: 'container shell', inputs: { ...IMAGE, 'container-name': 'api;id' }, input: 'container-name' },
  {
    name: 'container not in the service task definition',
    inputs: { ...IMAGE, 'container-name': 'nope' },
    input: 'container-name',
    says: 'is not in task definition',
  },
  {
    name: 'container not in the file, no image',
    inputs: { 'task-definition': 'task.json', 'container-name': 'nope' },
    input: 'container-name',
    says: 'is not in task definition file',
  },
  {
    name: 'container not in the file, with an image',
    inputs: { 'task-definition': 'task.json', 'container-name': 'nope', ...IMAGE },
    input: 'container-name',
  },
  // task-definition: confined, never quoted
  {
    name: 'task definition above the workspace',
    inputs: { 'task-definition': '../outside/outside.json' },
    input: 'task-definition',
    says: 'outside the workspace',
  },
  {
    name: 'task definition /etc/passwd by climbing',
    inputs: { 'task-definition': '../../../../../../../../etc/passwd' },
    input: 'task-definition',
    says: 'outside',
    secrets: ['root:x:0:0'],
  },
  {
    name: 'task definition absolute',
    inputs: { 'task-definition': '/etc/passwd' },
    input: 'task-definition',
  },
  {
    name: 'task definition through a symlink',
    inputs: { 'task-definition': 'link.json' },
    input: 'task-definition',
    says: 'outside',
  },
  {
    name: 'task definition through a linked folder',
    inputs: { 'task-definition': 'linked-folder/passwd' },
    input: 'task-definition',
    secrets: [PASSWD],
  },
  { name: 'task definition missing', inputs: { 'task-definition': 'nope.json' }, input: 'task-definition' },
  {
    name: 'task definition a folder',
    inputs: { 'task-definition': 'folder.json' },
    input: 'task-definition',
  },
  {
    name: 'task definition not JSON (content not quoted)',
    inputs: { 'task-definition': 'broken.json' },
    input: 'task-definition',
    says: 'not valid JSON',
    secrets: [SECRET],
  },
  {
    name: 'task definition no containers',
    inputs: { 'task-definition': 'empty.json' },
    input: 'task-definition',
  },
  { name: 'task definition an array', inputs: { 'task-definition': 'array.json' }, input: 'task-definition' },
  { name: 'task definition NUL', inputs: { 'task-definition': 'a\u0001b' }, input: 'task-definition' },
  // task-definition-arn
  { name: 'arn a word', inputs: { 'task-definition-arn': 'nope' }, input: 'task-definition-arn' },
  {
    name: 'arn no revision',
    inputs: { 'task-definition-arn': 'hokusai-api:x' },
    input: 'task-definition-arn',
  },
  {
    name: 'arn bad account',
    inputs: { 'task-definition-arn': 'arn:aws:ecs:us-east-1:1:task-definition/x:1' },
    input: 'task-definition-arn',
  },
  {
    name: 'arn family too long',
    inputs: { 'task-definition-arn': `${long(300)}:1` },
    input: 'task-definition-arn',
  },
  {
    name: 'arn not registered',
    inputs: { 'task-definition-arn': 'hokusai-api:999' },
    input: 'task-definition-arn',
    says: 'not found',
  },
  // environment: secrets by line number
  {
    name: 'environment line without =',
    inputs: { ...IMAGE, environment: `SECRET_TOKEN ${SECRET}` },
    input: 'environment',
    says: 'line 1',
    secrets: [SECRET, 'SECRET_TOKEN'],
  },
  {
    name: 'environment =value',
    inputs: { ...IMAGE, environment: `=${SECRET}` },
    input: 'environment',
    says: 'line 1: the name before "=" is empty',
    secrets: [SECRET],
  },
  {
    name: 'environment third line',
    inputs: { ...IMAGE, environment: `A=1\n# note\nDATABASE_URL postgres://u:${SECRET}@db/app?x=1` },
    input: 'environment',
    says: 'line 3',
    secrets: [SECRET],
  },
  { name: 'environment digit first', inputs: { ...IMAGE, environment: '1BAD=x' }, input: 'environment' },
  { name: 'environment dot', inputs: { ...IMAGE, environment: 'A.B=x' }, input: 'environment' },
  { name: 'environment space in name', inputs: { ...IMAGE, environment: 'A B=x' }, input: 'environment' },
  {
    name: 'environment with an existing revision',
    inputs: { 'task-definition-arn': 'hokusai-api:108', environment: 'A=1' },
    input: 'environment',
  },
  // sources
  {
    name: 'image and arn',
    inputs: { ...IMAGE, 'task-definition-arn': 'hokusai-api:108' },
    input: 'task-definition-arn',
  },
  {
    name: 'file and arn',
    inputs: { 'task-definition': 'task.json', 'task-definition-arn': 'hokusai-api:108' },
    input: 'task-definition-arn',
  },
  { name: 'no source', inputs: {}, input: 'image' },
  {
    name: 'container-name with an arn',
    inputs: { 'task-definition-arn': 'hokusai-api:108', 'container-name': 'api' },
    input: 'container-name',
  },
  // durations, counts, booleans
  { name: 'timeout zero', inputs: { ...IMAGE, timeout: '0s' }, input: 'timeout' },
  { name: 'timeout unit', inputs: { ...IMAGE, timeout: '5x' }, input: 'timeout' },
  { name: 'timeout negative', inputs: { ...IMAGE, timeout: '-1m' }, input: 'timeout' },
  { name: 'timeout 128 KB', inputs: { ...IMAGE, timeout: long(128_000, '9') + 'x' }, input: 'timeout' },
  { name: 'poll-interval too short', inputs: { ...IMAGE, 'poll-interval': '10ms' }, input: 'poll-interval' },
  { name: 'poll-interval word', inputs: { ...IMAGE, 'poll-interval': 'often' }, input: 'poll-interval' },
  { name: 'stable-for word', inputs: { ...IMAGE, 'stable-for': 'forever' }, input: 'stable-for' },
  { name: 'max-failed-tasks 0', inputs: { ...IMAGE, 'max-failed-tasks': '0' }, input: 'max-failed-tasks' },
  {
    name: 'max-failed-tasks 1001',
    inputs: { ...IMAGE, 'max-failed-tasks': '1001' },
    input: 'max-failed-tasks',
  },
  {
    name: 'max-failed-tasks word',
    inputs: { ...IMAGE, 'max-failed-tasks': 'one' },
    input: 'max-failed-tasks',
  },
  {
    name: 'max-failed-tasks fraction',
    inputs: { ...IMAGE, 'max-failed-tasks': '1.5' },
    input: 'max-failed-tasks',
  },
  { name: 'log-lines negative', inputs: { ...IMAGE, 'log-lines': '-1' }, input: 'log-lines' },
  { name: 'log-lines too many', inputs: { ...IMAGE, 'log-lines': '10001' }, input: 'log-lines' },
  { name: 'rollback yes', inputs: { ...IMAGE, rollback: 'yes' }, input: 'rollback' },
  { name: 'wait 1', inputs: { ...IMAGE, wait: '1' }, input: 'wait' },
  {
    name: 'check-target-health on',
    inputs: { ...IMAGE, 'check-target-health': 'on' },
    input: 'check-target-health',
  },
  {
    name: 'force-new-deployment maybe',
    inputs: { ...IMAGE, 'force-new-deployment': 'maybe' },
    input: 'force-new-deployment',
  },
  // alarms: CloudWatch's name rules, and they must exist (DescribeAlarms in the plan, before any change)
  {
    name: 'alarm name of 256 characters',
    inputs: { ...IMAGE, alarms: long(256) },
    input: 'alarms',
    says: 'at most 255 characters',
  },
  {
    name: 'alarm name with a control character',
    inputs: { ...IMAGE, alarms: 'api-5xx\u001b[31m' },
    input: 'alarms',
    says: 'control characters',
  },
  {
    name: 'alarm name forging a workflow command',
    inputs: { ...IMAGE, alarms: 'ok\n::error::x\ry' },
    input: 'alarms',
    says: 'line 2',
  },
  {
    name: 'alarm that does not exist',
    inputs: { ...IMAGE, alarms: 'hokusai-api-5xx' },
    input: 'alarms',
    says: 'does not exist',
  },
  {
    name: 'four alarms that do not exist',
    inputs: { ...IMAGE, alarms: 'a-5xx\nb-5xx\nc-5xx\nd-5xx' },
    input: 'alarms',
    says: 'alarms "a-5xx", "b-5xx", "c-5xx" and 1 more (input "alarms") do not exist in CloudWatch',
  },
  { name: 'alarms with wait false', inputs: { ...IMAGE, alarms: 'x', wait: 'false' }, input: 'alarms' },
  // the region comes from the environment
  { name: 'region a city', inputs: IMAGE, env: { AWS_REGION: 'Frankfurt' }, input: 'AWS_REGION' },
  { name: 'region injected', inputs: IMAGE, env: { AWS_REGION: 'us-east-1;id' }, input: 'AWS_REGION' },
  {
    name: 'no region at all',
    inputs: IMAGE,
    env: { AWS_REGION: undefined },
    input: 'AWS_REGION',
    says: 'the aws-actions/configure-aws-credentials step sets it',
  },
];

describe('ecs-deploy-and-wait: one line per bad input, nothing changed', () => {
  test.each(cases)('$name', async ({ inputs, input, says, env, secrets }) => {
    const before = emulator.events().length;
    const run = await runAction({
      action: 'ecs-deploy-and-wait',
      workspace,
      inputs: { cluster: 'hokusai', service: 'hokusai-api', ...inputs },
      env: {
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        ...env,
      },
      timeoutMs: 60_000,
    });
    try {
      expect(await badInputProblems(run, { input, says, secrets })).toEqual([]);
      expect(run.outputs.result ?? '').not.toBe('succeeded');
      const changes = emulator
        .events()
        .slice(before)
        .filter(
          (e) => e.type === 'api-call' && !READ_ONLY.test(String((e as { operation?: string }).operation)),
        );
      expect(changes).toEqual([]);
    } finally {
      await run.cleanup();
    }
  });

  test('the table covers every input of action.yml', () => {
    const named = new Set(cases.map((c) => c.input));
    for (const input of [
      'cluster',
      'service',
      'image',
      'container-name',
      'task-definition',
      'task-definition-arn',
      'environment',
      'timeout',
      'poll-interval',
      'max-failed-tasks',
      'stable-for',
      'check-target-health',
      'log-lines',
      'rollback',
      'wait',
      'force-new-deployment',
      'alarms',
    ])
      expect(named.has(input)).toBe(true);
  });
});

describe('ecs-deploy-and-wait: a refusal before any call still sets result and writes a summary', () => {
  test('no region: refused, AWS_REGION and the configure-aws-credentials step named (this action has no region input)', async () => {
    const run = await runAction({
      action: 'ecs-deploy-and-wait',
      workspace,
      inputs: { cluster: 'hokusai', service: 'hokusai-api', ...IMAGE },
      env: {
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_REGION: undefined,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      },
      timeoutMs: 60_000,
    });
    try {
      expect(run.outputs.result).toBe('refused');
      const [error] = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(error).toBe(
        'no AWS region: set AWS_REGION (the aws-actions/configure-aws-credentials step sets it from its aws-region input; run it before this step)',
      );
      expect(run.summary).toContain('## 🚫 ecs-deploy-and-wait: refused');
      expect(run.summary).toContain('| service now | unchanged: nothing was changed |');
    } finally {
      await run.cleanup();
    }
  });
});
