// The wire layer: AWS-shaped errors the SDK turns into its named exceptions, fault injection, and malformed
// requests that never crash the server.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import net from 'node:net';
import path from 'node:path';
import {
  ClientException,
  ClusterNotFoundException,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServiceDeploymentsCommand,
  InvalidParameterException,
  ListTasksCommand,
  RunTaskCommand,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTargetHealthCommand,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isTransientAwsError } from '@hokusai/aws-kit';
import {
  loadScenario,
  SCENARIOS_DIR,
  startEmulator,
  type EmulatorHandle,
  type Scenario,
} from '../src/index.js';
import { clientsFor, destroyClients, errorOf, type Clients } from './sdk-clients.js';

const ECS = 'AmazonEC2ContainerServiceV20141113';

async function post(
  endpoint: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const response = await fetch(endpoint, { method: 'POST', body, headers });
  return { status: response.status, text: await response.text() };
}

describe('errors in AWS shape', () => {
  let emulator: EmulatorHandle;
  let c: Clients;
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: path.join(SCENARIOS_DIR, 'healthy-rollout.yaml') });
    c = clientsFor(emulator.endpoint);
  });
  afterAll(async () => {
    destroyClients(c);
    await emulator.close();
  });

  test.each<{
    name: string;
    call: (c: Clients) => Promise<unknown>;
    type: new (...args: never[]) => Error;
    message: string;
  }>([
    {
      name: 'UpdateService on a missing service',
      call: (c) =>
        c.ecs.send(new UpdateServiceCommand({ cluster: 'hokusai', service: 'nope', desiredCount: 1 })),
      type: ServiceNotFoundException,
      message: 'Service not found.',
    },
    {
      name: 'DescribeServices in a missing cluster',
      call: (c) => c.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['hokusai-api'] })),
      type: ClusterNotFoundException,
      message: 'Cluster not found.',
    },
    {
      name: 'DescribeTaskDefinition of a missing revision',
      call: (c) => c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'hokusai-api:7' })),
      type: ClientException,
      message: 'Unable to describe task definition.',
    },
    {
      name: 'UpdateService to a missing task definition',
      call: (c) =>
        c.ecs.send(
          new UpdateServiceCommand({ cluster: 'hokusai', service: 'hokusai-api', taskDefinition: 'nope:1' }),
        ),
      type: InvalidParameterException,
      message: 'TaskDefinition not found.',
    },
    {
      name: 'CreateService twice',
      call: (c) =>
        c.ecs.send(
          new CreateServiceCommand({
            cluster: 'hokusai',
            serviceName: 'hokusai-api',
            taskDefinition: 'hokusai-api:108',
          }),
        ),
      type: InvalidParameterException,
      message: 'Creation of service was not idempotent.',
    },
    {
      name: 'ListTasks of a missing service',
      call: (c) => c.ecs.send(new ListTasksCommand({ cluster: 'hokusai', serviceName: 'nope' })),
      type: ServiceNotFoundException,
      message: 'Service not found.',
    },
    {
      name: 'GetLogEvents of a missing stream',
      call: (c) =>
        c.logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/hokusai-api', logStreamName: 'nope' })),
      type: ResourceNotFoundException,
      message: 'The specified log stream does not exist.',
    },
    {
      name: 'GetLogEvents of a missing group',
      call: (c) => c.logs.send(new GetLogEventsCommand({ logGroupName: '/nope', logStreamName: 'nope' })),
      type: ResourceNotFoundException,
      message: 'The specified log group does not exist.',
    },
    {
      name: 'DescribeTargetHealth of a missing target group',
      call: (c) =>
        c.elb.send(
          new DescribeTargetHealthCommand({
            TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0',
          }),
        ),
      type: TargetGroupNotFoundException,
      message:
        "Target groups 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0' not found",
    },
  ])('$name -> $type.name', async ({ call, type, message }) => {
    const error = await errorOf(call(c));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(message);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  test('DescribeServices of a missing service is a MISSING failure, not an error (as AWS)', async () => {
    const out = await c.ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: ['nope'] }));
    expect(out.services).toEqual([]);
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/hokusai/nope', reason: 'MISSING' },
    ]);
  });

  test('DescribeServices returns tags only with include TAGS (as AWS)', async () => {
    const { TagResourceCommand } = await import('@aws-sdk/client-ecs');
    const plain = await c.ecs.send(
      new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }),
    );
    expect(plain.services![0]!.tags).toBeUndefined();
    await c.ecs.send(
      new TagResourceCommand({
        resourceArn: plain.services![0]!.serviceArn,
        tags: [{ key: 'team', value: 'ml' }],
      }),
    );
    const tagged = await c.ecs.send(
      new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'], include: ['TAGS'] }),
    );
    expect(tagged.services![0]!.tags).toEqual([{ key: 'team', value: 'ml' }]);
  });

  test('an operation the emulator lacks answers UnknownOperationException through the SDK', async () => {
    const error = await errorOf(
      c.ecs.send(new RunTaskCommand({ cluster: 'hokusai', taskDefinition: 'hokusai-api:108' })),
    );
    expect(error.name).toBe('UnknownOperationException');
    expect(error.message).toMatch(/RunTask is not supported/);
  });
});

