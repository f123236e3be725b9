// The fidelity contract: the same SDK calls against moto and the emulator, comparing response shapes (field paths
// and types) for the operations both support; and every field the emulator sends is one the SDK's AWS model knows.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startMoto, type MotoServer } from '@hokusai/action-harness';
import { SCENARIOS_DIR, startEmulator, type EmulatorHandle } from '../src/index.js';
import { clientsFor, destroyClients, waitSimulated, type Clients } from './sdk-clients.js';

/** Field paths of a parsed SDK response and the type at each: `services[].deployments[].rolloutState -> string`. */
export function shapeOf(value: unknown, at = '', out = new Map<string, string>()): Map<string, string> {
  if (value === undefined || value === null) return out;
  if (value instanceof Date) out.set(at, 'Date');
  else if (Array.isArray(value)) {
    out.set(at, 'array');
    for (const item of value) shapeOf(item, `${at}[]`, out);
  } else if (typeof value === 'object') {
    if (at !== '') out.set(at, 'object');
    for (const [key, child] of Object.entries(value))
      if (key !== '$metadata') shapeOf(child, at === '' ? key : `${at}.${key}`, out);
  } else out.set(at, typeof value);
  return out;
}

/**
 * Fields moto returns that the emulator leaves out on purpose, each with why (checked against the AWS API reference).
 * Anything else moto has must be in the emulator's response with the same type.
 */
const MOTO_ONLY: Record<string, string> = {
  'CreateService:service.taskSets':
    'task sets belong to the EXTERNAL deployment controller; the emulator models ECS rolling updates',
  'DescribeServices:services[].taskSets': 'as above',
  'UpdateService:service.taskSets': 'as above',
  'DeleteService:service.taskSets': 'as above',
  'FilterLogEvents:searchedLogStreams[]':
    'deprecated; AWS answers it empty (FilterLogEvents API reference; seen with the AWS CLI), moto fills it',
  'FilterLogEvents:searchedLogStreams[].logStreamName': 'as above',
  'FilterLogEvents:searchedLogStreams[].searchedCompletely': 'as above',
};

interface Pair {
  moto: Map<string, string>;
  emulator: Map<string, string>;
}

function compare(name: string, pair: Pair): string[] {
  const problems: string[] = [];
  for (const [field, type] of pair.moto) {
    const key = `${name}:${field}`;
    const ours = pair.emulator.get(field);
    if (ours === undefined) {
      if (
        !(key in MOTO_ONLY) &&
        !Object.keys(MOTO_ONLY).some((k) => key.startsWith(`${k}.`) || key.startsWith(`${k}[]`))
      ) {
        problems.push(`${key}: moto has ${type}, the emulator has nothing`);
      }
    } else if (ours !== type) problems.push(`${key}: moto has ${type}, the emulator has ${ours}`);
  }
  return problems;
}

