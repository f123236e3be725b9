// Benchmark on the ECS emulator's incident scenario, in simulated time: the bundled action rolling a bad deploy
// back, against the baseline people use today (UpdateService, then the SDK's waitUntilServicesStable as
// aws-actions/amazon-ecs-deploy-task-definition waits: 15 s minimum delay, 120 s maximum). Both run in the same
// process run, on fresh emulators, alternately. Reported as ratios against the baseline of this run.
// Run: pnpm --filter @hokusai/action-auto-rollback bench
import { ECSClient, UpdateServiceCommand, waitUntilServicesStable } from '@aws-sdk/client-ecs';
import { runAction } from '@hokusai/action-harness';
import type { EmulatorEvent } from '@hokusai/ecs-emulator';
import {
  ARN_PREFIX,
  CLUSTER,
  EmulatedIncident,
  incidentScenario,
  SERVICE,
} from '../__tests__/emulator-fixture.js';

// Simulated seconds per real second. The action's poll interval (1 s real) is then its default 10 s simulated.
const TIME_SCALE = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const R108 = `${ARN_PREFIX}hokusai-api:108`;

interface Sample {
  /** Simulated ms from the rollback's UpdateService to the service's steady state. */
  rollout: number;
  /** Simulated ms from the steady state to the tool knowing it (exit / waiter return). */
  detection: number;
  /** Requests per simulated minute between UpdateService and the end. */
  callsPerMinute: number;
  /** Simulated ms from the action's start to its UpdateService (resolution and evidence); 0 for the baseline. */
  reaction: number;
}

const at = (e: EmulatorEvent) => Date.parse(e.time);

function measure(emu: EmulatedIncident, startedAt: number, endedAt: number, updatesBefore: number): Sample {
  const events = emu.emulator.events();
  const update = emu.updateServiceCalls()[updatesBefore];
  if (!update || update.taskDefinition !== R108) throw new Error('no rollback UpdateService to 108 recorded');
  const updatedAt = at(update);
  const steady = events.find((e) => e.type === 'steady-state' && at(e) >= updatedAt);
  if (!steady) throw new Error('the service never reached a steady state after the rollback');
  const calls = events.filter((e) => e.type === 'api-call' && at(e) >= updatedAt && at(e) <= endedAt).length;
  return {
    rollout: at(steady) - updatedAt,
    detection: endedAt - at(steady),
    callsPerMinute: calls / ((endedAt - updatedAt) / 60_000),
    reaction: startedAt ? updatedAt - startedAt : 0,
  };
}

async function withIncident<T>(fn: (emu: EmulatedIncident) => Promise<T>): Promise<T> {
  const emu = await EmulatedIncident.start({ ...incidentScenario(), timeScale: TIME_SCALE });
  try {
    await emu.badDeploy();
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

async function ours(): Promise<Sample> {
  return withIncident(async (emu) => {
    const before = emu.updateServiceCalls().length;
    const startedAt = emu.emulator.now().getTime();
    const run = await runAction({
      action: 'auto-rollback',
      inputs: {
        cluster: CLUSTER,
        service: SERVICE,
        to: 'previous',
        'poll-interval': '1s',
        'stable-for': '0s',
        timeout: '3m',
      },
      env: emu.env,
      timeoutMs: 300_000,
    });
    const endedAt = emu.emulator.now().getTime();
    await run.cleanup();
    if (run.outputs.result !== 'rolled-back')
      throw new Error(`auto-rollback ended ${run.outputs.result}: ${run.log}`);
    return measure(emu, startedAt, endedAt, before);
  });
}

async function baseline(): Promise<Sample> {
  return withIncident(async (emu) => {
    const before = emu.updateServiceCalls().length;
    const client = new ECSClient({
      region: 'us-east-1',
      endpoint: emu.emulator.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      await client.send(
        new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: R108 }),
      );
      await waitUntilServicesStable(
        // The waiter's delays in real seconds, scaled: 15 s and 120 s simulated; 30 minutes at most.
        { client, minDelay: 15 / TIME_SCALE, maxDelay: 120 / TIME_SCALE, maxWaitTime: 1800 / TIME_SCALE },
        { cluster: CLUSTER, services: [SERVICE] },
      );
      const endedAt = emu.emulator.now().getTime();
      return measure(emu, 0, endedAt, before);
    } finally {
      client.destroy();
    }
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function benchmark(): Promise<void> {
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await ours());
    b.push(await baseline());
  }
  const m = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));
  const ratio = (k: keyof Sample) => `${(m(a, k) / m(b, k)).toFixed(2)}x`;
  console.log(
    `auto-rollback on incident-crash-on-import, simulated time (timeScale ${TIME_SCALE}), median of ${RUNS}`,
  );
  console.log('| measure | auto-rollback | UpdateService + waitUntilServicesStable | ratio |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| UpdateService -> steady state (ECS) | ${seconds(m(a, 'rollout'))} | ${seconds(m(b, 'rollout'))} | ${ratio('rollout')} |`,
  );
  console.log(
    `| steady state -> tool knows | ${seconds(m(a, 'detection'))} | ${seconds(m(b, 'detection'))} | ${ratio('detection')} |`,
  );
  console.log(
    `| API calls per minute while waiting | ${m(a, 'callsPerMinute').toFixed(1)} | ${m(b, 'callsPerMinute').toFixed(1)} | ${ratio('callsPerMinute')} |`,
  );
  console.log(`| action start -> UpdateService | ${seconds(m(a, 'reaction'))} | (by hand) | |`);
}

await benchmark();
