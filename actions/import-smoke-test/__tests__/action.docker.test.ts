// End to end inside a real image: built in the test FROM the Python base image with the sample app at WORKDIR
// /app, then dist/index.js run as the runner runs it with `image` set.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, requirePythonBaseImage, runAction, type ActionRun } from '@hokusai/action-harness';
import type { Report } from '../src/report.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'app');
const image = `hokusai-import-smoke-test:${randomBytes(4).toString('hex')}`;
const cleanups: Array<() => Promise<void>> = [];
let workspace: string;

function docker(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('docker', args, { encoding: 'utf8' });
}

beforeAll(async () => {
  const base = requirePythonBaseImage();
  const context = await mkdtemp(path.join(tmpdir(), 'hokusai-import-smoke-image-'));
  cleanups.push(() => rm(context, { recursive: true, force: true }));
  await cp(path.join(fixture, 'src'), path.join(context, 'src'), { recursive: true });
  await writeFile(path.join(context, 'Dockerfile'), `FROM ${base}\nWORKDIR /app\nCOPY src /app/src\n`);
  const build = docker(['build', '--quiet', '--tag', image, context]);
  if (build.status !== 0) throw new Error(`docker build failed: ${build.stderr}`);
  // The workspace the image was built from (annotations map /app back to it); the container never sees it.
  workspace = await mkdtemp(path.join(tmpdir(), 'hokusai-import-smoke-docker-ws-'));
  cleanups.push(() => rm(workspace, { recursive: true, force: true }));
}, 120_000);

afterAll(async () => {
  docker(['image', 'rm', '--force', image]);
  await Promise.all(cleanups.map((c) => c()));
});

async function run(inputs: Record<string, string>): Promise<ActionRun> {
  const result = await runAction({
    action: 'import-smoke-test',
    workspace,
    inputs: { image, ...inputs },
    timeoutMs: 120_000,
  });
  cleanups.push(() => result.cleanup());
  return result;
}

function leftoverContainers(state: 'all' | 'running' = 'all'): string[] {
  const filters = ['--filter', 'name=hokusai-import-smoke-'];
  if (state === 'running') filters.push('--filter', 'status=running');
  const ps = docker(['ps', '--all', ...filters, '--format', '{{.Names}}']);
  return ps.stdout.split('\n').filter((n) => n !== '');
}

