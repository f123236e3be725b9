// Runs ecs-kit against the ECS emulator on its virtual clock: simulated time moves only when the code under test
// sleeps, so nothing depends on the machine's speed. Adapters, a deploy of a given image, the watcher.
import { startEmulator, SCENARIOS_DIR, type EmulatorHandle, type Scenario } from '@hokusai/ecs-emulator';
import { MemoryLogger, type Clock } from '@hokusai/action-kit';
import { ApiCallLog, DEFAULT_RETRY_POLICY } from '@hokusai/aws-kit';
import { createAwsApis, registrableTaskDefinition } from '../src/aws-adapters.js';
import { watchRollout, type WatchResult } from '../src/watcher.js';
import type { AwsApis } from '../src/api.js';
import type { VerdictConfig } from '../src/verdict.js';

export const CLUSTER = 'hokusai';
export const SERVICE = 'hokusai-api';
export const IMAGE_REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api';

export interface EmulatedRun {
  emulator: EmulatorHandle;
  apis: AwsApis;
  clock: Clock;
  callLog: ApiCallLog;
  logger: MemoryLogger;
  close(): Promise<void>;
}

export async function startRun(scenario: string | Scenario): Promise<EmulatedRun> {
  const emulator = await startEmulator({
    scenario: typeof scenario === 'string' ? `${SCENARIOS_DIR}/${scenario}.yaml` : scenario,
    port: 0,
    clock: 'virtual',
  });
  const clock = emulator.clock;
  const callLog = new ApiCallLog(clock);
  const apis = createAwsApis({
    region: 'us-east-1',
    env: {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
    onCall: (op, attempt) => callLog.record(op, attempt),
    retry: DEFAULT_RETRY_POLICY,
    clock,
  });
  return {
    emulator,
    apis,
    clock,
    callLog,
    logger: new MemoryLogger(),
    async close() {
      apis.close?.();
      await emulator.close();
    },
  };
}

export interface Deployed {
  deploymentId: string;
  previousDeploymentId: string;
  previous: string;
  next: string;
  startedAt: number;
  knownEventIds: string[];
}

/** Registers the current task definition with `image` and updates the service; returns what the watcher needs. */
export async function deployImage(run: EmulatedRun, image: string): Promise<Deployed> {
  const service = (await run.apis.ecs.describeService(CLUSTER, SERVICE))!;
  const current = (await run.apis.ecs.describeTaskDefinition(service.taskDefinition))!;
  const definition = registrableTaskDefinition(current.taskDefinition);
  definition.containerDefinitions![0]!.image = `${IMAGE_REPO}:${image}`;
  const next = await run.apis.ecs.registerTaskDefinition(definition, current.tags);
  const startedAt = run.clock.now();
  const updated = await run.apis.ecs.updateService({
    cluster: CLUSTER,
    service: SERVICE,
    taskDefinition: next,
  });
  const deploymentId = updated.deployments.find((d) => d.status === 'PRIMARY')!.id;
  return {
    deploymentId,
    previousDeploymentId: service.deployments.find((d) => d.status === 'PRIMARY')?.id ?? '',
    previous: service.taskDefinition,
    next,
    startedAt,
    knownEventIds: service.events.map((e) => e.id),
  };
}

export async function watch(
  run: EmulatedRun,
  deployed: Deployed,
  overrides: Partial<VerdictConfig> = {},
  pollIntervalMs = 10_000,
  signal?: AbortSignal,
): Promise<WatchResult> {
  return watchRollout({
    apis: run.apis,
    cluster: CLUSTER,
    service: SERVICE,
    verdict: {
      deploymentId: deployed.deploymentId,
      previousDeploymentId: deployed.previousDeploymentId,
      previousTaskDefinition: deployed.previous,
      startedAt: deployed.startedAt,
      timeoutMs: 900_000,
      stableForMs: 60_000,
      maxFailedTasks: 1,
      checkTargetHealth: true,
      ...overrides,
    },
    pollIntervalMs,
    clock: run.clock,
    logger: run.logger,
    callLog: run.callLog,
    knownEventIds: deployed.knownEventIds,
    ...(signal ? { signal } : {}),
  });
}

/** Simulated time (ms) of the first emulator event matching `predicate`. */
export function firstEventTime(
  run: EmulatedRun,
  predicate: (e: Record<string, unknown>) => boolean,
): number | undefined {
  const found = run.emulator.events().find(predicate);
  return found ? Date.parse(found.time) : undefined;
}
