// End to end on the runner: the bundled dist/index.js run as the runner runs it, on real CPython interpreters,
// against a copy of the sample app tree.
import { afterAll, describe, expect, test } from '@jest/globals';
import { cp, mkdir, mkdtemp, readFile, readdir, realpath, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPythons, runAction, type ActionRun } from '@hokusai/action-harness';
import type { Report } from '../src/report.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'app');
const pythons = findPythons('3.8', '3.13');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

/** A fresh workspace holding the sample app, at `subfolder` when given. */
async function workspaceWithApp(subfolder = ''): Promise<string> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'hokusai-import-smoke-e2e-'));
  await mkdir(path.join(workspace, subfolder), { recursive: true });
  await cp(fixture, path.join(workspace, subfolder), { recursive: true });
  cleanups.push(() => rm(workspace, { recursive: true, force: true }));
  return workspace;
}

async function run(inputs: Record<string, string>, workspace?: string): Promise<ActionRun> {
  const result = await runAction({
    action: 'import-smoke-test',
    workspace: workspace ?? (await workspaceWithApp()),
    inputs,
    timeoutMs: 90_000,
  });
  cleanups.push(() => result.cleanup());
  return result;
}

async function reportOf(result: ActionRun): Promise<Report> {
  expect(path.dirname(result.outputs.report!)).toBe(result.runnerTemp);
  return JSON.parse(await readFile(result.outputs.report!, 'utf8')) as Report;
}

const MIXED = [
  'from src.api.main import app',
  'src.api.health:router',
  'import src.workers.queue',
  'src.cycle.a',
  'from src.services import fixed_registry',
].join('\n');

describe.each(pythons)('on the runner with CPython $version', ({ executable, version }) => {
  test('the incident and the other broken imports are annotated; working ones pass', async () => {
    const workspace = await workspaceWithApp();
    const result = await run({ imports: MIXED, python: executable }, workspace);

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ imported: '2', failed: '3' });
    const errors = result.annotations.filter((a) => a.level === 'error' && a.file !== undefined);
    expect(errors.map((a) => [a.title, a.file, a.line])).toEqual([
      ['import-smoke-test: SyntaxError', 'src/services/model_registry.py', 26],
      ['import-smoke-test: ModuleNotFoundError', 'src/workers/queue.py', 4],
      ['import-smoke-test: ImportError', 'src/cycle/b.py', 2],
    ]);
    expect(errors[1]!.message).toContain("No module named 'hokusai_missing_dependency'");
    expect(errors[2]!.message).toContain('circular import');
    // The final failure line names the failed imports.
    expect(result.annotations.at(-1)).toMatchObject({
      level: 'error',
      message: '3 of 5 imports failed: from src.api.main import app; import src.workers.queue; src.cycle.a',
    });
    expect(result.log).toMatch(/✓ imported: src\.api\.health:router \(\d/);
    expect(result.log).toContain('::group::Traceback: from src.api.main import app');

    const report = await reportOf(result);
    expect(report).toMatchObject({ pythonVersion: version, imported: 2, failed: 3, timeoutSeconds: 60 });
    expect(report.imports.map((e) => [e.import, e.ok, e.errorType])).toEqual([
      ['from src.api.main import app', false, 'SyntaxError'],
      ['src.api.health:router', true, null],
      ['import src.workers.queue', false, 'ModuleNotFoundError'],
      ['src.cycle.a', false, 'ImportError'],
      ['from src.services import fixed_registry', true, null],
    ]);
    expect(report.imports[0]!.traceback).toContain('model_registry.py", line 26');

    expect(result.summary).toContain('## Import smoke test');
    expect(result.summary).toContain(`❌ 3 of 5 imports failed — Python ${version}`);
    // runAction plays a runner for hokusai/api at commit 1cdcfc3f…: the location links to that source.
    expect(result.summary).toMatch(
      /\[src\/services\/model\\_registry\.py:26\]\(https:\/\/github\.com\/hokusai\/api\/blob\/1cdcfc3f[0-9a-f]+\/src\/services\/model_registry\.py#L26\)/,
    );

    const written = await readdir(workspace, { recursive: true });
    expect(written.filter((f) => f.includes('__pycache__') || f.endsWith('.pyc'))).toEqual([]);
  });
});

