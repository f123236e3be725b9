// The shipped fargate-* profiles against the public Fargate measurements they were built from (ECS-FACTS.md,
// "Timings on Fargate"), in simulated time on a stepped clock: what each profile produces is pinned here and
// listed, with the measurement, in FIDELITY.md.
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { loadScenario, SCENARIOS_DIR } from '../src/scenario.js';
import { Simulation, type Deployment, type Service } from '../src/simulation.js';

const START = Date.parse('2026-01-01T00:00:00Z');

interface Run {
  sim: Simulation;
  service: Service;
  deployment: Deployment;
  /** Simulated seconds since the UpdateService. */
  elapsed(): number;
  /** Simulated seconds since the UpdateService of the task-state events of the deployment with this status. */
  times(status: string): number[];
}

/** Loads a profile, deploys `tag` with UpdateService, and steps until `done` (1 s steps, at most `max`). */
function deploy(file: string, tag: string, done: (r: Run) => boolean, max = 3600): Run {
  const sim = new Simulation(loadScenario(path.join(SCENARIOS_DIR, file)), { startTime: START });
  const service = sim.findService(sim.findCluster('hokusai'), 'hokusai-api')!;
  const current = sim.findTaskDefinition('hokusai-api:108')!;
  const td = sim.registerTaskDefinition(
    {
      ...current.body,
      containerDefinitions: current.containerDefinitions.map((c) => ({
        ...c,
        image: c.image.replace(/:[^:]+$/, `:${tag}`),
      })),
    },
    {},
  );
  sim.updateService(service, { taskDefinition: td.arn });
  const deployment = service.deployments.find((d) => d.status === 'PRIMARY')!;
  const t0 = sim.now;
  const run: Run = {
    sim,
    service,
    deployment,
    elapsed: () => (sim.now - t0) / 1000,
    times: (status) =>
      sim.eventLog
        .filter((e) => e.type === 'task-state' && e.lastStatus === status && e.deploymentId === deployment.id)
        .map((e) => (Date.parse(e.time) - t0) / 1000),
  };
  for (let s = 0; s < max && !done(run); s++) sim.step(1);
  return run;
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

describe('fargate-* profiles reproduce the public measurements', () => {
  test.each([1, 2, 10])(
    'fargate-desired-%i: first task 17-48 s after UpdateService, RUNNING 53-62 s after creation, COMPLETED',
    (desired) => {
      const run = deploy(
        `fargate-desired-${desired}.yaml`,
        'v2',
        (r) => r.deployment.rolloutState === 'COMPLETED',
      );
      expect(run.deployment.rolloutState).toBe('COMPLETED');
      const created = run.times('PROVISIONING');
      const running = run.times('RUNNING');
      expect(created).toHaveLength(desired);
      expect(created[0]).toBeGreaterThanOrEqual(17);
      expect(created[0]).toBeLessThanOrEqual(48);
      expect(running[0]! - created[0]!).toBeGreaterThanOrEqual(53);
      expect(running[0]! - created[0]!).toBeLessThanOrEqual(62);
      expect(run.deployment.failedTasks).toBe(0);
    },
  );

  test('fargate-crash-on-import-breaker: the breaker trips at the 3rd crash, about 2 min 55 s after UpdateService', () => {
    const run = deploy(
      'fargate-crash-on-import-breaker.yaml',
      'broken-1',
      (r) => r.deployment.rolloutState === 'FAILED',
    );
    expect(run.deployment.rolloutState).toBe('FAILED');
    expect(run.deployment.failedTasks).toBe(3);
    // Measured 175 s; the model gives 169 s (ratio 0.97).
    expect(run.elapsed()).toBeGreaterThanOrEqual(150);
    expect(run.elapsed()).toBeLessThanOrEqual(200);
    expect(run.service.deployments.find((d) => d.status === 'PRIMARY')!.taskDefinitionArn).toMatch(/:108$/);
  });

  test('fargate-crash-on-import-no-breaker: a replacement about every 50 s, the deployment never ends', () => {
    const run = deploy('fargate-crash-on-import-no-breaker.yaml', 'broken-1', () => false, 900);
    expect(run.deployment.rolloutState).toBe('IN_PROGRESS');
    const cycle = gaps(run.times('PROVISIONING'));
    expect(cycle.length).toBeGreaterThanOrEqual(15);
    for (const gap of cycle) {
      expect(gap).toBeGreaterThanOrEqual(45);
      expect(gap).toBeLessThanOrEqual(55);
    }
    // Crashes after RUNNING are never throttled and get no "unable to consistently start" event.
    expect(run.service.events.some((e) => e.message.includes('unable to consistently'))).toBe(false);
  });

  test('fargate-elb-health-failure: killed after the grace period; the breaker trips at 3 (measured 9 min 48 s, modelled 6 min 24 s)', () => {
    const run = deploy(
      'fargate-elb-health-failure.yaml',
      'unhealthy-1',
      (r) => r.deployment.rolloutState === 'FAILED',
    );
    expect(run.deployment.rolloutState).toBe('FAILED');
    expect(run.deployment.failedTasks).toBe(3);
    expect(gaps(run.times('PROVISIONING'))).toEqual([118, 118]);
    expect(run.elapsed()).toBe(384);
  });

  test('fargate-image-pull-failure: throttled launches; the breaker trips inside the measured 11-25 min', () => {
    const run = deploy(
      'fargate-image-pull-failure.yaml',
      'missing-1',
      (r) => r.deployment.rolloutState === 'FAILED',
      7200,
    );
    expect(run.deployment.rolloutState).toBe('FAILED');
    expect(run.times('RUNNING')).toEqual([]);
    expect(gaps(run.times('PROVISIONING'))).toEqual([240, 480]);
    expect(run.elapsed()).toBeGreaterThanOrEqual(11 * 60);
    expect(run.elapsed()).toBeLessThanOrEqual(25 * 60);
    expect(run.service.events.some((e) => e.message.includes('is unable to consistently start tasks'))).toBe(
      true,
    );
  });
});
