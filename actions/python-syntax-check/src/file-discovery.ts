// Turns the `paths`/`exclude` inputs into the list of files to compile: walks folders (following symlinks only
// inside the workspace, each folder once, so loops end), applies exclusions and .gitignore, and keeps only
// regular files (a FIFO named x.py would block a reader forever): every .py file, and every file without an
// extension whose first line is a Python shebang (bin/manage).
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, type Logger } from '@hokusai/action-kit';
import type { CompileTarget } from './compile-pool.js';
import type { GitRepository } from './git-repository.js';
import { PathFilter, globToRegExp, hasGlobMagic, normalizeRelative, staticBase } from './glob-pattern.js';

/** Folders never worth compiling: version control, virtual environments, caches, installed packages. */
export const ALWAYS_EXCLUDED = [
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  'node_modules',
  '__pycache__',
  'site-packages',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
] as const;

export interface DiscoveryOptions {
  /** Absolute path of the workspace; every reported path is relative to it. */
  workspace: string;
  paths: string[];
  exclude: string[];
  /** The workspace's git repository when .gitignore is to be respected or changed-since is set. */
  git: GitRepository | null;
  respectGitignore: boolean;
  changedSince?: string;
  logger: Logger;
}

export interface SkippedPath {
  path: string;
  reason: string;
}

export interface Discovery {
  /** Sorted by path. */
  files: CompileTarget[];
  skipped: SkippedPath[];
  /** Entries (files or folders) left out because git ignores them. */
  gitIgnored: number;
  /** Glob entries of `paths` that matched no file. */
  unmatchedGlobs: string[];
  /** Files left out because they did not change since `changedSince`. */
  unchanged: number;
  /** Files without an extension found by their Python shebang (`#!/usr/bin/env python3`), sorted. */
  shebangScripts: string[];
}

/**
 * Whether a file's first line is a Python shebang: `#!/usr/bin/env python3`, `#!/usr/bin/python3.12 -u`,
 * `#!/usr/bin/env -S python3 -X dev`, `#! python`, pypy, and `uv run --script` (PEP 723 scripts).
 */
export function isPythonShebang(firstLine: string): boolean {
  const match = /^#!\s*(\S+)(.*)$/.exec(firstLine.replace(/\r$/, ''));
  if (!match) return false;
  const program = match[1]!.split('/').pop()!;
  const args = match[2]!.trim().split(/\s+/).filter(Boolean);
  const isPython = (word: string) => /^(python|pypy)(\d+(\.\d+)*)?$/.test(word);
  if (isPython(program)) return true;
  if (program !== 'env') return false;
  const words = args.filter((a) => !a.startsWith('-'));
  return isPython(words[0] ?? '') || (words[0] === 'uv' && words[1] === 'run' && args.includes('--script'));
}

/** A name with no extension (`manage`, `deploy-tool`); dotfiles (`.envrc`) count as having one. */
const hasNoExtension = (name: string) => !name.includes('.');

/** The first line of a file (up to 256 bytes), or '' when it cannot be read. */
async function firstLineOf(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
    const buffer = Buffer.alloc(256);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('latin1').split('\n')[0] ?? '';
  } catch {
    return '';
  } finally {
    await handle?.close();
  }
}

/** Splits the `paths` input: one entry per line; a line that is not an existing path is split at spaces. */
export function splitPathsInput(text: string, exists: (entry: string) => boolean): string[] {
  const entries: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (exists(line)) entries.push(line);
    else entries.push(...line.split(/\s+/));
  }
  return entries;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