describe('env: placeholder configuration', () => {
  const secret = 'postgres://app:S3cr3t-hunter2@db.internal/app';

  test('an import that reads config at import time passes when env supplies it; the value never shows', async () => {
    const result = await run({
      imports: 'src.config\nfrom src.api.main import app',
      env: `DATABASE_URL=${secret}`,
    });
    expect(result.masks).toContain(secret);
    expect(result.outputs).toMatchObject({ imported: '1', failed: '1' });
    expect(result.log).toContain('✓ imported: src.config (');
    expect(result.leaksOf(secret)).toEqual([]);
    expect(result.summary).not.toContain(secret);
    expect(await readFile(result.outputs.report!, 'utf8')).not.toContain(secret);
  });

  test('without env the same import fails at the line that reads it', async () => {
    const result = await run({ imports: 'src.config' });
    expect(result.exitCode).toBe(1);
    expect(result.annotations[0]).toMatchObject({
      level: 'error',
      file: 'src/config.py',
      line: 4,
      title: 'import-smoke-test: KeyError',
    });
    expect(result.annotations[0]!.message).toContain("KeyError: 'DATABASE_URL'");
  });

  test('a value echoed in the exception message is redacted in the log, summary and report', async () => {
    const bad = 'mysql://app:Leaky-Pa55word@db.internal/app';
    const result = await run({ imports: 'src.config', env: `DATABASE_URL=${bad}` });
    expect(result.exitCode).toBe(1);
    expect(result.annotations[0]).toMatchObject({
      file: 'src/config.py',
      line: 6,
      title: 'import-smoke-test: ValueError',
    });
    expect(result.annotations[0]!.message).toContain("got '***'");
    expect(result.leaksOf(bad)).toEqual([]);
    expect(result.summary).not.toContain(bad);
    const report = await readFile(result.outputs.report!, 'utf8');
    expect(report).not.toContain(bad);
    expect(report).toContain("got '***'");
  });
});

describe('threads', () => {
  test('a thread the app starts at import time does not keep the interpreter alive', async () => {
    const result = await run({ imports: 'src.background:READY', timeout: '20s' });
    expect(result.exitCode).toBe(0);
    // Ended by the harness after the import, not by the 20s timeout (which would have failed the step).
    expect(result.outputs).toMatchObject({ imported: '1', failed: '0' });
  });
});

/** Whether `pid` is a live process (a zombie awaiting its reaper counts as ended). */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The pid an import wrote to `file` in the workspace; it is killed at the end of the tests whatever happens. */
async function leftoverPid(workspace: string, file: string): Promise<number> {
  const pid = Number(await readFile(path.join(workspace, file), 'utf8'));
  cleanups.push(async () => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return pid;
}

describe('processes an import leaves running', () => {
  test('one in another session does not hold the step: it ends with the interpreter and says so', async () => {
    const workspace = await workspaceWithApp();
    // The process sleeps an hour: the step waiting for its pipes would run into the harness's 90 s kill.
    const result = await run({ imports: 'src.leftover.new_session:READY', timeout: '5s' }, workspace);
    const pid = await leftoverPid(workspace, 'leftover-new-session.pid');
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ imported: '1', failed: '0' });
    const warnings = result.annotations.filter((a) => a.title === 'import-smoke-test: process left running');
    expect(warnings.map((a) => a.message)).toEqual([
      'src.leftover.new_session:READY started a process in another session (start_new_session=True, a daemon) that outlived the interpreter; it could not be killed and is still running on the runner',
    ]);
    expect((await reportOf(result)).imports[0]).toMatchObject({ ok: true, leftovers: ['out-of-reach'] });
    // Out of the process group's reach, as said.
    expect(await alive(pid)).toBe(true);
  });

  test('one in its process group is killed when the interpreter ends, and that is said', async () => {
    const workspace = await workspaceWithApp();
    const result = await run({ imports: 'src.leftover.same_group:READY', timeout: '30s' }, workspace);
    const pid = await leftoverPid(workspace, 'leftover-same-group.pid');
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ imported: '1', failed: '0' });
    expect(result.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      "src.leftover.same_group:READY left processes running in its interpreter's process group when the interpreter ended; they were killed",
    ]);
    const report = await reportOf(result);
    expect(report.imports[0]).toMatchObject({ ok: true, timedOut: false, leftovers: ['killed'] });
    expect(await alive(pid)).toBe(false);
  });
});

