// End to end: the bundled dist/index.js run exactly as the runner runs it (harness), on real workspaces and real
// interpreters; expected positions and messages come from the interpreter itself.
import { afterEach, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPythons, runAction, type ActionRun } from '@hokusai/action-harness';
import { CRAFTED, FIXED_MODEL_REGISTRY, INCIDENT_MODEL_REGISTRY } from './crafted-sources.js';
import { oracleVerdict } from './python-oracle.js';

const ACTION = 'python-syntax-check';
const pythons = findPythons('3.8', '3.13');
const python313 = pythons.find((p) => p.minor === '3.13')!.executable;
const python38 = pythons.find((p) => p.minor === '3.8')!.executable;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function workspace(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'psc-e2e-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

async function check(dir: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  const run = await runAction({ action: ACTION, workspace: dir, inputs, timeoutMs: 120_000 });
  cleanups.push(() => run.cleanup());
  return run;
}

/** Every file name under `dir`, recursively. */
function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

const INCIDENT_TREE = {
  'src/__init__.py': '',
  'src/api/__init__.py': '',
  'src/api/main.py': 'from src.services.model_registry import ModelRegistry\n\nregistry = ModelRegistry()\n',
  'src/services/__init__.py': '',
  'src/services/model_registry.py': INCIDENT_MODEL_REGISTRY,
  'tests/test_registry.py': 'def test_nothing():\n    assert True\n',
};

describe('the incident', () => {
  test('annotates src/services/model_registry.py:26 with the interpreter message and fails the step', async () => {
    const dir = workspace(INCIDENT_TREE);
    const expected = oracleVerdict(python313, dir, 'src/services/model_registry.py')!;
    expect(expected.line).toBe(26);

    const run = await check(dir, { python: python313 });

    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error' && a.file);
    expect(errors).toEqual([
      {
        level: 'error',
        title: 'SyntaxError',
        file: 'src/services/model_registry.py',
        line: 26,
        col: expected.column!,
        endLine: expected.endLine!,
        endColumn: expected.endColumn!,
        message: expected.message,
      },
    ]);
    expect(run.log).toContain(
      `✗ src/services/model_registry.py:26:${expected.column}: SyntaxError: ${expected.message}`,
    );
    expect(run.annotations.at(-1)).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/^1 of 6 Python files/),
    });
    expect(run.outputs['files-checked']).toBe('6');
    expect(run.outputs['error-count']).toBe('1');
    expect(JSON.parse(readFileSync(run.outputs.report!, 'utf8'))).toEqual([
      {
        file: 'src/services/model_registry.py',
        line: 26,
        column: expected.column,
        endLine: expected.endLine,
        endColumn: expected.endColumn,
        message: expected.message,
        kind: 'SyntaxError',
      },
    ]);
    expect(path.dirname(path.dirname(run.outputs.report!))).toBe(run.runnerTemp);
    expect(run.summary).toContain('## Python syntax check');
    expect(run.summary).toContain('❌ 1 of 6 Python files failed to compile with Python 3.13.0');
    expect(run.summary).toContain('| `src/services/model_registry.py` | 26 |');
    expect(allFiles(dir).filter((f) => /__pycache__|\.pyc$/.test(f))).toEqual([]);
  });

  test('the fixed tree passes', async () => {
    const dir = workspace({ ...INCIDENT_TREE, 'src/services/model_registry.py': FIXED_MODEL_REGISTRY });
    const run = await check(dir, { python: python313 });
    expect(run.exitCode).toBe(0);
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(run.outputs['files-checked']).toBe('6');
    expect(run.outputs['error-count']).toBe('0');
    expect(JSON.parse(readFileSync(run.outputs.report!, 'utf8'))).toEqual([]);
    expect(run.summary).toContain('✅ 6 Python files compiled with Python 3.13.0');
  });

  test('fail-on-error: false reports the errors and lets the step pass', async () => {
    const dir = workspace(INCIDENT_TREE);
    const run = await check(dir, { python: python313, 'fail-on-error': 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['error-count']).toBe('1');
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.file)).toEqual([
      'src/services/model_registry.py',
    ]);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      expect.stringContaining('fail-on-error is false'),
    ]);
  });
});

