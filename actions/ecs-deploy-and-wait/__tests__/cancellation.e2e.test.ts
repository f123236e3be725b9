// Cancellation and AWS calls that never answer, as the runner cancels a job: SIGINT, SIGTERM 7.5 s later, SIGKILL
// 2.5 s after that. Whatever AWS does, every end sets `result`, writes the job summary and says what to do next. A
// proxy in front of the emulator holds chosen requests (a stalled connection); most runs are on the emulator's
// virtual clock, the one about the time limit on the wall clock — it asserts outcomes only, never elapsed time.
import { afterEach, describe, expect, test } from '@jest/globals';
import {
  runAction,
  startHoldingProxy,
  type ActionRun,
  type HoldingProxy,
  type RunActionOptions,
} from '@hokusai/action-harness';
import { startEmulator, type EmulatorHandle, type Scenario } from '@hokusai/ecs-emulator';
import { REPO, scenario } from './virtual-deploy.js';

let emulator: EmulatorHandle | undefined;
let proxy: HoldingProxy | undefined;
let run: ActionRun | undefined;
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  timers.splice(0).forEach(clearTimeout);
  await run?.cleanup();
  await proxy?.stop();
  await emulator?.close();
  run = proxy = emulator = undefined;
});

const R108 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hokusai-api:108';
type Control = { kill(signal: NodeJS.Signals): void };

/** What the runner does on cancel: SIGINT now, SIGTERM 7.5 s later, SIGKILL 2.5 s after that (wall clock). */
function runnerCancel(control: Control): void {
  control.kill('SIGINT');
  timers.push(setTimeout(() => control.kill('SIGTERM'), 7_500));
  timers.push(setTimeout(() => control.kill('SIGKILL'), 10_000));
}

interface Through {
  scenario: Scenario;
  inputs: Record<string, string>;
  /** Which requests the proxy holds: (operation, its count so far, what the action has printed). */
  hold: (operation: string, count: number, stdout: string) => boolean;
  /** What the test does once the first request is held (default: cancel as the runner does). */
  whenHeld?: (control: Control, stdout: () => string) => Promise<void> | void;
  clock?: 'virtual' | 'scaled';
  options?: Partial<RunActionOptions>;
}

