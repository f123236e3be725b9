// Wire contract of the bundled action against moto (real AWS protocol): the requests it makes, and that a refusal
// leaves the service exactly as it was. Rollout dynamics are tested against the ECS emulator instead.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
} from '@aws-sdk/client-ecs';
import { runAction, startMoto, type ActionRun, type MotoServer } from '@hokusai/action-harness';

let moto: MotoServer;
let ecs: ECSClient;
const runs: ActionRun[] = [];
const td: Record<string, string> = {};
let serviceCount = 0;

const definition = (family: string, image: string) => ({
  family,
  containerDefinitions: [{ name: 'api', image, memory: 512, essential: true }],
});

async function register(family: string, image: string): Promise<string> {
  const out = await ecs.send(new RegisterTaskDefinitionCommand(definition(family, image)));
  return out.taskDefinition!.taskDefinitionArn!;
}

/** A new service on `taskDefinition`, so each test starts from a known state. */
async function newService(taskDefinition: string): Promise<{ name: string; arn: string }> {
  const name = `api-${++serviceCount}`;
  const out = await ecs.send(
    new CreateServiceCommand({ cluster: 'hokusai', serviceName: name, taskDefinition, desiredCount: 2 }),
  );
  return { name, arn: out.service!.serviceArn! };
}

async function serviceState(name: string) {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: [name] }));
  const s = out.services![0]!;
  const tags = await ecs.send(new ListTagsForResourceCommand({ resourceArn: s.serviceArn! }));
  return {
    taskDefinition: s.taskDefinition,
    tags: Object.fromEntries((tags.tags ?? []).map((t) => [t.key, t.value])),
  };
}

async function rollback(inputs: Record<string, string>): Promise<ActionRun> {
  const run = await runAction({
    action: 'auto-rollback',
    inputs: { cluster: 'hokusai', wait: 'false', ...inputs },
    env: moto.env,
    timeoutMs: 60_000,
  });
  runs.push(run);
  return run;
}

function errorLines(run: ActionRun): string[] {
  return run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ecs.send(new CreateClusterCommand({ clusterName: 'hokusai' }));
  td.r1 = await register('hokusai-api', 'api:1');
  td.r2 = await register('hokusai-api', 'api:2');
  td.r3 = await register('hokusai-api', 'api:3');
  td.other = await register('other-app', 'other:1');
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: td.r1 }));
});

afterAll(async () => {
  await Promise.all(runs.map((r) => r.cleanup()));
  ecs?.destroy();
  await moto?.stop();
});

