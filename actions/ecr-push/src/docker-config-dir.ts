// The step's own DOCKER_CONFIG: a fresh folder under RUNNER_TEMP that holds the login while the step runs and is
// removed when it ends, also on failure and on cancellation (the push stops and main's finally removes it).
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
