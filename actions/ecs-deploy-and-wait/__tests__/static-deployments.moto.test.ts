// Against moto, whose ECS deployments are static (UpdateService leaves the old PRIMARY deployment as it was): the
// deploy must not adopt a deployment of another revision and report what it did not watch — it says that the
// deployment to watch is unknown and ends there.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { runAction, startMoto, type MotoServer } from '@hokusai/action-harness';

let moto: MotoServer;
let ecs: ECSClient;

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ecs.send(new CreateClusterCommand({ clusterName: 'hokusai' }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'hokusai-api',
      containerDefinitions: [{ name: 'api', image: 'hokusai-api:1', memory: 512, essential: true }],
    }),
  );
  // desiredCount 0: moto then reports the deployment COMPLETED (with tasks, it stays IN_PROGRESS for ever).
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'hokusai',
      serviceName: 'hokusai-api',
      taskDefinition: td.taskDefinition!.taskDefinitionArn!,
      desiredCount: 0,
    }),
  );
});

afterAll(async () => {
  ecs?.destroy();
  await moto?.stop();
});

test('UpdateService answered with no PRIMARY deployment of ours: failed, the deployment unknown, nothing watched', async () => {
  const run = await runAction({
    action: 'ecs-deploy-and-wait',
    inputs: { cluster: 'hokusai', service: 'hokusai-api', image: 'hokusai-api:2', 'container-name': 'api' },
    env: moto.env,
    timeoutMs: 60_000,
  });
  try {
    expect(run.outputs.result).toBe('failed');
    expect(run.outputs['deployment-id']).toBe('');
    expect(run.outputs['failure-reason']).toMatch(
      /^UpdateService hokusai-api:1 -> hokusai-api:2 was answered, but the service lists no PRIMARY deployment of hokusai-api:2 \(PRIMARY ecs-svc\/\d+ \(hokusai-api:1\)\): the deployment to watch is unknown, nothing was verified$/,
    );
    expect(run.log).not.toMatch(/verdict|rolled back|rollback:/);
    expect(run.stdout).toMatch(
      /ended by the start step: failed; service: hokusai-api runs hokusai-api:1 \(PRIMARY/,
    );
    expect(run.summary).toContain('## ❌ ecs-deploy-and-wait: failed');
    expect(run.summary).toContain('| ended by | the start step |');
    // The service itself was updated (moto keeps that much): the next step says how to go back.
    const service = (
      await ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }))
    ).services![0]!;
    expect(service.taskDefinition).toMatch(/hokusai-api:2$/);
    expect(run.stdout).toMatch(
      /to go back by hand: aws ecs update-service --cluster hokusai --service hokusai-api --task-definition \S+hokusai-api:1/,
    );
  } finally {
    await run.cleanup();
  }
});
