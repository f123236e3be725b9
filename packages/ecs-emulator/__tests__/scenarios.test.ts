// Every shipped scenario driven through the real AWS SDK v3 clients against the emulator's HTTP server, on the
// virtual clock (time moves only while a test waits, so nothing depends on the machine's speed): the state
// sequences ECS documents (crash-loop replacement, the circuit breaker tripping at its threshold and rolling back,
// the steady-state event, log lines where the task definition says).
import { afterEach, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  ServiceNotActiveException,
  UpdateServiceCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { SCENARIOS_DIR, startEmulator, type EmulatorHandle } from '../src/index.js';
import { clientsFor, destroyClients, errorOf, waitSimulated, type Clients } from './sdk-clients.js';

const CLUSTER = 'hokusai';
const SERVICE = 'hokusai-api';
let running: { emulator: EmulatorHandle; clients: Clients }[] = [];

afterEach(async () => {
  for (const { emulator, clients } of running) {
    destroyClients(clients);
    await emulator.close();
  }
  running = [];
});

/** The scenario on the virtual clock: simulated time moves only while a test waits (waitFor below). */
async function start(file: string, maxAttempts = 1): Promise<{ emulator: EmulatorHandle } & Clients> {
  const emulator = await startEmulator({ scenario: path.join(SCENARIOS_DIR, file), clock: 'virtual' });
  const clients = clientsFor(emulator.endpoint, maxAttempts);
  running.push({ emulator, clients });
  return { emulator, ...clients };
}

/** What a deploy action does: register hokusai-api with a new image tag, UpdateService to it. */
async function deploy(c: Clients, tag: string): Promise<string> {
  const { taskDefinition: current } = await c.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: 'hokusai-api' }),
  );
  const containers = current!.containerDefinitions!.map((d) => ({
    ...d,
    image: d.image!.replace(/:[^:]+$/, `:${tag}`),
  }));
  const { taskDefinition } = await c.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: current!.family!,
      containerDefinitions: containers,
      cpu: current!.cpu,
      memory: current!.memory,
      networkMode: current!.networkMode,
      requiresCompatibilities: current!.requiresCompatibilities,
      executionRoleArn: current!.executionRoleArn,
    }),
  );
  await c.ecs.send(
    new UpdateServiceCommand({
      cluster: CLUSTER,
      service: SERVICE,
      taskDefinition: taskDefinition!.taskDefinitionArn,
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

async function service(c: Clients): Promise<Service> {
  const out = await c.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
  return out.services![0]!;
}

async function tasks(c: Clients, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const { taskArns } = await c.ecs.send(
    new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus }),
  );
  if (!taskArns || taskArns.length === 0) return [];
  const out = await c.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns }));
  return out.tasks!;
}

const messages = (s: Service): string[] => (s.events ?? []).map((e) => e.message!);

describe('healthy-rollout.yaml', () => {
  test('new deployment IN_PROGRESS -> COMPLETED, old one gone, steady-state event, tasks on the new revision', async () => {
    const c = await start('healthy-rollout.yaml');
    const arn = await deploy(c, 'v2');
    expect(arn).toMatch(/:task-definition\/hokusai-api:109$/);
    const first = await service(c);
    expect(first.deployments!.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    const done = await waitSimulated(c.emulator, 'the rollout to complete', async () => {
      const s = await service(c);
      return s.deployments!.length === 1 && s.deployments![0]!.rolloutState === 'COMPLETED' ? s : undefined;
    });
    expect(done.deployments![0]).toMatchObject({
      taskDefinition: arn,
      runningCount: 2,
      desiredCount: 2,
      failedTasks: 0,
    });
    expect(done.deployments![0]!.rolloutStateReason).toBe(
      `ECS deployment ${done.deployments![0]!.id} completed.`,
    );
    expect(messages(done)[0]).toBe('(service hokusai-api) has reached a steady state.');
    expect(messages(done)[1]).toBe(
      `(service hokusai-api) (deployment ${done.deployments![0]!.id}) deployment completed.`,
    );
    const running = await tasks(c, 'RUNNING');
    expect(running.map((t) => [t.taskDefinitionArn, t.lastStatus])).toEqual([
      [arn, 'RUNNING'],
      [arn, 'RUNNING'],
    ]);
    const tg = (await c.elb.send(new DescribeTargetGroupsCommand({ Names: ['hokusai-api'] })))
      .TargetGroups![0]!;
    const health = await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }));
    const ips = running.map(
      (t) => t.attachments![0]!.details!.find((d) => d.name === 'privateIPv4Address')!.value,
    );
    const healthyIds = health
      .TargetHealthDescriptions!.filter((d) => d.TargetHealth!.State === 'healthy')
      .map((d) => d.Target!.Id);
    expect(healthyIds.sort()).toEqual(ips.sort());
    // The event log has the UpdateService call with its task definition, and the deployment states.
    const response = await fetch(`${c.emulator.endpoint}/_emulator/events`);
    const { events } = (await response.json()) as { events: Record<string, unknown>[] };
    expect(events.find((e) => e.type === 'api-call' && e.operation === 'UpdateService')).toMatchObject({
      taskDefinition: arn,
      status: 'ok',
    });
    expect(
      events
        .filter((e) => e.type === 'deployment-state' && e.id === done.deployments![0]!.id)
        .map((e) => e.rolloutState),
    ).toEqual(['IN_PROGRESS', 'COMPLETED']);
    for (const e of events) expect(Number.isNaN(Date.parse(e.time as string))).toBe(false);
  });
});

