// Preloaded with `node --import` by runAction({ virtualClock }): puts the bundled action on the ECS emulator's
// virtual time. The action's clock (actionClock() in action-kit) then sleeps by asking the emulator to move its
// simulated time forward (POST /_emulator/clock), so a test of dist/index.js never waits on the wall clock.
// action-kit's clock.ts is written in erasable TypeScript, so Node loads it here by type stripping.
import { CLOCK_OVERRIDE, VirtualClock } from '../../action-kit/src/clock.ts';

const url = process.env.HOKUSAI_VIRTUAL_CLOCK_URL;
if (!url) throw new Error('virtual-clock-preload: HOKUSAI_VIRTUAL_CLOCK_URL is not set');

const answer = await fetch(url);
if (!answer.ok) throw new Error(`virtual-clock-preload: GET ${url} answered ${answer.status}`);
const { now, mode } = await answer.json();
if (mode !== 'virtual')
  throw new Error(`virtual-clock-preload: the emulator's clock is ${mode}, not virtual`);

globalThis[CLOCK_OVERRIDE] = new VirtualClock(
  now,
  async (to) => {
    const moved = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceTo: to }),
    });
    if (!moved.ok) throw new Error(`POST ${url} answered ${moved.status}`);
    await moved.arrayBuffer();
  },
  (error) =>
    process.stderr.write(`virtual-clock-preload: ${error instanceof Error ? error.message : error}\n`),
);
