// What the report says at the ends a new user met (the trial of issue 10's deploy): the real cause, no success that
// verified nothing, no deploy over an unproven one, each warning once. The bundled action on the emulator's virtual
// clock.
import { afterEach, describe, expect, test } from '@jest/globals';
import { DeregisterTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { createAwsApis, LAST_GOOD_TAG } from '@hokusai/ecs-kit';
import type { EmulatorHandle, Scenario } from '@hokusai/ecs-emulator';
import { deployVirtual, REPO, scenario, type VirtualDeploy } from './virtual-deploy.js';

let deploy: VirtualDeploy | undefined;
afterEach(async () => {
  await deploy?.close();
  deploy = undefined;
});

const R108 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108';
const warnings = (d: VirtualDeploy) =>
  d.run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

async function lastGoodTag(d: VirtualDeploy): Promise<string | undefined> {
  const apis = createAwsApis({
    region: 'us-east-1',
    env: {
      AWS_ENDPOINT_URL: d.emulator.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
  });
  try {
    const service = (await apis.ecs.describeService('hokusai', 'hokusai-api'))!;
    return (await apis.ecs.listTags(service.arn))[LAST_GOOD_TAG];
  } finally {
    apis.close?.();
  }
}

/** The incident scenario with revision 107 registered below 108, built by `change`. */
function withRevision107(image: string, change: (s: Scenario) => void = () => {}): Scenario {
  const s = scenario('incident-crash-on-import');
  const td107 = structuredClone(s.taskDefinitions![0]!);
  td107.revision = 107;
  td107.containerDefinitions![0]!.image = `${REPO}:${image}`;
  s.taskDefinitions = [td107, ...s.taskDefinitions!];
  change(s);
  return s;
}

async function deregister108(emulator: EmulatorHandle): Promise<void> {
  const ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'hokusai-api:108' }));
  ecs.destroy();
}

describe('stable-for is never forgiven', () => {
  test('old tasks draining at the time limit, new tasks healthy for less than stable-for: not a success', async () => {
    // The trial: deregistration delay 900 s, an image that crashes 90 s after start, timeout 80 s, stable-for 1 m.
    const s = scenario('incident-crash-on-import');
    s.targetGroups![0]!.deregistrationDelaySeconds = 900;
    s.images = [
      { match: '*:crash90*', startSeconds: 8, exitAfterSeconds: 90, exitCode: 1 },
      ...(s.images ?? []),
    ];
    deploy = await deployVirtual(s, { image: `${REPO}:crash90-1`, timeout: '80s', 'stable-for': '1m' });
    expect(deploy.run.outputs.result).not.toBe('succeeded');
    expect(deploy.run.outputs['failure-reason']).toMatch(
      /^timed out after 1m\d\ds: every new task running and healthy for only \S+ of stable-for 1m00s, 2 old tasks draining \(about \d+ minutes left\)/,
    );
    expect(await lastGoodTag(deploy)).toBeUndefined();
  });
});

describe('a deploy while another deployment is still in progress', () => {
  // Someone updated the service to 107 (never healthy) a few seconds before our deploy: 107 is still IN_PROGRESS.
  const inFlight = () =>
    withRevision107('unhealthy-107', (s) => {
      s.images = [{ match: '*:unhealthy*', startSeconds: 8, elbHealthy: false }, ...(s.images ?? [])];
      s.actions = [
        {
          atSeconds: 1,
          updateService: { cluster: 'hokusai', service: 'hokusai-api', taskDefinition: 'hokusai-api:107' },
        },
      ];
    });
  const fiveSecondsIn = (emulator: EmulatorHandle) => emulator.clock.sleep(5_000);

  test('is refused before any change, naming the deployment and its revision', async () => {
    deploy = await deployVirtual(inFlight(), { image: `${REPO}:v2` }, {}, fiveSecondsIn);
    expect(deploy.run.outputs.result).toBe('refused');
    expect(deploy.run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^deployment ecs-svc\/\d+ \(hokusai-api:107\) of service "hokusai-api" in cluster "hokusai" is still IN_PROGRESS: its revision is not proven; wait for it to finish \(aws ecs wait services-stable --cluster hokusai --services hokusai-api\), or set "replace-in-progress: true" to replace it .*; nothing was changed$/,
      ),
    ]);
    // (The scenario's own update to 107 is not an API call: nothing at all was called to change the service.)
    expect(deploy.updates()).toEqual([]);
    expect(deploy.run.summary).toContain('## 🚫 ecs-deploy-and-wait: refused');
  });

  test('replace-in-progress: the rollback goes to the last completed revision (108), never the in-flight one', async () => {
    deploy = await deployVirtual(
      inFlight(),
      { image: `${REPO}:broken-3f9c2e1`, 'replace-in-progress': 'true' },
      {},
      fiveSecondsIn,
    );
    expect(deploy.run.outputs['previous-task-definition-arn']).toBe(R108);
    expect(warnings(deploy)).toContainEqual(
      expect.stringMatching(
        /^deployment ecs-svc\/\d+ \(hokusai-api:107\) was still IN_PROGRESS: replaced \("replace-in-progress"\); a rollback goes to hokusai-api:108, the last completed revision/,
      ),
    );
    expect(deploy.run.outputs.result).toBe('rolled-back');
    expect(deploy.updates().map((u) => u.taskDefinition)).toEqual([
      expect.stringMatching(/hokusai-api:109$/),
      R108,
    ]);
    expect(await deploy.primaryTaskDefinition()).toBe(R108);
  });

  test('a crash-looping deployment (no circuit breaker) will never finish: the fix deploys without asking', async () => {
    // The day this project exists for: 107 crashes on import, ECS restarts its tasks forever. The fix must not wait.
    const looping = withRevision107('broken-107', (s) => {
      s.actions = [
        {
          atSeconds: 1,
          updateService: { cluster: 'hokusai', service: 'hokusai-api', taskDefinition: 'hokusai-api:107' },
        },
      ];
    });
    deploy = await deployVirtual(looping, { image: `${REPO}:v2` }, {}, (emulator) =>
      emulator.clock.sleep(120_000),
    );
    expect(warnings(deploy)).toContainEqual(
      expect.stringMatching(
        /^deployment ecs-svc\/\d+ \(hokusai-api:107\) was still IN_PROGRESS with \d+ failed tasks?: replaced, it was not going to finish; a rollback goes to hokusai-api:108, the last completed revision/,
      ),
    );
    expect(deploy.run.outputs['previous-task-definition-arn']).toBe(R108);
    expect(deploy.run.outputs.result).toBe('succeeded');
    expect(await deploy.primaryTaskDefinition()).toMatch(/hokusai-api:109$/);
  });
});