describe("the runner's credentials and files", () => {
  test('imported code sees none of the runner tokens or file-command files, so cannot rewrite the summary', async () => {
    const result = await runAction({
      action: 'import-smoke-test',
      workspace: await workspaceWithApp(),
      inputs: { imports: 'src.runner_env:READY' },
      env: {
        ACTIONS_RUNTIME_TOKEN: 'runtime-token-0000',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token-0000',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.invalid/token',
        ACTIONS_CACHE_URL: 'https://cache.invalid/',
        ACTIONS_RESULTS_URL: 'https://results.invalid/',
        GITHUB_TOKEN: 'ghs_example_not_a_token',
      },
      timeoutMs: 90_000,
    });
    cleanups.push(() => result.cleanup());
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ imported: '1', failed: '0' });
    expect(result.summary).not.toContain('<!--');
    expect(result.summary).toContain('✅ all 1 imports succeeded');
  });
});

describe('env values that cannot be secrets', () => {
  test('DEBUG=1 and WORKERS=4 are not masked (one warning says so); real secrets are', async () => {
    const result = await run({
      imports: 'src.short_env',
      env: 'DEBUG=1\nWORKERS=4\nSECRET_KEY=import-smoke-s3cret',
    });
    expect(result.exitCode).toBe(1);
    expect(result.masks).toContain('import-smoke-s3cret');
    expect(result.masks).not.toContain('1');
    expect(result.masks).not.toContain('4');
    const warnings = result.annotations.filter((a) => a.level === 'warning');
    expect(warnings.map((a) => a.message)).toEqual([
      'env: the values of DEBUG, WORKERS are not masked — too short, or a boolean or number, to be a secret (masking them would hide those characters in every later log line)',
    ]);
    // Neither the log as shown nor the summary garbles "line 13".
    expect(result.log).toContain('failed on line 13 with WORKERS=4');
    expect(result.summary).toContain('failed on line 13 with WORKERS=4');
    expect(result.summary).not.toContain('***');
  });
});

describe('timeout', () => {
  test('a hang fails and says so at its line; an import slower than half the timeout warns', async () => {
    const result = await run({ imports: 'from src.slow import hang\nsrc.slow.sluggish', timeout: '4s' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ imported: '1', failed: '1' });
    const timedOut = result.annotations.find((a) => a.title === 'import-smoke-test: import timed out');
    expect(timedOut).toMatchObject({ level: 'error', file: 'src/slow/hang.py', line: 7 });
    expect(timedOut!.message).toContain('did not finish within the 4.00s timeout and was killed');
    const slow = result.annotations.find((a) => a.level === 'warning');
    expect(slow).toMatchObject({ title: 'import-smoke-test: slow import' });
    expect(slow!.message).toMatch(
      /^slow import: src\.slow\.sluggish took 2\.\d+s, more than half the 4\.00s timeout$/,
    );
    const report = await reportOf(result);
    expect(report.imports[0]).toMatchObject({ ok: false, timedOut: true, errorType: 'Timeout', seconds: 4 });
    expect(report.imports[1]).toMatchObject({ ok: true, slow: true });
    expect(result.summary).toContain('⏱️ timed out');
  });
});

/** Processes whose working directory is `dir` (the interpreters the action started there). */
async function processesIn(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await realpath(`/proc/${entry}/cwd`)) === dir) pids.push(Number(entry));
    } catch {
      // the process ended, or is not ours to inspect
    }
  }
  return pids;
}

