// Wire contract of the SDK-backed adapters against moto: the same requests the actions make, real AWS protocol.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { redactSecrets } from '@hokusai/action-kit';
import { startMoto, type MotoServer } from '@hokusai/action-harness';
import { createAwsApis, registrableTaskDefinition } from '../src/aws-adapters.js';
import {
  LAST_GOOD_TAG,
  readLastGood,
  readRevisionTags,
  recordLastGood,
  recordRollback,
  ROLLED_BACK_FROM_TAG,
} from '../src/last-good.js';
import { resolveRollbackTarget } from '../src/rollback-target.js';
import type { AwsApis } from '../src/api.js';
import type { TaskInfo } from '../src/model.js';
import { describeStoppedTask } from '../src/stopped-task.js';

let moto: MotoServer;
let apis: AwsApis;
const setupClients: Array<{ destroy(): void }> = [];
const calls: string[] = [];
let td1 = '';
let td2 = '';
let other = '';
let gone = '';
const crashedTask: TaskInfo = {
  arn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/def456',
  id: 'def456',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:1',
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers: [{ name: 'api', exitCode: 1 }],
  privateIps: [],
};
const client = { region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };

const definition = (family: string, image: string) => ({
  family,
  networkMode: 'awsvpc' as const,
  requiresCompatibilities: ['FARGATE' as const],
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'api',
      image,
      essential: true,
      environment: [{ name: 'MODE', value: 'prod' }],
      logConfiguration: {
        logDriver: 'awslogs' as const,
        options: {
          'awslogs-group': '/ecs/hokusai-api',
          'awslogs-stream-prefix': 'ecs',
          'awslogs-region': 'us-east-1',
        },
      },
    },
  ],
  tags: [{ key: 'team', value: 'ml' }],
});

beforeAll(async () => {
  moto = await startMoto();
  const ecs = new ECSClient({ ...client, endpoint: moto.endpoint });
  setupClients.push(ecs);
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  td1 = (await ecs.send(new RegisterTaskDefinitionCommand(definition('hokusai-api', 'api:good'))))
    .taskDefinition!.taskDefinitionArn!;
  other = (await ecs.send(new RegisterTaskDefinitionCommand(definition('other-app', 'other:1'))))
    .taskDefinition!.taskDefinitionArn!;
  gone = (await ecs.send(new RegisterTaskDefinitionCommand(definition('hokusai-api', 'api:old'))))
    .taskDefinition!.taskDefinitionArn!;
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: gone }));
  await ecs.send(
    new CreateServiceCommand({ cluster: 'prod', serviceName: 'api', taskDefinition: td1, desiredCount: 2 }),
  );
  apis = createAwsApis({ region: 'us-east-1', env: moto.env, onCall: (op) => calls.push(op) });
});

afterAll(async () => {
  apis?.close?.();
  for (const c of setupClients) c.destroy();
  await moto?.stop();
});

