// pnpm demo: the incident replayed end to end with the real bundled actions, run as the runner runs them, on the
// local ECS emulator (plus the real Docker engine, registry and moto when they are here). No AWS account needed.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  runAction,
  startMoto,
  startRegistry,
  type MotoServer,
  type RegistryServer,
} from '@hokusai/action-harness';
import {
  loadScenario,
  SCENARIOS_DIR,
  startEmulator,
  type EmulatorHandle,
  type Scenario,
} from '@hokusai/ecs-emulator';
import { Narrator } from './narrator.js';
import { writeReport } from './report.js';
import { syntaxGate } from './gate.js';
import { buildImage, captureCrash, dockerReady, removeImages, serveApi, type RunningApi } from './images.js';
import { manualRollback } from './manual-rollback.js';
import { checkout, scratchRoot, type Commit } from './workspace.js';

const OUTPUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'output');
const ECR_HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
/** Simulated seconds per real second on the emulator: the deploy's 10 s poll is 0.5 s of real time. */
const TIME_SCALE = 20;
const sim = (simulatedSeconds: number) => `${Math.round((simulatedSeconds * 1000) / TIME_SCALE)}ms`;

interface Registry {
  moto: MotoServer;
  registry: RegistryServer;
}

const narrator = new Narrator();
const cleanups: Array<() => Promise<unknown> | unknown> = [];

