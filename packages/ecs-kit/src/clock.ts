// Time for the watcher, injectable so tests and benchmarks can run it on the emulator's simulated clock.

import { systemClock, type Clock } from '@hokusai/action-kit';

// The Clock itself lives in action-kit (one clock for every action); re-exported for ecs-kit's users.
export { systemClock, type Clock };

/** Counts AWS requests on a clock, for the polling budget and the benchmark's calls-per-minute. */
export class ApiCallLog {
  readonly calls: Array<{ at: number; operation: string }> = [];
  constructor(private readonly clock: Pick<Clock, 'now'>) {}
  record(operation: string): void {
    this.calls.push({ at: this.clock.now(), operation });
  }
  countSince(at: number): number {
    let n = 0;
    for (let i = this.calls.length - 1; i >= 0 && this.calls[i]!.at >= at; i--) n++;
    return n;
  }
}

/**
 * A clock that reads simulated time (e.g. the ECS emulator's) and sleeps `timeScale` times faster than real time,
 * so a poll interval of 10 s is 10 simulated seconds.
 */
export function scaledClock(now: () => number, timeScale: number): Clock {
  return { now, sleep: (ms, signal) => systemClock.sleep(ms / timeScale, signal) };
}
