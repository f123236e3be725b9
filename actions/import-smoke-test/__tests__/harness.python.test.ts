// The harness on every installed CPython 3.8–3.13: each verdict must equal what the interpreter itself says when
// it runs the same import as a plain `python -c "<statement>"` (the incident plan's own check).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryLogger } from '@hokusai/action-kit';
import { findPythons } from '@hokusai/action-harness';
import { parseImports, type ImportSpec } from '../src/import-spec.js';
import { hostLauncher } from '../src/launchers.js';
import { runSmokeTest, type ImportOutcome } from '../src/smoke-test.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'app');
const pythons = findPythons('3.8', '3.13');

/** What the interpreter prints as the last line of an uncaught exception: `Type: message`, or '' on success. */
function oracle(python: string, cwd: string, statement: string): { ok: boolean; lastLine: string } {
  const run = spawnSync(python, ['-c', statement], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
    timeout: 30_000,
  });
  const lines = run.stderr.replace(/\n+$/, '').split('\n');
  return { ok: run.status === 0, lastLine: run.status === 0 ? '' : lines[lines.length - 1]! };
}

/** The plain Python statement equivalent to a spec (test code: the action itself never builds code). */
function statementOf(spec: ImportSpec): string {
  if (/^(import|from)\s/.test(spec.text)) return spec.text;
  const step = spec.steps[0]!;
  return step.kind === 'attribute'
    ? `import ${step.module}; ${step.module}.${step.attribute}`
    : `import ${step.module}`;
}

const IMPORTS = `
from src.api.main import app
import src.api.health
src.api.health:router
src.api.health:missing_attribute
from src.api.health import status, router as r
from src.api.health import nope
from src.api import health
from src.services import fixed_registry, missing_module
from src.api.health import *
import src.workers.queue
src.config
src.cycle.a
from src.cycle import b
src.odd_message
src.does_not_exist
`;

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'hokusai-import-smoke-harness-'));
  await cp(fixture, workspace, { recursive: true });
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function pycacheFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.name === '__pycache__' || e.name.endsWith('.pyc')).map((e) => e.name);
}

