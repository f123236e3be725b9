// The one clock and the one cancellation signal every action uses. Time is injectable so tests and benchmarks run
// actions on simulated time (the ECS emulator's virtual clock) instead of sleeping.

/** Node's timers hold at most 2^31 − 1 ms (≈ 24.8 days); a longer delay fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Clock {
  /** Milliseconds since the epoch (real or simulated). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds of this clock's time, or early (without throwing) when `signal` aborts.
   * Negative and non-finite values sleep 0 ms.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    let remaining = Number.isFinite(ms) && ms > 0 ? ms : 0;
    let timer: NodeJS.Timeout;
    const arm = () => {
      // Long waits are chained in timer-sized steps so they never overflow to 1 ms.
      const step = Math.min(remaining, MAX_TIMER_MS);
      remaining -= step;
      timer = setTimeout(() => (remaining > 0 ? arm() : done()), step);
    };
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
    arm();
  });
}

/** Wall-clock time and real timers. */
export const systemClock: Clock = { now: () => Date.now(), sleep: sleepReal };

/**
 * A clock whose time moves only when someone sleeps on it: a discrete-event clock for tests and benchmarks.
 *
 * `sleep(ms)` registers a wake-up at `now() + ms` and yields to the event loop; once the sleepers registered by
 * then are known, time jumps to the earliest wake-up, `onAdvance(now)` runs (e.g. the ECS emulator advancing its
 * simulation to that instant, in-process or over HTTP), and the sleepers due at that time resume. I/O therefore
 * takes no simulated time, and a run's simulated timings do not depend on how fast the machine is.
 */
export class VirtualClock implements Clock {
  // Plain fields (no parameter properties): this file also runs under Node's type stripping, in the action
  // harness's preload that puts a bundled action on the emulator's virtual time.
  private time: number;
  private readonly onAdvance: ((now: number) => void | Promise<void>) | undefined;
  private readonly onError: (error: unknown) => void;
  private readonly sleepers: Array<{ at: number; wake: () => void }> = [];
  private settling = false;
  private advancing: Promise<void> = Promise.resolve();

  /**
   * @param start epoch ms the clock starts at
   * @param onAdvance called with the new time (epoch ms) whenever time moves forward, before sleepers resume; a
   *   rejected promise is reported through `onError` and time still moves
   */
  constructor(
    start: number,
    onAdvance?: (now: number) => void | Promise<void>,
    onError: (error: unknown) => void = () => {},
  ) {
    this.time = start;
    this.onAdvance = onAdvance;
    this.onError = onError;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    return new Promise<void>((resolve) => {
      const sleeper = {
        at: this.time + delay,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.sleepers.indexOf(sleeper);
        if (i >= 0) this.sleepers.splice(i, 1);
        sleeper.wake();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.settle();
    });
  }

  /** Moves time forward by `ms` now (also without sleepers), running `onAdvance`; due sleepers resume. */
  async advance(ms: number): Promise<void> {
    await this.moveTo(this.time + Math.max(0, ms));
  }

  private settle(): void {
    if (this.settling) return;
    this.settling = true;
    // Let the code that is running now finish what it does without waiting (pending promises, a few I/O turns)
    // before time jumps, so concurrent sleepers wake in the order of their wake-up times.
    setImmediate(() =>
      setImmediate(() => {
        this.settling = false;
        if (this.sleepers.length === 0) return;
        const next = Math.min(...this.sleepers.map((s) => s.at));
        void this.moveTo(next);
      }),
    );
  }

  private moveTo(target: number): Promise<void> {
    this.advancing = this.advancing.then(async () => {
      if (target > this.time) {
        this.time = target;
        try {
          await this.onAdvance?.(target);
        } catch (error) {
          this.onError(error);
        }
      }
      const due = this.sleepers.filter((s) => s.at <= this.time).sort((a, b) => a.at - b.at);
      for (const s of due) this.sleepers.splice(this.sleepers.indexOf(s), 1);
      for (const s of due) s.wake();
      if (this.sleepers.length > 0) this.settle();
    });
    return this.advancing;
  }
}

/** Where a test preload (`node --import …`) puts the clock an action should run on. */
export const CLOCK_OVERRIDE = Symbol.for('hokusai.actions.clock');

/**
 * The clock an action's main() uses: the system clock, unless the process was started with a test preload that
 * installed another at `globalThis[CLOCK_OVERRIDE]` (the action harness does, to run a bundled action on the
 * emulator's virtual time). Nothing a workflow sets can install one.
 */
export function actionClock(): Clock {
  const override = (globalThis as Record<symbol, unknown>)[CLOCK_OVERRIDE];
  if (
    override &&
    typeof (override as Clock).now === 'function' &&
    typeof (override as Clock).sleep === 'function'
  ) {
    return override as Clock;
  }
  return systemClock;
}

export interface Cancellation {
  /** Aborts on the first SIGINT or SIGTERM (the runner's cancel), with the signal's name as the reason. */
  signal: AbortSignal;
  /** Removes the handlers; call in a `finally`. */
  dispose(): void;
}

/**
 * Turns the runner's cancellation into an AbortSignal, so the action can finish its report and say what state it
 * left things in. The runner sends SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s after that
 * (actions/runner src/Runner.Sdk/ProcessInvoker.cs, `_sigintTimeout` / `_sigtermTimeout`): an action has about
 * 10 s to wrap up. `onCancel` runs once, with the signal name.
 */
export function cancellationSignal(onCancel?: (signalName: NodeJS.Signals) => void): Cancellation {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      if (controller.signal.aborted) return;
      onCancel?.(name);
      controller.abort(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
