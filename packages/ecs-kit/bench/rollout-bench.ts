// Benchmark on the ECS emulator's scenarios, in simulated time: how soon the watcher decides and rolls back after
// the first failed task, against the ECS circuit breaker and a plain waitUntilServicesStable-style wait (as
// aws-actions/amazon-ecs-deploy-task-definition does), and how many AWS API calls per minute it makes while waiting.
// Run: pnpm --filter @hokusai/ecs-kit bench
import { silentLogger } from '@hokusai/action-kit';
import type { ApiCallLog } from '../src/clock.js';
import { rollBack } from '../src/rollback.js';
import { watchRollout } from '../src/watcher.js';
// The same emulator set-up and deploy the ecs-kit emulator tests use.
import { CLUSTER, SERVICE, deployImage, startRun, type EmulatedRun } from '../__tests__/emulator-harness.js';

const POLL_MS = 10_000;

const at = (time: string) => Date.parse(time);
function firstFailure(run: EmulatedRun, deploymentId: string): number {
  const e = run.emulator
    .events()
    .find((x) => x.type === 'task-state' && x.deploymentId === deploymentId && x.desiredStatus === 'STOPPED');
  if (!e) throw new Error('no failed task of the new deployment in the emulator event log');
  return at(e.time);
}

/** The watcher + rollback, as ecs-deploy-and-wait runs them (max-failed-tasks 1, poll 10 s). */
async function ours(scenario: string, image: string, timeScale: number, pollMs = POLL_MS) {
  const run = await startRun(scenario);
  try {
    const d = await deployImage(run, image);
    const callsBefore = run.callLog.calls.length;
    const watch = await watchRollout({
      apis: run.apis,
      cluster: CLUSTER,
      service: SERVICE,
      verdict: {
        deploymentId: d.deploymentId,
        startedAt: d.startedAt,
        timeoutMs: 900_000,
        stableForMs: 60_000,
        maxFailedTasks: 1,
        checkTargetHealth: true,
      },
      pollIntervalMs: pollMs,
      clock: run.clock,
      logger: silentLogger,
      callLog: run.callLog,
      knownEventIds: d.knownEventIds,
    });
    const verdictAt = run.clock.now();
    const waitedMs = verdictAt - d.startedAt;
    const waitCalls = run.callLog.calls.length - callsBefore;
    // Only the calls made while waiting (the deploy's own reads, register and update are not polling).
    const maxPerMinute = maxCallsInWindow(run.callLog.calls.slice(callsBefore), 60_000);
    let rollbackAt: number | undefined;
    if (watch.decision.kind === 'failed') {
      await rollBack({
        apis: run.apis,
        cluster: CLUSTER,
        service: SERVICE,
        taskDefinitionArn: d.previous,
        pollIntervalMs: POLL_MS,
        timeoutMs: 600_000,
        stableForMs: 0,
        clock: run.clock,
        logger: silentLogger,
        callLog: run.callLog,
        ...(watch.last?.service ? { observed: watch.last.service } : {}),
        // As ecs-deploy-and-wait does: the re-read before UpdateService is part of the time to roll back.
        expectedCurrent: d.next,
      });
      const updates = run.emulator
        .events()
        .filter((e) => e.type === 'api-call' && e.operation === 'UpdateService' && e.status === 'ok');
      rollbackAt = at(updates[1]!.time);
    }
    const failure = watch.decision.kind === 'succeeded' ? undefined : firstFailure(run, d.deploymentId);
    return {
      decision: watch.decision.kind,
      failure,
      verdictAt,
      rollbackAt,
      waitedMs,
      waitCalls,
      maxPerMinute,
    };
  } finally {
    await run.close();
  }
}