describe('desiredCount 0 verifies nothing, whenever it happens', () => {
  test('scaled to 0 in the middle of the deploy: a warning, and no last-good tag', async () => {
    const s = scenario('healthy-rollout');
    s.actions = [
      { atSeconds: 12, updateService: { cluster: 'hokusai', service: 'hokusai-api', desiredCount: 0 } },
    ];
    deploy = await deployVirtual(s, { image: `${REPO}:v2` });
    expect(deploy.run.outputs.result).toBe('succeeded');
    expect(warnings(deploy)).toContain(
      'desiredCount became 0 during the deploy: no task ran the new revision at the end, so nothing was verified; the last-good tag was not written',
    );
    expect(await lastGoodTag(deploy)).toBeUndefined();
  });

  test('desiredCount 0 and a deregistered previous revision: each warning once', async () => {
    const s = scenario('incident-crash-on-import');
    s.services![0]!.desiredCount = 0;
    deploy = await deployVirtual(s, { image: `${REPO}:v2` }, {}, deregister108);
    const all = warnings(deploy);
    expect(all.filter((w) => /is INACTIVE \(deregistered\)/.test(w))).toHaveLength(1);
    expect(all.filter((w) => /desiredCount/.test(w))).toHaveLength(1);
    expect(deploy.run.summary.match(/desiredCount is 0/g)).toHaveLength(1);
    expect(deploy.run.summary.match(/is INACTIVE \(deregistered\)/g)).toHaveLength(1);
  });
});

describe('failure-reason names the real cause', () => {
  test('rollback-failed: why the rollback failed (the previous image cannot be pulled), after the crash', async () => {
    const s = scenario('incident-crash-on-import');
    s.taskDefinitions![0]!.containerDefinitions![0]!.image = `${REPO}:gone`;
    s.images = [
      {
        match: '*:gone*',
        failToStart:
          'CannotPullContainerError: pull image manifest has been retried 5 time(s): image not found',
      },
      ...(s.images ?? []),
    ];
    deploy = await deployVirtual(s, { image: `${REPO}:broken-3f9c2e1` });
    expect(deploy.run.outputs.result).toBe('rollback-failed');
    expect(deploy.run.outputs['failure-reason']).toMatch(
      /^task [0-9a-f]{8}… exited with code 1: SyntaxError: invalid syntax.*; the rollback to hokusai-api:108 failed too: task [0-9a-f]{8}… .*CannotPullContainerError/,
    );
  });

  test('taken-over: our revision had already crashed before someone else deployed', async () => {
    const s = withRevision107('good-107', (x) => {
      x.actions = [
        {
          atSeconds: 15,
          updateService: { cluster: 'hokusai', service: 'hokusai-api', taskDefinition: 'hokusai-api:107' },
        },
      ];
    });
    deploy = await deployVirtual(s, { image: `${REPO}:broken-3f9c2e1`, 'poll-interval': '20s' });
    expect(deploy.run.outputs.result).toBe('failed');
    expect(deploy.run.outputs['failure-reason']).toMatch(
      /^another deployment ecs-svc\/\d+ \(hokusai-api:107\) replaced ours; not rolling back over it; hokusai-api:109 had already failed \d+ times? \(first: task [0-9a-f]{8}… exited with code 1: SyntaxError: invalid syntax/,
    );
  });

  test('a Spot interruption loop: the time-out says the tasks were interrupted', async () => {
    const s = scenario('healthy-rollout');
    s.images = [
      {
        match: '*:spot*',
        startSeconds: 8,
        stopCode: 'SpotInterruption',
        stopAfterSeconds: 20,
        stoppedReason: 'Your Spot Task was interrupted.',
      },
      ...(s.images ?? []),
    ];
    deploy = await deployVirtual(s, { image: `${REPO}:spot-1`, timeout: '3m', 'stable-for': '30s' });
    expect(deploy.run.outputs['failure-reason']).toMatch(
      /^timed out after 3m\d\ds: .*; meanwhile \d+ tasks of hokusai-api:109 were stopped by AWS, not for the revision's fault \(SpotInterruption: Your Spot Task was interrupted\.\)$/,
    );
  });
});
