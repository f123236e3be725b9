// Issue 14, the alarm-aware deploy: the bundled action on the emulator's virtual clock (the action.yml's 10 s polls and
// 15 m timeout), with CloudWatch alarms whose states the scenario changes over simulated time. Fixtures (not shipped
// with the emulator): alarm-5xx.yaml (alarms only the action watches), deployment-alarms.yaml (ECS's own
// deploymentConfiguration.alarms with rollback).
import { afterEach, describe, expect, test } from '@jest/globals';
import { deployVirtual, FIXTURES, REPO, scenario, type VirtualDeploy } from './virtual-deploy.js';

let deploy: VirtualDeploy | undefined;
afterEach(async () => {
  await deploy?.close();
  deploy = undefined;
});

const FIVE_XX_REASON =
  'Threshold Crossed: 1 out of the last 1 datapoints [42.0 (01/01/26 09:02:00)] was greater than the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).';
const errors = (d: VirtualDeploy) =>
  d.run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const warnings = (d: VirtualDeploy) =>
  d.run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
const alarmSet = (d: VirtualDeploy, name: string) =>
  d.emulator
    .events()
    .find((e) => e.type === 'alarm-state' && e.alarmName === name && e.state === 'ALARM' && !e.configuration);
const describeAlarmsCalls = (d: VirtualDeploy) =>
  d.emulator.events().filter((e) => e.type === 'api-call' && e.operation === 'DescribeAlarms');
const changes = (d: VirtualDeploy) =>
  d.emulator
    .events()
    .filter(
      (e) =>
        e.type === 'api-call' &&
        (e.operation === 'RegisterTaskDefinition' || e.operation === 'UpdateService'),
    );

describe('alarms the action watches (input "alarms")', () => {
  test('the 5xx alarm going into ALARM during stable-for: rolled-back, the alarm and its reason named', async () => {
    deploy = await deployVirtual(scenario(`${FIXTURES}alarm-5xx.yaml`), {
      image: `${REPO}:errors-1`,
      alarms: 'hokusai-api-5xx\nhokusai-api-latency',
      'stable-for': '3m',
    });
    const { run } = deploy;
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['failure-reason']).toBe(`alarm hokusai-api-5xx went into ALARM: ${FIVE_XX_REASON}`);
    expect(errors(deploy)).toEqual([
      `deployment rolled-back (rollback step): alarm hokusai-api-5xx went into ALARM: ${FIVE_XX_REASON}`,
    ]);
    expect(run.log).toMatch(/verdict: failed \(alarm\) — alarm hokusai-api-5xx went into ALARM: Threshold/);

    // During stable-for: the rollout was complete before the alarm changed, and it was seen within one read.
    const completeAt = run.log.indexOf('rollout complete, watching for 3m');
    const alarmAt = run.log.indexOf('alarm hokusai-api-5xx: OK → ALARM: Threshold Crossed');
    expect(completeAt).toBeGreaterThan(-1);
    expect(alarmAt).toBeGreaterThan(completeAt);
    const [ours, rollback] = deploy.updates();
    expect(ours!.taskDefinition).toMatch(/hokusai-api:109$/);
    expect(rollback!.taskDefinition).toMatch(/hokusai-api:108$/);
    const setOff = Date.parse(alarmSet(deploy, 'hokusai-api-5xx')!.time);
    // Simulated time: read every other 10 s poll, so the rollback's UpdateService within two polls of the change
    // (in the same simulated instant when a read falls on it: the virtual clock stands still while the action works).
    expect(rollback!.time - setOff).toBeLessThanOrEqual(20_000);
    expect(rollback!.time).toBeGreaterThanOrEqual(setOff);
    expect(await deploy.primaryTaskDefinition()).toMatch(/hokusai-api:108$/);

    // The summary: why, the alarm table (reason escaped), the transition on the timeline, a console link.
    expect(run.summary).toContain(
      '| why | alarm hokusai-api-5xx went into ALARM: Threshold Crossed: 1 out of the last 1 datapoints \\[42.0 (01/01/26 09:02:00)\\] was greater than the threshold (1.0) (minimum 1 datapoint for OK -&gt; ALARM transition). |',
    );
    expect(run.summary).toContain('### CloudWatch alarms (input `alarms`)');
    expect(run.summary).toMatch(
      /\| hokusai-api-5xx \| OK \| ALARM \| went into ALARM: failed the deploy \| Threshold Crossed/,
    );
    expect(run.summary).toMatch(
      /\| hokusai-api-latency \| ALARM \| ALARM \| already in ALARM at the start: ignored, as ECS does \|/,
    );
    expect(run.summary).toMatch(/\+2m\d*\.?\d*s : alarm hokusai-api-5xx OK → ALARM/);
    expect(run.summary).toContain(
      '(https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/hokusai-api-5xx)',
    );
  });

  test('an alarm already in ALARM at the start does not fail a healthy deploy, and is reported', async () => {
    deploy = await deployVirtual(scenario(`${FIXTURES}alarm-5xx.yaml`), {
      image: `${REPO}:v2`,
      alarms: 'hokusai-api-latency\nhokusai-api-5xx',
    });
    const { run } = deploy;
    expect(run.outputs.result).toBe('succeeded');
    expect(run.exitCode).toBe(0);
    expect(deploy.updates()).toHaveLength(1);
    expect(run.log).toContain(
      'watching CloudWatch alarms (input "alarms"): hokusai-api-latency ALARM, hokusai-api-5xx OK',
    );
    expect(warnings(deploy)).toContainEqual(
      expect.stringMatching(
        /^alarm hokusai-api-latency was already in ALARM when the deploy started \(Threshold Crossed: .*\): ignored, as ECS ignores an alarm already in ALARM when a deployment starts/,
      ),
    );
    expect(run.summary).toMatch(/\| ⚠️ warning \| alarm hokusai-api-latency was already in ALARM/);
    expect(run.summary).toMatch(
      /\| hokusai-api-latency \| ALARM \| ALARM \| already in ALARM at the start: ignored, as ECS does \|/,
    );
    // Read during the rollout and stable-for, not only at the start.
    expect(describeAlarmsCalls(deploy).length).toBeGreaterThan(3);
  });
});