describe('incident-crash-on-import.yaml', () => {
  test('crash loop: tasks exit 1 and are replaced, the deployment stays IN_PROGRESS, the traceback is in the task stream', async () => {
    const c = await start('incident-crash-on-import.yaml');
    const before = await service(c);
    expect(before.taskDefinition).toMatch(/hokusai-api:108$/);
    expect(before.deploymentConfiguration!.deploymentCircuitBreaker).toEqual({
      enable: false,
      rollback: false,
    });
    await deploy(c, 'broken-3f9c2e1');
    const looping = await waitSimulated(c.emulator, '4 failed tasks', async () => {
      const s = await service(c);
      return s.deployments![0]!.failedTasks! >= 4 ? s : undefined;
    });
    expect(looping.deployments!.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    expect(looping.deployments![1]!.runningCount).toBe(2);
    expect(
      messages(looping).filter((m) =>
        /^\(service hokusai-api\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/.test(m),
      ).length,
    ).toBeGreaterThanOrEqual(2);
    const stopped = await tasks(c, 'STOPPED');
    const crashed = stopped.filter((t) => t.stopCode === 'EssentialContainerExited');
    expect(crashed.length).toBeGreaterThanOrEqual(4);
    const one = crashed.find((t) => t.lastStatus === 'STOPPED')!;
    expect(one).toMatchObject({
      desiredStatus: 'STOPPED',
      stoppedReason: 'Essential container in task exited',
    });
    expect(one.containers![0]).toMatchObject({ name: 'api', exitCode: 1, lastStatus: 'STOPPED' });
    expect(one.containers![0]!.image).toMatch(/hokusai-api:broken-3f9c2e1$/);
    expect(one.stoppedAt!.getTime()).toBeGreaterThan(one.startedAt!.getTime());
    // Where the task definition says: awslogs-group /ecs/hokusai-api, stream <prefix>/<container>/<task id>.
    const taskId = one.taskArn!.split('/').pop()!;
    const { events } = await c.logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/hokusai-api',
        logStreamName: `hokusai/api/${taskId}`,
        startFromHead: true,
      }),
    );
    const lines = events!.map((e) => e.message);
    expect(lines).toContain('SyntaxError: invalid syntax');
    expect(lines).toContain('  File "/app/src/services/model_registry.py", line 26');
    expect(events![0]!.timestamp).toBe(one.startedAt!.getTime());
    const filtered = await c.logs.send(
      new FilterLogEventsCommand({ logGroupName: '/ecs/hokusai-api', filterPattern: '"SyntaxError"' }),
    );
    expect(new Set(filtered.events!.map((e) => e.logStreamName)).size).toBeGreaterThanOrEqual(4);
    const streams = await c.logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: '/ecs/hokusai-api',
        logStreamNamePrefix: 'hokusai/api/',
      }),
    );
    expect(streams.logStreams!.map((s) => s.logStreamName)).toContain(`hokusai/api/${taskId}`);
  });
});