async function main(): Promise<void> {
  const root = await scratchRoot();
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const apiKey = randomBytes(12).toString('hex');
  const withDocker = dockerReady();
  narrator.say(
    withDocker
      ? 'Docker engine found: images are built, pushed to a local registry through moto ECR, and run for real.'
      : 'No Docker engine: images are named only; the crash and the API are run with the host python3.',
  );

  const broken = await checkout('broken', root);
  const fixed = await checkout('fixed', root);
  const previous: Commit = { ...fixed, sha: 'a4c1e07', label: 'the previous release a4c1e07' };

  // ---------------------------------------------------------------------------------------------------------
  narrator.act('Act 1 — the incident commit meets the syntax gate');
  const gatePassed = await syntaxGate(narrator, broken);
  if (gatePassed) throw new Error('the syntax gate passed the incident commit: the demo cannot go on');
  narrator.say(
    'On the day of the incident there was no gate. Act 2 deploys the commit anyway, as happened then.',
  );

  // ---------------------------------------------------------------------------------------------------------
  narrator.act('Act 2 — the broken image is deployed anyway; ecs-deploy-and-wait catches it and rolls back');
  let registry: Registry | undefined;
  const local: Record<string, string> = {};
  if (withDocker) {
    await narrator.step('docker build (previous release, incident commit, fix)', async () => {
      for (const commit of [previous, broken, fixed]) local[commit.sha] = buildImage(commit);
    });
    cleanups.push(() => removeImages(Object.values(local)));
    registry = await narrator.step('moto (ECR API) and a local registry', async () => {
      const moto = await startMoto();
      cleanups.push(() => moto.stop());
      const server = await startRegistry();
      cleanups.push(() => server.stop());
      return { moto, registry: server };
    });
  }
  const uri: Record<string, string> = {};
  for (const commit of [previous, broken])
    uri[commit.sha] = await pushImage(commit, local[commit.sha], registry);

  const crash = await narrator.step('what the broken image does when it starts', () =>
    captureCrash(broken, local[broken.sha]),
  );
  narrator.detail(crash.lines.slice(-4).join('\n'));
  if (crash.exitCode === 0) throw new Error('the broken image did not crash: the demo cannot go on');

  const emulator = await startIncidentEmulator(uri[previous.sha]!, uri[broken.sha]!, crash.lines);
  cleanups.push(() => emulator.close());
  narrator.say(
    `ECS emulator at ${emulator.endpoint}: service hokusai-api in cluster hokusai on hokusai-api:108`,
  );
  const deployEnv = {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'demo',
    AWS_SECRET_ACCESS_KEY: 'demo',
  };
  const deployInputs = {
    cluster: 'hokusai',
    service: 'hokusai-api',
    'container-name': 'api',
    'poll-interval': sim(10),
    'stable-for': sim(60),
    timeout: sim(900),
  };
  const badDeploy = await narrator.step('ecs-deploy-and-wait', () =>
    runAction({
      action: 'ecs-deploy-and-wait',
      inputs: { ...deployInputs, image: uri[broken.sha]! },
      env: deployEnv,
    }),
  );
  narrator.keep(`ecs-deploy-and-wait: ${broken.label}`, badDeploy);
  await badDeploy.cleanup();
  const o = badDeploy.outputs;
  const rolledBack = o.result === 'rolled-back';
  (rolledBack ? narrator.good.bind(narrator) : narrator.bad.bind(narrator))(
    `result: ${o.result} — ${o['failure-reason'] ?? ''}`,
  );
  narrator.say(
    `new revision ${short(o['task-definition-arn'])} -> back on ${short(o['previous-task-definition-arn'])}`,
  );
  const { crashToRollback, firstCrash } = measure(emulator);
  if (firstCrash !== undefined && crashToRollback !== undefined) {
    narrator.say(
      `first task crash -> rollback UpdateService: ${crashToRollback.toFixed(1)} s simulated (one poll is 10 s); ` +
        'the same deploy without this action restart-loops until someone reads the logs',
    );
  }
  if (!rolledBack) throw new Error(`expected the incident deploy to end rolled-back, got ${o.result}`);

  // ---------------------------------------------------------------------------------------------------------
  narrator.act('Act 3 — endpoint-probe confirms the restored service is healthy');
  const restored = await serveApi(previous, await freePort(), apiKey, local[previous.sha]);
  cleanups.push(() => restored.stop());
  const probe1 = await probe(restored, apiKey, 'the restored revision 108');
  await restored.stop();
  if (!probe1) throw new Error('the restored service did not pass its probes');

  // ---------------------------------------------------------------------------------------------------------
  narrator.act('Act 4 — the fix passes the gate, deploys, stays stable, and its probes pass');
  if (!(await syntaxGate(narrator, fixed))) throw new Error('the fixed commit failed the syntax gate');
  const smoke = await narrator.step('import-smoke-test', () =>
    runAction({
      action: 'import-smoke-test',
      workspace: fixed.dir,
      inputs: {
        imports: 'from src.api.main import app',
        ...(local[fixed.sha] ? { image: local[fixed.sha]!, 'working-directory': '.' } : {}),
        env: 'API_KEY=placeholder-for-import',
      },
    }),
  );
  narrator.keep(`import-smoke-test: ${fixed.label}`, smoke);
  await smoke.cleanup();
  if (smoke.exitCode !== 0) throw new Error(`import-smoke-test failed on the fix: ${smoke.log.slice(-500)}`);
  narrator.good(
    `import smoke test passed ${local[fixed.sha] ? 'inside the image' : 'on the host'}: from src.api.main import app`,
  );
  uri[fixed.sha] = await pushImage(fixed, local[fixed.sha], registry);
  const goodDeploy = await narrator.step('ecs-deploy-and-wait', () =>
    runAction({
      action: 'ecs-deploy-and-wait',
      inputs: { ...deployInputs, image: uri[fixed.sha]! },
      env: deployEnv,
    }),
  );
  narrator.keep(`ecs-deploy-and-wait: ${fixed.label}`, goodDeploy);
  await goodDeploy.cleanup();
  if (goodDeploy.outputs.result !== 'succeeded') {
    throw new Error(
      `the fix did not deploy: ${goodDeploy.outputs.result} ${goodDeploy.outputs['failure-reason'] ?? ''}`,
    );
  }
  narrator.good(
    `result: succeeded — ${short(goodDeploy.outputs['task-definition-arn'])} stable for 60 s simulated, last-good tag written`,
  );
  const live = await serveApi(fixed, await freePort(), apiKey, local[fixed.sha]);
  cleanups.push(() => live.stop());
  if (!(await probe(live, apiKey, 'the fix'))) throw new Error('the fixed service did not pass its probes');

  // ---------------------------------------------------------------------------------------------------------
  narrator.act('Act 5 — on-call rolls back to revision 108 by hand, from the Actions tab');
  narrator.say(
    'A customer reports the fix changed a response; until it is understood, on-call runs Roll back API with ' +
      'revision 108 (rollback-ecs.yml, workflow_dispatch).',
  );
  const manual = await manualRollback(narrator, {
    endpoint: emulator.endpoint,
    revision: '108',
    reason: 'customer report after the fix; back to 108 while it is investigated',
    pollInterval: '1s', // auto-rollback polls at most once a second: 20 s simulated
    stableFor: sim(60),
  });
  (manual.result === 'rolled-back' ? narrator.good.bind(narrator) : narrator.bad.bind(narrator))(
    `result: ${manual.result} — ${short(manual.from)} -> ${short(manual.to)}; the incident report is in the summary`,
  );
  if (manual.result !== 'rolled-back')
    throw new Error(`expected the manual rollback to end rolled-back, got ${manual.result}`);

  narrator.act(
    `The end: every path replayed — the incident, the fix, the manual rollback (${narrator.elapsed()} in all)`,
  );
  await writeSummaries();
}

