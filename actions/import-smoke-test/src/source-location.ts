// Turns the interpreter's file paths into workspace-relative ones and picks where a failure's annotation points:
// a SyntaxError's own location, else the deepest traceback frame in the user's code.
import path from 'node:path';
import type { HarnessError, TracebackFrame } from './harness-result.js';

/** `from` is a folder as the interpreter sees it; files under it map to the workspace-relative folder `to`. */
export interface PathRoot {
  from: string;
  to: string;
}

export interface SourceLocation {
  /** Workspace-relative, `/`-separated. */
  file: string;
  line: number;
  col?: number;
}

/** Folders inside a workspace that hold other people's code, not the app's. */
const THIRD_PARTY = new Set([
  'site-packages',
  'dist-packages',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  'node_modules',
  '__pypackages__',
]);

/** The workspace-relative path of `file`, or undefined when it is outside every root or third-party code. */
export function toWorkspacePath(
  file: string | null | undefined,
  roots: readonly PathRoot[],
): string | undefined {
  if (!file || !path.posix.isAbsolute(file)) return undefined;
  const normalized = path.posix.normalize(file);
  // The longest root first: a working directory inside the workspace is more specific than the workspace.
  const sorted = [...roots].sort((a, b) => b.from.length - a.from.length);
  for (const root of sorted) {
    const from = path.posix.normalize(root.from).replace(/\/$/, '');
    if (normalized !== from && !normalized.startsWith(`${from}/`)) continue;
    const relative = path.posix.join(root.to, normalized.slice(from.length + 1));
    if (relative.startsWith('..') || relative.split('/').some((part) => THIRD_PARTY.has(part))) {
      return undefined;
    }
    return relative;
  }
  return undefined;
}

/** The deepest frame (last in traceback order) whose file is the user's code. */
export function deepestWorkspaceFrame(
  frames: readonly TracebackFrame[],
  roots: readonly PathRoot[],
): SourceLocation | undefined {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    const file = toWorkspacePath(frame.file, roots);
    if (file !== undefined && frame.line > 0) return { file, line: frame.line };
  }
  return undefined;
}

/**
 * Where to annotate a failed import. A SyntaxError in an imported module is not on the traceback (the module never
 * ran), so its own filename/lineno win when they are in the workspace.
 */
export function annotationLocation(
  error: Pick<HarnessError, 'frames' | 'syntax'>,
  roots: readonly PathRoot[],
): SourceLocation | undefined {
  const syntax = error.syntax;
  if (syntax && syntax.line !== null && syntax.line > 0) {
    const file = toWorkspacePath(syntax.file, roots);
    if (file !== undefined) {
      return syntax.column !== null && syntax.column > 0
        ? { file, line: syntax.line, col: syntax.column }
        : { file, line: syntax.line };
    }
  }
  return deepestWorkspaceFrame(error.frames, roots);
}

export interface PathRootsOptions {
  /** Absolute path of the workspace on the runner, and the same with symlinks resolved. */
  workspace: string;
  realWorkspace: string;
  /** Absolute path of `working-directory` on the runner. */
  workingDirectory: string;
  /** The interpreter's own working directory: the image's WORKDIR inside a container. */
  interpreterCwd: string;
  inImage: boolean;
}

/**
 * How the interpreter's paths map to the workspace. On the runner: the workspace itself (under both of its names:
 * the interpreter reports real paths). In an image: only the WORKDIR, which `working-directory` names.
 */
export function pathRootsFor(options: PathRootsOptions): PathRoot[] {
  const relative = path.posix.relative(options.workspace, options.workingDirectory);
  const inside = !relative.startsWith('..') && !path.posix.isAbsolute(relative);
  if (options.inImage) return inside ? [{ from: options.interpreterCwd, to: relative }] : [];
  const roots: PathRoot[] = [{ from: options.workspace, to: '' }];
  if (options.realWorkspace !== options.workspace) roots.push({ from: options.realWorkspace, to: '' });
  if (inside && options.interpreterCwd !== options.workingDirectory) {
    roots.push({ from: options.interpreterCwd, to: relative });
  }
  return roots;
}
