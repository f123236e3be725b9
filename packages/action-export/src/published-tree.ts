// What a standalone action repository (hokusai/<action>) holds: actions/<name>/{action.yml, README.md, dist/**} and
// nothing else, so its bundle must run with nothing around it. Missing pieces are errors, never skipped.
import { copyFile, lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { findOutsideReferences } from './bundle-references.js';
import { rewriteReadmeLinks, type LinkRewrite } from './readme-links.js';

/** Every action the release publishes, in the order the README lists them. */
export const ACTIONS = [
  'python-syntax-check',
  'import-smoke-test',
  'ecr-push',
  'ecs-deploy-and-wait',
  'endpoint-probe',
  'auto-rollback',
  'ecs-service-monitoring',
] as const;

export type ActionName = (typeof ACTIONS)[number];

/** Files at the top of an action folder that are published; dist/ is published whole. */
export const PUBLISHED_FILES = ['action.yml', 'README.md'] as const;

export interface ExportedTree {
  dir: string;
  /** Paths relative to `dir`, with forward slashes, sorted. */
  files: string[];
  /** README links that left the action folder, now pointing at the monorepo (readme-links.ts). */
  linkRewrites: LinkRewrite[];
}

export interface ExportOptions {
  /** Where README links out of the action folder point: the monorepo's URL, default https://github.com/hokusai/actions. */
  repositoryUrl?: string;
  /** The ref they point at: the release's version, default main. */
  ref?: string;
}

export class ExportError extends Error {
  override name = 'ExportError';
}

/**
 * Copies the published files of actions/<name> into `outDir` (created; must be empty or missing), with README links
 * that leave the action folder rewritten to the monorepo; a link to nothing is a BrokenLinkError.
 */
export async function exportAction(
  repoRoot: string,
  name: string,
  outDir: string,
  options: ExportOptions = {},
): Promise<ExportedTree> {
  const source = path.join(repoRoot, 'actions', name);
  if (!existsSync(source)) throw new ExportError(`actions/${name} does not exist`);
  for (const required of [...PUBLISHED_FILES, 'dist/index.js']) {
    if (!existsSync(path.join(source, required))) {
      const hint = required.startsWith('dist/') ? ': run "pnpm build" and commit dist/' : '';
      throw new ExportError(`actions/${name}/${required} is missing${hint}`);
    }
  }
  await mkdir(outDir, { recursive: true });
  if ((await readdir(outDir)).length > 0) throw new ExportError(`${outDir} is not empty`);

  const files: string[] = [];
  for (const file of PUBLISHED_FILES) {
    await copyFile(path.join(source, file), path.join(outDir, file));
    files.push(file);
  }
  await copyTree(path.join(source, 'dist'), path.join(outDir, 'dist'), 'dist', files, name);
  const readme = path.join(outDir, 'README.md');
  const { text, rewrites } = rewriteReadmeLinks(await readFile(readme, 'utf8'), {
    actionDir: `actions/${name}`,
    published: new Set(files),
    kindOf: (repoPath) => {
      try {
        return statSync(path.join(repoRoot, repoPath)).isDirectory() ? 'directory' : 'file';
      } catch {
        return undefined;
      }
    },
    repositoryUrl: options.repositoryUrl ?? 'https://github.com/hokusai/actions',
    ref: options.ref ?? 'main',
  });
  await writeFile(readme, text);
  return { dir: outDir, files: files.sort(), linkRewrites: rewrites };
}

async function copyTree(
  from: string,
  to: string,
  relative: string,
  files: string[],
  name: string,
): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of (await readdir(from)).sort()) {
    const info = await lstat(path.join(from, entry));
    const rel = `${relative}/${entry}`;
    // A symlink would be published as a link to a path that does not exist in the standalone repository.
    if (info.isSymbolicLink())
      throw new ExportError(`actions/${name}/${rel} is a symlink: publish real files only`);
    if (info.isDirectory()) await copyTree(path.join(from, entry), path.join(to, entry), rel, files, name);
    else {
      await copyFile(path.join(from, entry), path.join(to, entry));
      files.push(rel);
    }
  }
}

/**
 * exportAction, then checks that the exported dist/index.js reaches nothing outside dist/ (bundle-references.ts): a
 * bundle that does would fail on the runner, where the action repository holds nothing else. Throws an Error naming
 * each outside reference.
 */
export async function exportCheckedAction(
  repoRoot: string,
  name: string,
  outDir: string,
  options: ExportOptions = {},
): Promise<ExportedTree> {
  const tree = await exportAction(repoRoot, name, outDir, options);
  const distFiles = tree.files.filter((f) => f.startsWith('dist/')).map((f) => f.slice('dist/'.length));
  const outside = findOutsideReferences(
    await readFile(path.join(outDir, 'dist', 'index.js'), 'utf8'),
    distFiles,
  );
  if (outside.length > 0) {
    throw new Error(
      `actions/${name}/dist/index.js reaches outside dist/: ${outside.map((o) => `${o.specifier} (${o.via}: ${o.problem})`).join(', ')}`,
    );
  }
  return tree;
}
