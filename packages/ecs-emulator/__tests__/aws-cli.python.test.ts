// The emulator driven by the AWS CLI (botocore, a client nobody here wrote) on the virtual clock: scenario files
// written against the documented schema produce what ECS-FACTS.md describes. The CLI is another process, so
// simulated time moves only when the test says so (POST /_emulator/clock) — nothing depends on the machine's speed.
// Tier: python (the AWS CLI runs on pyenv's CPython).
// The AWS CLI's JSON output is untyped: read it as such.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type EmulatorHandle } from '../src/index.js';

const run = promisify(execFile);
// Each AWS CLI call starts a Python process (about a second, several on a loaded machine): a test makes 10-25.
jest.setTimeout(300_000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-emulator-cli-'));
let emulator: EmulatorHandle | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** A scenario file as a user writes one: YAML, the documented fields, one service `api` in cluster `prod`. */
function scenarioFile(name: string, extra: { service?: string; top?: string; images?: string }): string {
  const yaml = `# ${name}: written for the AWS CLI test against scenario.schema.json
name: ${name}
startTime: '2026-05-01T12:00:00Z'
seed: 7
${extra.top ?? ''}
clusters:
  - name: prod
taskDefinitions:
  - family: api
    revision: 3
    containerDefinitions:
      - name: web
        image: registry.example/api:v3
        logConfiguration:
          logDriver: awslogs
          options: { awslogs-group: /ecs/api, awslogs-region: us-east-1, awslogs-stream-prefix: ecs }
services:
  - name: api
    cluster: prod
    taskDefinition: api:3
${extra.service ?? '    desiredCount: 2'}
images:
${extra.images ?? "  - { match: '*:v3', startSeconds: 5 }"}
defaultImage:
  startSeconds: 5
  logLines: ['booting', 'ready']
`;
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

/** Runs `aws --endpoint-url … <args>` and parses its JSON output; a failure resolves to its stderr. */
async function aws(args: string[]): Promise<{ ok: true; json: any } | { ok: false; stderr: string }> {
  try {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', emulator!.endpoint, '--region', 'us-east-1', '--output', 'json', ...args],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_PAGER: '',
          AWS_CONFIG_FILE: path.join(dir, 'no-config'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
        },
        timeout: 60_000,
      },
    );
    return { ok: true, json: stdout.trim() === '' ? {} : JSON.parse(stdout) };
  } catch (error) {
    return { ok: false, stderr: String((error as { stderr?: string }).stderr ?? error) };
  }
}

async function ok(args: string[]): Promise<any> {
  const out = await aws(args);
  if (!out.ok) throw new Error(`aws ${args.join(' ')} failed: ${out.stderr}`);
  return out.json;
}

/** Moves simulated time on, as another process would. */
async function advance(seconds: number): Promise<void> {
  const response = await fetch(`${emulator!.endpoint}/_emulator/clock`, {
    method: 'POST',
    body: JSON.stringify({ advanceBy: seconds * 1000 }),
  });
  expect(response.status).toBe(200);
}

async function describeService(): Promise<any> {
  return (await ok(['ecs', 'describe-services', '--cluster', 'prod', '--services', 'api'])).services[0];
}

/** Registers api with another image tag and points the service at it, as a deploy does. */
async function deploy(tag: string): Promise<string> {
  const td = (await ok(['ecs', 'describe-task-definition', '--task-definition', 'api'])).taskDefinition;
  const containers = td.containerDefinitions.map((c: { image: string }) => ({
    ...c,
    image: c.image.replace(/:[^:]+$/, `:${tag}`),
  }));
  const registered = await ok([
    'ecs',
    'register-task-definition',
    '--family',
    'api',
    '--container-definitions',
    JSON.stringify(containers),
  ]);
  const arn = registered.taskDefinition.taskDefinitionArn as string;
  await ok(['ecs', 'update-service', '--cluster', 'prod', '--service', 'api', '--task-definition', arn]);
  return arn;
}

