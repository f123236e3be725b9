// The command a person copies to roll back by hand works as printed: run with the AWS CLI (a client nobody here
// wrote) and jq against the emulator. The case the trial hit: the previous revision is INACTIVE (deregistered),
// `rollback: false` — a plain update-service to it fails with "TaskDefinition is inactive".
import { afterEach, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { requireCommand } from '@hokusai/action-harness';
import { deployVirtual, REPO, scenario, type VirtualDeploy } from './virtual-deploy.js';

let deploy: VirtualDeploy | undefined;
afterEach(async () => {
  await deploy?.close();
  deploy = undefined;
});

test('rollback: false with an INACTIVE previous revision: the printed command re-registers its content and deploys it', async () => {
  requireCommand('aws', 'pip install awscli');
  requireCommand('jq', 'apt-get install jq');
  let ecs: ECSClient | undefined;
  deploy = await deployVirtual(
    scenario('incident-crash-on-import'),
    { image: `${REPO}:broken-3f9c2e1`, rollback: 'false' },
    {},
    async (emulator) => {
      ecs = new ECSClient({
        region: 'us-east-1',
        endpoint: emulator.endpoint,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'hokusai-api:108' }));
    },
  );
  try {
    expect(deploy.run.outputs.result).toBe('failed');
    const line =
      /is INACTIVE, so this registers its exact content again as a new revision and deploys that; needs jq\): (aws ecs update-service .*)$/m.exec(
        deploy.run.stdout,
      );
    expect(line).not.toBeNull();
    const { stdout } = await promisify(execFile)('sh', ['-c', line![1]!], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ENDPOINT_URL: deploy.emulator.endpoint,
        // As aws-actions/configure-aws-credentials sets them (the AWS CLI v1 reads AWS_DEFAULT_REGION).
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_PAGER: '',
      },
    });
    expect(JSON.parse(stdout).service.taskDefinition).toMatch(/hokusai-api:110$/);
    // The service is on a new revision with 108's exact content.
    expect(await deploy.primaryTaskDefinition()).toMatch(/hokusai-api:110$/);
    const restored = await ecs!.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'hokusai-api:110' }),
    );
    expect(restored.taskDefinition?.containerDefinitions?.[0]?.image).toBe(`${REPO}:good`);
    expect(restored.taskDefinition?.status).toBe('ACTIVE');
  } finally {
    ecs?.destroy();
  }
});
