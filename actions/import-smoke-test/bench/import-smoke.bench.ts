// Benchmark: the bundled action (run through the harness, exactly as the runner runs it) against the incident
// plan's loop of one `python -c "<import>"` after another, on a generated app of a dozen entry points that pull in
// real standard-library weight, same interpreter, same run. Prints ratios; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { findPythons, runAction } from '@hokusai/action-harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const python = findPythons('3.12', '3.12')[0] ?? findPythons()[0]!;

// What API entry points typically import, spread over modules so each import has its own weight.
const MODULES: Record<string, string[]> = {
  api: ['asyncio', 'json', 'http.server', 'logging.handlers'],
  auth: ['hashlib', 'hmac', 'secrets', 'base64', 'ssl'],
  mail: ['email.mime.multipart', 'email.mime.text', 'smtplib'],
  billing: ['decimal', 'fractions', 'datetime', 'zoneinfo'],
  storage: ['sqlite3', 'csv', 'shelve', 'pickle'],
  reports: ['xml.etree.ElementTree', 'html.parser', 'string', 'textwrap'],
  jobs: ['concurrent.futures', 'multiprocessing', 'queue', 'sched'],
  client: ['urllib.request', 'http.client', 'ipaddress', 'uuid'],
  cli: ['argparse', 'configparser', 'shlex', 'getpass'],
  schema: ['dataclasses', 'typing', 'enum', 'inspect'],
  archive: ['zipfile', 'tarfile', 'gzip', 'lzma'],
  tests: ['unittest', 'doctest', 'difflib', 'pprint'],
};
const IMPORTS = Object.keys(MODULES).map((name) => `from app.${name} import READY`);

function makeApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hokusai-import-smoke-bench-'));
  mkdirSync(path.join(dir, 'app'));
  writeFileSync(path.join(dir, 'app', '__init__.py'), '');
  for (const [name, modules] of Object.entries(MODULES)) {
    writeFileSync(
      path.join(dir, 'app', `${name}.py`),
      `${modules.map((m) => `import ${m}`).join('\n')}\nREADY = True\n`,
    );
  }
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

async function timeAction(dir: string): Promise<number> {
  const started = performance.now();
  const run = await runAction({
    action: 'import-smoke-test',
    workspace: dir,
    inputs: { imports: IMPORTS.join('\n'), python: python.executable },
  });
  const ms = performance.now() - started;
  await run.cleanup();
  if (run.exitCode !== 0 || run.outputs.imported !== String(IMPORTS.length)) {
    throw new Error(`the action failed: ${run.log.slice(-2000)}`);
  }
  return ms;
}

function timeLoop(dir: string): number {
  const started = performance.now();
  for (const statement of IMPORTS) {
    const run = spawnSync(python.executable, ['-c', statement], {
      cwd: dir,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    if (run.status !== 0) throw new Error(`python -c "${statement}" failed: ${run.stderr}`);
  }
  return performance.now() - started;
}

/** A module that prints OUTPUT_MB megabytes while importing (an app that logs in a loop at import time). */
const OUTPUT_MB = Number(process.env.BENCH_OUTPUT_MB ?? 200);
function writeChattyModule(dir: string): void {
  writeFileSync(
    path.join(dir, 'app', 'chatty.py'),
    `import sys\nline = "x" * 1023 + "\\n"\nfor _ in range(${OUTPUT_MB} * 1024):\n    sys.stdout.write(line)\nREADY = True\n`,
  );
}

/** The action importing the chatty module, against the same import in plain Python with its output discarded. */
async function timeChatty(dir: string): Promise<{ action: number; plain: number }> {
  let started = performance.now();
  const plain = spawnSync(python.executable, ['-c', 'from app.chatty import READY'], {
    cwd: dir,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (plain.status !== 0) throw new Error(`plain import failed: ${plain.stderr}`);
  const plainMs = performance.now() - started;
  started = performance.now();
  const run = await runAction({
    action: 'import-smoke-test',
    workspace: dir,
    inputs: { imports: 'from app.chatty import READY', python: python.executable },
  });
  const actionMs = performance.now() - started;
  await run.cleanup();
  if (run.exitCode !== 0) throw new Error(`the action failed: ${run.log.slice(-2000)}`);
  return { action: actionMs, plain: plainMs };
}

const dir = makeApp();
writeChattyModule(dir);
try {
  timeLoop(dir); // warm the page cache for both
  const action: number[] = [];
  const loop: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    loop.push(timeLoop(dir));
    action.push(await timeAction(dir));
  }
  const a = median(action);
  const l = median(loop);
  console.log(
    `import-smoke-test bench: ${IMPORTS.length} imports, CPython ${python.version}, ${availableParallelism()} CPUs, ` +
      `median of ${ROUNDS} rounds`,
  );
  console.log(`  action (node dist/index.js, parallel fresh interpreters): ${seconds(a)}`);
  console.log(`  baseline: sequential "python -c <import>" loop:            ${seconds(l)}`);
  console.log(`  ratio: ${(a / l).toFixed(2)}x of the sequential loop's wall time`);
  const chatty: Array<{ action: number; plain: number }> = [];
  for (let round = 0; round < ROUNDS; round++) chatty.push(await timeChatty(dir));
  const ca = median(chatty.map((c) => c.action));
  const cp = median(chatty.map((c) => c.plain));
  console.log(`  an import printing ${OUTPUT_MB} MB: action ${seconds(ca)}, plain python ${seconds(cp)}`);
  console.log(`  ratio: ${(ca / cp).toFixed(2)}x (the action keeps a 4 MiB tail of the output)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
