// End to end: the bundled dist/index.js run as the runner runs it, with real interpreters and a real mypy
// (Debian's python3-mypy for /usr/bin/python3): type errors annotated at file:line when the repository configures
// mypy, nothing when it does not, a clear warning when it is configured but missing; and Python scripts without
// .py found by their shebang.
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPythons, runAction, type ActionRun } from '@hokusai/action-harness';

const SYSTEM_PYTHON = '/usr/bin/python3';
// pyenv's: no mypy installed for them. Debian's mypy 1.0 cannot read a 3.12 environment, so the PATH fallback
// (mypy --python-executable) is shown with 3.11.
const python312 = findPythons('3.12', '3.12')[0]!.executable;
const python311 = findPythons('3.11', '3.11')[0]!.executable;

beforeAll(() => {
  const probe = spawnSync(SYSTEM_PYTHON, ['-m', 'mypy', '--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `prerequisite missing: mypy for ${SYSTEM_PYTHON} (apt-get install -y python3-mypy; .ci/setup does it)`,
    );
  }
  for (const python of [python311, python312]) {
    const none = spawnSync(python, ['-c', 'import mypy'], { encoding: 'utf8' });
    if (none.status === 0) throw new Error(`${python} has mypy installed: these tests need one without it`);
  }
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function workspace(files: Record<string, string>, executable: string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'psc-mypy-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  for (const name of executable) chmodSync(path.join(dir, name), 0o755);
  return dir;
}

async function check(dir: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  const run = await runAction({
    action: 'python-syntax-check',
    workspace: dir,
    inputs,
    env,
    timeoutMs: 180_000,
  });
  cleanups.push(() => run.cleanup());
  return run;
}

const errorsOf = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'error').map((a) => [a.file, a.line, a.col, a.title, a.message]);

const TYPED_APP = {
  'src/__init__.py': '',
  'src/services/__init__.py': '',
  'src/services/model_registry.py': 'def latest_version(name: str) -> int:\n    return "v" + name\n',
  'src/api/__init__.py': '',
  'src/api/main.py':
    'from src.services.model_registry import latest_version\n\nversion: int = latest_version(42)\n',
};

describe('mypy', () => {
  test.each([
    ['mypy.ini', '[mypy]\nwarn_unused_configs = True\n'],
    ['pyproject.toml', '[project]\nname = "api"\nversion = "1"\n\n[tool.mypy]\nwarn_unused_configs = true\n'],
    ['setup.cfg', '[metadata]\nname = api\n\n[mypy]\nwarn_unused_configs = True\n'],
  ])(
    'configured in %s: every type error annotated at file:line:column, the step fails',
    async (file, text) => {
      const run = await check(workspace({ ...TYPED_APP, [file]: text }), { python: SYSTEM_PYTHON });
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)).toEqual([
        [
          'src/api/main.py',
          3,
          31,
          'mypy [arg-type]',
          'Argument 1 to "latest_version" has incompatible type "int"; expected "str"',
        ],
        [
          'src/services/model_registry.py',
          2,
          12,
          'mypy [return-value]',
          'Incompatible return value type (got "str", expected "int")',
        ],
        [undefined, undefined, undefined, undefined, 'mypy found 2 type error(s)'],
      ]);
      expect(run.outputs).toMatchObject({ 'error-count': '0', mypy: 'failed', 'mypy-errors': '2' });
      expect(run.summary).toContain('### mypy');
      expect(run.summary).toContain('| `src/services/model_registry.py` | 2 | 12 | `return-value` |');
    },
  );

  test('the files option of the configuration decides what mypy checks', async () => {
    const dir = workspace({ ...TYPED_APP, 'mypy.ini': '[mypy]\nfiles = src/services\n' });
    const run = await check(dir, { python: SYSTEM_PYTHON });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).map((e) => e[0])).toEqual(['src/services/model_registry.py', undefined]);
    expect(run.summary).toContain('mypy.ini sets files = src/services');
  });

  test('correct code passes, and no mypy cache is left in the workspace', async () => {
    const dir = workspace({
      'app.py': 'def double(x: int) -> int:\n    return 2 * x\n\nprint(double(2))\n',
      'pyproject.toml': '[tool.mypy]\nstrict = true\n',
    });
    const run = await check(dir, { python: SYSTEM_PYTHON });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ mypy: 'passed', 'mypy-errors': '0' });
    expect(run.summary).toContain('no type errors');
    expect(spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.split('\n')).not.toContain(
      '.mypy_cache',
    );
  });

  test('not configured: auto does not run mypy and says nothing in the summary', async () => {
    const run = await check(workspace(TYPED_APP), { python: SYSTEM_PYTHON });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.mypy).toBe('skipped');
    expect(run.summary).not.toContain('mypy');
  });

  test('mypy: true runs it without a configuration; mypy: false never', async () => {
    const dir = workspace({ ...TYPED_APP, 'mypy.ini': '[mypy]\n' });
    expect((await check(workspace(TYPED_APP), { python: SYSTEM_PYTHON, mypy: 'true' })).outputs.mypy).toBe(
      'failed',
    );
    const off = await check(dir, { python: SYSTEM_PYTHON, mypy: 'false' });
    expect([off.exitCode, off.outputs.mypy]).toEqual([0, 'skipped']);
  });

  test('configured but not installed for the interpreter: a warning, the gate still passes on syntax', async () => {
    const run = await check(
      workspace({ ...TYPED_APP, 'mypy.ini': '[mypy]\n' }),
      { python: python312 },
      {
        PATH: '/usr/bin:/bin', // no mypy command either
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.mypy).toBe('not-installed');
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      expect.stringMatching(/^mypy is configured \(mypy\.ini\) but not installed for .*: pip install mypy/),
    ]);
  });

  test('a mypy on PATH checks the app interpreter through --python-executable', async () => {
    const bin = mkdtempSync(path.join(tmpdir(), 'psc-mypy-bin-'));
    cleanups.push(() => rmSync(bin, { recursive: true, force: true }));
    writeFileSync(path.join(bin, 'mypy'), `#!/bin/sh\nexec ${SYSTEM_PYTHON} -m mypy "$@"\n`, { mode: 0o755 });
    const run = await check(
      workspace({ ...TYPED_APP, 'mypy.ini': '[mypy]\n' }),
      { python: python311 },
      { PATH: `${bin}:/usr/bin:/bin` },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ mypy: 'failed', 'mypy-errors': '2' });
    expect(run.summary).toContain('`mypy --python-executable ');
  });

  test('syntax errors first: mypy does not run on code that does not compile', async () => {
    const dir = workspace({ ...TYPED_APP, 'src/broken.py': 'def f(:\n', 'mypy.ini': '[mypy]\n' });
    const run = await check(dir, { python: SYSTEM_PYTHON });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ 'error-count': '1', mypy: 'skipped' });
    expect(run.summary).toContain('Not run: files do not compile: fix the syntax errors first.');
  });

  test('a pyproject.toml that does not parse: one line naming it', async () => {
    const run = await check(workspace({ 'a.py': 'x = 1\n', 'pyproject.toml': '[tool.mypy\n' }), {
      python: SYSTEM_PYTHON,
    });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).map((e) => e[4])).toEqual([
      expect.stringMatching(/^pyproject\.toml does not parse/),
    ]);
  });
});

describe('scripts without .py', () => {
  test('a broken Python script found by its shebang is annotated; .gitignore and exclude apply', async () => {
    const dir = workspace(
      {
        'app.py': 'x = 1\n',
        'bin/manage': '#!/usr/bin/env python3\nimport sys\n\ndef main(argv:\n    return 0\n',
        'bin/deploy': '#!/bin/bash\nset -e\necho "deploy (((("\n',
        'scratch/tool': '#!/usr/bin/env python3\ndef broken(:\n',
        'legacy/run': '#!/usr/bin/python3\nprint "py2"\n',
        '.gitignore': 'scratch/\n',
      },
      ['bin/manage', 'bin/deploy'],
    );
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const run = await check(dir, { python: SYSTEM_PYTHON, exclude: 'legacy' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['files-checked']).toBe('2');
    expect(
      errorsOf(run)
        .filter((e) => e[0])
        .map((e) => [e[0], e[1]]),
    ).toEqual([['bin/manage', 4]]);
    expect(run.log).toContain('1 script(s) without .py found by their Python shebang: bin/manage');
    expect(run.summary).toContain(
      'Including 1 script without `.py` found by its Python shebang: `bin/manage`.',
    );
  });
});