async function pushImage(
  commit: Commit,
  localTag: string | undefined,
  registry: Registry | undefined,
): Promise<string> {
  if (!localTag || !registry) return `${ECR_HOST}/hokusai-api:${commit.sha}`;
  const run = await narrator.step(`ecr-push ${commit.sha}`, () =>
    runAction({
      action: 'ecr-push',
      inputs: {
        image: localTag,
        repository: 'hokusai-api',
        tags: commit.sha,
        registry: registry.registry.host,
        'create-repository': 'true',
      },
      env: registry.moto.env,
    }),
  );
  narrator.keep(`ecr-push: ${commit.label}`, run);
  await run.cleanup();
  if (run.exitCode !== 0) throw new Error(`ecr-push failed: ${run.log.slice(-800)}`);
  narrator.say(`pushed ${run.outputs['image-uri']} (${run.outputs.digest?.slice(0, 19)}…)`);
  return run.outputs['image-uri']!;
}

/** The shipped incident scenario, pointed at this run's image names, with the crash output the broken image really printed. */
async function startIncidentEmulator(
  goodUri: string,
  brokenUri: string,
  crashLines: string[],
): Promise<EmulatorHandle> {
  const scenario: Scenario = loadScenario(path.join(SCENARIOS_DIR, 'incident-crash-on-import.yaml'));
  const container = scenario.taskDefinitions?.[0]?.containerDefinitions?.[0];
  if (!container) throw new Error('incident scenario: no container definition');
  container.image = goodUri;
  const brokenBehaviour = scenario.images?.[0];
  if (!brokenBehaviour) throw new Error('incident scenario: no broken image behaviour');
  brokenBehaviour.match = brokenUri;
  brokenBehaviour.logLines = crashLines;
  return startEmulator({ scenario, port: 0, timeScale: TIME_SCALE });
}

function measure(emulator: EmulatorHandle): { firstCrash?: number; crashToRollback?: number } {
  const events = emulator.events();
  const t = (e: { time: string }) => Date.parse(e.time) / 1000;
  const crash = events.find((e) => e.type === 'task-state' && e.lastStatus === 'STOPPED' && e.exitCode === 1);
  if (!crash) return {};
  const rollback = events.find(
    (e) => e.type === 'api-call' && e.operation === 'UpdateService' && t(e) >= t(crash) && e.status === 'ok',
  );
  return {
    firstCrash: t(crash),
    crashToRollback: rollback ? Math.max(0, t(rollback) - t(crash)) : undefined,
  };
}

async function probe(api: RunningApi, apiKey: string, label: string): Promise<boolean> {
  const run = await narrator.step('endpoint-probe', () =>
    runAction({
      action: 'endpoint-probe',
      inputs: {
        urls: ['/health', '/api/mlflow/health', '/api/2.0/mlflow/experiments/list']
          .map((p) => api.url + p)
          .join('\n'),
        headers: `X-API-Key: ${apiKey}`,
        wait: '30s',
        interval: '250ms',
        'max-latency': '2s',
      },
    }),
  );
  narrator.keep(`endpoint-probe: ${label}`, run);
  await run.cleanup();
  if (run.leaksOf(apiKey).length) throw new Error('the API key appeared in the probe log');
  if (run.exitCode === 0 && run.outputs.healthy === 'true') {
    narrator.good(
      `healthy: 3 endpoints, p95 ${run.outputs['p95-ms']} ms, error rate ${run.outputs['error-rate']}`,
    );
    return true;
  }
  narrator.bad(
    `not healthy: ${run.log
      .split('\n')
      .filter((l) => l.startsWith('::error'))
      .join(' ')}`,
  );
  return false;
}

function short(arn: string | undefined): string {
  return arn ? (arn.split('/').pop() ?? arn) : '?';
}

/** Pushes an action's own headings one level down, under the demo's step heading (code fences left alone). */
function demoteHeadings(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      return !fenced && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}

async function writeSummaries(): Promise<void> {
  const title = 'hokusai demo: the incident, replayed';
  const markdown = [
    `# ${title}`,
    '',
    ...narrator.sections.map((s) => `---\n\n## ${s.title}\n\n${demoteHeadings(s.markdown.trim())}\n`),
  ].join('\n');
  const files = await writeReport(OUTPUT_DIR, markdown, title);
  const shown = (f: string) => path.relative(process.cwd(), f) || f;
  narrator.say(`job summaries of every step: ${shown(files.md)} and ${shown(files.html)} (Mermaid rendered)`);
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  exitCode = 1;
  narrator.bad(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  await writeSummaries().catch(() => undefined);
} finally {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch {
      // best effort: the demo's own temp files, containers and servers
    }
  }
}
process.exit(exitCode);
