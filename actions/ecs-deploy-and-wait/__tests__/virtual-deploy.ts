// Runs the bundled action (dist/index.js, as the runner runs it) against the ECS emulator on its virtual clock: the
// action's default 10 s polls, 1 m stable-for and 15 m timeout take well under a second of real time, and every
// timing a test reads is simulated time, the same however busy the machine is.
import { fileURLToPath } from 'node:url';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { runAction, type ActionRun, type RunActionOptions } from '@hokusai/action-harness';
import {
  loadScenario,
  SCENARIOS_DIR,
  startEmulator,
  type EmulatorHandle,
  type Scenario,
} from '@hokusai/ecs-emulator';

export const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api';
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function scenario(name: string): Scenario {
  return loadScenario(name.includes('/') ? name : `${SCENARIOS_DIR}/${name}.yaml`);
}

export interface VirtualDeploy {
  run: ActionRun;
  emulator: EmulatorHandle;
  /** UpdateService calls the emulator answered, in order. */
  updates(): Array<{ time: number; taskDefinition: string }>;
  /** The task definition of the service's PRIMARY deployment now. */
  primaryTaskDefinition(): Promise<string>;
  /** Simulated time of the first stop (desiredStatus STOPPED) of a task of `deploymentId`. */
  firstCrash(deploymentId: string): number | undefined;
  close(): Promise<void>;
}

export async function deployVirtual(
  from: Scenario,
  inputs: Record<string, string>,
  options: Omit<RunActionOptions, 'action' | 'inputs' | 'env'> & { env?: Record<string, string> } = {},
  prepare?: (emulator: EmulatorHandle) => Promise<void>,
): Promise<VirtualDeploy> {
  const emulator = await startEmulator({ scenario: from, clock: 'virtual' });
  await prepare?.(emulator);
  const run = await runAction({
    action: 'ecs-deploy-and-wait',
    inputs: { cluster: 'hokusai', service: 'hokusai-api', ...inputs },
    env: {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      ...options.env,
    },
    virtualClock: emulator.endpoint,
    timeoutMs: 110_000,
    ...options,
  });
  return {
    run,
    emulator,
    updates: () =>
      emulator
        .events()
        .filter((e) => e.type === 'api-call' && e.operation === 'UpdateService' && e.status === 'ok')
        .map((e) => ({ time: Date.parse(e.time), taskDefinition: String(e.taskDefinition) })),
    firstCrash: (deploymentId) => {
      const e = emulator
        .events()
        .find(
          (x) => x.type === 'task-state' && x.deploymentId === deploymentId && x.desiredStatus === 'STOPPED',
        );
      return e ? Date.parse(e.time) : undefined;
    },
    async primaryTaskDefinition() {
      const ecs = new ECSClient({
        region: 'us-east-1',
        endpoint: emulator.endpoint,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        maxAttempts: 20,
      });
      try {
        const out = await ecs.send(
          new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }),
        );
        return out.services?.[0]?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? '';
      } finally {
        ecs.destroy();
      }
    },
    async close() {
      await run.cleanup();
      await emulator.close();
    },
  };
}

/** Every operation faulted: `rates` of ThrottlingException, HTTP 500 and connection resets, checked in that order. */
export function faultStorm(
  throttle: number,
  serverError: number,
  reset: number,
): NonNullable<Scenario['faults']> {
  return [
    ...(throttle > 0 ? [{ operation: '*', error: 'ThrottlingException', rate: throttle }] : []),
    ...(serverError > 0 ? [{ operation: '*', error: 'ServerError', rate: serverError }] : []),
    ...(reset > 0 ? [{ operation: '*', error: 'ConnectionReset', rate: reset }] : []),
  ];
}