describe('circuit-breaker-rollback.yaml', () => {
  test('the breaker trips at exactly 3 failed tasks and rolls back to hokusai-api:108, which reaches a steady state', async () => {
    const c = await start('circuit-breaker-rollback.yaml');
    const before = await service(c);
    const completedId = before.deployments![0]!.id!;
    await deploy(c, 'broken-1');
    const rolledBack = await waitSimulated(c.emulator, 'the rollback to complete', async () => {
      const s = await service(c);
      return s.deployments!.length === 1 &&
        s.deployments![0]!.rolloutState === 'COMPLETED' &&
        s.taskDefinition!.endsWith(':108')
        ? s
        : undefined;
    });
    const log = messages(rolledBack).reverse();
    const failedLine = log.findIndex((m) =>
      /^\(service hokusai-api\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/.test(
        m,
      ),
    );
    const rollingLine = log.indexOf(`(service hokusai-api) rolling back to deployment ${completedId}.`);
    expect(failedLine).toBeGreaterThanOrEqual(0);
    expect(rollingLine).toBeGreaterThan(failedLine);
    expect(log[log.length - 1]).toBe('(service hokusai-api) has reached a steady state.');
    const { events } = (await (await fetch(`${c.emulator.endpoint}/_emulator/events`)).json()) as {
      events: Record<string, unknown>[];
    };
    const breaker = events.filter((e) => e.type === 'circuit-breaker');
    expect(breaker).toHaveLength(1);
    expect(breaker[0]).toMatchObject({
      failedTasks: 3,
      threshold: 3,
      rollback: true,
      rollbackTo: completedId,
    });
    const failures = events.filter(
      (e) =>
        e.type === 'task-state' &&
        e.stopCode === 'EssentialContainerExited' &&
        e.lastStatus === 'DEACTIVATING',
    );
    expect(failures.length).toBe(3);
    expect(Date.parse(breaker[0]!.time as string)).toBe(Date.parse(failures[2]!.time as string));
    expect((await tasks(c, 'RUNNING')).map((t) => t.taskDefinitionArn!.split(':').pop())).toEqual([
      '108',
      '108',
    ]);
  });
});

describe('elb-health-failure.yaml', () => {
  test('the target goes unhealthy and the task is stopped with "Task failed ELB health checks in (target-group ...)"', async () => {
    const c = await start('elb-health-failure.yaml');
    const tg = (await c.elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups![0]!;
    expect(tg).toMatchObject({
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      HealthCheckPath: '/health',
    });
    await deploy(c, 'unhealthy-1');
    const unhealthy = await waitSimulated(c.emulator, 'an unhealthy target', async () => {
      const out = await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }));
      return out.TargetHealthDescriptions!.find((d) => d.TargetHealth!.State === 'unhealthy');
    });
    expect(unhealthy.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [502]',
    });
    const killed = await waitSimulated(c.emulator, 'a task stopped by ELB health checks', async () =>
      (await tasks(c, 'STOPPED')).find((t) => t.stoppedReason?.startsWith('Task failed ELB health checks')),
    );
    expect(killed.stoppedReason).toBe(`Task failed ELB health checks in (target-group ${tg.TargetGroupArn})`);
    expect(killed.stopCode).toBe('ServiceSchedulerInitiated');
  });
});

describe('slow-start-grace-period.yaml', () => {
  test('unhealthy for 60 s inside a 120 s grace period: the rollout completes, no task is killed', async () => {
    const c = await start('slow-start-grace-period.yaml');
    await deploy(c, 'slow-1');
    const done = await waitSimulated(c.emulator, 'the rollout to complete', async () => {
      const s = await service(c);
      return s.deployments!.length === 1 && s.deployments![0]!.rolloutState === 'COMPLETED' ? s : undefined;
    });
    expect(done.deployments![0]!.failedTasks).toBe(0);
    expect((await tasks(c, 'STOPPED')).filter((t) => t.stoppedReason?.includes('ELB'))).toEqual([]);
    const running = await tasks(c, 'RUNNING');
    const { events } = await c.logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/hokusai-api',
        logStreamName: `hokusai/api/${running[0]!.taskArn!.split('/').pop()}`,
        startFromHead: true,
      }),
    );
    const loaded = events!.find((e) => e.message === '[INFO] Model weights loaded in 55.0s')!;
    expect(loaded.timestamp! - running[0]!.startedAt!.getTime()).toBeGreaterThanOrEqual(55_000);
  });
});