function maxCallsInWindow(calls: ApiCallLog['calls'], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < calls.length; end++) {
    while (calls[end]!.at - calls[start]!.at >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** The ECS circuit breaker alone (desired 2, threshold 3): first failure -> its rollback. */
async function circuitBreaker(_timeScale: number) {
  const run = await startRun('circuit-breaker-rollback');
  try {
    const d = await deployImage(run, 'broken-1');
    for (;;) {
      await run.clock.sleep(POLL_MS);
      const tripped = run.emulator
        .events()
        .find((e) => e.type === 'circuit-breaker' && e.deploymentId === d.deploymentId);
      if (tripped) return { failure: firstFailure(run, d.deploymentId), rollbackAt: at(tripped.time) };
      if (run.clock.now() - d.startedAt > 3_600_000)
        throw new Error('circuit breaker did not trip within an hour');
    }
  } finally {
    await run.close();
  }
}

/**
 * A waitUntilServicesStable-style wait, as the SDK's ECS waiter runs it for aws-actions' deploy action: minDelay
 * 15 s, maxDelay 120 s, exponential backoff with jitter between them, 30-minute limit; success when the service has
 * one deployment and running = desired; it never rolls back.
 */
async function stableWaiter(scenario: string, image: string, timeScale: number, seed = 1) {
  const run = await startRun(scenario);
  let random = seed;
  const rand = () => ((random = (random * 16807) % 2147483647) - 1) / 2147483646;
  try {
    const d = await deployImage(run, image);
    const minDelay = 15;
    const maxDelay = 120;
    const maxWait = 30 * 60;
    const ceiling = Math.log(maxDelay / minDelay) / Math.log(2) + 1;
    let outcome = 'timed out after 30 minutes';
    for (let attempt = 1; ; attempt++) {
      const delay =
        attempt > ceiling ? maxDelay : minDelay + rand() * (minDelay * 2 ** (attempt - 1) - minDelay);
      if (run.clock.now() + delay * 1000 - d.startedAt > maxWait * 1000) break;
      await run.clock.sleep(delay * 1000);
      const s = await run.apis.ecs.describeService(CLUSTER, SERVICE);
      if (!s || s.status !== 'ACTIVE') {
        outcome = 'failure (service inactive)';
        break;
      }
      if (s.deployments.length === 1 && s.runningCount === s.desiredCount) {
        outcome = `"stable" on ${s.taskDefinition.slice(s.taskDefinition.lastIndexOf('/') + 1)}`;
        break;
      }
    }
    const failure = firstFailure(run, d.deploymentId);
    return { outcome, failure, returnedAt: run.clock.now() };
  } finally {
    await run.close();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;

async function main() {
  console.log('ecs-kit rollout benchmark (simulated time on the ECS emulator; poll interval 10 s)\n');
  // A warm-up run first: at 20 simulated seconds per real second, a cold start's pauses would count 20 times over.
  await ours('healthy-rollout', 'v2', 50);
  const incident = await ours('incident-crash-on-import', 'broken-3f9c2e1', 20);
  const cbOurs = await ours('circuit-breaker-rollback', 'broken-1', 20);
  const cb = await circuitBreaker(20);
  // For reference only: a 1 s poll (10x the default) trades the call budget for latency.
  const cbFast = await ours('circuit-breaker-rollback', 'broken-1', 5, 1000);
  const waiterCb = await stableWaiter('circuit-breaker-rollback', 'broken-1', 100);
  const waiterIncident = await stableWaiter('incident-crash-on-import', 'broken-3f9c2e1', 300);
  const healthy = await ours('healthy-rollout', 'v2', 20);

  const rows: string[][] = [
    ['measure', 'value'],
    ['incident: first failed task -> verdict', s(incident.verdictAt - incident.failure!)],
    ['incident: first failed task -> rollback UpdateService', s(incident.rollbackAt! - incident.failure!)],
    [
      'incident: waitUntilServicesStable-style wait -> returns',
      `${s(waiterIncident.returnedAt - waiterIncident.failure)} (${waiterIncident.outcome}; no rollback)`,
    ],
    [
      'circuit-breaker scenario: first failed task -> our rollback UpdateService',
      s(cbOurs.rollbackAt! - cbOurs.failure!),
    ],
    [
      'circuit-breaker scenario: first failed task -> ECS circuit breaker rollback',
      s(cb.rollbackAt - cb.failure),
    ],
    ['  ECS circuit breaker / ours', ratio(cb.rollbackAt - cb.failure, cbOurs.rollbackAt! - cbOurs.failure!)],
    [
      '  (reference) ours at poll-interval 1s: rollback after / breaker ratio / calls per minute',
      `${s(cbFast.rollbackAt! - cbFast.failure!)} / ${ratio(cb.rollbackAt - cb.failure, cbFast.rollbackAt! - cbFast.failure!)} / ${((cbFast.waitCalls / cbFast.waitedMs) * 60_000).toFixed(0)}`,
    ],
    [
      'circuit-breaker scenario: waitUntilServicesStable-style wait -> returns',
      `${s(waiterCb.returnedAt - waiterCb.failure)} (${waiterCb.outcome})`,
    ],
    ['  waiter / ours', ratio(waiterCb.returnedAt - waiterCb.failure, cbOurs.rollbackAt! - cbOurs.failure!)],
    [
      'incident: waiter giving up / our verdict',
      ratio(waiterIncident.returnedAt - waiterIncident.failure, incident.verdictAt - incident.failure!),
    ],
    [
      'healthy rollout + 1m stable-for: API calls per minute while waiting (average)',
      ((healthy.waitCalls / healthy.waitedMs) * 60_000).toFixed(1),
    ],
    ['healthy rollout: API calls in the busiest 60 s', String(healthy.maxPerMinute)],
    [
      'incident: API calls while waiting (first poll to verdict)',
      `${incident.waitCalls} in ${s(incident.waitedMs)}`,
    ],
  ];
  for (const [name, value] of rows) console.log(`${name!.padEnd(80)} ${value}`);
  const okVerdict = incident.verdictAt - incident.failure! <= POLL_MS;
  const okBreaker = (cb.rollbackAt - cb.failure) / (cbOurs.rollbackAt! - cbOurs.failure!) >= 10;
  const okCalls = healthy.maxPerMinute <= 20;
  console.log(
    `\ngoals: verdict <= one poll: ${okVerdict ? 'met' : 'MISSED'}; >= 10x sooner than the circuit breaker: ${okBreaker ? 'met' : 'MISSED'}; <= 20 calls/min: ${okCalls ? 'met' : 'MISSED'}`,
  );
}

await main();
