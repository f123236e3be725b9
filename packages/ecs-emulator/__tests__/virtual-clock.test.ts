// The emulator on a virtual clock: simulated time moves only when the code under test sleeps on the emulator's
// clock (in-process) or asks over HTTP (POST /_emulator/clock), so nothing depends on the machine's speed.
import { afterEach, describe, expect, test } from '@jest/globals';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { startEmulator, SCENARIOS_DIR, type EmulatorHandle } from '../src/index.js';

let emulator: EmulatorHandle | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const scenario = `${SCENARIOS_DIR}/healthy-rollout.yaml`;
const clockUrl = (e: EmulatorHandle) => `${e.endpoint}/_emulator/clock`;
const post = (e: EmulatorHandle, body: unknown) =>
  fetch(clockUrl(e), { method: 'POST', body: JSON.stringify(body) });

async function update(e: EmulatorHandle): Promise<void> {
  const ecs = new ECSClient({
    endpoint: e.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ecs.send(
    new UpdateServiceCommand({ cluster: 'hokusai', service: 'hokusai-api', forceNewDeployment: true }),
  );
  ecs.destroy();
}

describe('the virtual clock', () => {
  test('time stands still until the clock is slept on, then the simulation catches up', async () => {
    emulator = await startEmulator({ scenario, clock: 'virtual' });
    const start = emulator.now().getTime();
    const steadyStates = () => emulator!.events().filter((e) => e.type === 'steady-state');
    const before = steadyStates().length; // the service starts steady
    await update(emulator);
    await new Promise((r) => setTimeout(r, 200)); // real time passes; simulated time does not
    expect(emulator.now().getTime()).toBe(start);
    expect(steadyStates()).toHaveLength(before);

    await emulator.clock.sleep(10 * 60_000);
    expect(emulator.clock.now()).toBe(start + 10 * 60_000);
    expect(emulator.now().getTime()).toBe(start + 10 * 60_000);
    // A forced new deployment of healthy tasks: started, healthy, old ones drained, steady, all within 10 minutes.
    const steady = steadyStates();
    expect(steady.length).toBeGreaterThan(before);
    expect(Date.parse(steady.at(-1)!.time)).toBeLessThanOrEqual(start + 10 * 60_000);
  });

  test('GET and POST /_emulator/clock read and move simulated time, never backwards', async () => {
    emulator = await startEmulator({ scenario, clock: 'virtual' });
    const start = emulator.now().getTime();
    expect(await (await fetch(clockUrl(emulator))).json()).toEqual({ now: start, mode: 'virtual' });

    const moved = await post(emulator, { advanceBy: 90_000 });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toEqual({ now: start + 90_000, mode: 'virtual' });
    expect(emulator.clock.now()).toBe(start + 90_000);

    const back = await post(emulator, { advanceTo: start });
    expect(await back.json()).toEqual({ now: start + 90_000, mode: 'virtual' });
    const to = await post(emulator, { advanceTo: start + 100_000 });
    expect(await to.json()).toEqual({ now: start + 100_000, mode: 'virtual' });
  });

  test('an in-process sleeper wakes when another process moves the clock past its wake-up time', async () => {
    emulator = await startEmulator({ scenario, clock: 'virtual' });
    const start = emulator.now().getTime();
    let wokeAt: number | undefined;
    const sleeping = emulator.clock.sleep(30_000).then(() => (wokeAt = emulator!.clock.now()));
    // The sleeper itself also moves the clock once the event loop settles; either way it wakes at its own time.
    await post(emulator, { advanceTo: start + 60_000 });
    await sleeping;
    expect(wokeAt).toBeGreaterThanOrEqual(start + 30_000);
    expect(emulator.clock.now()).toBe(start + 60_000);
  });

  test.each([
    [{}, 400, 'expected a number'],
    [{ advanceBy: 'soon' }, 400, 'expected a number'],
    ['not json', 400, 'expected a JSON body'],
  ])('a bad POST %j answers %d', async (body, status, message) => {
    emulator = await startEmulator({ scenario, clock: 'virtual' });
    const answer = await fetch(clockUrl(emulator), {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(answer.status).toBe(status);
    expect(((await answer.json()) as { message: string }).message).toContain(message);
  });

  test('one step moves at most 31 days: a huge advance answers 400 and the emulator keeps answering', async () => {
    emulator = await startEmulator({ scenario, clock: 'virtual' });
    const start = emulator.clock.now();
    for (const body of [{ advanceBy: 1e20 }, { advanceTo: start + 32 * 86_400_000 }]) {
      const answer = await post(emulator, body);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { message: string }).message).toMatch(
        /^one step moves the clock at most 31 days \(2678400000 ms\); asked for \d+ ms: step in parts$/,
      );
    }
    expect(emulator.clock.now()).toBe(start);
    // Still answering: a step within the bound moves it, and the ECS API answers.
    const moved = await post(emulator, { advanceBy: 86_400_000 });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { now: number }).now).toBe(start + 86_400_000);
    await update(emulator);
  });

  test('on the scaled clock the mode says so and POST is refused', async () => {
    emulator = await startEmulator({ scenario, timeScale: 10 });
    expect(((await (await fetch(clockUrl(emulator))).json()) as { mode: string }).mode).toBe('scaled');
    const answer = await post(emulator, { advanceBy: 1000 });
    expect(answer.status).toBe(409);
  });
});