describe('EcsApi against moto', () => {
  test('describeService maps the service and its PRIMARY deployment', async () => {
    const service = await apis.ecs.describeService('prod', 'api');
    expect(service).toMatchObject({ name: 'api', status: 'ACTIVE', taskDefinition: td1, desiredCount: 2 });
    expect(service!.arn).toMatch(/^arn:aws:ecs:us-east-1:\d+:service\/prod\/api$/);
    expect(service!.deployments).toHaveLength(1);
    expect(service!.deployments[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: td1 });
    expect(service!.deployments[0]!.id).toMatch(/^ecs-svc\//);
  });

  test('a missing service is undefined, a missing cluster throws ClusterNotFoundException', async () => {
    expect(await apis.ecs.describeService('prod', 'nope')).toBeUndefined();
    await expect(apis.ecs.describeService('no-such-cluster', 'api')).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
  });

  test('describeTaskDefinition returns tags; a missing one is undefined', async () => {
    const described = await apis.ecs.describeTaskDefinition(td1);
    expect(described!.taskDefinition.containerDefinitions![0]!.image).toBe('api:good');
    expect(described!.tags).toEqual([{ key: 'team', value: 'ml' }]);
    expect(await apis.ecs.describeTaskDefinition('hokusai-api:999')).toBeUndefined();
  });

  test('a described task definition registers again once the read-only fields are dropped, tags kept', async () => {
    const described = (await apis.ecs.describeTaskDefinition(td1))!;
    const copy = registrableTaskDefinition(described.taskDefinition);
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
    ]) {
      expect(copy).not.toHaveProperty(field);
    }
    copy.containerDefinitions![0]!.image = 'api:new';
    td2 = await apis.ecs.registerTaskDefinition(copy, described.tags);
    expect(td2).toMatch(/task-definition\/hokusai-api:3$/);
    const registered = (await apis.ecs.describeTaskDefinition(td2))!;
    expect(registered.taskDefinition.containerDefinitions![0]!.image).toBe('api:new');
    expect(registered.taskDefinition.containerDefinitions![0]!.environment).toEqual([
      { name: 'MODE', value: 'prod' },
    ]);
    expect(registered.tags).toEqual([{ key: 'team', value: 'ml' }]);
  });

  test('updateService moves the service to the new revision', async () => {
    const service = await apis.ecs.updateService({ cluster: 'prod', service: 'api', taskDefinition: td2 });
    expect(service.taskDefinition).toBe(td2);
    expect((await apis.ecs.describeService('prod', 'api'))!.taskDefinition).toBe(td2);
  });

  test('the last-good and rolled-back-from tags round-trip on the service (an empty value clears the mark)', async () => {
    const service = (await apis.ecs.describeService('prod', 'api'))!;
    expect(await readLastGood(apis.ecs, service.arn)).toBeUndefined();
    await recordRollback(apis.ecs, service.arn, td2, td1);
    expect(await readRevisionTags(apis.ecs, service.arn)).toEqual({ lastGood: td1, rolledBackFrom: td2 });
    await recordLastGood(apis.ecs, service.arn, td1);
    expect(await readLastGood(apis.ecs, service.arn)).toBe(td1);
    expect(await readRevisionTags(apis.ecs, service.arn)).toEqual({ lastGood: td1 });
    expect(await apis.ecs.listTags(service.arn)).toEqual({
      [LAST_GOOD_TAG]: td1,
      [ROLLED_BACK_FROM_TAG]: '',
    });
  });

  test('deploymentHistory is undefined where ListServiceDeployments is not offered (moto)', async () => {
    expect(await apis.ecs.deploymentHistory('prod', 'api')).toBeUndefined();
  });

  test('every request was counted once (the SDK itself does not retry)', () => {
    expect(calls).toContain('DescribeServices');
    expect(calls).toContain('RegisterTaskDefinition');
    expect(calls).toContain('UpdateService');
    expect(calls).toContain('TagResource');
    expect(calls.filter((c) => c === 'UpdateService')).toHaveLength(1);
  });
});

describe('resolveRollbackTarget against moto', () => {
  const resolve = (to: string, allowOtherFamily = false) =>
    resolveRollbackTarget(apis.ecs, { cluster: 'prod', service: 'api', to, allowOtherFamily });
  test.each([
    {
      name: 'previous falls back to the last-good tag (moto keeps one deployment)',
      to: 'previous',
      expected: { revision: ':1', source: 'last-good-tag', noop: false },
    },
    {
      name: 'bare revision number in the current family',
      to: '1',
      expected: { revision: ':1', source: 'explicit', noop: false },
    },
    {
      name: 'family:revision',
      to: 'hokusai-api:1',
      expected: { revision: ':1', source: 'explicit', noop: false },
    },
    {
      name: 'the current revision is a no-op',
      to: '3',
      expected: { revision: ':3', source: 'explicit', noop: true },
    },
  ])('$name', async ({ to, expected }) => {
    const target = await resolve(to);
    expect(target.taskDefinitionArn.endsWith(`hokusai-api${expected.revision}`)).toBe(true);
    expect(target.source).toBe(expected.source);
    expect(target.noop).toBe(expected.noop);
    expect(target.currentTaskDefinitionArn).toBe(td2);
  });

  test('a full ARN', async () => {
    expect((await resolve(td1)).taskDefinitionArn).toBe(td1);
  });

  test.each([
    {
      name: 'other family',
      to: () => other,
      error: /is of family "other-app", not "hokusai-api".*allow-other-family/,
    },
    { name: 'not found', to: () => '77', error: /^task definition "hokusai-api:77" not found$/ },
    { name: 'nonsense', to: () => 'latest!', error: /^invalid value "latest!" for input "to"/ },
  ])('refuses: $name', async ({ to, error }) => {
    await expect(resolve(to())).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringMatching(error),
    });
  });

  test('a deregistered revision named explicitly comes back with its content to register again', async () => {
    const target = await resolve(gone);
    expect(target).toMatchObject({ taskDefinitionArn: gone, source: 'explicit', noop: false });
    expect(target.reRegister?.taskDefinition).toMatchObject({ family: 'hokusai-api', status: 'INACTIVE' });
  });

  test('another family is allowed when asked', async () => {
    expect((await resolve(other, true)).taskDefinitionArn).toBe(other);
  });
});