describe("ECS's deployment alarms (deploymentConfiguration.alarms)", () => {
  test("ECS's own rollback on an alarm is reported as ECS's, naming the alarm; no second rollback", async () => {
    deploy = await deployVirtual(scenario(`${FIXTURES}deployment-alarms.yaml`), {
      image: `${REPO}:errors-1`,
    });
    const { run } = deploy;
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['failure-reason']).toMatch(
      /^ECS deployment alarms rolled back to hokusai-api:108 \(deployment ecs-svc\/\d+\): alarm hokusai-api-5xx went into ALARM: Threshold Crossed: 1 out of the last 1 datapoints \[17\.0/,
    );
    expect(run.log).toMatch(/verdict: rolled-back-by-circuit-breaker \(breaker-rolled-back\)/);
    expect(run.log).toContain('event: (service hokusai-api) (deployment');
    expect(run.log).toMatch(/deployment failed: alarm detected\./);
    // Only our UpdateService: ECS's rollback was watched, not repeated.
    expect(deploy.updates()).toHaveLength(1);
    expect(deploy.emulator.events().filter((e) => e.type === 'deployment-alarm')).toHaveLength(1);
    expect(await deploy.primaryTaskDefinition()).toMatch(/hokusai-api:108$/);
    expect(run.summary).toContain('| ECS deployment alarms | hokusai-api-5xx (rollback on) |');
    expect(run.summary).toMatch(
      /\| hokusai-api-5xx \| OK \| ALARM \| went into ALARM: ECS rolled the deployment back \|/,
    );
    expect(run.summary).toMatch(/ : alarm hokusai-api-5xx OK → ALARM/);
  });

  test("an alarm the action does not watch: the alarm of ECS's rollback is looked up and named", async () => {
    deploy = await deployVirtual(scenario(`${FIXTURES}deployment-alarms.yaml`), {
      image: `${REPO}:errors-1`,
      alarms: 'hokusai-api-other',
    });
    const { run } = deploy;
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['failure-reason']).toMatch(
      /^ECS deployment alarms rolled back to hokusai-api:108 \(deployment ecs-svc\/\d+\): alarm hokusai-api-5xx went into ALARM: Threshold Crossed/,
    );
    expect(deploy.updates()).toHaveLength(1);
    expect(run.summary).toMatch(/ : alarm hokusai-api-5xx → ALARM/);
    expect(run.summary).toContain('#alarmsV2:alarm/hokusai-api-5xx)');
  });

  test('the default "alarms" is the service\'s deployment alarms: ECS fails without rolling back, the action rolls back', async () => {
    const s = scenario(`${FIXTURES}deployment-alarms.yaml`);
    s.services![0]!.deploymentConfiguration!.alarms!.rollback = false;
    deploy = await deployVirtual(s, { image: `${REPO}:errors-1` });
    const { run } = deploy;
    expect(run.log).toContain(
      "watching CloudWatch alarms (the service's deployment alarms): hokusai-api-5xx OK",
    );
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['failure-reason']).toMatch(
      /^alarm hokusai-api-5xx went into ALARM: Threshold Crossed/,
    );
    expect(run.log).toMatch(/verdict: failed \(alarm\)/);
    const [, rollback] = deploy.updates();
    expect(rollback!.taskDefinition).toMatch(/hokusai-api:108$/);
    expect(run.summary).toContain("### CloudWatch alarms (the service's deployment alarms)");
    expect(run.summary).toContain('| ECS deployment alarms | hokusai-api-5xx (rollback off) |');
  });

  test('a healthy deploy with deployment alarms succeeds once ECS has baked it', async () => {
    deploy = await deployVirtual(scenario(`${FIXTURES}deployment-alarms.yaml`), { image: `${REPO}:v2` });
    expect(deploy.run.outputs.result).toBe('succeeded');
    expect(describeAlarmsCalls(deploy).length).toBeGreaterThan(3);
  });
});

