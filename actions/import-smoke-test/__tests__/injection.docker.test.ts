// Issue 12, end to end: an imported module whose output and exception text are written to be executed by the
// runner, and that prints just the password of a DATABASE_URL given in `env`. On the runner and inside an image:
// no line the bundled action prints is a command the module made, and the password shows in no log, output,
// summary, state or temp file (the report JSON included).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  badInputProblems,
  HOSTILE_LINES,
  injectedCommands,
  requirePythonBaseImage,
  runAction,
  type ActionRun,
} from '@hokusai/action-harness';

const PASSWORD = 'Pw-7c1e-s3cr3t';
const DATABASE_URL = `postgres://app:${PASSWORD}@db.internal:5432/app`;
const image = `hokusai-import-smoke-injection:${randomBytes(4).toString('hex')}`;
const HOSTILE_MODULE = `import json, os, sys
HOSTILE = json.loads(${JSON.stringify(JSON.stringify(HOSTILE_LINES))})
password = os.environ["DATABASE_URL"].split(":")[2].split("@")[0]
for line in HOSTILE:
    print(line)
    print(line, file=sys.stderr)
print("connecting with", password)
print(password, file=sys.stderr)
raise RuntimeError("\\n".join(HOSTILE) + "\\npassword " + password)
`;
let workspace: string;
const runs: Record<'host' | 'image', ActionRun | undefined> = { host: undefined, image: undefined };

beforeAll(async () => {
  const base = requirePythonBaseImage();
  workspace = await mkdtemp(path.join(tmpdir(), 'hokusai-import-smoke-injection-'));
  await mkdir(path.join(workspace, 'src'), { recursive: true });
  await writeFile(path.join(workspace, 'src', '__init__.py'), '');
  await writeFile(path.join(workspace, 'src', 'hostile.py'), HOSTILE_MODULE);
  await writeFile(path.join(workspace, 'Dockerfile'), `FROM ${base}\nWORKDIR /app\nCOPY src /app/src\n`);
  const build = spawnSync('docker', ['build', '--quiet', '--tag', image, workspace], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`docker build failed: ${build.stderr}`);
  const inputs = { imports: 'import src.hostile', env: `DATABASE_URL=${DATABASE_URL}` };
  runs.host = await runAction({ action: 'import-smoke-test', workspace, inputs, timeoutMs: 120_000 });
  runs.image = await runAction({
    action: 'import-smoke-test',
    workspace,
    inputs: { ...inputs, image },
    timeoutMs: 120_000,
  });
}, 240_000);

afterAll(async () => {
  spawnSync('docker', ['image', 'rm', '--force', image]);
  await runs.host?.cleanup();
  await runs.image?.cleanup();
  await rm(workspace, { recursive: true, force: true });
});

describe.each(['host', 'image'] as const)('import-smoke-test with a hostile module (%s)', (mode) => {
  test('the import fails with its exception in the log', () => {
    const run = runs[mode]!;
    expect(run.exitCode).toBe(1);
    expect(run.outputs.failed).toBe('1');
    expect(run.stdout).toContain('INJECTED-1');
  });
  test('no line of stdout or stderr is a command the module made', () => {
    const run = runs[mode]!;
    expect(injectedCommands(run)).toEqual([]);
    expect(run.masks).not.toContain('hokusai');
  });
  test('the password is masked on its own and shows nowhere', async () => {
    const run = runs[mode]!;
    expect(run.masks).toEqual(expect.arrayContaining([DATABASE_URL, PASSWORD]));
    expect(await run.secretLeaks(PASSWORD)).toEqual([]);
  });
});

describe('import-smoke-test with an unknown network', () => {
  test('the error names input "network", not "python", and no container is left', async () => {
    const run = await runAction({
      action: 'import-smoke-test',
      workspace,
      inputs: { imports: 'import src', image, network: 'hokusai-no-such-network' },
      timeoutMs: 120_000,
    });
    try {
      expect(await badInputProblems(run, { input: 'network', says: 'does not exist' })).toEqual([]);
    } finally {
      await run.cleanup();
    }
  });
});