describe('cancellation', () => {
  test('a cancelled step (SIGTERM) kills the interpreters it started', async () => {
    const workspace = await realpath(await workspaceWithApp());
    let importing = false;
    // The cancellation is sent once the test has seen what it cancels, not after a fixed delay.
    let cancel!: () => void;
    const cancelled = new Promise<void>((resolve) => (cancel = resolve));
    let ended = false;
    const pending = runAction({
      action: 'import-smoke-test',
      workspace,
      inputs: { imports: 'from src.slow import hang\nsrc.slow.hang', timeout: '5m' },
      timeoutMs: 60_000,
      signal: 'SIGTERM',
      signalWhen: cancelled,
      onStdout: (chunk) => {
        if (chunk.includes('importing 2 module reference(s)')) importing = true;
      },
    });
    // node (the action) and both interpreters run in the workspace before the cancellation (once the
    // interpreter probe has ended, which the "importing" line says).
    void pending.then(() => (ended = true));
    let running: number[] = [];
    while (!ended && !(importing && running.length === 3)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      running = await processesIn(workspace);
    }
    expect(running).toHaveLength(3);
    cancel();
    const result = await pending;
    cleanups.push(() => result.cleanup());
    // The suite's convention on cancel: one line, the summary of what had finished, exit code 1.
    expect(result.exitCode).toBe(1);
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      'cancelled (SIGTERM): 0 of 2 imports had finished (0 failed); every interpreter it started was killed',
    ]);
    expect(result.summary).toContain('⏹️ cancelled (SIGTERM) after 0 of 2 imports finished');
    // Killed processes leave /proc once reaped: look until they are gone (the bound only guards a hang).
    let left = await processesIn(workspace);
    for (let i = 0; i < 100 && left.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = await processesIn(workspace);
    }
    expect(left).toEqual([]);
  });
});

describe('paths', () => {
  test('working-directory: the app in a subfolder is annotated with workspace-relative paths', async () => {
    const workspace = await workspaceWithApp('services/api');
    const result = await run(
      { imports: 'from src.api.main import app', 'working-directory': 'services/api' },
      workspace,
    );
    expect(result.annotations[0]).toMatchObject({
      file: 'services/api/src/services/model_registry.py',
      line: 26,
    });
  });

  test('python: a relative path resolves against working-directory', async () => {
    const workspace = await workspaceWithApp('services/api');
    await mkdir(path.join(workspace, 'services/api/.venv/bin'), { recursive: true });
    await symlink(pythons[0]!.executable, path.join(workspace, 'services/api/.venv/bin/python'));
    const result = await run(
      { imports: 'src.api.health:router', python: '.venv/bin/python', 'working-directory': 'services/api' },
      workspace,
    );
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain(`with Python ${pythons[0]!.version} on the runner`);
  });

  test('pythonpath: extra entries relative to working-directory', async () => {
    const workspace = await workspaceWithApp('lib');
    const without = await run({ imports: 'src.api.health:router' }, workspace);
    expect(without.annotations[0]!.message).toContain("No module named 'src'");
    const result = await run({ imports: 'src.api.health:router', pythonpath: 'lib' }, workspace);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ imported: '1', failed: '0' });
    expect(result.summary).toContain('✅ all 1 imports succeeded');
  });
});

describe('bad input fails before any interpreter runs, in one line', () => {
  test.each<{ name: string; inputs: Record<string, string>; error: string }>([
    {
      name: 'code instead of an import',
      inputs: { imports: 'import os; os.system("touch pwned")' },
      error: 'invalid import "import os; os.system(\\"touch pwned\\")" in input "imports"',
    },
    {
      name: 'an interpreter that does not exist',
      inputs: { imports: 'src.api.health', python: 'python3.99-not-installed' },
      error: 'interpreter "python3.99-not-installed" (input "python") could not be run on the runner',
    },
    {
      name: 'a working directory that does not exist',
      inputs: { imports: 'src.api.health', 'working-directory': 'nope' },
      error: 'input "working-directory": directory "nope" does not exist',
    },
  ])('$name', async ({ inputs, error }) => {
    const workspace = await workspaceWithApp();
    const result = await run(inputs, workspace);
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(error);
    expect(errors[0]!.message).not.toContain('\n');
    expect(result.outputs).toEqual({});
    expect(existsSync(path.join(workspace, 'pwned'))).toBe(false);
  });
});
