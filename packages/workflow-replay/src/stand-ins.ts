// Stand-ins for the third-party actions the reusable workflows use, doing on this machine what the real ones do on
// a runner (they need GitHub's or AWS's services): actions/checkout copies the caller's tree, actions/setup-python
// puts an interpreter on PATH as `python`, the artifact actions use the run's ArtifactStore (download by
// `artifact-ids` or `name`, as download-artifact v8 does), aws-actions/configure-aws-credentials exports the
// credentials and endpoint a test gives for that job. Each documents the real action's behaviour it keeps.
import { cp, mkdir, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore } from './artifact-store.js';
import type { StandIn } from './replay.js';

/** actions/checkout: the repository's files in the workspace (no .git unless the tree has one). */
export function checkoutStandIn(tree: string): StandIn {
  return async ({ workspace }) => {
    await cp(tree, workspace, { recursive: true });
    return {};
  };
}

/** actions/setup-python: `python` and `python3` on PATH for the later steps, pointing at `interpreter`. */
export function setupPythonStandIn(interpreter: string): StandIn {
  return async ({ runnerTemp }) => {
    const bin = path.join(runnerTemp, 'python-bin');
    await mkdir(bin, { recursive: true });
    for (const name of ['python', 'python3'])
      await symlink(interpreter, path.join(bin, name)).catch(() => undefined);
    return { path: [bin], outputs: { 'python-path': interpreter } };
  };
}

/**
 * actions/upload-artifact: `path` (one file or folder), `name` (default "artifact"), `overwrite`,
 * `if-no-files-found` (error fails, warn/ignore pass). Outputs artifact-id, artifact-digest, artifact-url.
 */
export function uploadArtifactStandIn(store: ArtifactStore): StandIn {
  return async ({ with: inputs, github }) => {
    const file = inputs.path ?? '';
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      if ((inputs['if-no-files-found'] ?? 'warn') === 'error') {
        throw new Error(
          `No files were found with the provided path: ${file}. No artifacts will be uploaded.`,
        );
      }
      return {};
    }
    const artifact = await store.upload({
      runId: github.run_id ?? '',
      attempt: Number(github.run_attempt ?? '1'),
      name: inputs.name || 'artifact',
      files: [file],
      overwrite: inputs.overwrite === 'true',
    });
    return {
      outputs: {
        'artifact-id': String(artifact.id),
        'artifact-digest': artifact.digest.replace(/^sha256:/, ''),
        'artifact-url': `https://github.com/${github.repository}/actions/runs/${github.run_id}/artifacts/${artifact.id}`,
      },
    };
  };
}

/** actions/download-artifact: `artifact-ids` (comma-separated) or `name`, not both; into `path` (the workspace). */
export function downloadArtifactStandIn(store: ArtifactStore): StandIn {
  return async ({ with: inputs, github, workspace }) => {
    const destination = inputs.path || workspace;
    const runId = github.run_id ?? '';
    if (inputs.name && inputs['artifact-ids']) {
      throw new Error("Inputs 'name' and 'artifact-ids' cannot be used together. Please specify only one.");
    }
    let ids: number[];
    if (inputs['artifact-ids']) {
      ids = inputs['artifact-ids']
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean)
        .map((id) => {
          if (!/^\d+$/.test(id)) throw new Error(`Invalid artifact ID: '${id}'. Must be a number.`);
          return Number(id);
        });
      if (ids.length === 0) throw new Error("No valid artifact IDs provided in 'artifact-ids' input");
    } else {
      const artifact = store.byName(runId, inputs.name ?? '');
      if (!artifact) throw new Error(`Artifact '${inputs.name}' not found`);
      ids = [artifact.id];
    }
    await store.downloadByIds(runId, ids, destination);
    return { outputs: { 'download-path': destination } };
  };
}

/** aws-actions/configure-aws-credentials: the environment a job gets (credentials, region, endpoint). */
export function awsCredentialsStandIn(
  envFor: (job: string, inputs: Record<string, string>) => Record<string, string>,
): StandIn {
  return async ({ job, with: inputs }) => ({
    env: {
      AWS_REGION: inputs['aws-region'] ?? '',
      AWS_DEFAULT_REGION: inputs['aws-region'] ?? '',
      ...envFor(job, inputs),
    },
  });
}