describe('the interpreter decides', () => {
  // Files whose verdict differs between 3.8 and 3.13, found by asking both: no expectation is typed by hand.
  test.each([
    ['3.8', python38],
    ['3.13', python313],
  ])('Python %s: every crafted file gets that interpreter’s verdict and title', async (_minor, python) => {
    const files = Object.fromEntries(CRAFTED.map(({ name, bytes }) => [`crafted/${name}`, bytes]));
    const dir = workspace(files);
    const run = await check(dir, { python, paths: 'crafted' });
    const annotations = new Map(run.annotations.filter((a) => a.file).map((a) => [a.file!, a]));
    let failed = 0;
    for (const { name } of CRAFTED) {
      const expected = oracleVerdict(python, dir, `crafted/${name}`);
      const annotation = annotations.get(`crafted/${name}`);
      if (expected === null) {
        expect({ name, annotation }).toEqual({ name, annotation: undefined });
        continue;
      }
      failed++;
      expect({ name, title: annotation?.title, message: annotation?.message }).toEqual({
        name,
        title: expected.kind,
        message: expected.message,
      });
      if (expected.line !== null && expected.line >= 1) expect(annotation?.line).toBe(expected.line);
    }
    expect(run.outputs['error-count']).toBe(String(failed));
    expect(run.outputs['files-checked']).toBe(String(CRAFTED.length));
    expect(run.exitCode).toBe(1);
    expect(allFiles(dir).filter((f) => /__pycache__|\.pyc$/.test(f))).toEqual([]);
  });
});

