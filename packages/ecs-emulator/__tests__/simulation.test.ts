// The state machine driven by a stepped clock: rollouts, the crash loop, the circuit breaker, ELB health, deletion.
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { ApiError } from '../src/api-error.js';
import { loadScenario, SCENARIOS_DIR, type Scenario } from '../src/scenario.js';
import { Simulation, circuitBreakerThreshold, type Service, type Task } from '../src/simulation.js';

const START = Date.parse('2026-01-01T00:00:00Z');

function simulate(file: string, edit?: (s: Scenario) => void): { sim: Simulation; service: Service } {
  const scenario = loadScenario(path.join(SCENARIOS_DIR, file));
  edit?.(scenario);
  const sim = new Simulation(scenario, { startTime: START });
  const service = sim.findService(sim.findCluster('hokusai'), 'hokusai-api')!;
  return { sim, service };
}

/** Registers hokusai-api with another image tag and deploys it, as a user's UpdateService would. */
function deploy(sim: Simulation, service: Service, tag: string): string {
  const current = sim.findTaskDefinition('hokusai-api:108')!;
  const containers = current.containerDefinitions.map((c) => ({
    ...c,
    image: c.image.replace(/:[^:]+$/, `:${tag}`),
  }));
  const td = sim.registerTaskDefinition({ ...current.body, containerDefinitions: containers }, {});
  sim.updateService(service, { taskDefinition: td.arn });
  return td.arn;
}

const primaryOf = (service: Service) => service.deployments.find((d) => d.status === 'PRIMARY')!;
const alive = (sim: Simulation, service: Service): Task[] =>
  sim.serviceTasks(service).filter((t) => t.desiredStatus === 'RUNNING');
const messages = (service: Service): string[] => service.events.map((e) => e.message).reverse();

function stepUntil(sim: Simulation, done: () => boolean, maxSeconds: number, each?: () => void): number {
  for (let s = 0; s < maxSeconds; s++) {
    if (done()) return s;
    sim.step(1);
    each?.();
  }
  throw new Error(`not done within ${maxSeconds} simulated seconds`);
}

describe('circuitBreakerThreshold', () => {
  test.each([
    { desired: 1, expected: 3 },
    { desired: 2, expected: 3 },
    { desired: 6, expected: 3 },
    { desired: 7, expected: 4 },
    { desired: 10, expected: 5 },
    { desired: 399, expected: 200 },
    { desired: 1000, expected: 200 },
  ])('desired $desired -> $expected', ({ desired, expected }) => {
    expect(circuitBreakerThreshold(desired)).toBe(expected);
    expect(circuitBreakerThreshold(desired, { type: 'BOUNDED_PERCENT', value: 50 })).toBe(expected);
  });

  test.each([
    { type: 'COUNT', value: 1, desired: 10, expected: 1 },
    { type: 'COUNT', value: 7, desired: 1, expected: 7 },
    { type: 'UNBOUNDED_PERCENT', value: 50, desired: 1000, expected: 500 },
    { type: 'UNBOUNDED_PERCENT', value: 10, desired: 2, expected: 1 },
    { type: 'BOUNDED_PERCENT', value: 10, desired: 2, expected: 3 },
    { type: 'BOUNDED_PERCENT', value: 100, desired: 1000, expected: 200 },
  ] as const)('$type $value at desired $desired -> $expected', ({ type, value, desired, expected }) => {
    expect(circuitBreakerThreshold(desired, { type, value })).toBe(expected);
  });
});

describe('initial state', () => {
  test('a scenario service starts steady: tasks RUNNING, targets healthy, deployment COMPLETED', () => {
    const { sim, service } = simulate('healthy-rollout.yaml');
    expect(service.deployments).toHaveLength(1);
    expect(primaryOf(service)).toMatchObject({
      rolloutState: 'COMPLETED',
      taskDefinitionArn: expect.stringMatching(/hokusai-api:108$/),
    });
    expect(alive(sim, service).map((t) => [t.lastStatus, sim.isHealthy(t)])).toEqual([
      ['RUNNING', true],
      ['RUNNING', true],
    ]);
  });

  test('the same seed gives the same ids', () => {
    const a = simulate('healthy-rollout.yaml');
    const b = simulate('healthy-rollout.yaml');
    expect(alive(a.sim, a.service).map((t) => t.arn)).toEqual(alive(b.sim, b.service).map((t) => t.arn));
  });
});