describe('malformed requests never crash the server', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: path.join(SCENARIOS_DIR, 'incident-crash-on-import.yaml'),
      timeScale: 50,
    });
  });
  afterAll(async () => emulator.close());

  const json = (op: string) => ({
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `${ECS}.${op}`,
  });

  test.each<{ name: string; body: string; headers: Record<string, string>; status: number; code: string }>([
    {
      name: 'invalid JSON',
      body: '{"cluster":',
      headers: json('DescribeServices'),
      status: 400,
      code: 'SerializationException',
    },
    {
      name: 'a JSON array',
      body: '[1,2]',
      headers: json('DescribeServices'),
      status: 400,
      code: 'SerializationException',
    },
    {
      name: 'JSON null',
      body: 'null',
      headers: json('ListTasks'),
      status: 400,
      code: 'SerializationException',
    },
    {
      name: 'a wrong field type',
      body: '{"cluster":"hokusai","service":"hokusai-api","desiredCount":"two"}',
      headers: json('UpdateService'),
      status: 400,
      code: 'InvalidParameterException',
    },
    {
      name: 'services not a list',
      body: '{"cluster":"hokusai","services":"hokusai-api"}',
      headers: json('DescribeServices'),
      status: 400,
      code: 'InvalidParameterException',
    },
    {
      name: 'an unknown ECS operation',
      body: '{}',
      headers: json('LaunchRockets'),
      status: 400,
      code: 'UnknownOperationException',
    },
    {
      name: 'an unknown target prefix',
      body: '{}',
      headers: { 'x-amz-target': 'Nope_2020.Foo' },
      status: 400,
      code: 'UnknownOperationException',
    },
    {
      name: 'a target without a dot',
      body: '{}',
      headers: { 'x-amz-target': 'garbage' },
      status: 400,
      code: 'UnknownOperationException',
    },
    {
      name: 'no target, no Action',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
      status: 400,
      code: 'UnknownOperationException',
    },
    {
      name: 'ELBv2 unknown Action',
      body: 'Action=DeleteEverything&Version=2015-12-01',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 400,
      code: 'InvalidAction',
    },
    {
      name: 'ELBv2 missing TargetGroupArn',
      body: 'Action=DescribeTargetHealth&Version=2015-12-01',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 400,
      code: 'ValidationError',
    },
    {
      name: 'Logs wrong type',
      body: '{"logGroupName":5}',
      headers: { 'x-amz-target': 'Logs_20140328.GetLogEvents' },
      status: 400,
      code: 'InvalidParameterException',
    },
  ])('$name -> $status $code', async ({ body, headers, status, code }) => {
    const response = await post(emulator.endpoint, body, headers);
    expect(response.status).toBe(status);
    expect(response.text).toContain(code);
  });

  test('random bodies to every operation: always an answer, never a 5xx', async () => {
    const operations = [
      'CreateCluster',
      'RegisterTaskDefinition',
      'DescribeTaskDefinition',
      'ListTaskDefinitions',
      'DeregisterTaskDefinition',
      'CreateService',
      'DescribeServices',
      'UpdateService',
      'DeleteService',
      'ListTasks',
      'DescribeTasks',
      'TagResource',
      'UntagResource',
      'ListTagsForResource',
      'ListServiceDeployments',
      'DescribeServiceDeployments',
    ];
    const values: unknown[] = [
      null,
      0,
      -1,
      1.5,
      1e308,
      '',
      'hokusai',
      'hokusai-api',
      'arn:aws:ecs:us-east-1:123456789012:service/hokusai/hokusai-api',
      [],
      ['x'],
      [null],
      {},
      { a: 1 },
      true,
      'x'.repeat(5000),
    ];
    const fields = [
      'cluster',
      'service',
      'services',
      'serviceName',
      'taskDefinition',
      'desiredCount',
      'tasks',
      'family',
      'containerDefinitions',
      'resourceArn',
      'tags',
      'tagKeys',
      'deploymentConfiguration',
      'loadBalancers',
      'maxResults',
      'nextToken',
      'desiredStatus',
      'force',
      'include',
      'clusterName',
    ];
    let seed = 42;
    const pick = <T>(list: T[]): T => list[(seed = (seed * 1103515245 + 12345) % 2147483648) % list.length]!;
    for (let i = 0; i < 400; i++) {
      const body: Record<string, unknown> = {};
      for (let f = 0; f < 3; f++) body[pick(fields)] = pick(values);
      const op = pick(operations);
      const response = await post(emulator.endpoint, JSON.stringify(body), json(op));
      if (response.status >= 500)
        throw new Error(`${op} ${JSON.stringify(body).slice(0, 300)} -> ${response.status} ${response.text}`);
    }
    const bugs = emulator.events().filter((e) => e.type === 'emulator-error');
    expect(bugs).toEqual([]);
  });

  test('random bodies to every Logs operation and random ELBv2 queries: never a 5xx', async () => {
    const logsOps = [
      'GetLogEvents',
      'FilterLogEvents',
      'DescribeLogStreams',
      'DescribeLogGroups',
      'CreateLogGroup',
    ];
    const values: unknown[] = [
      null,
      0,
      -5,
      1.5,
      '',
      '/ecs/hokusai-api',
      'hokusai/',
      'f/3',
      'b/x',
      [],
      ['a'],
      {},
      true,
      20000,
    ];
    const fields = [
      'logGroupName',
      'logGroupIdentifier',
      'logStreamName',
      'logStreamNames',
      'logStreamNamePrefix',
      'startTime',
      'endTime',
      'limit',
      'nextToken',
      'startFromHead',
      'filterPattern',
      'orderBy',
      'descending',
    ];
    const elbParams = [
      'TargetGroupArn',
      'Names.member.1',
      'TargetGroupArns.member.1',
      'Targets.member.1.Id',
      'Targets.member.1.Port',
      'LoadBalancerArn',
    ];
    let seed = 7;
    const pick = <T>(list: T[]): T => list[(seed = (seed * 1103515245 + 12345) % 2147483648) % list.length]!;
    for (let i = 0; i < 200; i++) {
      const body: Record<string, unknown> = {};
      for (let f = 0; f < 4; f++) body[pick(fields)] = pick(values);
      const op = pick(logsOps);
      const response = await post(emulator.endpoint, JSON.stringify(body), {
        'x-amz-target': `Logs_20140328.${op}`,
        'content-type': 'application/x-amz-json-1.1',
      });
      if (response.status >= 500)
        throw new Error(`${op} ${JSON.stringify(body)} -> ${response.status} ${response.text}`);
      const query = new URLSearchParams({
        Action: pick(['DescribeTargetHealth', 'DescribeTargetGroups']),
        Version: '2015-12-01',
      });
      for (let f = 0; f < 2; f++) query.set(pick(elbParams), String(pick(values)));
      const elb = await post(emulator.endpoint, query.toString(), {
        'content-type': 'application/x-www-form-urlencoded',
      });
      if (elb.status >= 500) throw new Error(`${query} -> ${elb.status} ${elb.text}`);
    }
    expect(emulator.events().filter((e) => e.type === 'emulator-error')).toEqual([]);
  });

  test('garbage at the HTTP level and an oversized body: the server still answers', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(emulator.port, '127.0.0.1', () => socket.write('THIS IS NOT HTTP\r\n\r\n'));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    const huge = await post(
      emulator.endpoint,
      JSON.stringify({ cluster: 'x'.repeat(6 * 1024 * 1024) }),
      json('ListTasks'),
    );
    expect(huge.status).toBe(413);
    const ok = await post(
      emulator.endpoint,
      '{"cluster":"hokusai","services":["hokusai-api"]}',
      json('DescribeServices'),
    );
    expect(ok.status).toBe(200);
  });

  test('GET /_emulator/events answers the event log with simulated ISO times', async () => {
    const response = await fetch(`${emulator.endpoint}/_emulator/events`);
    const body = (await response.json()) as { events: { time: string; type: string }[] };
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.events.every((e) => typeof e.type === 'string' && !Number.isNaN(Date.parse(e.time)))).toBe(
      true,
    );
  });
});