describe('file names and file system oddities', () => {
  const ODD_NAMES = [
    'my file.py',
    'a,b.py',
    'c:d.py',
    'ünïcödé.py',
    'new\nline.py',
    '100%.py',
    'semi;colon.py',
    '-dash.py',
    '::error::injected.py',
    'x\n::warning::y.py',
  ];

  test('annotations carry odd file names exactly (spaces, commas, colons, non-ASCII, newlines, percent)', async () => {
    // Names are untrusted: one at the workspace root starts with "::", one has a newline then "::".
    const names = [...ODD_NAMES.map((n) => `odd/${n}`), '::notice::root.py'];
    const dir = workspace(Object.fromEntries(names.map((name) => [name, 'def f(:\n    pass\n'])));
    const run = await check(dir, { python: python313 });
    expect(run.exitCode).toBe(1);
    const files = run.annotations.filter((a) => a.level === 'error' && a.file).map((a) => a.file);
    expect(files.sort()).toEqual([...names].sort());
    expect(run.annotations.filter((a) => a.file).every((a) => a.line === 1 && a.col === 7)).toBe(true);
    // Only the annotations the action meant: one per file and the step's failure; no name became a command.
    expect(run.annotations).toHaveLength(names.length + 1);
    expect(run.log).toContain('✗ odd/x\\n::warning::y.py:1:7: SyntaxError');
    expect(run.log).toContain('✗ ::notice::root.py:1:7: SyntaxError');
    expect(run.outputs['error-count']).toBe(String(names.length));
    const report = JSON.parse(readFileSync(run.outputs.report!, 'utf8')) as Array<{ file: string }>;
    expect(report.map((r) => r.file).sort()).toEqual([...names].sort());
  });

  test('a name with spaces given on its own line of `paths` is one path', async () => {
    const dir = workspace({ 'my dir/bad file.py': 'return 1\n', 'other.py': 'return 2\n' });
    const run = await check(dir, { python: python313, paths: 'my dir/bad file.py' });
    expect(run.outputs['files-checked']).toBe('1');
    expect(run.annotations.filter((a) => a.file).map((a) => a.file)).toEqual(['my dir/bad file.py']);
  });

  test('symlink loops, broken symlinks, links out of the workspace and FIFOs neither hang nor crash it', async () => {
    const dir = workspace({ 'pkg/good.py': 'x = 1\n', 'pkg/sub/bad.py': 'nonlocal x\n' });
    const outside = mkdtempSync(path.join(tmpdir(), 'psc-outside-'));
    cleanups.push(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(path.join(outside, 'elsewhere.py'), 'return 1\n');
    symlinkSync('..', path.join(dir, 'pkg/sub/loop'));
    symlinkSync('.', path.join(dir, 'pkg/self'));
    symlinkSync('missing.py', path.join(dir, 'pkg/dangling.py'));
    symlinkSync(outside, path.join(dir, 'pkg/outside'));
    symlinkSync('sub/bad.py', path.join(dir, 'pkg/alias.py'));
    execFileSync('mkfifo', [path.join(dir, 'pkg/pipe.py')]);

    const run = await check(dir, { python: python313 });

    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(
      run.annotations
        .filter((a) => a.level === 'error' && a.file)
        .map((a) => a.file)
        .sort(),
    ).toEqual(['pkg/alias.py', 'pkg/sub/bad.py']);
    expect(run.outputs['files-checked']).toBe('3');
    const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^skipped pkg\/dangling\.py: broken symlink/),
        'skipped pkg/pipe.py: not a regular file (FIFO, socket or device)',
      ]),
    );
    expect(run.summary).toContain('skipped');
  });

  test('a 4 MB module is compiled like any other, its error found on its last line', async () => {
    const lines = Array.from({ length: 120_000 }, (_, i) => `    "${String(i).padStart(8, '0')}-payload",\n`);
    const huge = `DATA = [\n${lines.join('')}]\n\ndef broken(:\n    pass\n`;
    const dir = workspace({ 'data/huge.py': huge, 'app.py': 'x = 1\n' });
    const expected = oracleVerdict(python313, dir, 'data/huge.py')!;
    const run = await check(dir, { python: python313 });
    expect(run.outputs['files-checked']).toBe('2');
    expect(run.annotations.filter((a) => a.file)).toEqual([
      expect.objectContaining({ file: 'data/huge.py', line: expected.line, message: expected.message }),
    ]);
    expect(expected.line).toBe(120_004);
  });

  test('always-excluded folders and the exclude input are left out', async () => {
    const broken = 'def f(:\n';
    const dir = workspace({
      'app.py': 'x = 1\n',
      '.venv/lib/bad.py': broken,
      'venv/bad.py': broken,
      'node_modules/x/bad.py': broken,
      'build/__pycache__/bad.py': broken,
      'lib/site-packages/bad.py': broken,
      'generated/api_pb2.py': broken,
      'legacy/py2.py': 'print "hello"\n',
      'src/keep.py': broken,
    });
    const run = await check(dir, { python: python313, exclude: 'legacy\n*_pb2.py' });
    expect(run.outputs['files-checked']).toBe('2');
    expect(run.annotations.filter((a) => a.file).map((a) => a.file)).toEqual(['src/keep.py']);
  });

  test('globs select files; a glob that matches nothing in an existing folder is a warning', async () => {
    const dir = workspace({ 'src/a.py': 'x = 1\n', 'src/deep/b.py': 'return\n', 'scripts/c.py': 'return\n' });
    const run = await check(dir, { python: python313, paths: 'src/**/*.py scripts/**/gen_*.py' });
    expect(run.outputs['files-checked']).toBe('2');
    expect(run.annotations.filter((a) => a.file).map((a) => a.file)).toEqual(['src/deep/b.py']);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      'input "paths": "scripts/**/gen_*.py" matched no Python file',
    ]);
  });

  test('a glob under a misspelt folder fails in one line naming the input, not green with 0 files', async () => {
    const dir = workspace({ 'src/a.py': 'return\n' });
    const run = await check(dir, { python: python313, paths: 'scr/**/*.py' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => [a.level, a.message])).toEqual([
      [
        'error',
        'input "paths": "scr/**/*.py" is under the folder "scr", which does not exist in the workspace',
      ],
    ]);
  });
});

