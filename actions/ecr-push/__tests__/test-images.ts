// Test fixture: small images built from scratch with unique names, and a scan for secrets left in files.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PREFIX = 'hokusai-ecrpush-test';

export function uniqueName(label: string): string {
  return `${PREFIX}-${label}-${randomBytes(4).toString('hex')}`;
}

/** Builds `FROM scratch` + a file holding `content`; returns the image reference. */
export function buildScratchImage(name: string, content: string, sizeBytes = 0): string {
  const dir = mkdtempSync(path.join(tmpdir(), `${PREFIX}-ctx-`));
  try {
    writeFileSync(path.join(dir, 'payload.txt'), content);
    // Incompressible filler, to make a push take long enough to interrupt.
    if (sizeBytes > 0) writeFileSync(path.join(dir, 'filler.bin'), randomBytes(sizeBytes));
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
    const reference = `${name}:ci`;
    const built = spawnSync('docker', ['build', '-q', '-t', reference, dir], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`docker build failed: ${built.stderr}`);
    return reference;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function imageId(reference: string): string {
  const out = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', reference], {
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`docker image inspect ${reference}: ${out.stderr}`);
  return out.stdout.trim();
}

export function imageTags(reference: string): string[] {
  const out = spawnSync('docker', ['image', 'inspect', '--format', '{{json .RepoTags}}', reference], {
    encoding: 'utf8',
  });
  return out.status === 0 ? (JSON.parse(out.stdout) as string[]) : [];
}

/** Removes every image whose repository starts with the test prefix (or the given references). */
export function removeImages(references: string[]): void {
  if (references.length > 0) spawnSync('docker', ['image', 'rm', '-f', ...references], { encoding: 'utf8' });
}

/** Files under `roots` (recursively) modified since `since` whose bytes contain any of `secrets`. */
export function filesContaining(roots: string[], secrets: string[], since = 0): string[] {
  const hits: string[] = [];
  const visit = (file: string, depth: number) => {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      if (depth > 6) return;
      let entries: string[] = [];
      try {
        entries = readdirSync(file);
      } catch {
        return;
      }
      for (const entry of entries) visit(path.join(file, entry), depth + 1);
      return;
    }
    if (!stat.isFile() || stat.mtimeMs < since || stat.size > 20 * 1024 * 1024) return;
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      return;
    }
    if (secrets.some((secret) => text.includes(secret))) hits.push(file);
  };
  for (const root of roots) visit(root, 0);
  return hits;
}
