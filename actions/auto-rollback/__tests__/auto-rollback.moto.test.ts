// The rollback core against moto through ecs-kit's SDK adapters: paths the bundled action cannot reach on cue.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { MemoryLogger } from '@hokusai/action-kit';
import { startMoto, type MotoServer } from '@hokusai/action-harness';
import { ApiCallLog, createAwsApis, systemClock, type AwsApis } from '@hokusai/ecs-kit';
import { autoRollback, resultOfError } from '../src/auto-rollback.js';

let moto: MotoServer;
let ecs: ECSClient;
let apis: AwsApis;
const calls: string[] = [];
let r2 = '';

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ecs.send(new CreateClusterCommand({ clusterName: 'hokusai' }));
  const register = async (image: string) =>
    (
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'hokusai-api',
          containerDefinitions: [{ name: 'api', image, memory: 512, essential: true }],
        }),
      )
    ).taskDefinition!.taskDefinitionArn!;
  // Revision 1, the target of the cancelled rollback.
  await register('api:1');
  r2 = await register('api:2');
  await ecs.send(
    new CreateServiceCommand({ cluster: 'hokusai', serviceName: 'api', taskDefinition: r2, desiredCount: 1 }),
  );
  apis = createAwsApis({ region: 'us-east-1', env: moto.env, onCall: (op) => calls.push(op) });
});

afterAll(async () => {
  apis?.close?.();
  ecs?.destroy();
  await moto?.stop();
});

test('a job cancelled before the rollback changes nothing: cancelled, not a failure to read the service', async () => {
  const cancel = new AbortController();
  cancel.abort();
  const logger = new MemoryLogger();
  const ended = await autoRollback({
    apis,
    cluster: 'hokusai',
    service: 'api',
    to: { kind: 'revision', revision: 1 },
    reason: '',
    failureReason: '',
    allowOtherFamily: false,
    wait: true,
    timeoutMs: 60_000,
    stableForMs: 0,
    pollIntervalMs: 1000,
    clock: systemClock,
    logger,
    callLog: new ApiCallLog(systemClock),
    signal: cancel.signal,
  }).catch((error: unknown) => error);
  // Cancelled: no request is started once the job is cancelled, and the run says so rather than "run it again".
  expect(resultOfError(ended)).toBe('cancelled');
  expect(ended).toMatchObject({
    message: 'cancelled before the rollback changed anything (while reading the service): no change made',
  });
  expect(calls).not.toContain('UpdateService');
  expect(calls).not.toContain('TagResource');
  const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: ['api'] })))
    .services![0]!;
  expect(service.taskDefinition).toBe(r2);
});