describe('task-dies-after-90s.yaml', () => {
  test('a task exits with 137 about 90 s after it started and is replaced', async () => {
    const c = await start('task-dies-after-90s.yaml');
    await deploy(c, 'leaky-1');
    const dead = await waitSimulated(c.emulator, 'a task that died', async () =>
      (await tasks(c, 'STOPPED')).find((t) => t.stopCode === 'EssentialContainerExited'),
    );
    expect(dead.containers![0]).toMatchObject({
      exitCode: 137,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
    });
    expect(Math.round((dead.stoppingAt!.getTime() - dead.startedAt!.getTime()) / 1000)).toBe(90);
    await waitSimulated(c.emulator, '2 healthy tasks again', async () => {
      const s = await service(c);
      return s.runningCount === 2 && messages(s)[0] === '(service hokusai-api) has reached a steady state.'
        ? s
        : undefined;
    });
  });
});

describe('throttling-30pct.yaml', () => {
  test('about 30% of DescribeServices calls raise ThrottlingException; SDK retries get through', async () => {
    const c = await start('throttling-30pct.yaml');
    let throttled = 0;
    for (let i = 0; i < 100; i++) {
      try {
        await c.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
      } catch (error) {
        expect((error as Error).name).toBe('ThrottlingException');
        expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
        throttled++;
      }
    }
    expect(throttled).toBeGreaterThanOrEqual(15);
    expect(throttled).toBeLessThanOrEqual(45);
    const retrying = clientsFor(c.emulator.endpoint, 8);
    try {
      for (let i = 0; i < 10; i++)
        await retrying.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    } finally {
      destroyClients(retrying);
    }
  });
});

describe('service-deleted-mid-deploy.yaml', () => {
  test('deleted at t=30 s: DRAINING, then INACTIVE; UpdateService raises ServiceNotActiveException', async () => {
    // On the virtual clock the deploy (three calls) lands at t = 0, before the deletion at t = 30 s.
    const c = await start('service-deleted-mid-deploy.yaml');
    await deploy(c, 'v2');
    const draining = await waitSimulated(c.emulator, 'the service to be deleted', async () => {
      const s = await service(c);
      return s.status !== 'ACTIVE' ? s : undefined;
    });
    expect(['DRAINING', 'INACTIVE']).toContain(draining.status);
    const inactive = await waitSimulated(c.emulator, 'INACTIVE', async () => {
      const s = await service(c);
      return s.status === 'INACTIVE' ? s : undefined;
    });
    expect(inactive.desiredCount).toBe(0);
    const error = await errorOf(
      c.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 2 })),
    );
    expect(error).toBeInstanceOf(ServiceNotActiveException);
    expect(error.message).toBe('Service was not ACTIVE.');
  });
});

describe('service deployments API (circuit-breaker-rollback.yaml)', () => {
  test('the failed deployment is ROLLBACK_SUCCESSFUL with its rollback to hokusai-api:108; the one before SUCCESSFUL', async () => {
    const c = await start('circuit-breaker-rollback.yaml');
    const broken = await deploy(c, 'broken-1');
    await waitSimulated(c.emulator, 'the rollback to complete', async () => {
      const s = await service(c);
      return s.deployments!.length === 1 &&
        s.deployments![0]!.rolloutState === 'COMPLETED' &&
        s.taskDefinition!.endsWith(':108')
        ? s
        : undefined;
    });
    const {
      ListServiceDeploymentsCommand,
      DescribeServiceDeploymentsCommand,
      DescribeServiceRevisionsCommand,
    } = await import('@aws-sdk/client-ecs');
    const list = await c.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }));
    expect(list.serviceDeployments!.map((d) => d.status)).toEqual(['ROLLBACK_SUCCESSFUL', 'SUCCESSFUL']);
    const [failed] = (
      await c.ecs.send(
        new DescribeServiceDeploymentsCommand({
          serviceDeploymentArns: [list.serviceDeployments![0]!.serviceDeploymentArn!],
        }),
      )
    ).serviceDeployments!;
    expect(failed!.rollback!.reason).toMatch(
      /^ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d+\.$/,
    );
    expect(failed!.deploymentCircuitBreaker).toMatchObject({
      status: 'TRIGGERED',
      failureCount: 3,
      threshold: 3,
    });
    const revisions = await c.ecs.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [failed!.targetServiceRevision!.arn!, failed!.rollback!.serviceRevisionArn!],
      }),
    );
    expect(revisions.serviceRevisions!.map((r) => r.taskDefinition)).toEqual([
      broken,
      expect.stringMatching(/hokusai-api:108$/),
    ]);
  });
});
