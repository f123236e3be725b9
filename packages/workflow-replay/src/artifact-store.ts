// A workflow run's artifacts, with the semantics actions/upload-artifact v4+ and download-artifact document: an
// artifact belongs to the run (every attempt and every reusable-workflow call in it sees it), names are unique in
// the run ("Artifact names must be unique since each created artifact is idempotent": uploading a name the run
// has fails with a conflict unless overwrite: true), each upload gets a numeric ID, and download-artifact finds
// an artifact by name or by `artifact-ids`. Sources: upload-artifact v7.0.0 README ("Not uploading to the same
// artifact"), download-artifact v8.0.1 action.yml and src/download-artifact.ts.
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface StoredArtifact {
  id: number;
  runId: string;
  name: string;
  /** The attempt that uploaded it. */
  attempt: number;
  dir: string;
  /** sha256 of the files' bytes in name order: what download-artifact v8 checks. */
  digest: string;
}

export class ArtifactConflictError extends Error {
  override name = 'ArtifactConflictError';
}

export class ArtifactStore {
  private nextId = 1000;
  readonly artifacts: StoredArtifact[] = [];

  constructor(private readonly root: string) {}

  /** Uploads `files` (absolute paths) under `name`; refuses a name the run already has unless `overwrite`. */
  async upload(options: {
    runId: string;
    attempt: number;
    name: string;
    files: string[];
    overwrite?: boolean;
  }): Promise<StoredArtifact> {
    const existing = this.artifacts.findIndex((a) => a.runId === options.runId && a.name === options.name);
    if (existing >= 0 && !options.overwrite) {
      throw new ArtifactConflictError(
        `Failed to CreateArtifact: an artifact named "${options.name}" already exists in run ${options.runId} (409 Conflict)`,
      );
    }
    if (existing >= 0) this.artifacts.splice(existing, 1);
    const id = this.nextId++;
    const dir = path.join(this.root, String(id));
    await mkdir(dir, { recursive: true });
    const hash = createHash('sha256');
    for (const file of [...options.files].sort()) {
      await cp(file, path.join(dir, path.basename(file)), { recursive: true });
      if ((await stat(file)).isFile()) hash.update(await readFile(file));
    }
    const artifact = {
      id,
      runId: options.runId,
      name: options.name,
      attempt: options.attempt,
      dir,
      digest: `sha256:${hash.digest('hex')}`,
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  /** Copies the artifacts with these IDs (of this run) into `destination`; one artifact goes there directly. */
  async downloadByIds(runId: string, ids: number[], destination: string): Promise<StoredArtifact[]> {
    const found = this.artifacts.filter((a) => a.runId === runId && ids.includes(a.id));
    if (found.length === 0) throw new Error('None of the provided artifact IDs were found');
    for (const artifact of found) {
      const target = found.length === 1 ? destination : path.join(destination, artifact.name);
      await mkdir(target, { recursive: true });
      for (const entry of await readdir(artifact.dir)) {
        await cp(path.join(artifact.dir, entry), path.join(target, entry), { recursive: true });
      }
    }
    return found;
  }

  /** The artifact of this run with this name. */
  byName(runId: string, name: string): StoredArtifact | undefined {
    return this.artifacts.find((a) => a.runId === runId && a.name === name);
  }
}