describe('inside a Docker image', () => {
  test('the incident and a missing dependency are annotated at workspace paths mapped from WORKDIR', async () => {
    const result = await run({
      imports: 'from src.api.main import app\nimport src.workers.queue\nsrc.api.health:router\nsrc.cycle.a',
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ imported: '1', failed: '3' });
    const errors = result.annotations.filter((a) => a.file !== undefined);
    expect(errors.map((a) => [a.level, a.file, a.line])).toEqual([
      ['error', 'src/services/model_registry.py', 26],
      ['error', 'src/workers/queue.py', 4],
      ['error', 'src/cycle/b.py', 2],
    ]);
    // The traceback shows the container's own paths.
    expect(result.log).toContain('File "/app/src/services/model_registry.py", line 26');
    expect(result.log).toContain('(working directory /app, network none)');
    expect(result.summary).toContain(`in image \`${image}\` (network: none)`);
    const report = JSON.parse(await readFile(result.outputs.report!, 'utf8')) as Report;
    expect(report).toMatchObject({ image, pythonVersion: expect.stringMatching(/^3\.\d+\.\d+$/), failed: 3 });
    expect(leftoverContainers()).toEqual([]);
  });

  test('working-directory names the workspace folder the WORKDIR was built from', async () => {
    const result = await run({
      imports: 'from src.api.main import app',
      'working-directory': 'services/api',
    });
    expect(result.annotations[0]).toMatchObject({
      file: 'services/api/src/services/model_registry.py',
      line: 26,
    });
  });

  test('env reaches the container through the environment and never shows in the log', async () => {
    const secret = 'postgres://app:C0ntainer-S3cret@db.internal/app';
    const result = await run({ imports: 'src.config', env: `DATABASE_URL=${secret}` });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ imported: '1', failed: '0' });
    expect(result.leaksOf(secret)).toEqual([]);
    expect(result.summary).not.toContain(secret);
  });

  test('a hang is killed at the timeout, points at its line and leaves no container behind', async () => {
    const result = await run({ imports: 'from src.slow import hang', timeout: '3s' });
    expect(result.exitCode).toBe(1);
    expect(result.annotations[0]).toMatchObject({
      level: 'error',
      title: 'import-smoke-test: import timed out',
      file: 'src/slow/hang.py',
      line: 7,
    });
    expect(leftoverContainers()).toEqual([]);
  });

  test('a cancelled step (SIGTERM) removes its running containers', async () => {
    let importing = false;
    // The cancellation is sent once the test has seen what it cancels, not after a fixed delay.
    let cancel!: () => void;
    const cancelled = new Promise<void>((resolve) => (cancel = resolve));
    let ended = false;
    const pending = runAction({
      action: 'import-smoke-test',
      workspace,
      inputs: { image, imports: 'from src.slow import hang\nsrc.slow.hang', timeout: '5m' },
      timeoutMs: 60_000,
      signal: 'SIGTERM',
      signalWhen: cancelled,
      onStdout: (chunk) => {
        if (chunk.includes('importing 2 module reference(s)')) importing = true;
      },
    });
    // Both import containers (the probe's has ended by the "importing" line) must be running before the
    // cancellation, or the test proves nothing.
    void pending.then(() => (ended = true));
    let running: string[] = [];
    while (!ended && !(importing && running.length === 2)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      running = leftoverContainers('running');
    }
    expect(running).toHaveLength(2);
    cancel();
    const result = await pending;
    cleanups.push(() => result.cleanup());
    expect(result.exitCode).toBe(1);
    expect(result.timedOut).toBe(false);
    expect(leftoverContainers()).toEqual([]);
  });

  describe('network', () => {
    let server: net.Server;
    let port: number;
    let connections = 0;
    beforeAll(async () => {
      port = await freePort();
      server = net.createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    test('--network none by default: an import that opens a socket to the runner fails', async () => {
      const result = await run({
        imports: 'src.net.phone_home',
        env: `PHONE_HOME_HOST=127.0.0.1\nPHONE_HOME_PORT=${port}`,
      });
      expect(result.exitCode).toBe(1);
      // (The port number is not masked: a number cannot be a secret; a warning says so.)
      const failure = result.annotations.find((a) => a.level === 'error');
      expect(failure).toMatchObject({ file: 'src/net/phone_home.py', line: 5 });
      expect(failure!.title).toMatch(/ConnectionRefusedError|OSError/);
      expect(connections).toBe(0);
    });

    test('control: with network "host" the same import reaches the runner', async () => {
      const result = await run({
        imports: 'src.net.phone_home',
        env: `PHONE_HOME_HOST=127.0.0.1\nPHONE_HOME_PORT=${port}`,
        network: 'host',
      });
      expect(result.exitCode).toBe(0);
      expect(connections).toBe(1);
    });
  });

  test('an image that is not there fails in one line', async () => {
    const result = await run({ imports: 'src.api.health', image: 'hokusai-import-smoke-test:no-such-tag' });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(
      'image "hokusai-import-smoke-test:no-such-tag" (input "image") is not available',
    );
  });

  test('an interpreter the image does not have fails in one line', async () => {
    const result = await run({ imports: 'src.api.health', python: 'python9' });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(
      `interpreter "python9" (input "python") could not be run in image ${image}`,
    );
    expect(errors[0]!.message).toContain('"python9": executable file not found');
    expect(errors[0]!.message).not.toContain("Run 'docker run --help'");
  });
});
