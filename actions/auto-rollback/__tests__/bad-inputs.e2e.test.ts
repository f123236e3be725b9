// Issue 12: every bad input gets one line naming the input, a non-zero exit, and changes nothing. The bundled
// action runs against one ECS emulator for the whole table; its event log proves no mutating call was made.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { badInputProblems, runAction } from '@hokusai/action-harness';
import { startEmulator, SCENARIOS_DIR, type EmulatorHandle } from '@hokusai/ecs-emulator';

const READ_ONLY = /^(Describe|List|Get|FilterLogEvents)/;
let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({
    scenario: `${SCENARIOS_DIR}/healthy-rollout.yaml`,
    port: 0,
    timeScale: 20,
  });
});
afterAll(() => emulator?.close());

interface Case {
  name: string;
  inputs: Record<string, string>;
  input: string;
  says?: string | RegExp;
  env?: Record<string, string>;
}
const long = (n: number, c = 'a') => c.repeat(n);
const cases: Case[] = [
  { name: 'cluster missing', inputs: { cluster: '' }, input: 'cluster', says: 'is required' },
  { name: 'cluster with a space', inputs: { cluster: 'a b' }, input: 'cluster' },
  { name: 'cluster 128 KB', inputs: { cluster: long(128_000) }, input: 'cluster', says: '128000 characters' },
  { name: 'cluster shell', inputs: { cluster: 'x;id' }, input: 'cluster' },
  {
    name: 'cluster service ARN',
    inputs: { cluster: 'arn:aws:ecs:us-east-1:123456789012:service/a/b' },
    input: 'cluster',
  },
  { name: 'service missing', inputs: { service: '' }, input: 'service' },
  { name: 'service newline command', inputs: { service: 'a\n::add-mask::hokusai' }, input: 'service' },
  { name: 'service too long', inputs: { service: long(256) }, input: 'service' },
  { name: 'service option', inputs: { service: '--service' }, input: 'service' },
  { name: 'to a word', inputs: { to: 'yesterday' }, input: 'to' },
  { name: 'to revision 0', inputs: { to: '0' }, input: 'to', says: 'revisions start at 1' },
  { name: 'to family without revision', inputs: { to: 'hokusai-api' }, input: 'to' },
  { name: 'to family revision 0', inputs: { to: 'hokusai-api:0' }, input: 'to' },
  { name: 'to negative', inputs: { to: '-1' }, input: 'to' },
  { name: 'to huge revision', inputs: { to: long(30, '9') }, input: 'to' },
  { name: 'to bad ARN', inputs: { to: 'arn:aws:ecs:us-east-1:1:task-definition/x:1' }, input: 'to' },
  { name: 'to 128 KB', inputs: { to: long(128_000) }, input: 'to', says: '128000 characters' },
  { name: 'to shell', inputs: { to: '108;id' }, input: 'to' },
  { name: 'to not registered', inputs: { to: 'hokusai-api:999' }, input: 'to' },
  { name: 'allow-other-family yes', inputs: { 'allow-other-family': 'yes' }, input: 'allow-other-family' },
  { name: 'wait 0', inputs: { wait: '0' }, input: 'wait' },
  { name: 'timeout zero', inputs: { timeout: '0s' }, input: 'timeout' },
  { name: 'timeout word', inputs: { timeout: 'soon' }, input: 'timeout' },
  { name: 'timeout 128 KB', inputs: { timeout: long(128_000, '1') + 'q' }, input: 'timeout' },
  { name: 'stable-for word', inputs: { 'stable-for': 'a while' }, input: 'stable-for' },
  {
    name: 'stable-for not below timeout',
    inputs: { 'stable-for': '10m', timeout: '5m' },
    input: 'stable-for',
  },
  { name: 'poll-interval below 1s', inputs: { 'poll-interval': '500ms' }, input: 'poll-interval' },
  { name: 'poll-interval unit', inputs: { 'poll-interval': '10y' }, input: 'poll-interval' },
  { name: 'aws-region a city', inputs: { 'aws-region': 'Frankfurt' }, input: 'aws-region' },
  { name: 'aws-region injected', inputs: { 'aws-region': 'us-east-1 --debug' }, input: 'aws-region' },
  { name: 'AWS_REGION bad', inputs: {}, env: { AWS_REGION: 'moon-1' }, input: 'AWS_REGION' },
];

describe('auto-rollback: one line per bad input, nothing changed', () => {
  test.each(cases)('$name', async ({ inputs, input, says, env }) => {
    const before = emulator.events().length;
    const run = await runAction({
      action: 'auto-rollback',
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
      expect(await badInputProblems(run, { input, says })).toEqual([]);
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
});
