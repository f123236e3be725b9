// The step's own DOCKER_CONFIG: a fresh folder under RUNNER_TEMP that holds the login while the step runs and is
// removed when it ends, also on failure and on cancellation (SIGINT/SIGTERM from the runner).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';

export class TemporaryDockerConfig {
  private constructor(readonly dir: string) {}

  static create(parent: string): TemporaryDockerConfig {
    const dir = mkdtempSync(path.join(parent, 'ecr-push-docker-config-'));
    // A non-empty credHelpers map stops docker from choosing a desktop keyring helper on its own (it does that only
    // for a config without any auth settings), so the login lands in this folder, which we delete.
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ auths: {}, credHelpers: { 'ecr-push.invalid': 'none' } }, null, 2) + '\n',
      { mode: 0o600 },
    );
    return new TemporaryDockerConfig(dir);
  }

  removeSync(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Runs `cleanup` (synchronously) when the runner cancels the step, then exits as a signalled process would.
 * Returns a function that removes the handlers.
 */
export function onCancel(cleanup: () => void): () => void {
  const handlers: Array<[NodeJS.Signals, () => void]> = (['SIGINT', 'SIGTERM'] as const).map((signal) => [
    signal,
    () => {
      try {
        cleanup();
      } finally {
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
    },
  ]);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