/** Advances in steps of `step` seconds until `done` holds for the service, at most `max` seconds. */
async function until(done: (service: any) => boolean, max: number, step = 30): Promise<any> {
  for (let waited = 0; ; waited += step) {
    const service = await describeService();
    if (done(service)) return service;
    if (waited >= max) throw new Error(`not reached within ${max} simulated seconds`);
    await advance(step);
  }
}

const messages = (service: any): string[] =>
  service.events.map((e: { message: string }) => e.message).reverse();

describe('the AWS CLI against scenario files', () => {
  test('breaker rollback: the old deployment id is IN_PROGRESS again, the failed one leaves the list; ECS’s event texts', async () => {
    emulator = await startEmulator({
      clock: 'virtual',
      scenario: scenarioFile('breaker', {
        service: `    desiredCount: 2
    deploymentConfiguration:
      deploymentCircuitBreaker: { enable: true, rollback: true }`,
        images: `  - { match: '*:v3', startSeconds: 5 }
  - { match: '*:crash*', startSeconds: 5, exitAfterSeconds: 3, exitCode: 1 }`,
      }),
    });
    const before = await describeService();
    const completedId = before.deployments[0].id as string;
    await deploy('crash-1');
    const during = await describeService();
    const failingId = during.deployments.find((d: { status: string }) => d.status === 'PRIMARY').id as string;
    expect(failingId).not.toBe(completedId);
    const rolling = await until((s) => messages(s).some((m) => m.includes('rolling back')), 600, 5);
    expect(rolling.deployments.map((d: any) => [d.id, d.status, d.rolloutState])).toEqual([
      [completedId, 'PRIMARY', 'IN_PROGRESS'],
    ]);
    expect(rolling.deployments[0].rolloutStateReason).toBe(
      `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`,
    );
    expect(rolling.taskDefinition).toMatch(/:task-definition\/api:3$/);
    const done = await until((s) => s.deployments[0].rolloutState === 'COMPLETED', 600);
    const log = messages(done);
    const failed = log.indexOf(
      `(service api) (deployment ${failingId}) deployment failed: tasks failed to start.`,
    );
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(log[failed + 1]).toBe(`(service api) rolling back to deployment ${completedId}.`);
    expect(log).toContain(`(service api) (deployment ${completedId}) deployment completed.`);
    expect(log.at(-1)).toBe('(service api) has reached a steady state.');
    const list = await ok(['ecs', 'list-service-deployments', '--cluster', 'prod', '--service', 'api']);
    expect(list.serviceDeployments.map((d: { status: string }) => d.status)).toEqual([
      'ROLLBACK_SUCCESSFUL',
      'SUCCESSFUL',
    ]);
  });

  test('no health check, desired 1, crash 10 s after RUNNING: failedTasks reaches 3 and the breaker trips', async () => {
    emulator = await startEmulator({
      clock: 'virtual',
      scenario: scenarioFile('no-health-check', {
        service: `    desiredCount: 1
    deploymentConfiguration:
      deploymentCircuitBreaker: { enable: true, rollback: false }`,
        images: `  - { match: '*:v3', startSeconds: 5 }
  - { match: '*:crash*', startSeconds: 37, exitAfterSeconds: 10, exitCode: 3 }`,
      }),
    });
    await deploy('crash-1');
    const failed = await until(
      (s) => s.deployments.some((d: { rolloutState: string }) => d.rolloutState === 'FAILED'),
      900,
      60,
    );
    const deployment = failed.deployments.find((d: { status: string }) => d.status === 'PRIMARY');
    expect(deployment).toMatchObject({
      rolloutState: 'FAILED',
      failedTasks: 3,
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    const stopped = await ok(['ecs', 'list-tasks', '--cluster', 'prod', '--desired-status', 'STOPPED']);
    const tasks = (
      await ok(['ecs', 'describe-tasks', '--cluster', 'prod', '--tasks', ...stopped.taskArns])
    ).tasks.filter((t: { startedBy: string }) => t.startedBy === deployment.id);
    expect(tasks.map((t: { stopCode: string }) => t.stopCode)).toEqual([
      'EssentialContainerExited',
      'EssentialContainerExited',
      'EssentialContainerExited',
    ]);
    expect(tasks.every((t: { containers: { exitCode: number }[] }) => t.containers[0]!.exitCode === 3)).toBe(
      true,
    );
  });

  test('the throttle logic delays launches after start failures only', async () => {
    const throttled = (name: string, image: string) =>
      scenarioFile(name, {
        top: 'launchBackoff: { afterFailures: 2, initialSeconds: 60, maxSeconds: 1620 }',
        service: '    desiredCount: 1',
        images: `  - { match: '*:v3', startSeconds: 5 }
  - ${image}`,
      });
    const createdGaps = async (): Promise<number[]> => {
      const stopped = await ok(['ecs', 'list-tasks', '--cluster', 'prod', '--desired-status', 'STOPPED']);
      const described = await ok([
        'ecs',
        'describe-tasks',
        '--cluster',
        'prod',
        '--tasks',
        ...stopped.taskArns,
      ]);
      const created = described.tasks
        .filter((t: { taskDefinitionArn: string }) => !t.taskDefinitionArn.endsWith(':3'))
        .map((t: { createdAt: number }) => t.createdAt)
        .sort((a: number, b: number) => a - b);
      return created.slice(1).map((t: number, i: number) => t - created[i]);
    };

    emulator = await startEmulator({
      clock: 'virtual',
      scenario: throttled(
        'pull-failure',
        "{ match: '*:missing*', startSeconds: 20, failToStart: 'CannotPullContainerError: manifest unknown' }",
      ),
    });
    await deploy('missing-1');
    await advance(600);
    // 21 s per failed start, then 60 s, 120 s, 240 s between launches.
    expect((await createdGaps()).slice(0, 4)).toEqual([21, 60, 120, 240]);
    expect(messages(await describeService())).toContain(
      '(service api) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    await emulator.close();

    emulator = await startEmulator({
      clock: 'virtual',
      scenario: throttled('crash', "{ match: '*:crash*', startSeconds: 20, exitAfterSeconds: 1 }"),
    });
    await deploy('crash-1');
    await advance(600);
    const gaps = await createdGaps();
    expect(gaps.length).toBeGreaterThan(10);
    expect(Math.max(...gaps)).toBeLessThan(30); // never throttled
    expect(messages(await describeService()).some((m) => m.includes('unable to consistently'))).toBe(false);
  });

  test('thresholdConfiguration COUNT 1: the breaker trips at the first failed task', async () => {
    emulator = await startEmulator({
      clock: 'virtual',
      scenario: scenarioFile('count-1', {
        service: `    desiredCount: 4
    deploymentConfiguration:
      deploymentCircuitBreaker:
        enable: true
        rollback: true
        thresholdConfiguration: { type: COUNT, value: 1 }`,
        images: `  - { match: '*:v3', startSeconds: 5 }
  - { match: '*:crash*', startSeconds: 5, exitAfterSeconds: 30 }`,
      }),
    });
    const before = await describeService();
    // The CLI's botocore model (1.43) predates thresholdConfiguration and drops it from its output; the emulator
    // sends it (the SDK test in simulation.test.ts reads it).
    expect(before.deploymentConfiguration.deploymentCircuitBreaker).toMatchObject({
      enable: true,
      rollback: true,
    });
    await deploy('crash-1');
    const tripped = await until((s) => messages(s).some((m) => m.includes('deployment failed')), 120, 5);
    const { events } = (await (
      await fetch(`${emulator.endpoint}/_emulator/events?type=circuit-breaker`)
    ).json()) as {
      events: { failedTasks: number; threshold: number }[];
    };
    expect(events).toMatchObject([{ failedTasks: 1, threshold: 1 }]);
    expect(tripped.deployments[0].id).toBe(before.deployments[0].id);
  });

  test('a CODE_DEPLOY service refuses a task definition change with AWS’s error; a desired count change works', async () => {
    emulator = await startEmulator({
      clock: 'virtual',
      scenario: scenarioFile('code-deploy', {
        service: `    desiredCount: 2
    deploymentController: { type: CODE_DEPLOY }`,
      }),
    });
    expect((await describeService()).deploymentController).toEqual({ type: 'CODE_DEPLOY' });
    const td = (await ok(['ecs', 'describe-task-definition', '--task-definition', 'api:3'])).taskDefinition;
    const next = await ok([
      'ecs',
      'register-task-definition',
      '--family',
      'api',
      '--container-definitions',
      JSON.stringify(td.containerDefinitions),
    ]);
    const refused = await aws([
      'ecs',
      'update-service',
      '--cluster',
      'prod',
      '--service',
      'api',
      '--task-definition',
      next.taskDefinition.taskDefinitionArn,
    ]);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.stderr).toContain(
      'An error occurred (InvalidParameterException) when calling the UpdateService operation: Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    );
    const scaled = await ok([
      'ecs',
      'update-service',
      '--cluster',
      'prod',
      '--service',
      'api',
      '--desired-count',
      '3',
    ]);
    expect(scaled.service.desiredCount).toBe(3);
    expect(scaled.service.taskDefinition).toMatch(/api:3$/);
  });

  test('filter-log-events: unique event ids across streams logged at the same moment; searchedLogStreams empty', async () => {
    emulator = await startEmulator({ clock: 'virtual', scenario: scenarioFile('logs', {}) });
    await deploy('v4');
    await advance(120);
    const out = await ok(['logs', 'filter-log-events', '--log-group-name', '/ecs/api']);
    const events = out.events as { eventId: string; timestamp: number; logStreamName: string }[];
    expect(new Set(events.map((e) => e.logStreamName)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(events.map((e) => e.timestamp)).size).toBeLessThan(events.length);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(out.searchedLogStreams).toEqual([]);
  });

  test('deployment alarms: an alarm going into ALARM during the deployment fails it ("alarm detected") and rolls back', async () => {
    emulator = await startEmulator({
      clock: 'virtual',
      scenario: scenarioFile('alarms', {
        top: `cloudWatchAlarms:
  - name: api-5xx
    namespace: AWS/ApplicationELB
    metricName: HTTPCode_Target_5XX_Count
    period: 60
    evaluationPeriods: 1
    states:
      - { afterDeploymentSeconds: 90, image: '*:v4', state: ALARM, reason: 'Threshold Crossed: 5xx' }`,
        service: `    desiredCount: 2
    deploymentConfiguration:
      alarms: { alarmNames: [api-5xx], enable: true, rollback: true }`,
      }),
    });
    const completedId = (await describeService()).deployments[0].id as string;
    await deploy('v4');
    const failingId = (await describeService()).deployments[0].id as string;
    // The new tasks are healthy; the deployment bakes, then the alarm fires during it.
    await advance(60);
    expect((await describeService()).deployments[0]).toMatchObject({
      id: failingId,
      rolloutState: 'IN_PROGRESS',
    });
    const rolled = await until((s) => s.deployments[0].id === completedId, 120, 10);
    expect(rolled.deployments.map((d: any) => [d.id, d.status, d.rolloutState])).toEqual([
      [completedId, 'PRIMARY', 'IN_PROGRESS'],
    ]);
    const log = messages(rolled);
    expect(log).toContain(`(service api) (deployment ${failingId}) deployment failed: alarm detected.`);
    expect(log).toContain(`(service api) rolling back to deployment ${completedId}.`);
    const done = await until((s) => s.deployments[0].rolloutState === 'COMPLETED', 600);
    expect(done.taskDefinition).toMatch(/api:3$/);
    const [described] = (
      await ok([
        'ecs',
        'describe-service-deployments',
        '--service-deployment-arns',
        (await ok(['ecs', 'list-service-deployments', '--cluster', 'prod', '--service', 'api']))
          .serviceDeployments[0].serviceDeploymentArn,
      ])
    ).serviceDeployments;
    expect(described).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      alarms: { status: 'TRIGGERED', alarmNames: ['api-5xx'], triggeredAlarmNames: ['api-5xx'] },
    });
  });
});