/** A subnet and security group in moto for awsvpc tasks, by raw EC2 query calls (the repo has no EC2 SDK client). */
async function motoNetwork(
  endpoint: string,
): Promise<{ vpc: string; subnet: string; securityGroup: string }> {
  const ec2 = async (params: Record<string, string>): Promise<string> => {
    const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
    const response = await fetch(endpoint, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
      },
    });
    return response.text();
  };
  const vpc = /<vpcId>([^<]+)<\/vpcId>/.exec(
    await ec2({ Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' }),
  )?.[1];
  if (!vpc) throw new Error('moto CreateVpc returned no vpcId');
  const subnet = /<subnetId>([^<]+)<\/subnetId>/.exec(
    await ec2({ Action: 'CreateSubnet', VpcId: vpc, CidrBlock: '10.0.1.0/24' }),
  )?.[1];
  if (!subnet) throw new Error('moto CreateSubnet returned no subnetId');
  const created = await ec2({
    Action: 'CreateSecurityGroup',
    GroupName: 'fidelity',
    GroupDescription: 'fidelity',
    VpcId: vpc,
  });
  const securityGroup = /<groupId>([^<]+)<\/groupId>/.exec(created)?.[1];
  if (!securityGroup) throw new Error('moto CreateSecurityGroup returned no groupId');
  return { vpc, subnet, securityGroup };
}

const TASK_DEFINITION = {
  family: 'fidelity-api',
  cpu: '256',
  memory: '512',
  networkMode: 'awsvpc' as const,
  requiresCompatibilities: ['FARGATE' as const],
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  containerDefinitions: [
    {
      name: 'api',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:good',
      essential: true,
      portMappings: [{ containerPort: 8000, protocol: 'tcp' as const }],
      environment: [{ name: 'APP_ENV', value: 'test' }],
      logConfiguration: {
        logDriver: 'awslogs' as const,
        options: {
          'awslogs-group': '/ecs/fidelity',
          'awslogs-region': 'us-east-1',
          'awslogs-stream-prefix': 'fid',
        },
      },
    },
  ],
};

describe('fidelity: the emulator against moto', () => {
  let moto: MotoServer;
  let emulator: EmulatorHandle;
  let m: Clients;
  let e: Clients;
  const shapes = new Map<string, Pair>();
  const record = (name: string, motoOut: unknown, emulatorOut: unknown): void => {
    shapes.set(name, { moto: shapeOf(motoOut), emulator: shapeOf(emulatorOut) });
  };

  beforeAll(async () => {
    moto = await startMoto();
    emulator = await startEmulator({
      scenario: path.join(SCENARIOS_DIR, 'healthy-rollout.yaml'),
      clock: 'virtual',
    });
    m = clientsFor(moto.endpoint, 3);
    e = clientsFor(emulator.endpoint, 3);
    const both = async <T>(name: string, call: (c: Clients) => Promise<T>): Promise<[T, T]> => {
      const named = async (side: string, c: Clients): Promise<T> => {
        try {
          return await call(c);
        } catch (error) {
          throw new Error(`${name} against ${side}: ${String(error)}`);
        }
      };
      const pair: [T, T] = [await named('moto', m), await named('the emulator', e)];
      record(name, pair[0], pair[1]);
      return pair;
    };

    await both('CreateCluster', (c) => c.ecs.send(new CreateClusterCommand({ clusterName: 'fidelity' })));
    const [reg] = await both('RegisterTaskDefinition', (c) =>
      c.ecs.send(new RegisterTaskDefinitionCommand(TASK_DEFINITION)),
    );
    expect(reg.taskDefinition!.revision).toBe(1);
    await both('DescribeTaskDefinition', (c) =>
      c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'fidelity-api:1' })),
    );
    await both('ListTaskDefinitions', (c) =>
      c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'fidelity-api' })),
    );
    const { vpc, subnet, securityGroup } = await motoNetwork(moto.endpoint);
    // moto 5 needs securityGroups (HTTP 500 without), AWS does not.
    const networkConfiguration = {
      awsvpcConfiguration: {
        subnets: [subnet],
        securityGroups: [securityGroup],
        assignPublicIp: 'DISABLED' as const,
      },
    };
    const serviceInput = {
      networkConfiguration,
      cluster: 'fidelity',
      serviceName: 'fidelity-api',
      taskDefinition: 'fidelity-api:1',
      desiredCount: 1,
      launchType: 'FARGATE' as const,
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    };
    await both('CreateService', (c) => c.ecs.send(new CreateServiceCommand(serviceInput)));
    await both('DescribeServices', (c) =>
      c.ecs.send(new DescribeServicesCommand({ cluster: 'fidelity', services: ['fidelity-api', 'missing'] })),
    );
    await both('UpdateService', (c) =>
      c.ecs.send(new UpdateServiceCommand({ cluster: 'fidelity', service: 'fidelity-api', desiredCount: 2 })),
    );
    const clusterArn = 'arn:aws:ecs:us-east-1:123456789012:cluster/fidelity';
    await both('TagResource', (c) =>
      c.ecs.send(new TagResourceCommand({ resourceArn: clusterArn, tags: [{ key: 'team', value: 'ml' }] })),
    );
    await both('ListTagsForResource', (c) =>
      c.ecs.send(new ListTagsForResourceCommand({ resourceArn: clusterArn })),
    );

    // Tasks: moto's services launch none, and moto 5's RunTask of an awsvpc task fails (HTTP 500,
    // NetworkInterface has no private_dns_name), so DescribeTasks is checked against the AWS model only (below).
    await waitSimulated(emulator, 'emulator tasks to run', async () => {
      const out = await e.ecs.send(new ListTasksCommand({ cluster: 'fidelity' }));
      return (out.taskArns ?? []).length >= 1 ? out : undefined;
    });
    await both('ListTasks', (c) =>
      c.ecs.send(new ListTasksCommand({ cluster: 'fidelity', serviceName: 'fidelity-api' })),
    );
    await both('DeleteService', (c) =>
      c.ecs.send(new DeleteServiceCommand({ cluster: 'fidelity', service: 'fidelity-api', force: true })),
    );
    await both('DeregisterTaskDefinition', (c) =>
      c.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'fidelity-api:1' })),
    );

    // Logs: moto's written by PutLogEvents, the emulator's by a running container of the scenario.
    await m.logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/hokusai-api' }));
    await m.logs.send(
      new CreateLogStreamCommand({ logGroupName: '/ecs/hokusai-api', logStreamName: 'hokusai/api/abc' }),
    );
    await m.logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/hokusai-api',
        logStreamName: 'hokusai/api/abc',
        logEvents: [{ timestamp: Date.now(), message: '[INFO] Starting gunicorn 22.0.0' }],
      }),
    );
    const [, emuStreams] = await both('DescribeLogStreams', (c) =>
      c.logs.send(
        new DescribeLogStreamsCommand({ logGroupName: '/ecs/hokusai-api', logStreamNamePrefix: 'hokusai/' }),
      ),
    );
    const emuStream = emuStreams.logStreams![0]!.logStreamName!;
    const motoGet = await m.logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/hokusai-api',
        logStreamName: 'hokusai/api/abc',
        startFromHead: true,
      }),
    );
    const emuGet = await e.logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/hokusai-api',
        logStreamName: emuStream,
        startFromHead: true,
      }),
    );
    record('GetLogEvents', motoGet, emuGet);
    await both('FilterLogEvents', (c) =>
      c.logs.send(
        new FilterLogEventsCommand({ logGroupName: '/ecs/hokusai-api', filterPattern: 'gunicorn' }),
      ),
    );

    // ELBv2: moto's target group created and registered by hand, the emulator's from the scenario.
    const created = await m.elb.send(
      new CreateTargetGroupCommand({
        Name: 'hokusai-api',
        Protocol: 'HTTP',
        Port: 8000,
        VpcId: vpc,
        TargetType: 'ip',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
      }),
    );
    const motoTg = created.TargetGroups![0]!.TargetGroupArn!;
    await m.elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: motoTg, Targets: [{ Id: '10.0.0.12', Port: 8000 }] }),
    );
    const [, emuTgs] = await both('DescribeTargetGroups', (c) =>
      c.elb.send(new DescribeTargetGroupsCommand({ Names: ['hokusai-api'] })),
    );
    const motoHealth = await m.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: motoTg }));
    const emuHealth = await e.elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: emuTgs.TargetGroups![0]!.TargetGroupArn }),
    );
    record('DescribeTargetHealth', motoHealth, emuHealth);
  }, 120_000);

  afterAll(async () => {
    if (m) destroyClients(m);
    if (e) destroyClients(e);
    await emulator?.close();
    await moto?.stop();
  });

  const operations = [
    'CreateCluster',
    'RegisterTaskDefinition',
    'DescribeTaskDefinition',
    'ListTaskDefinitions',
    'CreateService',
    'DescribeServices',
    'UpdateService',
    'TagResource',
    'ListTagsForResource',
    'ListTasks',
    'DeleteService',
    'DeregisterTaskDefinition',
    'DescribeLogStreams',
    'GetLogEvents',
    'FilterLogEvents',
    'DescribeTargetGroups',
    'DescribeTargetHealth',
  ];
  test.each(operations)(
    '%s: every field moto returns, the emulator returns with the same type',
    (operation) => {
      const pair = shapes.get(operation);
      expect(pair).toBeDefined();
      expect(compare(operation, pair!)).toEqual([]);
    },
  );
});

