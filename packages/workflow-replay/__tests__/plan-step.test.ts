// deploy-ecs.yml's plan step, the exact script in the file, run in bash as the runner runs it: one service key
// whatever form the caller names the service in, one artifact name per call, promotions only by digest, and
// bad input refused in one line that no value can turn into a workflow command.
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@hokusai/action-harness';
import { interpolate, runStep } from '../src/index.js';

const WORKFLOW = path.join(repoRoot, '.github', 'workflows', 'deploy-ecs.yml');
const spec = parse(readFileSync(WORKFLOW, 'utf8')) as {
  on: { workflow_call: { inputs: Record<string, { default?: string }> } };
  jobs: { plan: { steps: Array<{ id: string; shell?: string; run: string; env: Record<string, string> }> } };
};
const step = spec.jobs.plan.steps.find((s) => s.id === 'plan')!;
const temp = mkdtempSync(path.join(tmpdir(), 'hokusai-plan-step-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const DIGEST = `sha256:${'a'.repeat(64)}`;
const BASE = {
  'aws-region': 'eu-west-1',
  'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
  'ecr-repository': 'hokusai-api',
  cluster: 'production',
  service: 'hokusai-api',
};

async function plan(inputs: Record<string, string>) {
  const all: Record<string, string> = {};
  for (const [name, input] of Object.entries(spec.on.workflow_call.inputs)) all[name] = input.default ?? '';
  Object.assign(all, inputs);
  const env = Object.fromEntries(
    Object.entries(step.env).map(([k, v]) => [k, interpolate(v, { inputs: all })]),
  );
  const run = await runStep({
    script: step.run,
    shell: step.shell,
    cwd: temp,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    runnerTemp: temp,
  });
  return {
    ok: run.exitCode === 0,
    outputs: run.outputs,
    errors: run.annotations.filter((a) => a.level === 'error').map((a) => a.message),
    commands: run.stdout.split('\n').filter((line) => line.startsWith('::')),
  };
}

test('the plan step runs in bash with pipefail (its hash pipes)', () => {
  expect(step.shell).toBe('bash');
});

describe('one service, one key, whatever form it is named in', () => {
  test.each([
    { cluster: 'production', service: 'hokusai-api' },
    { cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/production', service: 'hokusai-api' },
    { cluster: 'production', service: 'arn:aws:ecs:eu-west-1:123456789012:service/production/hokusai-api' },
    { cluster: 'production', service: 'arn:aws:ecs:eu-west-1:123456789012:service/hokusai-api' }, // the old ARN form
  ])('$cluster / $service', async (names) => {
    const result = await plan({ ...BASE, ...names });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toEqual({
      'service-key': 'eu-west-1-123456789012-production-hokusai-api',
      'artifact-prefix': expect.stringMatching(/^hokusai-image-hokusai-api-[0-9a-f]{12}$/),
      build: 'true',
    });
    const reference = await plan(BASE);
    expect(result.outputs['artifact-prefix']).toBe(reference.outputs['artifact-prefix']);
  });
});

test("the account is in the key (the role's, or an ARN's): the same service name in two accounts is two groups", async () => {
  const other = await plan({ ...BASE, 'role-to-assume': 'arn:aws:iam::210987654321:role/deploy' });
  expect(other.outputs['service-key']).toBe('eu-west-1-210987654321-production-hokusai-api');
  const byCluster = await plan({
    ...BASE,
    'role-to-assume': 'deploy', // not an ARN: the cluster's ARN gives the account
    cluster: 'arn:aws:ecs:eu-west-1:210987654321:cluster/production',
  });
  expect(byCluster.errors).toEqual([]);
  expect(byCluster.outputs['service-key']).toBe('eu-west-1-210987654321-production-hokusai-api');
  const none = await plan({ ...BASE, 'role-to-assume': 'deploy' });
  expect(none.outputs['service-key']).toBe('eu-west-1-production-hokusai-api');
});

test('two calls in one run get different artifact names: other environment, other service, other cluster', async () => {
  const names = await Promise.all(
    [
      BASE,
      { ...BASE, environment: 'staging' },
      { ...BASE, service: 'hokusai-worker' },
      { ...BASE, cluster: 'staging' },
      { ...BASE, 'aws-region': 'us-east-1' },
    ].map(async (inputs) => (await plan(inputs)).outputs['artifact-prefix']),
  );
  expect(new Set(names).size).toBe(5);
});

test('a promotion by digest skips the build; ecr-repository is not needed', async () => {
  const result = await plan({
    ...BASE,
    'ecr-repository': '',
    image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/hokusai-api@${DIGEST}`,
  });
  expect(result.errors).toEqual([]);
  expect(result.outputs.build).toBe('false');
});

describe('refused in one line, before anything runs', () => {
  test.each<{ name: string; inputs: Record<string, string>; error: string }>([
    {
      name: 'a promotion by tag',
      inputs: { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hokusai-api:1cdcfc3' },
      error:
        'input image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/hokusai-api:1cdcfc3" must name an image by digest (registry/repository@sha256:...): a tag can move',
    },
    {
      name: 'no repository to build into',
      inputs: { 'ecr-repository': '' },
      error: 'input ecr-repository is required unless image promotes an existing image',
    },
    {
      name: 'an ARN in another region',
      inputs: { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/production' },
      error:
        'input aws-region is eu-west-1 but arn:aws:ecs:us-east-1:123456789012:cluster/production is in us-east-1',
    },
    {
      name: 'a service ARN in another cluster (trial A: it was deployed under the key of production/hokusai-api)',
      inputs: { service: 'arn:aws:ecs:eu-west-1:123456789012:service/staging/hokusai-api' },
      error:
        'input service "arn:aws:ecs:eu-west-1:123456789012:service/staging/hokusai-api" is in cluster staging, not in cluster "production": give the service\'s own cluster',
    },
    {
      name: 'a service ARN in another account than the role',
      inputs: { service: 'arn:aws:ecs:eu-west-1:210987654321:service/production/hokusai-api' },
      error:
        'arn:aws:ecs:eu-west-1:210987654321:service/production/hokusai-api is in account 210987654321 but input role-to-assume is in account 123456789012',
    },
    {
      name: 'a cluster ARN and a service ARN in two accounts (the role named by name)',
      inputs: {
        'role-to-assume': 'deploy',
        cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/production',
        service: 'arn:aws:ecs:eu-west-1:210987654321:service/production/hokusai-api',
      },
      error:
        'arn:aws:ecs:eu-west-1:210987654321:service/production/hokusai-api is in account 210987654321 but arn:aws:ecs:eu-west-1:123456789012:cluster/production is in account 123456789012',
    },
    {
      name: 'monitoring neither true nor false (it would skip the monitoring step without a word)',
      inputs: { monitoring: 'yes' },
      error: 'input monitoring "yes" must be true or false',
    },
    {
      name: 'deployment-alarms neither true nor false',
      inputs: { monitoring: 'true', 'deployment-alarms': 'True' },
      error: 'input deployment-alarms "True" must be true or false',
    },
    {
      name: 'a name ECS cannot have',
      inputs: { service: 'hokusai api' },
      error: 'input service "hokusai api" is not an ECS service name or ARN',
    },
  ])('$name', async ({ inputs, error }) => {
    const result = await plan({ ...BASE, ...inputs });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([error]);
    expect(result.outputs).toEqual({});
  });

  test('a value with line breaks cannot start a workflow command of its own', async () => {
    const result = await plan({ ...BASE, cluster: 'prod\n::warning::injected\n::add-mask::x' });
    expect(result.ok).toBe(false);
    expect(result.commands).toHaveLength(1);
    expect(result.commands[0]).toMatch(
      /^::error title=deploy-ecs.yml::input cluster "prod ::warning::injected ::add-mask::x"/,
    );
  });
});