describe('bad alarm inputs change nothing', () => {
  test('an alarm that does not exist: one line before any change', async () => {
    deploy = await deployVirtual(scenario(`${FIXTURES}alarm-5xx.yaml`), {
      image: `${REPO}:v2`,
      alarms: 'hokusai-api-5xx\nhokusai-api-5xxx',
    });
    expect(deploy.run.outputs.result).toBe('refused');
    expect(errors(deploy)).toEqual([
      'alarm "hokusai-api-5xxx" (input "alarms") does not exist in CloudWatch; nothing was changed',
    ]);
    expect(changes(deploy)).toEqual([]);
  });

  test('no permission to read alarms: one line naming cloudwatch:DescribeAlarms, before any change', async () => {
    const s = scenario(`${FIXTURES}deployment-alarms.yaml`);
    s.faults = [
      {
        operation: 'DescribeAlarms',
        error: 'AccessDenied',
        message:
          'User: arn:aws:sts::123456789012:assumed-role/hokusai-deploy/gh is not authorized to perform: cloudwatch:DescribeAlarms',
        rate: 1,
      },
    ];
    deploy = await deployVirtual(s, { image: `${REPO}:v2` });
    expect(deploy.run.outputs.result).toBe('refused');
    expect(errors(deploy)).toEqual([
      "access denied while reading the CloudWatch alarms the deploy watches (the service's deployment alarms; needs cloudwatch:DescribeAlarms): User: arn:aws:sts::123456789012:assumed-role/hokusai-deploy/gh is not authorized to perform: cloudwatch:DescribeAlarms",
    ]);
    expect(changes(deploy)).toEqual([]);
  });

  test('alarms: none, the escape hatch for that role: deploys without reading an alarm, and says so in one warning', async () => {
    const s = scenario(`${FIXTURES}deployment-alarms.yaml`);
    s.faults = [{ operation: 'DescribeAlarms', error: 'AccessDenied', message: 'not authorized', rate: 1 }];
    deploy = await deployVirtual(s, { image: `${REPO}:v2`, alarms: 'none' });
    expect(deploy.run.outputs.result).toBe('succeeded');
    expect(describeAlarmsCalls(deploy)).toEqual([]);
    expect(warnings(deploy)).toEqual([
      'alarms: none — this deploy watches no CloudWatch alarms (not the service\'s deployment alarms "hokusai-api-5xx": ECS itself still rolls back on them)',
    ]);
  });
});
