// API fault injection: decides per call whether the scenario wants it throttled, failed with HTTP 500, reset, or
// answered with another AWS error; seeded so a run repeats.
import { seededRandom } from './simulation.js';
import type { ScenarioFault } from './scenario.js';

export type FaultKind = 'throttle' | 'server-error' | 'connection-reset' | 'error';

export interface InjectedFault {
  kind: FaultKind;
  /** The AWS error code to answer with (for 'error'; the protocol's own code for throttle / server-error). */
  code: string;
  message?: string;
}

export class FaultInjector {
  private readonly calls = new Map<string, number>();
  private readonly random: () => number;

  constructor(
    private readonly faults: ScenarioFault[],
    seed: number,
  ) {
    // A separate stream from the simulation's, so injecting faults does not change task ids.
    this.random = seededRandom(seed * 7919 + 17);
  }

  /** Counts the call and returns the fault to inject, if any. `elapsedSeconds` is simulated time since start. */
  decide(operation: string, elapsedSeconds: number): InjectedFault | undefined {
    const count = (this.calls.get(operation) ?? 0) + 1;
    this.calls.set(operation, count);
    for (const fault of this.faults) {
      if (fault.operation !== '*' && fault.operation !== operation) continue;
      if (fault.fromSeconds !== undefined && elapsedSeconds < fault.fromSeconds) continue;
      if (fault.untilSeconds !== undefined && elapsedSeconds >= fault.untilSeconds) continue;
      let hit: boolean;
      if (fault.calls !== undefined) hit = fault.calls.includes(count);
      else if (fault.rate !== undefined) hit = this.random() < fault.rate;
      else hit = true; // a time window alone: every call inside it
      if (hit) return toFault(fault);
    }
    return undefined;
  }
}

function toFault(fault: ScenarioFault): InjectedFault {
  const message = fault.message !== undefined ? { message: fault.message } : {};
  switch (fault.error) {
    case 'ThrottlingException':
    case 'Throttling':
      return { kind: 'throttle', code: 'ThrottlingException', ...message };
    case 'ServerError':
    case 'InternalServerError':
    case 'HTTP500':
      return { kind: 'server-error', code: 'ServerException', ...message };
    case 'ConnectionReset':
      return { kind: 'connection-reset', code: 'ConnectionReset' };
    default:
      return { kind: 'error', code: fault.error, ...message };
  }
}