describe('git', () => {
  function repo(files: Record<string, string>): string {
    const dir = workspace(files);
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    return dir;
  }

  test('files .gitignore ignores are left out unless respect-gitignore is false; tracked ones stay in', async () => {
    const dir = repo({
      '.gitignore': 'build/\n*.generated.py\n',
      'app.py': 'x = 1\n',
      'tracked.generated.py': 'return 1\n',
    });
    git(dir, 'add', '-f', 'tracked.generated.py');
    git(dir, 'commit', '-q', '-m', 'tracked despite the ignore rule');
    mkdirSync(path.join(dir, 'build/lib'), { recursive: true });
    writeFileSync(path.join(dir, 'build/lib/copy.py'), 'def f(:\n');
    writeFileSync(path.join(dir, 'untracked.generated.py'), 'def f(:\n');

    const respected = await check(dir, { python: python313 });
    expect(respected.annotations.filter((a) => a.file).map((a) => a.file)).toEqual(['tracked.generated.py']);
    expect(respected.outputs['files-checked']).toBe('2');

    const all = await check(dir, { python: python313, 'respect-gitignore': 'false' });
    expect(
      all.annotations
        .filter((a) => a.file)
        .map((a) => a.file)
        .sort(),
    ).toEqual(['build/lib/copy.py', 'tracked.generated.py', 'untracked.generated.py']);
  });

  test('changed-since checks only files changed since the ref, committed or not, plus untracked ones', async () => {
    const dir = repo({ 'old_broken.py': 'return 1\n', 'untouched.py': 'x = 1\n', 'edited.py': 'x = 1\n' });
    git(dir, 'tag', 'base');
    writeFileSync(path.join(dir, 'committed.py'), 'nonlocal x\n');
    git(dir, 'add', 'committed.py');
    git(dir, 'commit', '-q', '-m', 'next');
    writeFileSync(path.join(dir, 'edited.py'), 'x = (\n');
    writeFileSync(path.join(dir, 'new file.py'), 'x = 2\n');

    const run = await check(dir, { python: python313, 'changed-since': 'base' });
    expect(run.outputs['files-checked']).toBe('3');
    expect(
      run.annotations
        .filter((a) => a.file)
        .map((a) => a.file)
        .sort(),
    ).toEqual(['committed.py', 'edited.py']);
    expect(run.summary).toContain('changed since `base`');

    const bad = await check(dir, { python: python313, 'changed-since': 'no-such-ref' });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.map((a) => a.message)).toEqual([
      'input "changed-since": "no-such-ref" is not a commit in this repository (with actions/checkout, fetch it: fetch-depth: 0)',
    ]);
  });
});

describe('mistakes in the inputs: one clear line, no stack trace', () => {
  test.each<{ name: string; inputs: Record<string, string>; message: string | RegExp }>([
    {
      name: 'a path that does not exist',
      inputs: { paths: 'src\nmissing.py' },
      message: 'input "paths": "missing.py" does not exist in the workspace',
    },
    {
      name: 'a path outside the workspace',
      inputs: { paths: '../elsewhere' },
      message: /^input "paths": path "\.\.\/elsewhere" is outside the workspace/,
    },
    {
      name: 'an interpreter that is not installed',
      inputs: { python: 'python9.9' },
      message: /^input "python": interpreter "python9\.9" not found/,
    },
    {
      name: 'a non-boolean',
      inputs: { 'fail-on-error': 'yes' },
      message: 'invalid boolean "yes" for input "fail-on-error" (use true or false)',
    },
    {
      name: 'a ref that looks like an option',
      inputs: { 'changed-since': '--output=x' },
      message: 'invalid git ref "--output=x" for input "changed-since"',
    },
  ])('$name', async ({ inputs, message }) => {
    const dir = workspace({ 'src/app.py': 'x = 1\n' });
    const run = await check(dir, { python: python313, ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]!.message).toEqual(
      typeof message === 'string' ? message : expect.stringMatching(message),
    );
    expect(run.log).not.toMatch(/\n\s+at /);
  });

  test('nothing matched fails: a gate that checked nothing does not pass; the summary says so', async () => {
    const dir = workspace({ 'README.md': '# no python here\n', 'src/gen_a.pyx': 'x = 1\n' });
    const run = await check(dir, { python: python313, paths: 'src/**/*.py' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['files-checked']).toBe('0');
    expect(run.annotations.map((a) => [a.level, a.message])).toEqual([
      ['warning', 'input "paths": "src/**/*.py" matched no Python file'],
      [
        'error',
        'no Python file matched input "paths" (src/**/*.py): nothing was checked; fix "paths", or set allow-empty: true if that is expected',
      ],
    ]);
    expect(run.summary).toContain(
      '❌ no Python file matched input "paths" (src/\\*\\*/\\*.py): nothing was checked.',
    );
  });

  test('allow-empty: true lets a run with no Python file pass, with a warning', async () => {
    const dir = workspace({ 'README.md': '# no python here\n' });
    const run = await check(dir, { python: python313, 'allow-empty': 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['files-checked']).toBe('0');
    expect(run.annotations.map((a) => [a.level, a.message])).toEqual([
      ['warning', 'no Python file matched input "paths" (.): nothing to check (allow-empty is true)'],
    ]);
  });
});
