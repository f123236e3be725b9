// The fault matrix of issue 10: 30 % throttling + 30 % HTTP 500 + 30 % connection resets on every operation (about
// two calls in three fail), the bundled action with its defaults on the emulator's virtual clock. Every run must
// end with the same verdict, set `result`, and never end rollback-failed where a rollback could be made within the
// time limit — on the incident, and on scenarios written for this test only (fixtures/, not the emulator's).
import { afterEach, describe, expect, test } from '@jest/globals';
import { deployVirtual, faultStorm, FIXTURES, REPO, scenario, type VirtualDeploy } from './virtual-deploy.js';

let deploy: VirtualDeploy | undefined;
afterEach(async () => {
  await deploy?.close();
  deploy = undefined;
});

const STORM = faultStorm(0.3, 0.3, 0.3);

async function stormed(name: string, image: string, seed: number, inputs: Record<string, string> = {}) {
  const s = scenario(name);
  s.seed = seed;
  s.faults = STORM;
  deploy = await deployVirtual(s, { image: `${REPO}:${image}`, ...inputs });
  return deploy;
}

describe('the incident under a fault storm, ten seeds', () => {
  test.each(Array.from({ length: 10 }, (_, i) => i + 1))(
    'seed %i: rolled back to 108, result set',
    async (seed) => {
      const d = await stormed('incident-crash-on-import', 'broken-3f9c2e1', seed);
      expect(d.run.stderr).toBe('');
      expect(d.run.outputs.result).toBe('rolled-back');
      expect(d.run.outputs['failure-reason']).toMatch(
        /^task [0-9a-f]{8}… exited with code 1(: SyntaxError: invalid syntax \(model_registry\.py, line 26\))?$/,
      );
      const updates = d.updates();
      expect(updates).toHaveLength(2);
      expect(updates[1]!.taskDefinition).toMatch(/hokusai-api:108$/);
      expect(d.emulator.events().filter((e) => e.type === 'fault').length).toBeGreaterThan(20);
    },
  );
});

describe('scenarios not seen before, under the same storm', () => {
  const cases = [
    {
      file: 'oom-on-start',
      image: 'oom-7',
      reason: /^task [0-9a-f]{8}… (container api was killed for using too much memory|exited with code 137)/,
    },
    {
      file: 'pull-error-breaker',
      image: 'missing-1',
      reason: /^task [0-9a-f]{8}… could not pull the image: CannotPullContainerError/,
    },
    { file: 'slow-then-crash', image: 'boot-2', reason: /^task [0-9a-f]{8}… exited with code 3/ },
  ];
  test.each(cases.flatMap((c) => [1, 2, 3].map((seed) => ({ ...c, seed }))))(
    '$file, seed $seed: rolled back, result set',
    async ({ file, image, seed, reason }) => {
      const d = await stormed(`${FIXTURES}${file}.yaml`, image, seed);
      expect(d.run.outputs.result).toBe('rolled-back');
      expect(d.run.outputs['failure-reason']).toMatch(reason);
      // Back on 108: by our rollback, or by ECS's circuit breaker (then watched, not fought).
      expect(await d.primaryTaskDefinition()).toMatch(/hokusai-api:108$/);
      expect(d.updates().length).toBeLessThanOrEqual(2);
    },
  );

  test('a healthy deploy under the storm succeeds and is not rolled back', async () => {
    const d = await stormed('healthy-rollout', 'v2', 5);
    expect(d.run.outputs.result).toBe('succeeded');
    expect(d.updates()).toHaveLength(1);
  });
});
