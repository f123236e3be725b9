// Runs the docker CLI for the push: argument arrays only, secrets only on stdin, and always the step's own
// DOCKER_CONFIG so a login never touches the user's ~/.docker.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { ConfigurationError } from '@hokusai/action-kit';
import type { LocalImage } from './manifest.js';
import { classifyDockerFailure, failureLine } from './docker-output.js';

export interface DockerResult {
  code: number;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
}

export interface DockerApi {
  /** undefined when the image is not present locally. */
  inspectImage(reference: string): Promise<LocalImage | undefined>;
  login(registry: string, username: string, password: string): Promise<void>;
  /** `temporary`: the name is removed again by removeTemporaryTags() (or removeTemporaryTagsSync() on cancel). */
  tag(source: string, target: string, options?: { temporary?: boolean }): Promise<void>;
  /** Runs `docker push`; the caller decides what a failure means. `onLine` sees each output line. */
  push(reference: string, onLine: (line: string) => void): Promise<DockerResult>;
  removeTemporaryTags(): Promise<void>;
  logout(registry: string): Promise<void>;
}

export class DockerCli implements DockerApi {
  private readonly children = new Set<ChildProcess>();
  private readonly temporaryTags = new Set<string>();

  constructor(
    private readonly options: {
      env: Readonly<Record<string, string | undefined>>;
      /** The step's temporary DOCKER_CONFIG folder. */
      configDir: string;
      command?: string;
    },
  ) {}

  /** Ends every docker command still running (used when the step is cancelled). */
  killAll(): void {
    for (const child of this.children) child.kill('SIGTERM');
  }

  run(
    args: string[],
    options: { input?: string; onLine?: (line: string) => void } = {},
  ): Promise<DockerResult> {
    const command = this.options.command ?? 'docker';
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        env: { ...this.options.env, DOCKER_CONFIG: this.options.configDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      this.children.add(child);
      let output = '';
      let pending = '';
      const onData = (chunk: string) => {
        output += chunk;
        if (!options.onLine) return;
        pending += chunk;
        const lines = pending.split(/\r?\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') options.onLine(line);
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', onData);
      child.on('error', (error: NodeJS.ErrnoException) => {
        this.children.delete(child);
        reject(
          error.code === 'ENOENT'
            ? new ConfigurationError(`the docker CLI ("${command}") is not installed or not on PATH`)
            : error,
        );
      });
      child.on('close', (code) => {
        this.children.delete(child);
        if (pending.trim() !== '' && options.onLine) options.onLine(pending);
        resolve({ code: code ?? 1, output });
      });
      child.stdin.on('error', () => {
        // docker may exit before reading stdin (e.g. daemon down); its exit code tells the story.
      });
      child.stdin.end(options.input ?? '');
    });
  }

  /** A failure every docker command can have: the daemon is not there. */
  private checkDaemon(result: DockerResult): void {
    if (result.code !== 0 && classifyDockerFailure(result.output) === 'daemon-unreachable') {
      const where = this.options.env.DOCKER_HOST ? ` at ${this.options.env.DOCKER_HOST}` : '';
      throw new ConfigurationError(`the Docker daemon${where} is unreachable: ${failureLine(result.output)}`);
    }
  }

  async inspectImage(reference: string): Promise<LocalImage | undefined> {
    const result = await this.run(['image', 'inspect', '--format', '{{json .}}', reference]);
    this.checkDaemon(result);
    if (result.code !== 0) {
      if (/no such image/i.test(result.output)) return undefined;
      throw new Error(`docker image inspect ${reference} failed: ${failureLine(result.output)}`);
    }
    const data = JSON.parse(result.output.trim().split('\n')[0]!) as {
      Id: string;
      RepoTags?: string[] | null;
      RepoDigests?: string[] | null;
      Size?: number;
      Os?: string;
      Architecture?: string;
      Config?: { Labels?: Record<string, string> | null };
    };
    return {
      id: data.Id,
      repoTags: data.RepoTags ?? [],
      repoDigests: data.RepoDigests ?? [],
      size: data.Size ?? 0,
      os: data.Os ?? 'linux',
      architecture: data.Architecture ?? 'amd64',
      labels: data.Config?.Labels ?? {},
    };
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    const result = await this.run(['login', '--username', username, '--password-stdin', registry], {
      input: `${password}\n`,
    });
    this.checkDaemon(result);
    if (result.code !== 0) {
      const kind = classifyDockerFailure(result.output);
      const reason =
        kind === 'denied'
          ? 'the registry rejected the ECR authorization token'
          : 'the registry is unreachable';
      throw new ConfigurationError(
        `docker login to ${registry} failed (${reason}): ${failureLine(result.output)}`,
      );
    }
  }

  async tag(source: string, target: string, options: { temporary?: boolean } = {}): Promise<void> {
    const result = await this.run(['image', 'tag', source, target]);
    this.checkDaemon(result);
    if (result.code !== 0)
      throw new Error(`docker tag ${source} ${target} failed: ${failureLine(result.output)}`);
    if (options.temporary) this.temporaryTags.add(target);
  }

  async push(reference: string, onLine: (line: string) => void): Promise<DockerResult> {
    const result = await this.run(['image', 'push', reference], { onLine });
    this.checkDaemon(result);
    return result;
  }

  // --no-prune: only the name goes; the image stays for the steps after this one.
  async removeTemporaryTags(): Promise<void> {
    for (const target of this.temporaryTags) {
      await this.run(['image', 'rm', '--no-prune', target]);
      this.temporaryTags.delete(target);
    }
  }

  /** For the cancel handler, which cannot wait for promises. */
  removeTemporaryTagsSync(): void {
    if (this.temporaryTags.size === 0) return;
    spawnSync(this.options.command ?? 'docker', ['image', 'rm', '--no-prune', ...this.temporaryTags], {
      env: { ...this.options.env, DOCKER_CONFIG: this.options.configDir },
      stdio: 'ignore',
      timeout: 5000,
    });
    this.temporaryTags.clear();
  }

  async logout(registry: string): Promise<void> {
    await this.run(['logout', registry]);
  }
}
