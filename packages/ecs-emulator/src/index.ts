// The local ECS emulator: startEmulator() runs a scenario behind one loopback port that the unmodified AWS SDK v3
// clients (ECS, CloudWatch Logs, ELBv2) use through an endpoint override.
import { systemClock, VirtualClock, type Clock } from '@hokusai/action-kit';
import { loadScenario, validateScenario, ScenarioError, type Scenario } from './scenario.js';
import { ScaledClock, EmulatorServer, type TimeSource } from './server.js';
import { Simulation, type EmulatorEvent } from './simulation.js';

export interface StartEmulatorOptions {
  /** A scenario object, or the path of a .yaml/.yml/.json scenario file. */
  scenario: Scenario | string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Simulated seconds per real second; overrides the scenario's timeScale. Ignored on a virtual clock. */
  timeScale?: number;
  /**
   * `scaled` (default): simulated time runs `timeScale` times faster than the real clock. `virtual`: simulated
   * time moves only when `clock` is slept on or advanced (in-process), or on `POST /_emulator/clock` (another
   * process, e.g. a bundled action started by the action harness with its virtual-clock preload), so nothing
   * depends on the machine's speed.
   */
  clock?: 'scaled' | 'virtual';
}

export interface EmulatorHandle {
  /** http://127.0.0.1:PORT — use as AWS_ENDPOINT_URL / the SDK client's `endpoint`. */
  endpoint: string;
  port: number;
  /** Every API call and state change so far, simulated timestamps. */
  events(): EmulatorEvent[];
  /** The simulated time now. */
  now(): Date;
  /**
   * The clock code under test should run on: on a virtual clock, a VirtualClock whose sleeps advance the
   * simulation; on a scaled clock, simulated time with sleeps `timeScale` times shorter than they say.
   */
  clock: Clock;
  /** The simulation behind the server, for tests that want to look inside. */
  simulation: Simulation;
  close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions): Promise<EmulatorHandle> {
  const scenario =
    typeof options.scenario === 'string'
      ? loadScenario(options.scenario)
      : validateScenario(options.scenario);
  const timeScale = options.timeScale ?? scenario.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new ScenarioError(`timeScale: must be a number > 0 (got ${timeScale})`);
  const startTime = scenario.startTime
    ? Date.parse(scenario.startTime)
    : Math.floor(Date.now() / 1000) * 1000;
  const simulation = new Simulation(scenario, { startTime });
  let source: TimeSource;
  let clock: Clock;
  if (options.clock === 'virtual') {
    const virtual = new VirtualClock(startTime, (now) => simulation.advanceTo(now));
    source = { now: () => virtual.now(), advanceTo: (to) => virtual.advance(to - virtual.now()) };
    clock = virtual;
  } else {
    const scaled = new ScaledClock(startTime, timeScale);
    source = scaled;
    clock = { now: () => scaled.now(), sleep: (ms, signal) => systemClock.sleep(ms / timeScale, signal) };
  }
  const server = new EmulatorServer(simulation, source);
  const port = await server.listen(options.port ?? 0);
  const endpoint = `http://127.0.0.1:${port}`;
  let closed = false;
  return {
    endpoint,
    port,
    simulation,
    clock,
    events: () => {
      simulation.advanceTo(source.now());
      return [...simulation.eventLog];
    },
    now: () => new Date(Math.max(simulation.now, source.now())),
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
    },
  };
}

export {
  loadScenario,
  validateScenario,
  ScenarioError,
  SCENARIOS_DIR,
  SCENARIO_SCHEMA_PATH,
  imageMatches,
} from './scenario.js';
export type * from './scenario.js';
export {
  Simulation,
  circuitBreakerThreshold,
  type EmulatorEvent,
  type SimulationOptions,
} from './simulation.js';
export { ApiError } from './api-error.js';
export { matchesFilterPattern } from './logs-api.js';