export async function discoverFiles(options: DiscoveryOptions): Promise<Discovery> {
  const { workspace, logger } = options;
  const workspaceReal = await realpath(workspace);
  const userExclude = new PathFilter(options.exclude);
  const alwaysExcluded = new Set<string>(ALWAYS_EXCLUDED);
  const found = new Map<string, CompileTarget>();
  const skipped: SkippedPath[] = [];
  const unmatchedGlobs: string[] = [];
  let gitIgnored = 0;
  const shebangScripts: string[] = [];

  let ignored: Set<string> | null = null;
  if (options.respectGitignore && options.git) ignored = new Set(await options.git.ignoredPaths());
  const isGitIgnored = (rel: string, isDir: boolean) =>
    ignored !== null && (ignored.has(rel) || (isDir && ignored.has(`${rel}/`)));

  const inside = (real: string) => real === workspaceReal || real.startsWith(workspaceReal + path.sep);

  /** Resolves a symlink: its target's stats when it stays inside the workspace, else why it is skipped. */
  const followLink = async (abs: string): Promise<Stats | string> => {
    let target: Stats;
    try {
      target = await stat(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ELOOP' ? 'symlink loop' : `broken symlink (${code})`;
    }
    if (!inside(await realpath(abs))) return 'symlink to outside the workspace';
    return target;
  };

  const addFile = (rel: string, size: number) => {
    if (!found.has(rel)) found.set(rel, { path: rel, size });
  };

  const walk = async (
    absDir: string,
    relDir: string,
    accept: (rel: string) => boolean,
    visitedDirs: Set<string>,
  ): Promise<void> => {
    let entries;
    try {
      const dirStats = await stat(absDir);
      const key = `${dirStats.dev}:${dirStats.ino}`;
      if (visitedDirs.has(key)) return; // a symlink loop or a second way into a folder already walked
      visitedDirs.add(key);
      entries = await readdir(absDir, { withFileTypes: true });
    } catch (error) {
      skipped.push({
        path: relDir || '.',
        reason: `unreadable folder (${(error as NodeJS.ErrnoException).code})`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const fileStats: Array<Promise<void>> = [];
    for (const entry of entries) {
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      const abs = path.join(absDir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let size: number | undefined;
      const looksPython = entry.name.endsWith('.py');
      if (entry.isSymbolicLink()) {
        const target = await followLink(abs);
        if (typeof target === 'string') {
          // Only worth a word when it could have been a Python file or folder of them.
          if (looksPython || target !== 'symlink to outside the workspace')
            skipped.push({ path: rel, reason: target });
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
        size = target.size;
      }
      if (isDir) {
        if (alwaysExcluded.has(entry.name) || userExclude.matches(rel)) continue;
        if (isGitIgnored(rel, true)) {
          gitIgnored++;
          continue;
        }
        await walk(abs, rel, accept, visitedDirs);
      } else if (!isFile) {
        if (looksPython && accept(rel))
          skipped.push({ path: rel, reason: 'not a regular file (FIFO, socket or device)' });
      } else if (looksPython && accept(rel)) {
        if (userExclude.matches(rel)) continue;
        if (isGitIgnored(rel, false)) {
          gitIgnored++;
          continue;
        }
        if (size !== undefined) addFile(rel, size);
        else
          fileStats.push(
            stat(abs).then(
              (s) => addFile(rel, s.size),
              // Vanished or unstat-able: let the worker try, so the report says exactly why it cannot be read.
              () => addFile(rel, 0),
            ),
          );
      } else if (hasNoExtension(entry.name) && accept(rel) && !userExclude.matches(rel)) {
        // A script such as bin/manage is Python when its shebang says so: the interpreter would run it.
        fileStats.push(
          firstLineOf(abs).then(async (line) => {
            if (!isPythonShebang(line)) return;
            if (isGitIgnored(rel, false)) {
              gitIgnored++;
              return;
            }
            shebangScripts.push(rel);
            addFile(
              rel,
              size ??
                (await stat(abs).then(
                  (s) => s.size,
                  () => 0,
                )),
            );
          }),
        );
      }
    }
    await Promise.all(fileStats);
  };

  for (const entry of options.paths) {
    const abs = path.resolve(workspace, entry);
    const rel = toPosix(path.relative(workspace, abs));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new ConfigurationError(`input "paths": "${entry}" is outside the workspace (${workspace})`);
    }
    let entryStats: Stats | undefined;
    try {
      entryStats = await stat(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        const linkLoop = code === 'ELOOP' ? ' (symlink loop)' : '';
        throw new ConfigurationError(`input "paths": cannot read "${entry}": ${code}${linkLoop}`);
      }
    }
    if (entryStats?.isDirectory()) {
      await walk(abs, rel, () => true, new Set());
    } else if (entryStats?.isFile()) {
      // A file named explicitly is checked whatever its extension and whatever the exclusions say.
      addFile(rel, entryStats.size);
    } else if (entryStats) {
      throw new ConfigurationError(`input "paths": "${entry}" is not a regular file or folder`);
    } else if (hasGlobMagic(entry)) {
      const pattern = normalizeRelative(rel);
      const base = staticBase(pattern);
      const matcher = globToRegExp(pattern);
      const before = found.size;
      const baseAbs = path.join(workspace, base);
      const baseStats = await lstat(baseAbs).catch(() => undefined);
      // A glob under a folder that does not exist can match nothing, ever: a misspelt folder (scr/**/*.py), not a
      // pattern that happens to find nothing today. It is the same mistake as a misspelt plain path.
      if (!baseStats) {
        throw new ConfigurationError(
          `input "paths": "${entry}" is under the folder "${base}", which does not exist in the workspace`,
        );
      }
      await walk(baseAbs, base, (candidate) => matcher.test(candidate), new Set());
      if (found.size === before) unmatchedGlobs.push(entry);
    } else {
      throw new ConfigurationError(`input "paths": "${entry}" does not exist in the workspace`);
    }
  }

  let files = [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let unchanged = 0;
  if (options.changedSince !== undefined) {
    if (!options.git) {
      throw new ConfigurationError(
        `input "changed-since": the workspace is not a git repository, so nothing can be compared with "${options.changedSince}"`,
      );
    }
    const changed = new Set(await options.git.changedSince(options.changedSince));
    const before = files.length;
    files = files.filter((f) => changed.has(f.path));
    unchanged = before - files.length;
    logger.info(`${files.length} of ${before} Python files changed since ${options.changedSince}`);
  }
  const kept = new Set(files.map((f) => f.path));
  return {
    files,
    skipped,
    gitIgnored,
    unmatchedGlobs,
    unchanged,
    shebangScripts: shebangScripts.filter((p) => kept.has(p)).sort(),
  };
}