describe('rolling deployment', () => {
  test('min 100% / max 200%: never below 2 healthy nor above 4 tasks, then COMPLETED and a steady state', () => {
    const { sim, service } = simulate('healthy-rollout.yaml');
    deploy(sim, service, 'v2');
    const primary = primaryOf(service);
    expect(primary.rolloutState).toBe('IN_PROGRESS');
    let minHealthy = Infinity;
    let maxAlive = 0;
    stepUntil(
      sim,
      () => primary.rolloutState === 'COMPLETED',
      600,
      () => {
        minHealthy = Math.min(minHealthy, alive(sim, service).filter((t) => sim.isHealthy(t)).length);
        maxAlive = Math.max(maxAlive, alive(sim, service).length);
      },
    );
    expect(minHealthy).toBeGreaterThanOrEqual(2);
    expect(maxAlive).toBe(4);
    expect(service.deployments.filter((d) => d.status !== 'INACTIVE')).toEqual([primary]);
    expect(alive(sim, service).every((t) => t.deploymentId === primary.id)).toBe(true);
    const log = messages(service);
    expect(log).toContain('(service hokusai-api) has reached a steady state.');
    expect(log).toContain(`(service hokusai-api) (deployment ${primary.id}) deployment completed.`);
    expect(log.find((m) => m.includes('has started 2 tasks'))).toMatch(
      /has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/,
    );
    // The old tasks were drained, not failed.
    const old = sim.serviceTasks(service).filter((t) => t.deploymentId !== primary.id);
    expect(old.map((t) => [t.lastStatus, t.stopCode])).toEqual([
      ['STOPPED', 'ServiceSchedulerInitiated'],
      ['STOPPED', 'ServiceSchedulerInitiated'],
    ]);
    expect(old[0]!.stoppedReason).toBe(`Scaling activity initiated by (deployment ${primary.id})`);
  });

  test('min 50% / max 100%: stops an old task first, then starts a new one (no deadlock)', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', (s) => {
      s.services![0]!.deploymentConfiguration = { minimumHealthyPercent: 50, maximumPercent: 100 };
    });
    deploy(sim, service, 'v2');
    let maxAlive = 0;
    let minHealthy = Infinity;
    stepUntil(
      sim,
      () => primaryOf(service).rolloutState === 'COMPLETED',
      900,
      () => {
        maxAlive = Math.max(maxAlive, alive(sim, service).length);
        minHealthy = Math.min(minHealthy, alive(sim, service).filter((t) => sim.isHealthy(t)).length);
      },
    );
    expect(maxAlive).toBe(2);
    expect(minHealthy).toBe(1);
  });

  test('desiredCount change alone adjusts the primary deployment without a new one', () => {
    const { sim, service } = simulate('healthy-rollout.yaml');
    sim.updateService(service, { desiredCount: 3 });
    expect(service.deployments).toHaveLength(1);
    stepUntil(sim, () => alive(sim, service).filter((t) => sim.isHealthy(t)).length === 3, 120);
    expect(primaryOf(service).desiredCount).toBe(3);
  });
});

describe('the incident: crash on import, circuit breaker off', () => {
  test('the scheduler replaces crashed tasks in a loop; old tasks keep serving; the traceback is in the task stream', () => {
    const { sim, service } = simulate('incident-crash-on-import.yaml');
    deploy(sim, service, 'broken-3f9c2e1');
    const primary = primaryOf(service);
    sim.step(600);
    expect(primary.rolloutState).toBe('IN_PROGRESS');
    expect(primary.failedTasks).toBeGreaterThanOrEqual(20);
    const old = alive(sim, service).filter((t) => t.deploymentId !== primary.id);
    expect(old.map((t) => sim.isHealthy(t))).toEqual([true, true]);
    const crashed = sim
      .serviceTasks(service)
      .filter((t) => t.deploymentId === primary.id && t.lastStatus === 'STOPPED');
    expect(crashed.length).toBeGreaterThanOrEqual(20);
    const first = crashed[0]!;
    expect(first).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      desiredStatus: 'STOPPED',
    });
    expect(first.containers[0]).toMatchObject({ exitCode: 1, lastStatus: 'STOPPED' });
    // Lifecycle of one task, from the event log.
    const states = sim.eventLog
      .filter((e) => e.type === 'task-state' && e.taskArn === first.arn)
      .map((e) => e.lastStatus);
    // The Fargate lifecycle (task-lifecycle docs).
    expect(states).toEqual([
      'PROVISIONING',
      'PENDING',
      'ACTIVATING',
      'RUNNING',
      'DEACTIVATING',
      'STOPPING',
      'DEPROVISIONING',
      'STOPPED',
    ]);
    // Logs where the task definition says: group /ecs/hokusai-api, stream hokusai/api/<task id>.
    const stream = sim.logGroups.get('/ecs/hokusai-api')!.streams.get(`hokusai/api/${first.id}`)!;
    const lines = stream.events.map((e) => e.message);
    expect(lines).toContain('  File "/app/src/services/model_registry.py", line 26');
    expect(lines[lines.indexOf('SyntaxError: invalid syntax') - 3]).toBe(
      '  File "/app/src/services/model_registry.py", line 26',
    );
    // The event list keeps the newest 100 (as ECS); the event log keeps everything.
    expect(service.events).toHaveLength(100);
    // Tasks that reached RUNNING and then exited are not throttled and get no "unable to consistently start" event
    // (docs "service throttle logic").
    expect(
      sim.eventLog.filter(
        (e) => e.type === 'service-event' && String(e.message).includes('unable to consistently'),
      ),
    ).toEqual([]);
    expect(messages(service)).not.toContain('(service hokusai-api) has reached a steady state.');
  });
});