describe('LogsApi against moto', () => {
  test('tail returns the last lines of the awslogs stream, [] for a missing stream', async () => {
    const logs = new CloudWatchLogsClient({ ...client, endpoint: moto.endpoint });
    setupClients.push(logs);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/hokusai-api' }));
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: '/ecs/hokusai-api', logStreamName: 'ecs/api/abc123' }),
    );
    const now = Date.now();
    const lines = [
      'Traceback (most recent call last):',
      '  File "/app/src/services/model_registry.py", line 26',
      'SyntaxError: invalid syntax',
    ];
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/hokusai-api',
        logStreamName: 'ecs/api/abc123',
        logEvents: lines.map((message, i) => ({ message, timestamp: now + i })),
      }),
    );
    expect(await apis.logs.tail('/ecs/hokusai-api', 'ecs/api/abc123', 2)).toEqual(lines.slice(1));
    expect(await apis.logs.tail('/ecs/hokusai-api', 'ecs/api/missing', 10)).toEqual([]);
  });

  test('with redact, each message is redacted whole as it is read, before anything cuts it', async () => {
    const logs = new CloudWatchLogsClient({ ...client, endpoint: moto.endpoint });
    setupClients.push(logs);
    const secret = 'Db-2b7e-s3cr3t';
    // The group exists when the test above ran first.
    await logs
      .send(new CreateLogGroupCommand({ logGroupName: '/ecs/hokusai-api' }))
      .catch((error: unknown) => {
        if ((error as Error).name !== 'ResourceAlreadyExistsException') throw error;
      });
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: '/ecs/hokusai-api', logStreamName: 'ecs/api/def456' }),
    );
    // The secret straddles the one-line cut of describeStoppedTask (299 characters).
    const message = `SyntaxError: ${'x'.repeat(281)} ${secret} (connecting)\nsecond line ${secret}`;
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/hokusai-api',
        logStreamName: 'ecs/api/def456',
        logEvents: [{ message, timestamp: Date.now() }],
      }),
    );
    const redacting = createAwsApis({
      region: 'us-east-1',
      env: moto.env,
      redact: (text) => redactSecrets(text, [secret]),
    });
    try {
      const lines = await redacting.logs.tail('/ecs/hokusai-api', 'ecs/api/def456', 10);
      expect(lines).toEqual([`SyntaxError: ${'x'.repeat(281)} *** (connecting)`, 'second line ***']);
      // A view made for another retry policy redacts too.
      const view = redacting.retrying!(undefined, {});
      expect(await view.logs.tail('/ecs/hokusai-api', 'ecs/api/def456', 10)).toEqual(lines);
      const line = describeStoppedTask(crashedTask, lines[0]);
      expect(line).not.toContain(secret.slice(0, 4));
      // Without it, the same line cut to one line keeps the secret's start, which redaction afterwards misses.
      const unredacted = await apis.logs.tail('/ecs/hokusai-api', 'ecs/api/def456', 10);
      expect(redactSecrets(describeStoppedTask(crashedTask, unredacted[0]), [secret])).toContain(
        secret.slice(0, 4),
      );
    } finally {
      redacting.close?.();
    }
  });
});