describe('fault injection', () => {
  const scenario = (): Scenario => {
    const s = loadScenario(path.join(SCENARIOS_DIR, 'healthy-rollout.yaml'));
    s.faults = [
      { operation: 'DescribeServices', error: 'ThrottlingException', calls: [1] },
      { operation: 'DescribeServices', error: 'ServerError', calls: [2] },
      { operation: 'DescribeServices', error: 'ConnectionReset', calls: [3] },
      {
        operation: 'DescribeServices',
        error: 'AccessDeniedException',
        message: 'User is not authorized to perform ecs:DescribeServices',
        calls: [4],
      },
      { operation: 'GetLogEvents', error: 'ThrottlingException', calls: [1] },
      { operation: 'DescribeTargetGroups', error: 'ThrottlingException', calls: [1] },
      { operation: 'DescribeTargetGroups', error: 'ServerError', calls: [2] },
    ];
    return s;
  };
  let emulator: EmulatorHandle;
  let c: Clients;
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: scenario() });
    c = clientsFor(emulator.endpoint);
  });
  afterAll(async () => {
    destroyClients(c);
    await emulator.close();
  });

  test('a schedule of ECS faults surfaces as the SDK named errors, then the call succeeds', async () => {
    const describe = () =>
      c.ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }));
    const throttled = await errorOf(describe());
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.$metadata?.httpStatusCode).toBe(400);
    expect(isTransientAwsError(throttled)).toBe(true);
    const server = await errorOf(describe());
    expect(server.name).toBe('ServerException');
    expect(server.$metadata?.httpStatusCode).toBe(500);
    const reset = await errorOf(describe());
    expect(isTransientAwsError(reset)).toBe(true);
    const denied = await errorOf(describe());
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toBe('User is not authorized to perform ecs:DescribeServices');
    const ok = await describe();
    expect(ok.services![0]!.serviceName).toBe('hokusai-api');
    const faults = emulator.events().filter((e) => e.type === 'fault');
    expect(faults.map((e) => e.fault)).toEqual(['throttle', 'server-error', 'connection-reset', 'error']);
  });

  test('Logs and ELBv2 faults in their own protocols', async () => {
    const logs = await errorOf(
      c.logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/hokusai-api', logStreamName: 'x' })),
    );
    expect(logs.name).toBe('ThrottlingException');
    const { DescribeTargetGroupsCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
    const elb = await errorOf(c.elb.send(new DescribeTargetGroupsCommand({})));
    expect(elb.name).toBe('Throttling');
    expect(isTransientAwsError(elb)).toBe(true);
    const elb500 = await errorOf(c.elb.send(new DescribeTargetGroupsCommand({})));
    expect(elb500.$metadata?.httpStatusCode).toBe(500);
    const ok = await c.elb.send(new DescribeTargetGroupsCommand({}));
    expect(ok.TargetGroups).toHaveLength(1);
  });
});