describe('circuit breaker with rollback', () => {
  test('trips exactly at the threshold (3 for desired 2); the last COMPLETED deployment is IN_PROGRESS again under its own id', () => {
    const { sim, service } = simulate('circuit-breaker-rollback.yaml');
    const completedBefore = primaryOf(service);
    deploy(sim, service, 'broken-3f9c2e1');
    const failing = primaryOf(service);
    stepUntil(
      sim,
      () => failing.rolloutState === 'FAILED',
      300,
      () => {
        // Never more than the threshold before it trips.
        expect(failing.failedTasks).toBeLessThanOrEqual(3);
      },
    );
    expect(failing.failedTasks).toBe(3);
    expect(failing.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    // No new deployment: the one that completed before is PRIMARY and IN_PROGRESS again; the failed one left the list.
    const rollback = primaryOf(service);
    expect(rollback).toBe(completedBefore);
    expect(rollback).toMatchObject({
      id: completedBefore.id,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${completedBefore.id}.`,
    });
    expect(failing.status).toBe('INACTIVE');
    expect(service.deployments.filter((d) => d.status !== 'INACTIVE')).toEqual([completedBefore]);
    expect(service.taskDefinitionArn).toMatch(/hokusai-api:108$/);
    const breaker = sim.eventLog.find((e) => e.type === 'circuit-breaker')!;
    expect(breaker).toMatchObject({
      failedTasks: 3,
      threshold: 3,
      rollback: true,
      rollbackTo: completedBefore.id,
    });
    stepUntil(sim, () => rollback.rolloutState === 'COMPLETED', 600);
    expect(failing.history).toBe('ROLLBACK_SUCCESSFUL');
    const log = messages(service);
    const failedAt = log.indexOf(
      `(service hokusai-api) (deployment ${failing.id}) deployment failed: tasks failed to start.`,
    );
    const rollingAt = log.indexOf(`(service hokusai-api) rolling back to deployment ${completedBefore.id}.`);
    const completedAt = log.indexOf(
      `(service hokusai-api) (deployment ${completedBefore.id}) deployment completed.`,
    );
    expect(failedAt).toBeGreaterThanOrEqual(0);
    expect(rollingAt).toBe(failedAt + 1);
    expect(completedAt).toBeGreaterThan(rollingAt);
    expect(log.lastIndexOf('(service hokusai-api) has reached a steady state.')).toBeGreaterThan(completedAt);
    expect(alive(sim, service).map((t) => t.taskDefinition.revision)).toEqual([108, 108]);
  });

  test('without rollback: FAILED and no more launches', () => {
    const { sim, service } = simulate('circuit-breaker-rollback.yaml', (s) => {
      s.services![0]!.deploymentConfiguration!.deploymentCircuitBreaker = { enable: true, rollback: false };
    });
    deploy(sim, service, 'broken-1');
    const failing = primaryOf(service);
    stepUntil(sim, () => failing.rolloutState === 'FAILED', 300);
    const launched = sim.serviceTasks(service).filter((t) => t.deploymentId === failing.id).length;
    sim.step(300);
    expect(sim.serviceTasks(service).filter((t) => t.deploymentId === failing.id).length).toBe(launched);
    expect(primaryOf(service)).toBe(failing);
    expect(alive(sim, service).filter((t) => sim.isHealthy(t))).toHaveLength(2);
  });
});

describe('ELB health', () => {
  test('an unhealthy target is replaced after the grace period with the ELB stopped reason', () => {
    const { sim, service } = simulate('elb-health-failure.yaml');
    deploy(sim, service, 'unhealthy-1');
    const primary = primaryOf(service);
    stepUntil(
      sim,
      () => sim.serviceTasks(service).some((t) => t.deploymentId === primary.id && t.stopCode),
      300,
    );
    const stopped = sim.serviceTasks(service).find((t) => t.deploymentId === primary.id && t.stopCode)!;
    const tg = [...sim.targetGroups.values()][0]!;
    expect(stopped.stopCode).toBe('ServiceSchedulerInitiated');
    expect(stopped.stoppedReason).toBe(`Task failed ELB health checks in (target-group ${tg.arn})`);
    expect(sim.now - stopped.startedAt!).toBeGreaterThanOrEqual(30_000);
    const targetStates = sim.eventLog
      .filter((e) => e.type === 'target-health' && e.taskArn === stopped.arn)
      .map((e) => e.state);
    expect(targetStates).toEqual(['initial', 'unhealthy', 'draining']);
    expect(
      messages(service).some((m) =>
        /\(port 8000\) is unhealthy in \(target-group .*\) due to \(reason Health checks failed with these codes: \[502\]\)\./.test(
          m,
        ),
      ),
    ).toBe(true);
    stepUntil(sim, () => primary.rolloutState === 'FAILED', 600);
  });

  test('a slow starter inside the grace period completes; with no grace period it is killed', () => {
    const slow = simulate('slow-start-grace-period.yaml');
    deploy(slow.sim, slow.service, 'slow-1');
    const primary = primaryOf(slow.service);
    stepUntil(slow.sim, () => primary.rolloutState === 'COMPLETED', 600);
    expect(
      slow.sim.serviceTasks(slow.service).filter((t) => t.deploymentId === primary.id && t.stopCode),
    ).toEqual([]);

    const strict = simulate('slow-start-grace-period.yaml', (s) => {
      s.services![0]!.healthCheckGracePeriodSeconds = 0;
    });
    deploy(strict.sim, strict.service, 'slow-1');
    const strictPrimary = primaryOf(strict.service);
    stepUntil(strict.sim, () => strictPrimary.failedTasks > 0, 300);
    const killed = strict.sim
      .serviceTasks(strict.service)
      .find((t) => t.deploymentId === strictPrimary.id && t.stopCode)!;
    expect(killed.stoppedReason).toMatch(
      /^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:/,
    );
  });
});

describe('a task that dies after 90 s', () => {
  test('completes, then the dead task is replaced and the service is steady again', () => {
    const { sim, service } = simulate('task-dies-after-90s.yaml');
    deploy(sim, service, 'leaky-1');
    const primary = primaryOf(service);
    stepUntil(
      sim,
      () =>
        sim
          .serviceTasks(service)
          .some((t) => t.deploymentId === primary.id && t.stopCode === 'EssentialContainerExited'),
      300,
    );
    const dead = sim.serviceTasks(service).find((t) => t.stopCode === 'EssentialContainerExited')!;
    expect(Math.round((dead.stoppingAt! - dead.startedAt!) / 1000)).toBe(90);
    expect(dead.containers[0]).toMatchObject({
      exitCode: 137,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
    });
    sim.step(120);
    expect(alive(sim, service).length).toBe(2);
    // After COMPLETED, failures are no longer evaluated (AWS: failedTasks "stops being evaluated").
    expect(primary.rolloutState).toBe('COMPLETED');
    expect(primary.failedTasks).toBe(0);
    expect(primary.totalFailedTasks).toBeGreaterThanOrEqual(1);
  });
});

describe('service deleted mid-deploy', () => {
  test('DRAINING at t=30 s, then INACTIVE; UpdateService answers ServiceNotActiveException', () => {
    const { sim, service } = simulate('service-deleted-mid-deploy.yaml');
    deploy(sim, service, 'v2');
    sim.step(29);
    expect(service.status).toBe('ACTIVE');
    sim.step(2);
    expect(service.status).toBe('DRAINING');
    expect(alive(sim, service)).toEqual([]);
    stepUntil(sim, () => service.status === 'INACTIVE', 120);
    expect(sim.serviceTasks(service).every((t) => t.lastStatus === 'STOPPED')).toBe(true);
    expect(() => sim.updateService(service, { desiredCount: 1 })).toThrow(ApiError);
    expect(() => sim.updateService(service, { desiredCount: 1 })).toThrow('Service was not ACTIVE.');
  });
});

describe('stopped tasks', () => {
  test('stay listed for the retention period, then disappear', () => {
    const { sim, service } = simulate('incident-crash-on-import.yaml', (s) => {
      s.stoppedTaskRetentionSeconds = 60;
    });
    deploy(sim, service, 'broken-1');
    stepUntil(sim, () => sim.serviceTasks(service).some((t) => t.lastStatus === 'STOPPED'), 120);
    const first = sim.serviceTasks(service).find((t) => t.lastStatus === 'STOPPED')!;
    sim.step(59);
    expect(sim.tasks.has(first.arn)).toBe(true);
    sim.step(2);
    expect(sim.tasks.has(first.arn)).toBe(false);
  });
});

describe('container health checks', () => {
  /** Deploys a revision whose container has a healthCheck, with the given image tag. */
  function deployChecked(sim: Simulation, service: Service, tag: string): void {
    const current = sim.findTaskDefinition('hokusai-api:108')!;
    const containers = current.containerDefinitions.map((c) => ({
      ...c,
      image: c.image.replace(/:[^:]+$/, `:${tag}`),
      healthCheck: {
        command: ['CMD-SHELL', 'curl -f http://localhost:8000/health'],
        interval: 10,
        retries: 3,
        startPeriod: 5,
      },
    }));
    const td = sim.registerTaskDefinition({ ...current.body, containerDefinitions: containers }, {});
    sim.updateService(service, { taskDefinition: td.arn });
  }
  const withSickImage = (s: Scenario): void => {
    s.images = [{ match: '*:sick*', containerHealthy: false }, ...(s.images ?? [])];
  };

  test('a passing health check makes the task HEALTHY and the rollout completes', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', withSickImage);
    deployChecked(sim, service, 'v2');
    const primary = primaryOf(service);
    stepUntil(sim, () => primary.rolloutState === 'COMPLETED', 600);
    expect(alive(sim, service).map((t) => t.healthStatus)).toEqual(['HEALTHY', 'HEALTHY']);
  });

  test('a failing one makes it UNHEALTHY after the retries and ECS replaces it until the breaker trips', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', withSickImage);
    deployChecked(sim, service, 'sick-1');
    const primary = primaryOf(service);
    stepUntil(
      sim,
      () => sim.serviceTasks(service).some((t) => t.deploymentId === primary.id && t.stopCode),
      300,
    );
    const sick = sim.serviceTasks(service).find((t) => t.deploymentId === primary.id && t.stopCode)!;
    expect(sick).toMatchObject({
      healthStatus: 'UNHEALTHY',
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
    });
    // start period 5 s, then 3 failures 10 s apart: UNHEALTHY at the third failed check after the start period
    expect((sick.stoppingAt! - sick.startedAt!) / 1000).toBe(30);
    expect(messages(service)).toContain(
      `(service hokusai-api) (task ${sick.id}) failed container health checks.`,
    );
    stepUntil(sim, () => primary.rolloutState === 'FAILED', 600);
    expect(primary.failedTasks).toBe(3);
  });
});

describe('the service throttle logic (launchBackoff)', () => {
  const missing = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found';
  const launchTimes = (sim: Simulation, deploymentId: string): number[] =>
    sim.eventLog
      .filter(
        (e) => e.type === 'task-state' && e.lastStatus === 'PROVISIONING' && e.deploymentId === deploymentId,
      )
      .map((e) => Date.parse(e.time as string) / 1000);
  const gapsOf = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

  test('start failures: after 3 in a row, launches wait 10 s, 20 s, 40 s (the cap here) after the previous one, with the throttle event', () => {
    const { sim, service } = simulate('incident-crash-on-import.yaml', (s) => {
      s.launchBackoff = { afterFailures: 3, initialSeconds: 10, maxSeconds: 40 };
      s.images = [{ match: '*:missing*', failToStart: missing, startSeconds: 4 }];
      s.services![0]!.desiredCount = 1;
    });
    deploy(sim, service, 'missing-1');
    const primary = primaryOf(service);
    sim.step(900);
    const gaps = gapsOf(launchTimes(sim, primary.id));
    // Unthrottled a start-failure cycle is 5 s (1 s provisioning + 4 s pull); throttled the gaps grow to 40 s.
    expect(gaps.slice(0, 2)).toEqual([5, 5]);
    expect(gaps.slice(2, 5)).toEqual([10, 20, 40]);
    expect(Math.max(...gaps)).toBe(40);
    expect(messages(service)).toContain(
      '(service hokusai-api) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
  });

  test('tasks that crash after RUNNING are never throttled, whatever launchBackoff says', () => {
    const throttled = simulate('incident-crash-on-import.yaml', (s) => {
      s.launchBackoff = { afterFailures: 3, initialSeconds: 10, maxSeconds: 40 };
    });
    deploy(throttled.sim, throttled.service, 'broken-1');
    const primary = primaryOf(throttled.service);
    throttled.sim.step(300);
    const gaps = gapsOf(launchTimes(throttled.sim, primary.id));
    expect(Math.max(...gaps)).toBeLessThan(20);
    expect(primary.failedTasks).toBeGreaterThan(15);
  });

  test('the delay is capped at 27 minutes; a new task definition ends the throttling at once', () => {
    const { sim, service } = simulate('incident-crash-on-import.yaml', (s) => {
      s.launchBackoff = { afterFailures: 1, initialSeconds: 600, maxSeconds: 1620 };
      s.images = [{ match: '*:missing*', failToStart: missing, startSeconds: 4 }];
      s.services![0]!.desiredCount = 1;
    });
    deploy(sim, service, 'missing-1');
    const primary = primaryOf(service);
    sim.step(3 * 3600);
    const gaps = gapsOf(launchTimes(sim, primary.id));
    expect(gaps.slice(0, 3)).toEqual([600, 1200, 1620]);
    expect(Math.max(...gaps)).toBe(1620);
    // Throttled now; a deployment of another task definition launches at once.
    deploy(sim, service, 'v2');
    const next = primaryOf(service);
    expect(sim.serviceTasks(service).filter((t) => t.deploymentId === next.id)).toHaveLength(1);
  });

  test('a launch that fails before any task exists: "failed to launch a task with (error …)", a start failure, retried', () => {
    const error =
      "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/hokusai-api-execution' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.";
    const { sim, service } = simulate('circuit-breaker-rollback.yaml', (s) => {
      s.images = [{ match: '*:norole*', failToLaunch: error }];
    });
    deploy(sim, service, 'norole-1');
    const failing = primaryOf(service);
    stepUntil(sim, () => failing.rolloutState === 'FAILED', 120);
    expect(sim.serviceTasks(service).filter((t) => t.deploymentId === failing.id)).toEqual([]);
    const failedLaunches = messages(service).filter(
      (m) => m === `(service hokusai-api) failed to launch a task with (error ${error}).`,
    );
    expect(failedLaunches).toHaveLength(3);
    expect(primaryOf(service).taskDefinitionArn).toMatch(/hokusai-api:108$/);
  });
});

describe('an image that fails to start', () => {
  test('never RUNNING: stopCode TaskFailedToStart with the reason on the task and the container; a failure', () => {
    const reason = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found';
    const { sim, service } = simulate('circuit-breaker-rollback.yaml', (s) => {
      s.images = [{ match: '*:missing*', failToStart: reason, startSeconds: 4 }];
    });
    deploy(sim, service, 'missing-1');
    const primary = primaryOf(service);
    stepUntil(
      sim,
      () =>
        sim.serviceTasks(service).some((t) => t.deploymentId === primary.id && t.lastStatus === 'STOPPED'),
      60,
    );
    const task = sim
      .serviceTasks(service)
      .find((t) => t.deploymentId === primary.id && t.lastStatus === 'STOPPED')!;
    expect(task).toMatchObject({
      stopCode: 'TaskFailedToStart',
      stoppedReason: reason,
    });
    expect(task.startedAt).toBeUndefined();
    expect(task.containers[0]!.reason).toBe(reason);
    const states = sim.eventLog
      .filter((e) => e.type === 'task-state' && e.taskArn === task.arn)
      .map((e) => e.lastStatus);
    expect(states).toEqual(['PROVISIONING', 'PENDING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']);
    stepUntil(sim, () => primary.rolloutState === 'FAILED', 120);
  });
});

describe('timed actions and overlapping deployments', () => {
  test('stopTask and updateService actions run at their simulated second', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', (s) => {
      s.actions = [
        { atSeconds: 10, stopTask: { cluster: 'hokusai', service: 'hokusai-api', reason: 'chaos monkey' } },
        { atSeconds: 20, updateService: { cluster: 'hokusai', service: 'hokusai-api', desiredCount: 3 } },
      ];
    });
    sim.step(9);
    expect(sim.serviceTasks(service).filter((t) => t.stopCode)).toEqual([]);
    sim.step(2);
    const stopped = sim.serviceTasks(service).find((t) => t.stopCode)!;
    expect(stopped).toMatchObject({
      stopCode: 'UserInitiated',
      stoppedReason: 'chaos monkey',
      failed: false,
    });
    sim.step(10);
    expect(service.desiredCount).toBe(3);
    stepUntil(sim, () => alive(sim, service).filter((t) => sim.isHealthy(t)).length === 3, 120);
    expect(sim.eventLog.filter((e) => e.type === 'scenario-action')).toHaveLength(2);
  });

  test('a second deployment mid-rollout supersedes the first: its tasks drain, only the newest completes', () => {
    const { sim, service } = simulate('healthy-rollout.yaml');
    deploy(sim, service, 'v2');
    const first = primaryOf(service);
    sim.step(5);
    deploy(sim, service, 'v3');
    const second = primaryOf(service);
    expect(first.status).toBe('ACTIVE');
    expect(first.history).toBe('STOPPED');
    stepUntil(sim, () => second.rolloutState === 'COMPLETED', 600);
    expect(first.status).toBe('INACTIVE');
    expect(alive(sim, service).every((t) => t.deploymentId === second.id)).toBe(true);
    expect(alive(sim, service).map((t) => t.containers[0]!.image.split(':').pop())).toEqual(['v3', 'v3']);
  });
});

describe('deployment controllers and breaker settings', () => {
  test('CODE_DEPLOY and EXTERNAL: UpdateService refuses a task definition change with the error AWS answers', () => {
    for (const type of ['CODE_DEPLOY', 'EXTERNAL'] as const) {
      const { sim, service } = simulate('healthy-rollout.yaml', (s) => {
        s.services![0]!.deploymentController = { type };
      });
      const error = (() => {
        try {
          deploy(sim, service, 'v2');
        } catch (e) {
          return e as ApiError;
        }
        throw new Error('expected UpdateService to fail');
      })();
      expect(error).toBeInstanceOf(ApiError);
      expect(error.code).toBe('InvalidParameterException');
      expect(error.message).toContain(
        `Unable to update task definition on services with a ${type} deployment controller.`,
      );
      // Nothing changed; a desiredCount update still works.
      expect(service.deployments).toHaveLength(1);
      sim.updateService(service, { desiredCount: 3 });
      expect(service.desiredCount).toBe(3);
    }
  });

  test('thresholdConfiguration COUNT 1 trips the breaker at the first failed task', () => {
    const { sim, service } = simulate('circuit-breaker-rollback.yaml', (s) => {
      s.services![0]!.deploymentConfiguration!.deploymentCircuitBreaker = {
        enable: true,
        rollback: true,
        thresholdConfiguration: { type: 'COUNT', value: 1 },
      };
    });
    deploy(sim, service, 'broken-1');
    const failing = primaryOf(service);
    stepUntil(sim, () => failing.rolloutState === 'FAILED', 300);
    expect(failing.failedTasks).toBe(1);
    expect(sim.eventLog.find((e) => e.type === 'circuit-breaker')).toMatchObject({
      failedTasks: 1,
      threshold: 1,
    });
  });

  test('resetOnHealthyTask false: failures of tasks that were healthy add up and trip the breaker; true: they never do', () => {
    // Tasks come up healthy (reset), then exit 40 s after RUNNING, while the old tasks still drain (300 s), so
    // the rollout cannot complete in between.
    const edit =
      (reset: boolean) =>
      (s: Scenario): void => {
        s.targetGroups![0]!.deregistrationDelaySeconds = 300;
        s.images = [{ match: '*:flaky*', startSeconds: 5, exitAfterSeconds: 40 }];
        s.services![0]!.deploymentConfiguration = {
          deploymentCircuitBreaker: { enable: true, rollback: false, resetOnHealthyTask: reset },
        };
      };
    const cumulative = simulate('task-dies-after-90s.yaml', edit(false));
    deploy(cumulative.sim, cumulative.service, 'flaky-1');
    const failing = primaryOf(cumulative.service);
    stepUntil(cumulative.sim, () => failing.rolloutState === 'FAILED', 900);
    expect(failing.failedTasks).toBe(3);

    const resetting = simulate('task-dies-after-90s.yaml', edit(true));
    deploy(resetting.sim, resetting.service, 'flaky-1');
    const primary = primaryOf(resetting.service);
    resetting.sim.step(900);
    expect(primary.rolloutState).not.toBe('FAILED');
    expect(primary.totalFailedTasks).toBeGreaterThanOrEqual(3);
  });

  test('strategy and bakeTimeInMinutes are kept and shown; the controller type is shown', () => {
    const { service } = simulate('healthy-rollout.yaml', (s) => {
      s.services![0]!.deploymentConfiguration = { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 };
      s.services![0]!.deploymentController = { type: 'ECS' };
    });
    expect(service.deploymentConfiguration).toMatchObject({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
    expect(service.deploymentController).toEqual({ type: 'ECS' });
  });
});

describe('stops that are not the image’s fault (per-image stopCode)', () => {
  test.each([
    ['TerminationNotice', 'Your Spot Task was interrupted.'],
    ['SpotInterruption', 'Your Spot Task was interrupted.'],
    ['InfrastructureHealth', 'Task stopped due to an underlying infrastructure health issue.'],
    ['UserInitiated', 'Task stopped by user'],
  ] as const)('%s: drained and replaced, never a failed task', (stopCode, reason) => {
    const { sim, service } = simulate('circuit-breaker-rollback.yaml', (s) => {
      s.images = [{ match: '*:spot*', stopCode, stopAfterSeconds: 30 }];
    });
    deploy(sim, service, 'spot-1');
    const primary = primaryOf(service);
    sim.step(600);
    const stopped = sim
      .serviceTasks(service)
      .filter((t) => t.deploymentId === primary.id && t.stopCode === stopCode);
    // Every task of the revision is interrupted 30 s after RUNNING, again and again, and replaced each time.
    expect(stopped.length).toBeGreaterThanOrEqual(6);
    expect(stopped[0]).toMatchObject({ stoppedReason: reason, failed: false });
    expect(primary.failedTasks).toBe(0);
    expect(primary.totalFailedTasks).toBe(0);
    expect(primary.rolloutState).not.toBe('FAILED');
    expect(sim.eventLog.filter((e) => e.type === 'circuit-breaker')).toEqual([]);
  });

  test('a stoppedReason given in the scenario wins', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', (s) => {
      s.images = [
        {
          match: '*:maint*',
          stopCode: 'InfrastructureHealth',
          stopAfterSeconds: 20,
          stoppedReason: 'Task is being retired: scheduled maintenance',
        },
      ];
    });
    deploy(sim, service, 'maint-1');
    stepUntil(sim, () => sim.serviceTasks(service).some((t) => t.stopCode === 'InfrastructureHealth'), 120);
    expect(sim.serviceTasks(service).find((t) => t.stopCode)!.stoppedReason).toBe(
      'Task is being retired: scheduled maintenance',
    );
  });
});

describe('health without health checks (the 40 s rule)', () => {
  /** desired 1, no load balancer, no container health check, the breaker on. */
  const noChecks =
    (exitAfterSeconds: number) =>
    (s: Scenario): void => {
      s.services![0]!.desiredCount = 1;
      delete s.services![0]!.loadBalancers;
      delete s.services![0]!.healthCheckGracePeriodSeconds;
      s.images = [{ match: '*:crash*', startSeconds: 8, exitAfterSeconds }];
    };

  test('tasks that crash 10 s after RUNNING never count as healthy: the breaker trips at 3 failed tasks', () => {
    const { sim, service } = simulate('circuit-breaker-rollback.yaml', noChecks(10));
    deploy(sim, service, 'crash-1');
    const failing = primaryOf(service);
    stepUntil(sim, () => failing.rolloutState === 'FAILED', 600);
    expect(failing.failedTasks).toBe(3);
    expect(primaryOf(service).taskDefinitionArn).toMatch(/hokusai-api:108$/);
  });

  test('a task counts as healthy 40 s after RUNNING: crashing at 50 s resets the count each time, no trip', () => {
    const { sim, service } = simulate('circuit-breaker-rollback.yaml', noChecks(50));
    deploy(sim, service, 'crash-1');
    const primary = primaryOf(service);
    const first = () => sim.serviceTasks(service).find((t) => t.deploymentId === primary.id)!;
    stepUntil(sim, () => first().lastStatus === 'RUNNING', 60);
    sim.step(39);
    expect(sim.isHealthy(first())).toBe(false);
    sim.step(1);
    expect(sim.isHealthy(first())).toBe(true);
    // The rollout completes (old task drained) before the new task crashes; from then on failures no longer count.
    sim.step(900);
    expect(primary.rolloutState).not.toBe('FAILED');
    expect(sim.eventLog.filter((e) => e.type === 'circuit-breaker')).toEqual([]);
  });
});

describe('unhealthy tasks are replaced first', () => {
  test('a failing ELB check: the replacement starts first with ECS’s event text, then the unhealthy task stops', () => {
    const { sim, service } = simulate('elb-health-failure.yaml');
    deploy(sim, service, 'unhealthy-1');
    const primary = primaryOf(service);
    stepUntil(sim, () => sim.serviceTasks(service).some((t) => t.replaces), 300);
    const replacement = sim.serviceTasks(service).find((t) => t.replaces)!;
    const unhealthy = sim.tasks.get(replacement.replaces!)!;
    // Started while the unhealthy task still runs.
    expect(unhealthy.desiredStatus).toBe('RUNNING');
    expect(replacement.deploymentId).toBe(unhealthy.deploymentId);
    expect(messages(service)).toContain(
      `(service hokusai-api) has started 1 tasks: (task ${replacement.id}). Amazon ECS replaced 1 tasks due to an unhealthy status.`,
    );
    // The replacement fails its checks too, so the unhealthy task is stopped then, counted as failed.
    stepUntil(sim, () => unhealthy.desiredStatus === 'STOPPED', 300);
    expect(unhealthy.stoppedReason).toMatch(/^Task failed ELB health checks in \(target-group arn:/);
    expect(unhealthy.failed).toBe(true);
    stepUntil(sim, () => primary.rolloutState === 'FAILED', 900);
  });

  test('an old-revision task that turns unhealthy during a rollout is replaced with the same (old) revision', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', (s) => {
      // Room for the new revision's 2 tasks and a replacement (maximumPercent is respected).
      s.services![0]!.deploymentConfiguration = { minimumHealthyPercent: 100, maximumPercent: 300 };
      // The new revision starts slowly; meanwhile an old task's target starts failing.
      s.images = [{ match: '*:slow*', startSeconds: 120 }];
    });
    const old = alive(sim, service)[0]!;
    deploy(sim, service, 'slow-1');
    const tg = [...sim.targetGroups.values()][0]!;
    const target = tg.targets.get(old.ip)!;
    target.state = 'unhealthy';
    target.unhealthySince = sim.now;
    target.description = 'Health checks failed with these codes: [503]';
    // Keep it failing: the old image now answers 503.
    old.containers[0]!.behaviour = { ...old.containers[0]!.behaviour, elbHealthy: false };
    stepUntil(sim, () => old.replacedBy !== undefined, 120);
    const replacement = sim.tasks.get(old.replacedBy!)!;
    expect(replacement.taskDefinition.revision).toBe(108);
    expect(replacement.deploymentId).toBe(old.deploymentId);
  });
});

describe('stopping', () => {
  test('a running container exits after its stopSeconds; past stopTimeout it is killed with 137', () => {
    const stops = (stopSeconds: number) => {
      const { sim, service } = simulate('healthy-rollout.yaml', (s) => {
        s.defaultImage = { ...s.defaultImage, stopSeconds };
        s.deprovisioningSeconds = 5;
        s.actions = [{ atSeconds: 10, stopTask: { cluster: 'hokusai', service: 'hokusai-api' } }];
      });
      sim.step(11);
      const task = sim.serviceTasks(service).find((t) => t.stopCode === 'UserInitiated')!;
      sim.step(120);
      const at = (status: string) =>
        Date.parse(
          sim.eventLog.find(
            (e) => e.type === 'task-state' && e.taskArn === task.arn && e.lastStatus === status,
          )!.time as string,
        ) / 1000;
      return {
        stopping: at('DEPROVISIONING') - at('STOPPING'),
        deprovisioning: at('STOPPED') - at('DEPROVISIONING'),
        exitCode: task.containers[0]!.exitCode,
      };
    };
    expect(stops(12)).toEqual({ stopping: 12, deprovisioning: 5, exitCode: 0 });
    expect(stops(45)).toEqual({ stopping: 30, deprovisioning: 5, exitCode: 137 });
  });
});

describe('deployment alarms', () => {
  /** The healthy-rollout service with deployment alarms on `hokusai-api-5xx`, which goes into ALARM 60 s after a deployment of a `bad*` image starts. */
  const withAlarm =
    (rollback: boolean, state: 'OK' | 'ALARM' = 'OK') =>
    (s: Scenario): void => {
      s.cloudWatchAlarms = [
        {
          name: 'hokusai-api-5xx',
          namespace: 'AWS/ApplicationELB',
          metricName: 'HTTPCode_Target_5XX_Count',
          period: 60,
          evaluationPeriods: 2,
          state,
          states: [{ afterDeploymentSeconds: 60, image: '*:bad*', state: 'ALARM' }],
        },
      ];
      s.services![0]!.deploymentConfiguration = {
        deploymentCircuitBreaker: { enable: false, rollback: false },
        alarms: { alarmNames: ['hokusai-api-5xx'], enable: true, rollback },
      };
    };

  test('an alarm going into ALARM during the deployment fails it ("alarm detected") and rolls back under the old id', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', withAlarm(true));
    const completed = primaryOf(service);
    deploy(sim, service, 'bad-1');
    const failing = primaryOf(service);
    stepUntil(sim, () => failing.rolloutState === 'FAILED', 120);
    expect(failing.rolloutStateReason).toBe('ECS deployment alarms: alarm detected (hokusai-api-5xx).');
    expect(primaryOf(service)).toBe(completed);
    expect(completed.rolloutState).toBe('IN_PROGRESS');
    const log = messages(service);
    expect(log).toContain(
      `(service hokusai-api) (deployment ${failing.id}) deployment failed: alarm detected.`,
    );
    expect(log).toContain(`(service hokusai-api) rolling back to deployment ${completed.id}.`);
    expect(sim.eventLog.find((e) => e.type === 'deployment-alarm')).toMatchObject({
      deploymentId: failing.id,
      alarmName: 'hokusai-api-5xx',
      rollbackTo: completed.id,
    });
    // The rollback is not failed by the alarm still in ALARM, and completes.
    stepUntil(sim, () => completed.rolloutState === 'COMPLETED', 600);
    expect(failing.history).toBe('ROLLBACK_SUCCESSFUL');
  });

  test('a good deployment bakes for period x evaluationPeriods after its steady state, then COMPLETED', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', withAlarm(true));
    deploy(sim, service, 'good-2');
    const primary = primaryOf(service);
    stepUntil(
      sim,
      () => alive(sim, service).every((t) => t.deploymentId === primary.id && sim.isHealthy(t)),
      300,
    );
    stepUntil(sim, () => primary.bakeUntil !== undefined, 60);
    const bakeStart = sim.now;
    expect(primary.bakeUntil! - bakeStart).toBe(120_000);
    stepUntil(sim, () => primary.rolloutState === 'COMPLETED', 300);
    expect(sim.now).toBe(primary.bakeUntil);
  });

  test('without rollback: FAILED, and no more tasks are launched for it', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', withAlarm(false));
    deploy(sim, service, 'bad-1');
    const failing = primaryOf(service);
    stepUntil(sim, () => failing.rolloutState === 'FAILED', 120);
    expect(primaryOf(service)).toBe(failing);
  });

  test('an alarm already in ALARM when the deployment starts is ignored', () => {
    const { sim, service } = simulate('healthy-rollout.yaml', withAlarm(true, 'ALARM'));
    deploy(sim, service, 'bad-1');
    const primary = primaryOf(service);
    stepUntil(sim, () => primary.rolloutState === 'COMPLETED', 600);
    expect(sim.eventLog.filter((e) => e.type === 'deployment-alarm')).toEqual([]);
  });
});
