// Benchmark: the ecr-push action (bundled, run as the runner runs it) against plain `docker login` + `docker push`
// of the same image to the same kind of registry, in the same run. Reported as ratios to that baseline.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  requireDocker,
  runAction,
  startMoto,
  startRegistry,
  type RegistryServer,
} from '@hokusai/action-harness';
import { buildScratchImage, removeImages, uniqueName } from '../__tests__/test-images.js';

const ROUNDS = 5;
const IMAGE_BYTES = 16 * 1024 * 1024;

function timed(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timedAsync(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function docker(args: string[], env: NodeJS.ProcessEnv, input?: string): void {
  const out = spawnSync('docker', args, { env, input, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`docker ${args.join(' ')}: ${out.stderr}`);
}

/** Plain docker: login with the token, tag, push (what a hand-written workflow does). */
function plainPush(registry: RegistryServer, image: string, repository: string): number {
  const config = mkdtempSync(path.join(tmpdir(), 'hokusai-ecrpush-bench-'));
  const env = { ...process.env, DOCKER_CONFIG: config };
  const target = `${registry.host}/${repository}:1cdcfc3`;
  try {
    return timed(() => {
      docker(['login', '-u', registry.username, '--password-stdin', registry.host], env, registry.password);
      docker(['tag', image, target], env);
      docker(['push', target], env);
    });
  } finally {
    spawnSync('docker', ['image', 'rm', '--no-prune', target]);
    rmSync(config, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  requireDocker();
  const moto = await startMoto();
  const image = buildScratchImage(uniqueName('bench'), 'bench', IMAGE_BYTES);
  const results = {
    plainCold: [] as number[],
    actionCold: [] as number[],
    plainWarm: [] as number[],
    actionWarm: [] as number[],
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh registry per measurement, so neither side finds layers already there.
      for (const side of ['plain', 'action'] as const) {
        const registry = await startRegistry();
        try {
          const repository = uniqueName('repo');
          if (side === 'plain') {
            results.plainCold.push(plainPush(registry, image, repository));
            results.plainWarm.push(plainPush(registry, image, repository));
          } else {
            const push = () =>
              runAction({
                action: 'ecr-push',
                inputs: { image, repository, registry: registry.host, 'create-repository': 'true' },
                env: { ...moto.env, AWS_EC2_METADATA_DISABLED: 'true' },
              });
            let first!: Awaited<ReturnType<typeof push>>;
            results.actionCold.push(await timedAsync(async () => void (first = await push())));
            if (first.exitCode !== 0) throw new Error(`ecr-push failed: ${first.log}`);
            await first.cleanup();
            let second!: Awaited<ReturnType<typeof push>>;
            results.actionWarm.push(await timedAsync(async () => void (second = await push())));
            if (second.outputs.pushed !== 'false') throw new Error('the re-run pushed again');
            await second.cleanup();
          }
        } finally {
          await registry.stop();
        }
      }
    }
  } finally {
    removeImages([image]);
    await moto.stop();
  }
  const ms = (x: number) => `${Math.round(x)} ms`;
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof results,
    number
  >;
  console.log(
    `ecr-push benchmark: ${IMAGE_BYTES / 1024 / 1024} MiB image, median of ${ROUNDS} rounds, fresh registry per round`,
  );
  console.log(
    `  first push:  ecr-push ${ms(m.actionCold)} vs docker login+push ${ms(m.plainCold)} -> ${(m.actionCold / m.plainCold).toFixed(2)}x of plain docker`,
  );
  console.log(
    `  re-run:      ecr-push ${ms(m.actionWarm)} vs docker login+push ${ms(m.plainWarm)} -> ${(m.actionWarm / m.plainWarm).toFixed(2)}x of plain docker`,
  );
}

await main();
