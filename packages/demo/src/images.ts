// The example API's images: built with the real Docker engine when one answers, else described by name only
// (the emulator needs image names, not images). The crash output always comes from really running the broken code.
import { spawn, spawnSync } from 'node:child_process';
import { PYTHON_BASE_IMAGE } from '@hokusai/action-harness';
import type { Commit } from './workspace.js';

export const LOCAL_REPOSITORY = 'hokusai-demo/api';

export function dockerReady(): boolean {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (info.status !== 0) return false;
  return spawnSync('docker', ['image', 'inspect', PYTHON_BASE_IMAGE], { encoding: 'utf8' }).status === 0;
}

function docker(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync('docker', args, { encoding: 'utf8', env: options.env ?? process.env });
  if (result.status !== 0) {
    throw new Error(
      `docker ${args[0]} failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  return result.stdout;
}

/** docker build -f Dockerfile.api -t hokusai-demo/api:<sha> <commit dir> */
export function buildImage(commit: Commit, sha = commit.sha): string {
  const tag = `${LOCAL_REPOSITORY}:${sha}`;
  docker([
    'build',
    '-q',
    '-f',
    `${commit.dir}/Dockerfile.api`,
    '--build-arg',
    `BASE_IMAGE=${PYTHON_BASE_IMAGE}`,
    '-t',
    tag,
    commit.dir,
  ]);
  return tag;
}

export function removeImages(tags: string[]): void {
  if (tags.length) spawnSync('docker', ['image', 'rm', '-f', ...tags], { encoding: 'utf8' });
}

/**
 * Starts the API the way its container does (`python3 -m src.serve`) and returns what it wrote before it died:
 * inside the image when Docker is here, else with the host's python3 in the commit's folder.
 */
export async function captureCrash(
  commit: Commit,
  image?: string,
): Promise<{ exitCode: number | null; lines: string[] }> {
  const [command, args, cwd] = image
    ? ['docker', ['run', '--rm', '--network', 'none', image], undefined]
    : ['python3', ['-m', 'src.serve'], commit.dir];
  const child = spawn(command, args, { cwd, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  return { exitCode, lines: output.replace(/\n$/, '').split('\n') };
}

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

/** Serves a commit's API on a loopback port: its container when Docker is here, else the host's python3. */
export async function serveApi(
  commit: Commit,
  port: number,
  apiKey: string,
  image?: string,
): Promise<RunningApi> {
  const env = { ...process.env, API_KEY: apiKey, PORT: '8000', PYTHONDONTWRITEBYTECODE: '1' };
  let stop: () => Promise<void>;
  if (image) {
    const name = `hokusai-demo-api-${commit.sha}-${port}`;
    // The key reaches the container through docker's own environment (`-e API_KEY`), never the command line.
    docker(['run', '-d', '--rm', '--name', name, '-p', `127.0.0.1:${port}:8000`, '-e', 'API_KEY', image], {
      env,
    });
    stop = async () => {
      spawnSync('docker', ['rm', '-f', name], { encoding: 'utf8' });
    };
  } else {
    const child = spawn('python3', ['-m', 'src.serve'], {
      cwd: commit.dir,
      env: { ...env, PORT: String(port) },
      stdio: 'ignore',
    });
    stop = async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    };
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}
