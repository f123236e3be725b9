// Benchmark on the ECS emulator's virtual clock (simulated time; nothing depends on the machine's speed): how soon
// the watcher decides and rolls back after the first failed task — without faults, under a fault storm, and against
// the ECS circuit breaker on the emulator's realistic Fargate profile (fargate-crash-on-import-breaker) at
// desired 1, 2 and 10 with the default breaker and with COUNT 1 — how many calls a minute it makes while waiting
// (with and without CloudWatch alarms watched), and how soon an alarm going into ALARM during stable-for is decided.
// Ratios come from the same run. Run: pnpm --filter @hokusai/ecs-kit bench
import { loadScenario, SCENARIOS_DIR, type Scenario } from '@hokusai/ecs-emulator';
import { silentLogger } from '@hokusai/action-kit';
import { rollBack } from '../src/rollback.js';
import { watchRollout } from '../src/watcher.js';
import { CLUSTER, SERVICE, deployImage, startRun, type EmulatedRun } from '../__tests__/emulator-harness.js';

const POLL_MS = 10_000;
const at = (time: string) => Date.parse(time);

function firstCrash(run: EmulatedRun, deploymentId: string): number {
  const e = run.emulator
    .events()
    .find((x) => x.type === 'task-state' && x.deploymentId === deploymentId && x.desiredStatus === 'STOPPED');
  if (!e) throw new Error('no failed task of the new deployment in the emulator event log');
  return at(e.time);
}

function steadyAfter(run: EmulatedRun, from: number): number | undefined {
  const e = run.emulator.events().find((x) => x.type === 'steady-state' && at(x.time) >= from);
  return e ? at(e.time) : undefined;
}

/**
 * The emulator's realistic Fargate crash loop (fargate-crash-on-import-breaker: launch delay, the broken image
 * RUNNING after 37 s and exiting 10 s later, replacement every ~50 s; FIDELITY.md) at `desired` tasks, with the
 * default breaker or `threshold`.
 */
function fargate(desired: number, threshold?: { type: 'COUNT'; value: number }): Scenario {
  const s = loadScenario(`${SCENARIOS_DIR}/fargate-crash-on-import-breaker.yaml`);
  const service = s.services![0]!;
  service.desiredCount = desired;
  service.deploymentConfiguration = {
    ...service.deploymentConfiguration,
    deploymentCircuitBreaker: {
      enable: true,
      rollback: true,
      ...(threshold ? { thresholdConfiguration: threshold } : {}),
    },
  };
  return s;
}

interface Ours {
  verdictAfterCrash: number;
  rollbackAfterCrash?: number;
  steadyAfterCrash?: number;
  callsPerMinute: number;
  busiestMinute: number;
}

/** The watcher + rollback, as ecs-deploy-and-wait runs them (max-failed-tasks 1, 10 s poll). */
async function ours(
  scenario: Scenario,
  image: string,
  decision = 'failed',
  alarmNames: string[] = [],
): Promise<Ours> {
  const run = await startRun(scenario);
  try {
    // As the deploy's plan step: the watched alarms' states before the UpdateService.
    const atStart = alarmNames.length > 0 ? await run.apis.cloudwatch!.describeAlarms(alarmNames) : [];
    const d = await deployImage(run, image);
    const callsBefore = run.callLog.calls.length;
    const watch = await watchRollout({
      apis: run.apis,
      cluster: CLUSTER,
      service: SERVICE,
      verdict: {
        deploymentId: d.deploymentId,
        previousDeploymentId: d.previousDeploymentId,
        previousTaskDefinition: d.previous,
        startedAt: d.startedAt,
        timeoutMs: 900_000,
        stableForMs: 60_000,
        maxFailedTasks: 1,
        checkTargetHealth: true,
        ...(alarmNames.length > 0 ? { alarms: { names: alarmNames, atStart } } : {}),
      },
      pollIntervalMs: POLL_MS,
      clock: run.clock,
      logger: silentLogger,
      callLog: run.callLog,
      knownEventIds: d.knownEventIds,
    });
    const verdictAt = run.clock.now();
    const waiting = run.callLog.calls.slice(callsBefore);
    const callsPerMinute = (waiting.length / (verdictAt - d.startedAt)) * 60_000;
    const busiestMinute = run.callLog.busiestWindow(60_000, d.startedAt + 1);
    const kind = watch.decision.kind;
    // Where ECS's breaker is as quick as we are (COUNT 1), it may roll back first: then we watch its rollback.
    if (kind !== decision && !(decision === 'failed' && kind === 'rolled-back-by-circuit-breaker'))
      throw new Error(`expected ${decision}, got ${kind}`);
    if (decision === 'succeeded') return { verdictAfterCrash: 0, callsPerMinute, busiestMinute };
    const crash = firstCrash(run, d.deploymentId);
    const rollback = await rollBack({
      apis: run.apis,
      cluster: CLUSTER,
      service: SERVICE,
      taskDefinitionArn: d.previous,
      expectedCurrent: kind === 'rolled-back-by-circuit-breaker' ? d.previous : d.next,
      pollIntervalMs: POLL_MS,
      timeoutMs: 900_000,
      stableForMs: 0,
      clock: run.clock,
      logger: silentLogger,
      callLog: run.callLog,
      ...(watch.last?.service ? { observed: watch.last.service } : {}),
    });
    const updates = run.emulator
      .events()
      .filter((e) => e.type === 'api-call' && e.operation === 'UpdateService' && e.status === 'ok');
    const tripped = run.emulator
      .events()
      .find((e) => e.type === 'circuit-breaker' && e.deploymentId === d.deploymentId);
    const rollbackAt = rollback.updated ? at(updates[1]!.time) : tripped ? at(tripped.time) : verdictAt;
    const steady = steadyAfter(run, rollbackAt);
    return {
      verdictAfterCrash: verdictAt - crash,
      rollbackAfterCrash: rollbackAt - crash,
      ...(steady !== undefined ? { steadyAfterCrash: steady - crash } : {}),
      callsPerMinute,
      busiestMinute,
    };
  } finally {
    await run.close();
  }
}

