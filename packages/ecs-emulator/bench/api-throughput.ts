// Benchmark: API calls per second and latency of the emulator through the real SDK clients, a deployment watcher's
// call mix during a crash loop, against two baselines measured in the same run: a bare Node HTTP server answering a
// canned DescribeServices (the HTTP + SDK floor), and moto answering the same ECS calls.
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startMoto } from '@hokusai/action-harness';
import { SCENARIOS_DIR, startEmulator } from '../src/index.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 600);
const WARMUP = 50;

interface Result {
  name: string;
  calls: number;
  seconds: number;
  median: number;
  p95: number;
}

function config(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  };
}

async function measure(name: string, calls: (i: number) => Promise<unknown>): Promise<Result> {
  for (let i = 0; i < WARMUP; i++) await calls(i);
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await calls(i);
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    calls: CALLS,
    seconds,
    median: latencies[Math.floor(latencies.length / 2)]!,
    p95: latencies[Math.floor(latencies.length * 0.95)]!,
  };
}

async function benchEmulator(): Promise<Result> {
  const emulator = await startEmulator({
    scenario: path.join(SCENARIOS_DIR, 'incident-crash-on-import.yaml'),
    timeScale: 10,
  });
  const ecs = new ECSClient(config(emulator.endpoint));
  const logs = new CloudWatchLogsClient(config(emulator.endpoint));
  const elb = new ElasticLoadBalancingV2Client(config(emulator.endpoint));
  try {
    const { taskDefinition: td } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'hokusai-api:108' }),
    );
    const { taskDefinition: broken } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'hokusai-api',
        containerDefinitions: td!.containerDefinitions!.map((d) => ({
          ...d,
          image: d.image!.replace(/:[^:]+$/, ':broken-1'),
        })),
      }),
    );
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'hokusai',
        service: 'hokusai-api',
        taskDefinition: broken!.taskDefinitionArn,
      }),
    );
    await new Promise((r) => setTimeout(r, 3000)); // 30 simulated seconds: a few crashed tasks, logs, draining targets
    const tgArn = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups![0]!.TargetGroupArn!;
    let taskArns: string[] = [];
    let stream = '';
    return await measure(
      'emulator (watcher mix: DescribeServices, ListTasks, DescribeTasks, GetLogEvents, DescribeTargetHealth)',
      async (i) => {
        switch (i % 5) {
          case 0:
            return ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }));
          case 1: {
            const out = await ecs.send(
              new ListTasksCommand({
                cluster: 'hokusai',
                serviceName: 'hokusai-api',
                desiredStatus: 'STOPPED',
              }),
            );
            taskArns = (out.taskArns ?? []).slice(0, 10);
            return out;
          }
          case 2: {
            if (taskArns.length === 0)
              return ecs.send(new ListTasksCommand({ cluster: 'hokusai', serviceName: 'hokusai-api' }));
            const out = await ecs.send(new DescribeTasksCommand({ cluster: 'hokusai', tasks: taskArns }));
            stream = `hokusai/api/${out.tasks![0]!.taskArn!.split('/').pop()}`;
            return out;
          }
          case 3:
            if (!stream)
              return ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }));
            return logs.send(
              new GetLogEventsCommand({
                logGroupName: '/ecs/hokusai-api',
                logStreamName: stream,
                startFromHead: true,
              }),
            );
          default:
            return elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
        }
      },
    );
  } finally {
    ecs.destroy();
    logs.destroy();
    elb.destroy();
    await emulator.close();
  }
}

async function benchBareServer(): Promise<Result> {
  const body = JSON.stringify({
    services: [
      { serviceName: 'hokusai-api', status: 'ACTIVE', desiredCount: 2, runningCount: 2, deployments: [] },
    ],
    failures: [],
  });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const ecs = new ECSClient(config(`http://127.0.0.1:${port}`));
  try {
    return await measure('baseline: bare Node HTTP server, canned DescribeServices', () =>
      ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] })),
    );
  } finally {
    ecs.destroy();
    server.closeAllConnections();
    server.close();
  }
}

async function benchMoto(): Promise<Result> {
  const moto = await startMoto();
  const ecs = new ECSClient(config(moto.endpoint));
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: 'hokusai' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'hokusai-api',
        containerDefinitions: [{ name: 'api', image: 'repo/hokusai-api:good', memory: 512 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'hokusai',
        serviceName: 'hokusai-api',
        taskDefinition: 'hokusai-api',
        desiredCount: 2,
      }),
    );
    return await measure('baseline: moto (DescribeServices, ListTasks)', (i) =>
      i % 2 === 0
        ? ecs.send(new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }))
        : ecs.send(new ListTasksCommand({ cluster: 'hokusai', serviceName: 'hokusai-api' })),
    );
  } finally {
    ecs.destroy();
    await moto.stop();
  }
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const bare = await benchBareServer();
const emulator = await benchEmulator();
const moto = await benchMoto();
console.log(`ecs-emulator benchmark: ${CALLS} sequential SDK calls each, after ${WARMUP} warm-up calls`);
console.log('| run | calls/s | median ms | p95 ms |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of [emulator, bare, moto])
  console.log(`| ${r.name} | ${fmt(r.calls / r.seconds, 0)} | ${fmt(r.median)} | ${fmt(r.p95)} |`);
console.log(
  `emulator median latency: ${fmt(emulator.median / bare.median)}x of the bare HTTP server, ${fmt(emulator.median / moto.median)}x of moto; ` +
    `throughput ${fmt(emulator.calls / emulator.seconds / (bare.calls / bare.seconds))}x of the bare server, ${fmt(emulator.calls / emulator.seconds / (moto.calls / moto.seconds))}x of moto`,
);
const ok = emulator.calls / emulator.seconds >= 50 && emulator.median < 5;
console.log(`target (>= 50 calls/s, median < 5 ms): ${ok ? 'met' : 'NOT met'}`);
if (!ok) process.exitCode = 1;
