// Test fixture for the emulator scenarios: an emulator running the incident scenario, an SDK client for the test's
// own moves (the bad deploy, someone else's deploy), and the bundled action pointed at it.
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { runAction, type ActionRun, type RunActionOptions } from '@hokusai/action-harness';
import {
  loadScenario,
  SCENARIOS_DIR,
  startEmulator,
  type EmulatorEvent,
  type EmulatorHandle,
  type Scenario,
} from '@hokusai/ecs-emulator';

export const CLUSTER = 'hokusai';
export const SERVICE = 'hokusai-api';
export const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api';

export function incidentScenario(extra: Partial<Scenario> = {}): Scenario {
  return { ...loadScenario(`${SCENARIOS_DIR}/incident-crash-on-import.yaml`), ...extra };
}

export class EmulatedIncident {
  private constructor(
    readonly emulator: EmulatorHandle,
    readonly ecs: ECSClient,
  ) {}

  static async start(scenario: Scenario = incidentScenario()): Promise<EmulatedIncident> {
    const emulator = await startEmulator({ scenario, port: 0 });
    const ecs = new ECSClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      // The throttling scenarios throttle the test's own calls too.
      maxAttempts: 12,
    });
    return new EmulatedIncident(emulator, ecs);
  }

  get env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.emulator.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    };
  }

  /** Registers the next hokusai-api revision with `tag` as the image tag (`broken-…` crashes on import). */
  async register(tag: string, family = 'hokusai-api'): Promise<string> {
    const out = await this.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        cpu: '512',
        memory: '1024',
        containerDefinitions: [
          {
            name: 'api',
            image: `${REGISTRY}:${tag}`,
            essential: true,
            portMappings: [{ containerPort: 8000 }],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/hokusai-api',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'hokusai',
              },
            },
          },
        ],
      }),
    );
    return out.taskDefinition!.taskDefinitionArn!;
  }

  async deregister(arn: string): Promise<void> {
    await this.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
  }

  async deploy(taskDefinition: string): Promise<void> {
    await this.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition }));
  }

  async service(): Promise<Service> {
    const out = await this.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    return out.services![0]!;
  }

  async serviceTags(): Promise<Record<string, string>> {
    const arn = (await this.service()).serviceArn!;
    const out = await this.ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    return Object.fromEntries((out.tags ?? []).map((t) => [t.key!, t.value ?? '']));
  }

  /** Deploys a crashing revision and waits (real time) until ECS shows a stopped task of it: the bad deploy. */
  async badDeploy(): Promise<string> {
    const broken = await this.register('broken-3f9c2e1');
    await this.deploy(broken);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const stopped = await this.ecs.send(
        new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: 'STOPPED' }),
      );
      if ((stopped.taskArns ?? []).length > 0) return broken;
      if (Date.now() > deadline) throw new Error('the broken revision never had a stopped task');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** UpdateService calls the emulator answered, in order. */
  updateServiceCalls(): EmulatorEvent[] {
    return this.emulator
      .events()
      .filter((e) => e.type === 'api-call' && e.operation === 'UpdateService' && e.status === 'ok');
  }

  async run(
    inputs: Record<string, string>,
    options: Omit<RunActionOptions, 'action' | 'inputs' | 'env'> = {},
  ): Promise<ActionRun> {
    return runAction({
      action: 'auto-rollback',
      inputs: {
        cluster: CLUSTER,
        service: SERVICE,
        'poll-interval': '1s',
        'stable-for': '3s',
        timeout: '2m',
        ...inputs,
      },
      env: this.env,
      timeoutMs: 150_000,
      ...options,
    });
  }

  async close(): Promise<void> {
    this.ecs.destroy();
    await this.emulator.close();
  }
}

export const ARN_PREFIX = 'arn:aws:ecs:us-east-1:123456789012:task-definition/';