describe('startEmulator options', () => {
  test('startTime, timeScale override, a chosen port, and close() twice', async () => {
    const { freePort } = await import('@hokusai/action-harness');
    const port = await freePort();
    const scenario = loadScenario(path.join(SCENARIOS_DIR, 'healthy-rollout.yaml'));
    scenario.startTime = '2026-01-01T09:00:00Z';
    const emulator = await startEmulator({ scenario, port, timeScale: 1000 });
    try {
      expect(emulator.port).toBe(port);
      expect(emulator.endpoint).toBe(`http://127.0.0.1:${port}`);
      await new Promise((r) => setTimeout(r, 100));
      // At 1000 simulated seconds per real second, 100 ms of real time is at least 100 simulated seconds.
      expect(emulator.now().getTime() - Date.parse('2026-01-01T09:00:00Z')).toBeGreaterThanOrEqual(100_000);
      const c = clientsFor(emulator.endpoint);
      try {
        const out = await c.ecs.send(
          new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }),
        );
        // A scenario's service is found as it is in AWS: created an hour before, with its first deployment.
        expect(out.services![0]!.createdAt!.toISOString()).toBe('2026-01-01T08:00:00.000Z');
        expect(out.services![0]!.deployments![0]!.createdAt!.toISOString()).toBe('2026-01-01T08:00:00.000Z');
      } finally {
        destroyClients(c);
      }
    } finally {
      await emulator.close();
      await emulator.close();
    }
  });

  test('a bad scenario object is refused with the field path', async () => {
    const scenario = loadScenario(path.join(SCENARIOS_DIR, 'healthy-rollout.yaml'));
    (scenario.services![0] as unknown as Record<string, unknown>).desiredCount = 'two';
    await expect(startEmulator({ scenario })).rejects.toThrow(
      'services[0].desiredCount: expected an integer',
    );
    await expect(
      startEmulator({ scenario: path.join(SCENARIOS_DIR, 'healthy-rollout.yaml'), timeScale: 0 }),
    ).rejects.toThrow('timeScale: must be a number > 0 (got 0)');
  });
});

