// The example API as the demo's "repository" at two commits: the incident's broken one and the fix.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLE_API = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'example-api');
export const BROKEN_MODULE = 'src/services/model_registry.py';

export interface Commit {
  /** The short SHA the images are tagged with. */
  sha: string;
  label: string;
  dir: string;
}

/** Copies the example API into a temp folder; the broken commit gets the incident's model_registry.py. */
export async function checkout(kind: 'broken' | 'fixed', root: string): Promise<Commit> {
  const dir = await mkdtemp(path.join(root, `${kind}-`));
  await cp(path.join(EXAMPLE_API, 'src'), path.join(dir, 'src'), { recursive: true });
  await cp(path.join(EXAMPLE_API, 'Dockerfile.api'), path.join(dir, 'Dockerfile.api'));
  await rm(path.join(dir, `${BROKEN_MODULE}.broken`));
  if (kind === 'broken') {
    await cp(path.join(EXAMPLE_API, `${BROKEN_MODULE}.broken`), path.join(dir, BROKEN_MODULE));
  }
  return kind === 'broken'
    ? { sha: '1cdcfc3', label: 'the incident commit 1cdcfc3', dir }
    : { sha: '7e4b2a9', label: 'the fix 7e4b2a9', dir };
}

export async function scratchRoot(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'hokusai-demo-'));
}