describe('auto-rollback against moto', () => {
  test('a bare revision: UpdateService to it, the reason tagged on the service, outputs set', async () => {
    const svc = await newService(td.r3!);
    const run = await rollback({
      service: svc.name,
      to: '2',
      reason: 'crash on import (SyntaxError, line 26)',
    });
    expect(errorLines(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ 'rolled-back-from': td.r3, 'rolled-back-to': td.r2, result: 'started' });
    const state = await serviceState(svc.name);
    expect(state.taskDefinition).toBe(td.r2);
    expect(state.tags['hokusai:rollback-reason']).toBe('crash on import SyntaxError line 26');
    expect(run.summary).toContain('| reason | crash on import (SyntaxError, line 26) |');
    expect(run.summary).toContain('- [ ] ');
  });

  test('family:revision and the full ARN resolve to the same revision', async () => {
    for (const to of ['hokusai-api:2', td.r2!]) {
      const svc = await newService(td.r3!);
      const run = await rollback({ service: svc.name, to });
      expect(run.exitCode).toBe(0);
      expect(run.outputs['rolled-back-to']).toBe(td.r2);
      expect((await serviceState(svc.name)).taskDefinition).toBe(td.r2);
    }
  });

  test('previous: the last-good tag ecs-deploy-and-wait writes, when no older deployment is listed', async () => {
    const svc = await newService(td.r3!);
    await ecs.send(
      new TagResourceCommand({
        resourceArn: svc.arn,
        tags: [{ key: 'hokusai:last-good-task-definition', value: td.r2! }],
      }),
    );
    const run = await rollback({ service: svc.name, to: 'previous' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ 'rolled-back-to': td.r2, result: 'started' });
    expect(run.summary).toContain('last good revision tagged by ecs-deploy-and-wait');
    // Without a reason, the tag still records this rollback so an older reason is never left standing.
    expect((await serviceState(svc.name)).tags['hokusai:rollback-reason']).toBe(
      'rolled back from hokusai-api:3 to hokusai-api:2',
    );
  });

  const refusals: Array<{ name: string; to: () => string; extra?: Record<string, string>; error: string }> = [
    {
      name: 'a target of another family',
      to: () => 'other-app:1',
      error:
        'is of family "other-app", not "hokusai-api" that the service runs (set allow-other-family: true to allow)',
    },
    {
      name: 'a target that does not exist',
      to: () => 'hokusai-api:99',
      error: 'task definition "hokusai-api:99" not found',
    },
    {
      name: 'previous with nothing to go back to',
      to: () => 'previous',
      error: 'no previous task definition for service',
    },
  ];
  test.each(refusals)('refuses $name with one line and no change', async ({ to, error }) => {
    const svc = await newService(td.r3!);
    const before = await serviceState(svc.name);
    const run = await rollback({ service: svc.name, to: to() });
    expect(run.exitCode).toBe(1);
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
    expect(errors[0]).not.toContain('\n');
    expect(run.log).not.toMatch(/^\s+at /m);
    expect(run.outputs.result).toBe('refused');
    expect(await serviceState(svc.name)).toEqual(before);
  });

  test('allow-other-family: true lets another family through', async () => {
    const svc = await newService(td.r3!);
    const run = await rollback({ service: svc.name, to: 'other-app:1', 'allow-other-family': 'true' });
    expect(run.exitCode).toBe(0);
    expect((await serviceState(svc.name)).taskDefinition).toBe(td.other);
  });

  test('the current revision: a no-op success with a notice, nothing changed', async () => {
    const svc = await newService(td.r3!);
    const before = await serviceState(svc.name);
    const run = await rollback({ service: svc.name, to: '3' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ 'rolled-back-from': td.r3, 'rolled-back-to': td.r3, result: 'no-op' });
    expect(run.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual([
      `${svc.name} already runs hokusai-api:3; nothing to roll back`,
    ]);
    expect(await serviceState(svc.name)).toEqual(before);
  });

  const missing: Array<{ name: string; inputs: Record<string, string>; error: string }> = [
    {
      name: 'cluster',
      inputs: { cluster: 'nope', service: 'api-1' },
      error: 'cluster "nope" (input "cluster") not found',
    },
    {
      name: 'service',
      inputs: { service: 'nope' },
      error: 'service "nope" not found in cluster "hokusai" (inputs "service" and "to")',
    },
  ];
  test.each(missing)('a missing $name is one line', async ({ inputs, error }) => {
    const run = await rollback({ to: '2', ...inputs });
    expect(run.exitCode).toBe(1);
    expect(errorLines(run)).toEqual([error]);
  });

  const badInputs: Array<{ name: string; inputs: Record<string, string>; error: string }> = [
    { name: 'to: abc', inputs: { to: 'abc' }, error: 'invalid value "abc" for input "to"' },
    {
      name: 'a bad duration',
      inputs: { timeout: '10 minutes' },
      error: 'invalid duration "10 minutes" for input "timeout"',
    },
    { name: 'a bad boolean', inputs: { wait: 'yes' }, error: 'invalid boolean "yes" for input "wait"' },
  ];
  test.each(badInputs)('bad input ($name): one line, nothing changed', async ({ inputs, error }) => {
    const svc = await newService(td.r3!);
    const before = await serviceState(svc.name);
    const run = await rollback({ service: svc.name, ...inputs });
    expect(run.exitCode).toBe(1);
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
    expect(run.outputs.result).toBe('refused');
    expect(await serviceState(svc.name)).toEqual(before);
  });
});