describe.each(pythons)('harness on CPython $version', ({ executable, minor }) => {
  let outcomes: ImportOutcome[];
  let logger: MemoryLogger;
  const specs = parseImports(IMPORTS);

  beforeAll(async () => {
    logger = new MemoryLogger();
    const launcher = hostLauncher({
      python: executable,
      workingDirectory: workspace,
      pythonpath: [],
      env: [],
      parentEnv: { PATH: process.env.PATH },
    });
    outcomes = await runSmokeTest({
      specs: [...specs, ...parseImports('src.crash\nfrom src.slow import hang')],
      launcher,
      timeoutMs: 2500,
      concurrency: 4,
      roots: [{ from: workspace, to: '' }],
      secrets: [],
      logger,
    });
  });

  test.each(specs.map((spec, index) => ({ text: spec.text, spec, index })))(
    '$text: same verdict as the interpreter',
    ({ spec, index }) => {
      const expected = oracle(executable, workspace, statementOf(spec));
      const outcome = outcomes[index]!;
      expect(outcome.import).toBe(spec.text);
      expect(outcome.ok).toBe(expected.ok);
      if (!expected.ok) {
        expect(`${outcome.error!.type}: ${outcome.error!.message}`).toBe(expected.lastLine);
        // The harness's own frames never show in the user's traceback.
        expect(outcome.error!.traceback).not.toContain('File "<string>"');
        expect(outcome.error!.traceback.trimEnd().split('\n').pop()).toBe(expected.lastLine);
      }
    },
  );

  test('the incident: annotated at src/services/model_registry.py line 26', () => {
    expect(outcomes[0]!.error).toMatchObject({
      type: 'SyntaxError',
      location: { file: 'src/services/model_registry.py', line: 26 },
    });
    const error = logger.records.find(
      (r) => r.level === 'error' && r.message.startsWith('from src.api.main'),
    );
    expect(error?.properties).toMatchObject({ file: 'src/services/model_registry.py', line: 26 });
  });

  test('the deepest workspace frame for a missing dependency, a circular import and an import-time exception', () => {
    const at = (text: string) => outcomes.find((o) => o.import === text)!.error?.location;
    expect(at('import src.workers.queue')).toEqual({ file: 'src/workers/queue.py', line: 4 });
    expect(outcomes.find((o) => o.import === 'import src.workers.queue')!.error?.module).toBe(
      'hokusai_missing_dependency',
    );
    expect(at('src.cycle.a')).toEqual({ file: 'src/cycle/b.py', line: 2 });
    expect(at('src.config')).toEqual({ file: 'src/config.py', line: 4 });
    expect(at('src.odd_message')).toEqual({ file: 'src/odd_message.py', line: 2 });
  });

  test('a crash of the interpreter (segfault) is reported at the line that caused it', () => {
    const crash = outcomes.find((o) => o.import === 'src.crash')!;
    expect(crash).toMatchObject({ ok: false, timedOut: false });
    expect(crash.error).toMatchObject({
      type: 'InterpreterExit',
      message: 'the interpreter was killed by SIGSEGV before the import finished',
      location: { file: 'src/crash.py', line: 4 },
    });
    expect(crash.error!.traceback).toContain('Fatal Python error: Segmentation fault');
  });

  test('a hang is killed at the timeout and points at the line it was stuck on', () => {
    const hang = outcomes[outcomes.length - 1]!;
    expect(hang).toMatchObject({
      import: 'from src.slow import hang',
      ok: false,
      timedOut: true,
      seconds: 2.5,
    });
    expect(hang.error).toMatchObject({ type: 'Timeout', location: { file: 'src/slow/hang.py', line: 7 } });
    expect(hang.error!.message).toContain('did not finish within the 2.50s timeout');
  });

  test('a log line per success with its time, a group per failure, in input order', () => {
    const lines = logger.messages('info').filter((m) => /^[✓✗] /.test(m));
    expect(lines.map((l) => l.replace(/^[✓✗] (imported|failed): /, '').split(/ \(| — /)[0])).toEqual([
      ...specs.map((s) => s.text),
      'src.crash',
      'from src.slow import hang',
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(/^✓ imported: import src\.api\.health \(\d+(\.\d+)?(ms|s)\)$/),
    );
    const groups = logger.messages('group');
    expect(groups).toContain('Traceback: from src.api.main import app');
    expect(groups.length).toBe(outcomes.filter((o) => !o.ok).length);
  });

  test('the harness needs no json module (python3-minimal has none)', async () => {
    // PYTHONPATH comes before the standard library, so this json.py would break any harness importing json.
    const blocker = await mkdtemp(path.join(tmpdir(), 'hokusai-import-smoke-nojson-'));
    try {
      await writeFile(path.join(blocker, 'json.py'), 'raise ImportError("no json module here")\n');
      const launcher = hostLauncher({
        python: executable,
        workingDirectory: workspace,
        pythonpath: [blocker],
        env: [],
        parentEnv: { PATH: process.env.PATH },
      });
      const [outcome] = await runSmokeTest({
        specs: parseImports('src.api.health:router'),
        launcher,
        timeoutMs: 30_000,
        concurrency: 1,
        roots: [{ from: workspace, to: '' }],
        secrets: [],
        logger: new MemoryLogger(),
      });
      expect(outcome).toMatchObject({ ok: true });
    } finally {
      await rm(blocker, { recursive: true, force: true });
    }
  });

  test('an import that prints megabytes still reports its result', async () => {
    const launcher = hostLauncher({
      python: executable,
      workingDirectory: workspace,
      pythonpath: [],
      env: [],
      parentEnv: { PATH: process.env.PATH },
    });
    const [outcome] = await runSmokeTest({
      specs: parseImports('src.chatty:READY'),
      launcher,
      timeoutMs: 30_000,
      concurrency: 1,
      roots: [{ from: workspace, to: '' }],
      secrets: [],
      logger: new MemoryLogger(),
    });
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome!.output.length).toBeGreaterThan(1_000_000);
  });

  test(`nothing was written into the workspace (${minor})`, async () => {
    expect(await pycacheFolders(workspace)).toEqual([]);
  });
});
