// Each action exported on its own (what release.yml publishes as hokusai/<action>) loads and runs its bundle from
// a folder with nothing around it, and its bundle names nothing outside dist/. A missing action.yml, README.md or
// dist/index.js fails here: other engineers' actions are expected to be complete by release time.
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, runAction } from '@hokusai/action-harness';
import {
  ACTIONS,
  exportAction,
  ExportError,
  findOutsideReferences,
  markdownLinks,
  type ActionName,
} from '../src/index.js';

const temp = mkdtempSync(path.join(tmpdir(), 'hokusai-action-export-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Per action: inputs that pass the required ones and break one, and the input the error must name. */
const BAD_INPUT: Record<ActionName, { inputs: Record<string, string>; input: string; value: string }> = {
  'python-syntax-check': { inputs: { 'fail-on-error': 'maybe' }, input: 'fail-on-error', value: 'maybe' },
  'import-smoke-test': {
    inputs: { imports: 'src.api.main:app', timeout: '5x' },
    input: 'timeout',
    value: '5x',
  },
  'ecr-push': {
    inputs: { image: 'hokusai-export-test:none', repository: 'hokusai-api', 'skip-existing': 'maybe' },
    input: 'skip-existing',
    value: 'maybe',
  },
  'ecs-deploy-and-wait': {
    inputs: { cluster: 'c', service: 's', image: 'hokusai-api:1cdcfc3', timeout: '5x' },
    input: 'timeout',
    value: '5x',
  },
  'endpoint-probe': {
    inputs: { urls: 'http://127.0.0.1:9/health', timeout: '5x' },
    input: 'timeout',
    value: '5x',
  },
  'auto-rollback': { inputs: { cluster: 'c', service: 's', timeout: '5x' }, input: 'timeout', value: '5x' },
  'ecs-service-monitoring': {
    inputs: { cluster: 'c', service: 's', 'restart-window': '5x' },
    input: 'restart-window',
    value: '5x',
  },
};

/** No node_modules above the export: a bare import could otherwise still resolve from there. */
function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'node_modules'))) found.push(path.join(current, 'node_modules'));
    if (path.dirname(current) === current) return found;
  }
}

describe.each(ACTIONS.map((name) => ({ name })))('$name exported on its own', ({ name }) => {
  const exportDir = path.join(temp, name);

  test('holds action.yml, README.md and dist/ only, and its bundle reaches nothing outside dist/', async () => {
    const tree = await exportAction(repoRoot, name, exportDir);
    expect(tree.files).toEqual(expect.arrayContaining(['README.md', 'action.yml', 'dist/index.js']));
    expect(tree.files.every((f) => f === 'README.md' || f === 'action.yml' || f.startsWith('dist/'))).toBe(
      true,
    );
    expect(readdirSync(exportDir).sort()).toEqual(['README.md', 'action.yml', 'dist']);
    const distFiles = readdirSync(path.join(exportDir, 'dist'), { recursive: true }).map(String);
    const bundle = readFileSync(path.join(exportDir, 'dist', 'index.js'), 'utf8');
    expect(findOutsideReferences(bundle, distFiles)).toEqual([]);
    // Every relative link of the published README resolves in the published repository.
    const links = markdownLinks(readFileSync(path.join(exportDir, 'README.md'), 'utf8'))
      .filter((href) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(href))
      .map((href) => href.split('#')[0]!);
    expect(links.filter((href) => !existsSync(path.join(exportDir, decodeURI(href))))).toEqual([]);
  });

  test('runs its bundle from there and fails fast, in one line, on a bad input', async () => {
    if (!existsSync(path.join(exportDir, 'dist', 'index.js'))) await exportAction(repoRoot, name, exportDir);
    expect(nodeModulesAbove(exportDir)).toEqual([]);
    const bad = BAD_INPUT[name];
    const run = await runAction({
      action: exportDir,
      inputs: bad.inputs,
      // Any AWS call before validation would go to a closed loopback port and fail, not hang or leave.
      env: {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      },
      timeoutMs: 30_000,
    });
    try {
      expect({ exitCode: run.exitCode, timedOut: run.timedOut }).toEqual({ exitCode: 1, timedOut: false });
      const errors = run.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toContain(bad.input);
      expect(errors[0]!.message).toContain(bad.value);
      expect(errors[0]!.message).not.toContain('\n');
      // A module that failed to load would show up as a Node error with a stack, not as the action's own line.
      expect(run.log).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find module|^\s+at /m);
    } finally {
      await run.cleanup();
    }
  });
});

// The gate actions ship more than JavaScript (interpreter-side helpers): a real run from the export proves
// those travel with dist/ too. The AWS actions' real runs need moto or the emulator and are covered in their own
// e2e tests; here they prove they load and validate.
describe('the gate actions do their job from the export', () => {
  function workspace(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(temp, 'workspace-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  test('python-syntax-check annotates the broken line', async () => {
    const exportDir = path.join(temp, 'real-python-syntax-check');
    await exportAction(repoRoot, 'python-syntax-check', exportDir);
    const run = await runAction({
      action: exportDir,
      workspace: workspace({
        'src/api/main.py': 'app = object()\n',
        'src/services/model_registry.py': 'def load(name, version=None version2=None):\n    return name\n',
      }),
      timeoutMs: 60_000,
    });
    try {
      expect(run.exitCode).toBe(1);
      expect(run.outputs['files-checked']).toBe('2');
      expect(run.outputs['error-count']).toBe('1');
      expect(
        run.annotations.filter((a) => a.level === 'error' && a.file).map((a) => [a.file, a.line]),
      ).toEqual([['src/services/model_registry.py', 1]]);
    } finally {
      await run.cleanup();
    }
  });

  test('import-smoke-test imports a module on the host interpreter', async () => {
    const exportDir = path.join(temp, 'real-import-smoke-test');
    await exportAction(repoRoot, 'import-smoke-test', exportDir);
    const run = await runAction({
      action: exportDir,
      inputs: { imports: 'from src.api.main import app\nsrc.api.broken' },
      workspace: workspace({
        'src/__init__.py': '',
        'src/api/__init__.py': '',
        'src/api/main.py': 'app = object()\n',
        'src/api/broken.py': 'raise RuntimeError("config missing")\n',
      }),
      timeoutMs: 60_000,
    });
    try {
      expect(run.exitCode).toBe(1);
      expect([run.outputs.imported, run.outputs.failed]).toEqual(['1', '1']);
      expect(run.log).toContain('config missing');
    } finally {
      await run.cleanup();
    }
  });
});

test('a missing piece of an action is an error, not a skip', async () => {
  await expect(exportAction(repoRoot, 'no-such-action', path.join(temp, 'none'))).rejects.toThrow(
    new ExportError('actions/no-such-action does not exist'),
  );
});
