// What the action asks git: which paths .gitignore excludes, and which files changed since a ref. Argument arrays
// and NUL-separated output only, so any file name round-trips.
import { execFile } from 'node:child_process';
import { ConfigurationError } from '@hokusai/action-kit';

export interface GitRepository {
  /** Untracked paths git ignores, relative to the workspace; whole ignored folders end with `/`. */
  ignoredPaths(): Promise<string[]>;
  /** Files added or modified since `ref` (committed or not) plus untracked files, relative to the workspace. */
  changedSince(ref: string): Promise<string[]>;
}

interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
}

function git(cwd: string, args: string[]): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      // core.quotepath off keeps names verbatim; -z output is unquoted anyway.
      ['-c', 'core.quotepath=off', ...args],
      {
        cwd,
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          reject(error); // ENOENT: git not installed
          return;
        }
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function nulList(text: string): string[] {
  return text.split('\0').filter((p) => p !== '');
}

export type GitProbe = { repository: GitRepository } | { repository: null; reason: string };

/** The git repository the workspace is in, or null with the reason (not a repo, git missing, not trusted). */
export async function openGitRepository(workspace: string): Promise<GitProbe> {
  let probe: GitOutput;
  try {
    probe = await git(workspace, ['rev-parse', '--is-inside-work-tree']);
  } catch {
    return { repository: null, reason: 'git is not installed' };
  }
  if (probe.code !== 0 || probe.stdout.trim() !== 'true') {
    const detail = probe.stderr.trim().split('\n')[0] ?? '';
    return { repository: null, reason: detail || 'not a git work tree' };
  }
  const run = async (args: string[], what: string): Promise<string> => {
    const out = await git(workspace, args);
    if (out.code !== 0) throw new Error(`git ${what} failed: ${out.stderr.trim()}`);
    return out.stdout;
  };
  return {
    repository: {
      async ignoredPaths() {
        return nulList(
          await run(
            [
              'ls-files',
              '-z',
              '--others',
              '--ignored',
              '--exclude-standard',
              '--directory',
              '--no-empty-directory',
            ],
            'ls-files --ignored',
          ),
        );
      },
      async changedSince(ref) {
        const verified = await git(workspace, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
        if (verified.code !== 0) {
          throw new ConfigurationError(
            `input "changed-since": "${ref}" is not a commit in this repository ` +
              '(with actions/checkout, fetch it: fetch-depth: 0)',
          );
        }
        const commit = verified.stdout.trim();
        const changed = await run(
          ['diff', '-z', '--name-only', '--relative', '--no-renames', '--diff-filter=d', commit, '--'],
          'diff',
        );
        const untracked = await run(
          ['ls-files', '-z', '--others', '--exclude-standard'],
          'ls-files --others',
        );
        return [...new Set([...nulList(changed), ...nulList(untracked)])];
      },
    },
  };
}