/** The healthy rollout with two alarms: one OK, one in ALARM from the start (ignored), as the deploy watches them. */
function withAlarms(fiveXxAfterSeconds?: number): Scenario {
  const scenario = loadScenario(`${SCENARIOS_DIR}/healthy-rollout.yaml`);
  scenario.cloudWatchAlarms = [
    {
      name: 'hokusai-api-5xx',
      state: 'OK',
      ...(fiveXxAfterSeconds !== undefined
        ? { states: [{ afterDeploymentSeconds: fiveXxAfterSeconds, state: 'ALARM' as const }] }
        : {}),
    },
    { name: 'hokusai-api-latency', state: 'ALARM' },
  ];
  return scenario;
}

/** A 5xx alarm going into ALARM during stable-for (3 m): simulated ms from its transition to the verdict. */
async function alarmToVerdict(afterSeconds: number): Promise<{ ms: number; cause: string }> {
  const run = await startRun(withAlarms(afterSeconds));
  try {
    const names = ['hokusai-api-5xx', 'hokusai-api-latency'];
    const atStart = await run.apis.cloudwatch!.describeAlarms(names);
    const d = await deployImage(run, 'v2');
    const watch = await watchRollout({
      apis: run.apis,
      cluster: CLUSTER,
      service: SERVICE,
      verdict: {
        deploymentId: d.deploymentId,
        previousDeploymentId: d.previousDeploymentId,
        previousTaskDefinition: d.previous,
        startedAt: d.startedAt,
        timeoutMs: 900_000,
        stableForMs: 180_000,
        maxFailedTasks: 1,
        checkTargetHealth: true,
        alarms: { names, atStart },
      },
      pollIntervalMs: POLL_MS,
      clock: run.clock,
      logger: silentLogger,
      callLog: run.callLog,
      knownEventIds: d.knownEventIds,
    });
    const setOff = run.emulator
      .events()
      .find((e) => e.type === 'alarm-state' && e.alarmName === 'hokusai-api-5xx' && e.state === 'ALARM');
    if (!setOff) throw new Error('the 5xx alarm never went into ALARM');
    return {
      ms: run.clock.now() - at(setOff.time),
      cause: 'cause' in watch.decision ? watch.decision.cause : watch.decision.kind,
    };
  } finally {
    await run.close();
  }
}

/** The ECS circuit breaker alone: first crash -> it trips and rolls back -> steady on the old revision. */
async function breaker(
  scenario: Scenario,
): Promise<{ rollbackAfterCrash: number; steadyAfterCrash: number }> {
  const run = await startRun(scenario);
  try {
    const d = await deployImage(run, 'broken-1');
    for (;;) {
      await run.clock.sleep(1000);
      const tripped = run.emulator
        .events()
        .find((e) => e.type === 'circuit-breaker' && e.deploymentId === d.deploymentId);
      const steady = tripped && steadyAfter(run, at(tripped.time));
      if (tripped && steady) {
        const crash = firstCrash(run, d.deploymentId);
        return { rollbackAfterCrash: at(tripped.time) - crash, steadyAfterCrash: steady - crash };
      }
      if (run.clock.now() - d.startedAt > 4 * 3_600_000)
        throw new Error('the breaker did not roll back within 4 h');
    }
  } finally {
    await run.close();
  }
}

const s = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
const ratio = (a: number, b: number | undefined) =>
  b === undefined || b <= 0 ? 'n/a' : `${(a / b).toFixed(1)}x`;