describe('new fields over the API', () => {
  let emulator: EmulatorHandle;
  let c: Clients;
  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: path.join(SCENARIOS_DIR, 'healthy-rollout.yaml'),
      clock: 'virtual',
    });
    c = clientsFor(emulator.endpoint);
  });
  afterAll(async () => {
    destroyClients(c);
    await emulator.close();
  });

  test('an unknown strategy or controller names the allowed values', async () => {
    const strategy = await errorOf(
      c.ecs.send(
        new UpdateServiceCommand({
          cluster: 'hokusai',
          service: 'hokusai-api',
          deploymentConfiguration: { strategy: 'RED_BLACK' as never },
        }),
      ),
    );
    expect(strategy).toBeInstanceOf(InvalidParameterException);
    expect(strategy.message).toBe(
      "1 validation error detected: Value 'RED_BLACK' at 'deploymentConfiguration.strategy' failed to satisfy constraint: Member must satisfy enum value set: [ROLLING, BLUE_GREEN, LINEAR, CANARY]",
    );
    const controller = await errorOf(
      c.ecs.send(
        new CreateServiceCommand({
          cluster: 'hokusai',
          serviceName: 'other',
          taskDefinition: 'hokusai-api:108',
          deploymentController: { type: 'SPINNAKER' as never },
        }),
      ),
    );
    expect(controller.message).toContain('Member must satisfy enum value set: [ECS, CODE_DEPLOY, EXTERNAL]');
  });

  test('thresholdConfiguration, resetOnHealthyTask and alarms round-trip through UpdateService and DescribeServices', async () => {
    const out = await c.ecs.send(
      new UpdateServiceCommand({
        cluster: 'hokusai',
        service: 'hokusai-api',
        deploymentConfiguration: {
          deploymentCircuitBreaker: {
            enable: true,
            rollback: true,
            resetOnHealthyTask: false,
            thresholdConfiguration: { type: 'COUNT', value: 2 },
          },
          alarms: { alarmNames: ['a'], enable: true, rollback: false },
        },
      }),
    );
    expect(out.service!.deploymentConfiguration).toMatchObject({
      deploymentCircuitBreaker: {
        enable: true,
        rollback: true,
        resetOnHealthyTask: false,
        thresholdConfiguration: { type: 'COUNT', value: 2 },
      },
      alarms: { alarmNames: ['a'], enable: true, rollback: false },
    });
  });
});