/** Runs the bundled action against the emulator through the holding proxy. */
async function deployThrough(t: Through): Promise<ActionRun> {
  const virtual = (t.clock ?? 'virtual') === 'virtual';
  emulator = await startEmulator({ scenario: t.scenario, clock: virtual ? 'virtual' : 'scaled' });
  let stdout = '';
  proxy = await startHoldingProxy(emulator.endpoint, (operation, count) => t.hold(operation, count, stdout));
  let control: Control | undefined;
  const held = proxy.firstHeld;
  void held.then(async () => {
    if (!control) return;
    if (t.whenHeld) await t.whenHeld(control, () => stdout);
    else runnerCancel(control);
  });
  run = await runAction({
    action: 'ecs-deploy-and-wait',
    inputs: { cluster: 'hokusai', service: 'hokusai-api', ...t.inputs },
    env: {
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
    ...(virtual ? { virtualClock: emulator.endpoint } : {}),
    timeoutMs: 110_000,
    onStdout: (chunk, c) => {
      stdout += chunk;
      control ??= c;
    },
    ...t.options,
  });
  return run;
}

/** Resolves once the action printed `pattern` (it has seen the signal), polling its output on the wall clock. */
async function printed(stdout: () => string, pattern: RegExp): Promise<void> {
  while (!pattern.test(stdout())) await new Promise((r) => setTimeout(r, 20));
}

const changes = (e: EmulatorHandle, operation: string) =>
  e
    .events()
    .filter((x) => x.type === 'api-call' && x.operation === operation && x.status === 'ok')
    .map((x) => String(x.taskDefinition ?? ''));
const errors = (r: ActionRun) => r.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe('cancelled as the runner cancels: every end is reported before SIGKILL', () => {
  test('a poll that never answers, then the job is cancelled: cancelled, the summary and the command to go back', async () => {
    const r = await deployThrough({
      scenario: scenario('healthy-rollout'),
      inputs: { image: `${REPO}:v2` },
      // DescribeServices 1 is the plan's, 2 the first poll's; the second poll's never answers.
      hold: (operation, count) => operation === 'DescribeServices' && count >= 3,
    });
    expect(r.signal).toBeNull();
    expect(r.exitCode).toBe(1);
    expect(r.outputs.result).toBe('cancelled');
    expect(r.outputs['failure-reason']).toMatch(/^cancelled while watching: deployment ecs-svc\/\d+/);
    expect(r.stdout).toContain(
      `the new revision is still deployed; to roll back by hand: aws ecs update-service --cluster hokusai --service hokusai-api --task-definition ${R108}`,
    );
    expect(r.summary).toContain('## ⏹️ ecs-deploy-and-wait: cancelled');
    expect(r.summary).toContain('| ended by | the watch step |');
    expect(r.summary).toContain(`--task-definition ${R108}`);
  });

  test('cancelled during the plan (a read that never answers): cancelled, nothing was changed', async () => {
    const r = await deployThrough({
      scenario: scenario('healthy-rollout'),
      inputs: { image: `${REPO}:v2` },
      hold: (operation) => operation === 'DescribeTaskDefinition',
    });
    expect(r.signal).toBeNull();
    expect(r.outputs.result).toBe('cancelled');
    expect(errors(r)).toEqual(['cancelled during the plan step: nothing was changed']);
    expect(r.stdout).toContain('ended by the plan step: cancelled; service: unchanged: nothing was changed');
    expect(r.summary).toContain('## ⏹️ ecs-deploy-and-wait: cancelled');
    expect(r.summary).toContain('| ended by | the plan step |');
    expect(r.summary).toContain('| service now | unchanged: nothing was changed |');
    expect(changes(emulator!, 'RegisterTaskDefinition')).toEqual([]);
    expect(changes(emulator!, 'UpdateService')).toEqual([]);
  });

  test('cancelled while the new revision is registered: it is, and the service is not updated', async () => {
    const r = await deployThrough({
      scenario: scenario('healthy-rollout'),
      inputs: { image: `${REPO}:v2` },
      hold: (operation) => operation === 'RegisterTaskDefinition',
      // The cancel arrives while RegisterTaskDefinition is in flight; its answer comes after it.
      whenHeld: async (control, stdout) => {
        runnerCancel(control);
        await printed(stdout, /received SIGINT/);
        proxy!.held[0]!.release();
      },
    });
    expect(r.outputs.result).toBe('cancelled');
    expect(errors(r)).toEqual([
      'cancelled during the start step: registered hokusai-api:109 (unused), the service was not changed',
    ]);
    expect(r.summary).toContain('| ended by | the start step |');
    expect(r.summary).toContain('hokusai-api:109 was registered and is unused');
    expect(changes(emulator!, 'RegisterTaskDefinition')).toHaveLength(1);
    expect(changes(emulator!, 'UpdateService')).toEqual([]);
  });

  test('cancelled while UpdateService is retried through HTTP 500s: cancelled, the service not changed', async () => {
    const s = scenario('healthy-rollout');
    s.faults = [{ operation: 'UpdateService', error: 'ServerError', calls: [1, 2, 3, 4, 5, 6] }];
    const r = await deployThrough({
      scenario: s,
      inputs: { image: `${REPO}:v2` },
      // The second attempt is in flight when the cancel comes; it fails (500) after it: no third attempt.
      hold: (operation, count) => operation === 'UpdateService' && count === 2,
      whenHeld: async (control, stdout) => {
        runnerCancel(control);
        await printed(stdout, /received SIGINT/);
        proxy!.held[0]!.release();
      },
    });
    expect(r.outputs.result).toBe('cancelled');
    expect(errors(r)).toEqual([
      'cancelled during the start step: registered hokusai-api:109 (unused), the service was not changed',
    ]);
    expect(r.summary).toContain('| ended by | the start step |');
    expect(proxy!.count('UpdateService')).toBe(2);
    expect(changes(emulator!, 'UpdateService')).toEqual([]);
  });

  test("cancelled while the new revision's tasks crash: the rollback is made before stopping, rolling-back", async () => {
    const r = await deployThrough({
      scenario: scenario('incident-crash-on-import'),
      // Crashes below max-failed-tasks: the verdict is not final yet when the cancel comes.
      inputs: { image: `${REPO}:broken-3f9c2e1`, 'max-failed-tasks': '10' },
      hold: (operation, _count, stdout) =>
        operation === 'DescribeServices' &&
        /task \S+ stopped: .*exit code 1/.test(stdout) &&
        proxy!.held.length === 0,
    });
    expect(r.signal).toBeNull();
    expect(r.outputs.result).toBe('rolling-back');
    expect(r.outputs['failure-reason']).toMatch(
      /^cancelled while watching: .*; hokusai-api:109 had already failed \d+ times? \(first: task [0-9a-f]{8}… exited with code 1.*\), so the rollback to hokusai-api:108 was made before stopping$/,
    );
    expect(changes(emulator!, 'UpdateService')).toEqual([expect.stringMatching(/hokusai-api:109$/), R108]);
    expect(r.stdout).toContain(
      'the rollback was made and ECS carries on with it; do not repeat it — to watch it: aws ecs wait services-stable --cluster hokusai --services hokusai-api',
    );
    expect(r.summary).toContain('## 🔄 ecs-deploy-and-wait: rolling-back (cancelled)');
  });
});

describe('an AWS call that never answers cannot hold the deploy past its time limit (wall clock)', () => {
  test('every DescribeServices stalls after the first poll: the watch and the rollback end at their time limits', async () => {
    const r = await deployThrough({
      scenario: scenario('healthy-rollout'),
      clock: 'scaled',
      inputs: { image: `${REPO}:v2`, timeout: '10s', 'poll-interval': '1s', 'stable-for': '2s' },
      hold: (operation, count) => operation === 'DescribeServices' && count >= 3,
      // Nothing to do when held: the action's own time limits end it. 10 s leaves the plan, the registration, the
      // UpdateService and the first poll (a few calls, well under a second on a busy machine) a wide margin.
      whenHeld: () => {},
    });
    expect(r.timedOut).toBe(false);
    expect(r.outputs.result).toBe('rolling-back');
    expect(r.outputs['failure-reason']).toMatch(
      /^timed out after \S+: DescribeServices got no answer before the time limit; last seen: deployment ecs-svc\/\d+ \(hokusai-api:109\)/,
    );
    // The rollback's UpdateService was made on the state the last poll saw; its watch stalled too.
    expect(changes(emulator!, 'UpdateService')).toEqual([expect.stringMatching(/hokusai-api:109$/), R108]);
    expect(r.stdout).toContain(
      'to watch it: aws ecs wait services-stable --cluster hokusai --services hokusai-api',
    );
    expect(r.summary).toContain('| ended by | the rollback step |');
  });
});