async function main() {
  console.log('ecs-kit rollout benchmark (ECS emulator, virtual clock, simulated time; poll 10 s)\n');
  const incident = loadScenario(`${SCENARIOS_DIR}/incident-crash-on-import.yaml`);
  const plain = await ours(incident, 'broken-3f9c2e1');
  const stormRuns: Ours[] = [];
  for (const seed of [1, 2, 3, 4, 5]) {
    const stormy = {
      ...incident,
      seed,
      faults: [
        { operation: '*', error: 'ThrottlingException', rate: 0.3 },
        { operation: '*', error: 'ServerError', rate: 0.1 },
      ],
    };
    stormRuns.push(await ours(stormy, 'broken-3f9c2e1'));
  }
  const healthy = await ours(loadScenario(`${SCENARIOS_DIR}/healthy-rollout.yaml`), 'v2', 'succeeded');
  const watched = await ours(withAlarms(), 'v2', 'succeeded', ['hokusai-api-5xx', 'hokusai-api-latency']);
  const alarmRuns: Array<{ ms: number; cause: string }> = [];
  for (const after of [75, 100, 125, 150, 175]) alarmRuns.push(await alarmToVerdict(after));
  const worstAlarm = Math.max(...alarmRuns.map((r) => r.ms));
  const worstStorm = Math.max(...stormRuns.map((r) => r.rollbackAfterCrash!));
  const rows: string[][] = [
    [
      'incident, no faults: first crash -> verdict / rollback UpdateService',
      `${s(plain.verdictAfterCrash)} / ${s(plain.rollbackAfterCrash)}`,
    ],
    [
      'incident, 30% throttling + 10% 5xx on every call (5 seeds): first crash -> rollback UpdateService',
      `${stormRuns.map((r) => s(r.rollbackAfterCrash)).join(', ')} (worst ${s(worstStorm)})`,
    ],
    [
      'healthy rollout + 1m stable-for: calls per minute while waiting (average / busiest minute)',
      `${healthy.callsPerMinute.toFixed(1)} / ${healthy.busiestMinute}`,
    ],
    [
      'the same, 2 alarms watched (one in ALARM from the start): calls per minute (average / busiest minute)',
      `${watched.callsPerMinute.toFixed(1)} / ${watched.busiestMinute}`,
    ],
    [
      '5xx alarm into ALARM during stable-for (75-175 s after the update): transition -> verdict',
      `${alarmRuns.map((r) => s(r.ms)).join(', ')} (worst ${s(worstAlarm)}; causes ${[...new Set(alarmRuns.map((r) => r.cause))].join(', ')})`,
    ],
  ];
  const goals: string[] = [
    `no faults: rollback <= 1 poll after the first crash: ${plain.rollbackAfterCrash! <= POLL_MS ? 'met' : 'MISSED'}`,
    `storm: rollback <= 15 s after the first crash: ${worstStorm <= 15_000 ? 'met' : 'MISSED'}`,
    `<= 20 calls in any minute while waiting: ${healthy.busiestMinute <= 20 ? 'met' : 'MISSED'}`,
    `with alarms watched, <= 20 calls in any minute: ${watched.busiestMinute <= 20 ? 'met' : 'MISSED'}`,
    `alarm in stable-for: decided <= 2 polls after the transition, cause alarm: ${worstAlarm <= 2 * POLL_MS && alarmRuns.every((r) => r.cause === 'alarm') ? 'met' : 'MISSED'}`,
  ];
  for (const [desired, threshold, goal] of [
    [1, undefined, 'ge10'],
    [2, undefined, 'ge5'],
    [10, undefined, 'notLater'],
    [1, { type: 'COUNT', value: 1 } as const, 'notLater'],
  ] as const) {
    const name = `Fargate desired ${desired}, breaker ${threshold ? 'COUNT 1' : 'default'}`;
    const scenario = fargate(desired, threshold);
    const us = await ours(scenario, 'broken-1');
    const them = await breaker(fargate(desired, threshold));
    rows.push([
      `${name}: first crash -> verdict / rollback UpdateService / steady on the old revision`,
      `ours ${s(us.verdictAfterCrash)} / ${s(us.rollbackAfterCrash)} / ${s(us.steadyAfterCrash)}; breaker - / ${s(them.rollbackAfterCrash)} / ${s(them.steadyAfterCrash)}; rollback ${ratio(them.rollbackAfterCrash, us.rollbackAfterCrash)} sooner, steady ${ratio(them.steadyAfterCrash, us.steadyAfterCrash)} sooner`,
    ]);
    const factor = them.rollbackAfterCrash / Math.max(1, us.rollbackAfterCrash!);
    const met =
      goal === 'ge10'
        ? factor >= 10
        : goal === 'ge5'
          ? factor >= 5
          : us.rollbackAfterCrash! <= them.rollbackAfterCrash + POLL_MS;
    goals.push(
      `${name}: ${goal === 'ge10' ? '>= 10x sooner' : goal === 'ge5' ? '>= 5x sooner' : 'not later than the breaker + 1 poll'}: ${met ? 'met' : 'MISSED'}`,
    );
  }
  for (const [name, value] of rows) console.log(`${name!.padEnd(100)} ${value}`);
  console.log(`\ngoals:\n${goals.map((g) => `  ${g}`).join('\n')}`);
}

await main();
