// Issue 12, end to end: a container whose CloudWatch log lines and stopped reason are written to be executed by the
// runner (`::add-mask::hokusai`, `::stop-commands::…`, indented and legacy `##[…]` forms, embedded line breaks).
// The bundled action prints the crash log and the reason; no line it prints is a command the container made, and
// the summary keeps that text inside its code block and table cells.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { HOSTILE_LINES, injectedCommands, runAction, type ActionRun } from '@hokusai/action-harness';
import { loadScenario, startEmulator, SCENARIOS_DIR, type EmulatorHandle } from '@hokusai/ecs-emulator';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api';
const TIME_SCALE = 10;
const PASSWORD = 'Db-2b7e-s3cr3t';
let emulator: EmulatorHandle;
let run: ActionRun;

beforeAll(async () => {
  const scenario = loadScenario(`${SCENARIOS_DIR}/incident-crash-on-import.yaml`);
  const broken = scenario.images!.find((i) => i.match.includes('broken'))!;
  broken.logLines = [
    ...HOSTILE_LINES,
    `connecting to the database with password ${PASSWORD}`,
    `SyntaxError: invalid syntax ##[error]INJECTED-LAST (${PASSWORD})`,
  ];
  broken.exitReason = '::error::INJECTED-REASON ##[add-mask]hokusai\n::warning::INJECTED-REASON2';
  emulator = await startEmulator({ scenario, port: 0, timeScale: TIME_SCALE });
  run = await runAction({
    action: 'ecs-deploy-and-wait',
    inputs: {
      cluster: 'hokusai',
      service: 'hokusai-api',
      image: `${REPO}:broken-3f9c2e1`,
      'poll-interval': `${10_000 / TIME_SCALE}ms`,
      'stable-for': `${60 / TIME_SCALE}s`,
      timeout: '2m',
      environment: `DATABASE_URL=postgres://app:${PASSWORD}@db.internal/app`,
    },
    env: {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
    timeoutMs: 110_000,
  });
}, 130_000);
afterAll(async () => {
  await run?.cleanup();
  await emulator?.close();
});

describe('ecs-deploy-and-wait with hostile container logs', () => {
  test('the crash is caught and the hostile log tail is printed', () => {
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.stdout).toContain('INJECTED-1');
    expect(run.stdout).toContain('INJECTED-LAST');
  });
  test('no line of stdout or stderr is a command the container made', () => {
    expect(injectedCommands(run)).toEqual([]);
    expect(run.masks).not.toContain('hokusai');
    // Nothing stopped the runner's commands: the action's own error annotation still counts.
    expect(run.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
  });
  test('a password inside an environment value is masked, and redacted from outputs, summary and files', async () => {
    expect(run.masks).toContain(PASSWORD);
    expect(run.log).not.toContain(PASSWORD);
    expect(run.outputs['failure-reason']).toContain('***');
    expect(await run.secretLeaks(PASSWORD, { logAsShown: true })).toEqual([]);
  });

  test('the summary keeps the log inside its fences and cells', () => {
    const lines = run.summary.split('\n');
    let fence: string | undefined;
    for (const line of lines) {
      const opener = /^(`{3,})/.exec(line)?.[1];
      if (fence === undefined && opener) fence = opener;
      else if (fence !== undefined && line === fence) fence = undefined;
      else if (fence === undefined && line.startsWith('|')) expect(line.trimEnd().endsWith('|')).toBe(true);
      else if (fence === undefined) expect(line).not.toMatch(/^\s*(::|##\[)/);
    }
    expect(fence).toBeUndefined();
  });
});