/** Field paths of raw JSON, timestamps (numbers) included, for comparison with the SDK's parsed output. */
function rawPaths(value: unknown, at = '', out = new Set<string>()): Set<string> {
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) {
    out.add(at);
    for (const item of value) rawPaths(item, `${at}[]`, out);
  } else if (typeof value === 'object') {
    if (at !== '') out.add(at);
    for (const [key, child] of Object.entries(value)) rawPaths(child, at === '' ? key : `${at}.${key}`, out);
  } else out.add(at);
  return out;
}

describe('fidelity: every field the emulator sends is in the AWS model', () => {
  // The SDK deserializes by its service model and drops fields it does not know, so a raw field missing from the
  // parsed output is a misspelled or invented one.
  let emulator: EmulatorHandle;
  let c: Clients;
  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: path.join(SCENARIOS_DIR, 'circuit-breaker-rollback.yaml'),
      clock: 'virtual',
    });
    c = clientsFor(emulator.endpoint, 3);
    // A crash loop and a rollback, so stopped tasks, failed deployments and every optional field exist.
    const { taskDefinition: td } = await c.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'hokusai-api:108' }),
    );
    const { taskDefinition: broken } = await c.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'hokusai-api',
        containerDefinitions: td!.containerDefinitions!.map((d) => ({
          ...d,
          image: d.image!.replace(/:[^:]+$/, ':broken-1'),
        })),
      }),
    );
    await c.ecs.send(
      new UpdateServiceCommand({
        cluster: 'hokusai',
        service: 'hokusai-api',
        taskDefinition: broken!.taskDefinitionArn,
      }),
    );
    await waitSimulated(emulator, 'the rollback', async () => {
      const out = await c.ecs.send(
        new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }),
      );
      // ECS puts the last COMPLETED deployment back to IN_PROGRESS and the failed one leaves the list.
      return out.services![0]!.events!.some((e) => e.message!.includes('deployment failed'))
        ? out
        : undefined;
    });
  });
  afterAll(async () => {
    destroyClients(c);
    await emulator.close();
  });

  async function raw(target: string, body: object): Promise<unknown> {
    const response = await fetch(emulator.endpoint, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    });
    expect(response.status).toBe(200);
    return response.json();
  }

  test.each<{ operation: string; input: () => Promise<object> }>([
    {
      operation: 'DescribeServices',
      input: async () => ({ cluster: 'hokusai', services: ['hokusai-api'], include: ['TAGS'] }),
    },
    {
      operation: 'DescribeTasks',
      input: async () => {
        const stopped = await c.ecs.send(
          new ListTasksCommand({ cluster: 'hokusai', serviceName: 'hokusai-api', desiredStatus: 'STOPPED' }),
        );
        const running = await c.ecs.send(
          new ListTasksCommand({ cluster: 'hokusai', serviceName: 'hokusai-api' }),
        );
        return {
          cluster: 'hokusai',
          tasks: [...stopped.taskArns!, ...running.taskArns!].slice(0, 100),
          include: ['TAGS'],
        };
      },
    },
    {
      operation: 'DescribeTaskDefinition',
      input: async () => ({ taskDefinition: 'hokusai-api:108', include: ['TAGS'] }),
    },
    {
      operation: 'ListServiceDeployments',
      input: async () => ({ cluster: 'hokusai', service: 'hokusai-api' }),
    },
    { operation: 'DescribeClusters', input: async () => ({ clusters: ['hokusai'] }) },
    {
      operation: 'DescribeServiceDeployments',
      input: async () => {
        const { ListServiceDeploymentsCommand } = await import('@aws-sdk/client-ecs');
        const list = await c.ecs.send(
          new ListServiceDeploymentsCommand({ cluster: 'hokusai', service: 'hokusai-api' }),
        );
        return { serviceDeploymentArns: list.serviceDeployments!.map((d) => d.serviceDeploymentArn!) };
      },
    },
  ])('ECS $operation', async ({ operation, input }) => {
    const body = await input();
    const rawOut = await raw(`AmazonEC2ContainerServiceV20141113.${operation}`, body);
    const ecs = await import('@aws-sdk/client-ecs');
    const Command = (
      ecs as unknown as Record<string, new (input: object) => Parameters<typeof c.ecs.send>[0]>
    )[`${operation}Command`]!;
    const parsed = await c.ecs.send(new Command(body));
    const known = new Set(shapeOf(parsed).keys());
    const unknown = [...rawPaths(rawOut)].filter((p) => !known.has(p));
    expect(unknown).toEqual([]);
    expect(rawPaths(rawOut).size).toBeGreaterThan(5);
  });

  test.each<{ operation: string; input: object }>([
    { operation: 'DescribeLogStreams', input: { logGroupName: '/ecs/hokusai-api' } },
    {
      operation: 'FilterLogEvents',
      input: { logGroupName: '/ecs/hokusai-api', filterPattern: 'SyntaxError' },
    },
    { operation: 'DescribeLogGroups', input: {} },
  ])('Logs $operation', async ({ operation, input }) => {
    const rawOut = await raw(`Logs_20140328.${operation}`, input);
    const logs = await import('@aws-sdk/client-cloudwatch-logs');
    const Command = (
      logs as unknown as Record<string, new (input: object) => Parameters<typeof c.logs.send>[0]>
    )[`${operation}Command`]!;
    const parsed = await c.logs.send(new Command(input));
    const known = new Set(shapeOf(parsed).keys());
    expect([...rawPaths(rawOut)].filter((p) => !known.has(p))).toEqual([]);
  });
});
