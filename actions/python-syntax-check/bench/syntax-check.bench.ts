// Benchmark: the bundled action (run through the harness, exactly as the runner runs it) against
// `python -m compileall -q -f -j0` and against the per-file `python -m py_compile` loop, on copies of CPython's
// standard library, all in the same run with the same interpreter. Prints ratios; asserts nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { findPythons, runAction } from '@hokusai/action-harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const python = findPythons('3.11', '3.11')[0] ?? findPythons()[0]!;
const libDir = path.join(path.dirname(path.dirname(python.executable)), 'lib', `python${python.minor}`);

/** The .py files of the standard library (not site-packages), relative to libDir. */
function stdlibFiles(): string[] {
  const entries = readdirSync(libDir, { recursive: true, encoding: 'utf8', withFileTypes: false });
  return entries
    .filter((rel) => rel.endsWith('.py') && !rel.split(path.sep).includes('site-packages'))
    .sort();
}

function copyTree(files: string[], label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `psc-bench-${label}-`));
  for (const rel of files) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    copyFileSync(path.join(libDir, rel), path.join(dir, rel));
  }
  // Flush the copy to disk now, so its write-back does not land inside the next timing.
  spawnSync('sync');
  return dir;
}

/**
 * Runs a command under a small Python parent that reports the command's wall time and the CPU time of the whole
 * process tree (RUSAGE_CHILDREN counts every waited-for descendant): CPU seconds are what a busy shared machine
 * cannot blur, so they are reported next to wall time.
 */
const MEASURE = `
import json, resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall * 1000, "cpu": (usage.ru_utime + usage.ru_stime) * 1000}))
`;

function measure(
  command: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { wall: number; cpu: number } {
  const out = spawnSync(python.executable, ['-c', MEASURE, ...command], { encoding: 'utf8', ...options });
  if (out.status !== 0) throw new Error(`measuring ${command.join(' ')} failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as { wall: number; cpu: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

async function timeAction(files: string[]): Promise<{ ms: number; checked: string; errors: string }> {
  const dir = copyTree(files, 'action');
  try {
    const started = performance.now();
    const run = await runAction({
      action: 'python-syntax-check',
      workspace: dir,
      inputs: { python: python.executable, 'fail-on-error': 'false' },
    });
    const ms = performance.now() - started;
    await run.cleanup();
    if (run.exitCode !== 0) throw new Error(`the action failed: ${run.log.slice(-2000)}`);
    return { ms, checked: run.outputs['files-checked'] ?? '?', errors: run.outputs['error-count'] ?? '?' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU time of the bundled action: node dist/index.js with the runner's variables, outside the harness. */
function cpuOfAction(files: string[]): { wall: number; cpu: number } {
  const dir = copyTree(files, 'action-cpu');
  const runnerTemp = mkdtempSync(path.join(tmpdir(), 'psc-bench-runner-'));
  try {
    return measure([process.execPath, path.join(import.meta.dirname, '..', 'dist', 'index.js')], {
      cwd: dir,
      env: {
        ...process.env,
        GITHUB_WORKSPACE: dir,
        RUNNER_TEMP: runnerTemp,
        INPUT_PYTHON: python.executable,
        INPUT_PATHS: '.',
        'INPUT_RESPECT-GITIGNORE': 'true',
        'INPUT_FAIL-ON-ERROR': 'false',
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(runnerTemp, { recursive: true, force: true });
  }
}

function timeCompileall(files: string[]): { wall: number; cpu: number } {
  const dir = copyTree(files, 'compileall'); // a fresh copy: no .pyc from an earlier round
  try {
    // Exit status 1 is expected: lib2to3's test data holds intentionally broken files.
    return measure([python.executable, '-m', 'compileall', '-q', '-f', '-j0', dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The incident plan's loop, as a shell runs it: one `python -m py_compile FILE` process per file. */
function timePyCompileLoop(files: string[]): { wall: number; cpu: number } {
  const dir = copyTree(files, 'py-compile');
  try {
    return measure(['sh', '-c', 'for f do "$0" -m py_compile "$f"; done', python.executable, ...files], {
      cwd: dir,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const files = stdlibFiles();
  console.log(
    `python-syntax-check benchmark: ${files.length} .py files of CPython ${python.version}'s standard library, ` +
      `${availableParallelism()} cores, ${ROUNDS} rounds (medians)`,
  );
  const action: number[] = [];
  const actionCpu: number[] = [];
  const compileall: number[] = [];
  const compileallCpu: number[] = [];
  let checked = '?';
  let errors = '?';
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
    let a: Awaited<ReturnType<typeof timeAction>>;
    let c: ReturnType<typeof timeCompileall>;
    if (round % 2 === 1) {
      a = await timeAction(files);
      c = timeCompileall(files);
    } else {
      c = timeCompileall(files);
      a = await timeAction(files);
    }
    const ac = cpuOfAction(files);
    action.push(a.ms);
    compileall.push(c.wall);
    actionCpu.push(ac.cpu);
    compileallCpu.push(c.cpu);
    ({ checked, errors } = a);
    console.log(
      `  round ${round}: action ${seconds(a.ms)} wall (${seconds(ac.cpu)} cpu), ` +
        `compileall -j0 ${seconds(c.wall)} wall (${seconds(c.cpu)} cpu)`,
    );
  }
  // BENCH_SKIP_LOOP=1 gives a quick look while developing; the published numbers come from full runs.
  const skipLoop = process.env.BENCH_SKIP_LOOP === '1';
  if (!skipLoop) console.log(`  py_compile loop (${files.length} processes, one round)...`);
  const loop = skipLoop ? undefined : timePyCompileLoop(files);

  const actionMs = median(action);
  const compileallMs = median(compileall);
  console.log('');
  console.log(`| what | wall time | ratio |`);
  console.log(`| --- | --- | --- |`);
  console.log(
    `| action (dist/index.js via the harness; ${checked} files, ${errors} errors) | ${seconds(actionMs)} | 1.00x |`,
  );
  console.log(
    `| python -m compileall -q -f -j0 | ${seconds(compileallMs)} | action takes ${(actionMs / compileallMs).toFixed(2)}x of it (target <= 0.8x) |`,
  );
  const cpuRatio = median(actionCpu) / median(compileallCpu);
  console.log(
    `| CPU time, action vs compileall -j0 | ${seconds(median(actionCpu))} vs ${seconds(median(compileallCpu))} | ${cpuRatio.toFixed(2)}x |`,
  );
  if (loop) {
    console.log(
      `| python -m py_compile per file | ${seconds(loop.wall)} | action is ${(loop.wall / actionMs).toFixed(1)}x faster (target >= 30x) |`,
    );
    console.log(
      `| CPU time, py_compile loop vs action | ${seconds(loop.cpu)} vs ${seconds(median(actionCpu))} | action uses ${(loop.cpu / median(actionCpu)).toFixed(1)}x less CPU |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
