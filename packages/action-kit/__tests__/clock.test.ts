import { describe, expect, test } from '@jest/globals';
import {
  actionClock,
  cancellationSignal,
  CLOCK_OVERRIDE,
  systemClock,
  VirtualClock,
  type Clock,
} from '../src/clock.js';

describe('VirtualClock', () => {
  test('time moves only by sleeping, and onAdvance sees every new time', async () => {
    const seen: number[] = [];
    const clock = new VirtualClock(1_000, (now) => {
      seen.push(now);
    });
    expect(clock.now()).toBe(1_000);
    await clock.sleep(10_000);
    expect(clock.now()).toBe(11_000);
    await clock.sleep(0);
    await clock.sleep(-5);
    expect(clock.now()).toBe(11_000);
    await clock.sleep(2 ** 40); // far beyond what Node's timers hold
    expect(clock.now()).toBe(11_000 + 2 ** 40);
    expect(seen).toEqual([11_000, 11_000 + 2 ** 40]);
  });

  test('concurrent sleepers wake in the order of their wake-up times, each at its own time', async () => {
    const clock = new VirtualClock(0);
    const order: Array<[string, number]> = [];
    const sleeper = (name: string, ms: number) => clock.sleep(ms).then(() => order.push([name, clock.now()]));
    await Promise.all([sleeper('c', 30), sleeper('a', 10), sleeper('b', 20)]);
    expect(order).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 30],
    ]);
  });

  test('an aborted sleep resolves at once without moving time', async () => {
    const clock = new VirtualClock(0);
    const controller = new AbortController();
    const long = clock.sleep(60_000, controller.signal);
    controller.abort();
    await long;
    expect(clock.now()).toBe(0);
    await clock.sleep(5, controller.signal); // already aborted
    expect(clock.now()).toBe(0);
  });

  test('onAdvance runs before the sleeper resumes; its errors are reported, time still moves', async () => {
    const errors: unknown[] = [];
    let simulated = 0;
    const clock = new VirtualClock(
      0,
      async (now) => {
        await new Promise((r) => setImmediate(r));
        simulated = now;
        if (now === 20) throw new Error('emulator down');
      },
      (error) => errors.push(error),
    );
    await clock.sleep(10);
    expect(simulated).toBe(10);
    await clock.sleep(10);
    expect(clock.now()).toBe(20);
    expect(errors).toHaveLength(1);
    await clock.advance(5);
    expect(simulated).toBe(25);
  });
});

describe('systemClock', () => {
  test('an abort ends a long sleep early', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(2 ** 40, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});

describe('actionClock', () => {
  test('is the system clock unless a preload installed another', () => {
    expect(actionClock()).toBe(systemClock);
    const fake: Clock = new VirtualClock(5);
    const global = globalThis as Record<symbol, unknown>;
    global[CLOCK_OVERRIDE] = fake;
    try {
      expect(actionClock()).toBe(fake);
      global[CLOCK_OVERRIDE] = { now: 'not a clock' };
      expect(actionClock()).toBe(systemClock);
    } finally {
      delete global[CLOCK_OVERRIDE];
    }
  });
});

describe('cancellationSignal', () => {
  test('SIGTERM aborts once with the signal name, and dispose removes the handlers', () => {
    const before = process.listenerCount('SIGTERM');
    const calls: string[] = [];
    const cancellation = cancellationSignal((name) => calls.push(name));
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    process.emit('SIGTERM');
    process.emit('SIGINT');
    expect(cancellation.signal.aborted).toBe(true);
    expect(cancellation.signal.reason).toBe('SIGTERM');
    expect(calls).toEqual(['SIGTERM']);
    cancellation.dispose();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
