// Path inputs confined to the places an action may read and write: the workspace and the runner's temp folder
// (where render steps write task definitions). Symlinks are resolved first, so a link cannot lead outside.
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from './errors.js';
import { shorten } from './input-parsing.js';

export interface ConfineOptions {
  /** GITHUB_WORKSPACE (relative inputs are resolved against it). */
  workspace: string;
  /** RUNNER_TEMP; undefined or '' allows the workspace only. */
  runnerTemp?: string;
  /** `file` or `directory`: it must exist and be one; `any`: it may be missing (its nearest existing parent counts). */
  kind: 'file' | 'directory' | 'any';
}

/** The real path of `target`; when it does not exist, the real path of its nearest existing parent plus the rest. */
function realPathOf(target: string): string {
  let existing = target;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return target;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

function isInside(child: string, root: string): boolean {
  const relative = path.relative(root, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Resolves the path input `inputName` (relative to the workspace, or absolute) to a real path inside the workspace
 * or the runner's temp folder, symlinks followed. Errors (ConfigurationError) name the input and the value, never
 * anything read from the file: outside both folders, missing, or not a `kind`.
 */
export function confinePath(value: string, inputName: string, options: ConfineOptions): string {
  const text = value.trim();
  const shown = shorten(text);
  // eslint-disable-next-line no-control-regex
  if (text === '' || /[\u0000-\u001f]/.test(text)) {
    throw new ConfigurationError(`invalid path ${shown} for input "${inputName}"`);
  }
  const roots = [options.workspace, options.runnerTemp]
    .filter((root): root is string => typeof root === 'string' && root !== '')
    .map((root) => realPathOf(path.resolve(root)));
  const real = realPathOf(path.resolve(options.workspace, text));
  if (!roots.some((root) => isInside(real, root))) {
    const where = roots.length > 1 ? "the workspace or the runner's temp folder" : 'the workspace';
    throw new ConfigurationError(
      `input "${inputName}": path ${shown} is outside ${where}; use a path inside ${where}`,
    );
  }
  if (options.kind === 'any') return real;
  let isKind = false;
  try {
    const stats = statSync(real);
    isKind = options.kind === 'file' ? stats.isFile() : stats.isDirectory();
  } catch {
    throw new ConfigurationError(`input "${inputName}": ${options.kind} ${shown} does not exist`);
  }
  if (!isKind) throw new ConfigurationError(`input "${inputName}": ${shown} is not a ${options.kind}`);
  return real;
}
