// Benchmark: the load check (probe core + undici client, with status and JSON checks per request) against a bare
// undici request loop and a Node fetch loop at the same concurrency, on the same local server, in the same run.
// Prints throughput ratios; asserts nothing. BENCH_REQUESTS / BENCH_ROUNDS / BENCH_CONCURRENCY tune it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { silentLogger } from '@hokusai/action-kit';
import { createHttpClient } from '../src/http-client.js';
import { parseJsonAssertion } from '../src/json-assertion.js';
import { probeEndpoints } from '../src/probe.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);

// The server runs in its own process so it does not share the event loop with the client being measured.
const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ status: 'ok', experiments: [{ experiment_id: '0', name: 'Default' }], count: 1 });
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { origin: `http://127.0.0.1:${chunk.toString().trim()}`, stop: () => child.kill('SIGTERM') };
}

async function pool(n: number, concurrency: number, one: () => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function probeLoad(url: string): Promise<number> {
  const http = createHttpClient({ insecure: false, now: () => performance.now() });
  const started = performance.now();
  const report = await probeEndpoints(
    {
      endpoints: [
        {
          name: 'bench',
          url,
          method: 'GET',
          headers: { 'X-Api-Key': 'bench-key' },
          timeoutMs: 10_000,
          expect: {
            status: [{ from: 200, to: 200 }],
            json: ['status == "ok"', 'length(experiments) >= 1'].map(parseJsonAssertion),
            maxLatencyMs: 5000,
          },
        },
      ],
      waitMs: 10_000,
      consecutiveSuccesses: 1,
      soakMs: 0,
      intervalMs: 10,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      maxErrorRate: 0,
      followRedirects: true,
    },
    {
      http,
      now: () => performance.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: Math.random,
      logger: silentLogger,
    },
  );
  const ms = performance.now() - started;
  await http.close();
  if (!report.healthy) throw new Error(`probe failed: ${report.endpoints[0]!.verdict}`);
  return ms;
}

async function undiciLoop(url: string): Promise<number> {
  const agent = new Agent();
  const started = performance.now();
  await pool(REQUESTS + 1, CONCURRENCY, async () => {
    const res = await request(url, { dispatcher: agent, headers: { 'X-Api-Key': 'bench-key' } });
    await res.body.text();
  });
  const ms = performance.now() - started;
  await agent.close();
  return ms;
}

async function fetchLoop(url: string): Promise<number> {
  const started = performance.now();
  await pool(REQUESTS + 1, CONCURRENCY, async () => {
    const res = await fetch(url, { headers: { 'X-Api-Key': 'bench-key' } });
    await res.text();
  });
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const server = await startServer();
try {
  const url = `${server.origin}/api/2.0/mlflow/experiments/list`;
  const times = { probe: [] as number[], undici: [] as number[], fetch: [] as number[] };
  await undiciLoop(url); // warm-up: JIT and the server's first connections
  for (let round = 0; round < ROUNDS; round++) {
    times.probe.push(await probeLoad(url));
    times.undici.push(await undiciLoop(url));
    times.fetch.push(await fetchLoop(url));
  }
  const rps = (ms: number) => Math.round(((REQUESTS + 1) / ms) * 1000);
  const probe = median(times.probe);
  const undici = median(times.undici);
  const fetchMs = median(times.fetch);
  console.log(
    `endpoint-probe load check: ${REQUESTS} requests, concurrency ${CONCURRENCY}, median of ${ROUNDS} rounds`,
  );
  console.log(`  probe load check (status + 2 JSON assertions per request): ${rps(probe)} req/s`);
  console.log(`  bare undici request loop (baseline):                        ${rps(undici)} req/s`);
  console.log(`  Node fetch loop:                                            ${rps(fetchMs)} req/s`);
  console.log(
    `  probe throughput = ${(undici / probe).toFixed(2)}x of the bare undici loop, ${(fetchMs / probe).toFixed(2)}x of fetch`,
  );
} finally {
  server.stop();
}