describe('wire details the AWS CLI showed', () => {
  let emulator: EmulatorHandle;
  let c: Clients;
  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: path.join(SCENARIOS_DIR, 'incident-crash-on-import.yaml'),
      clock: 'virtual',
    });
    c = clientsFor(emulator.endpoint);
    // A forced deployment of the good image: two tasks start at the same moment and log the same lines.
    await c.ecs.send(
      new UpdateServiceCommand({ cluster: 'hokusai', service: 'hokusai-api', forceNewDeployment: true }),
    );
    await emulator.clock.sleep(120_000);
  });
  afterAll(async () => {
    destroyClients(c);
    await emulator.close();
  });

  test('FilterLogEvents: event ids unique across streams written at the same moment; searchedLogStreams empty', async () => {
    const out = await c.logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/hokusai-api' }));
    const events = out.events!;
    const streams = new Set(events.map((e) => e.logStreamName));
    expect(streams.size).toBeGreaterThanOrEqual(2);
    const timestamps = events.map((e) => e.timestamp);
    expect(new Set(timestamps).size).toBeLessThan(timestamps.length); // same moments in several streams
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(out.searchedLogStreams).toEqual([]);
  });

  test('ELBv2: the x-amzn-RequestId header is the body’s RequestId', async () => {
    const response = await fetch(emulator.endpoint, {
      method: 'POST',
      body: 'Action=DescribeTargetGroups&Version=2015-12-01',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const body = await response.text();
    expect(body).toContain(`<RequestId>${response.headers.get('x-amzn-requestid')}</RequestId>`);
    const error = await fetch(emulator.endpoint, {
      method: 'POST',
      body: 'Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=nope',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await error.text()).toContain(`<RequestId>${error.headers.get('x-amzn-requestid')}</RequestId>`);
  });

  test('a deployment is never created before its service; DescribeServiceDeployments counts running and pending tasks', async () => {
    const { services } = await c.ecs.send(
      new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }),
    );
    const service = services![0]!;
    for (const d of service.deployments!)
      expect(d.createdAt!.getTime()).toBeGreaterThanOrEqual(service.createdAt!.getTime());
    await c.ecs.send(
      new UpdateServiceCommand({ cluster: 'hokusai', service: 'hokusai-api', forceNewDeployment: true }),
    );
    await emulator.clock.sleep(3_000);
    const list = await c.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: 'hokusai', service: 'hokusai-api' }),
    );
    const [current] = (
      await c.ecs.send(
        new DescribeServiceDeploymentsCommand({
          serviceDeploymentArns: [list.serviceDeployments![0]!.serviceDeploymentArn!],
        }),
      )
    ).serviceDeployments!;
    expect(current!.targetServiceRevision).toMatchObject({
      requestedTaskCount: 2,
      runningTaskCount: 0,
      pendingTaskCount: 2,
    });
    expect(current!.sourceServiceRevisions![0]).toMatchObject({ runningTaskCount: 2, pendingTaskCount: 0 });
  });
});
