// The git side of a release of this repository: read the remote's tags, make the release commit (the source
// commit with the reusable workflows' suite `uses:` pinned to it and CHANGELOG.md released), and push the tags the
// plan says, atomically, each with a lease. Argument arrays only; the token reaches git only through a credential
// helper reading PUBLISH_TOKEN (as publish.ts does).
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { credentialArgs, releaseGitEnv } from './git-identity.js';
import { releaseChangelog } from './changelog.js';
import { floatingSuiteActions, pinSuiteActions, SUITE_REPOSITORY } from './pin-suite-actions.js';
import { remoteTagsOf } from './publish.js';
import { planRelease, ReleaseError, type ReleasePlan, type RemoteTag } from './release-plan.js';

const run = promisify(execFile);

export interface GitOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** A git runner with the release identity, no prompts, and the credential helper when PUBLISH_TOKEN is set. */
export function gitRunner(options: GitOptions) {
  const env = releaseGitEnv(options.env);
  const auth = credentialArgs(env);
  return async (
    args: string[],
    extra: { input?: string; env?: Record<string, string> } = {},
  ): Promise<string> => {
    try {
      const child = run('git', [...auth, ...args], {
        cwd: options.cwd,
        env: { ...env, ...extra.env },
        maxBuffer: 64 * 1024 * 1024,
      });
      // A git command that reads no stdin may exit before it is closed: that EPIPE is not an error.
      child.child.stdin?.on('error', () => undefined);
      if (extra.input !== undefined) child.child.stdin?.end(extra.input);
      else child.child.stdin?.end();
      return (await child).stdout.trim();
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim() ?? String(error);
      throw new ReleaseError(`git ${args.join(' ')}: ${stderr}`);
    }
  };
}

/** `git ls-remote --tags <remote>` as RemoteTag[] (annotated tags peeled to their commit). */
export async function remoteTags(git: ReturnType<typeof gitRunner>, remote: string): Promise<RemoteTag[]> {
  return remoteTagsOf(await git(['ls-remote', '--tags', remote]));
}

export interface MonorepoRelease {
  plan: ReleasePlan;
  /** The release commit (vX.Y.Z points at it). */
  commit: string;
  /** The release notes (the CHANGELOG section). */
  notes: string;
  /** Suite `uses:` rewritten to the source commit, per workflow file. */
  pinned: Record<string, number>;
  pushed: boolean;
}

export interface MonorepoReleaseOptions {
  /** A clone that has `source` (the workflow's checkout with fetch-depth 0 is enough). */
  cwd: string;
  remote: string;
  /** The commit being released (a commit of the default branch). */
  source: string;
  version: string;
  /** YYYY-MM-DD, for the CHANGELOG heading. */
  date: string;
  env?: NodeJS.ProcessEnv;
  /** Plan and build, push nothing. */
  dryRun?: boolean;
}

/**
 * Releases this repository: the release commit is `source` plus, in .github/workflows/*.yml, every
 * `hokusai/actions/actions/<name>@…` pinned to `source`, and CHANGELOG.md's Unreleased released as the version.
 * A re-run finds vX.Y.Z already made from `source` and keeps it; made from anything else, it is refused.
 */
export async function releaseMonorepo(options: MonorepoReleaseOptions): Promise<MonorepoRelease> {
  const git = gitRunner({ cwd: options.cwd, env: options.env });
  const source = await git(['rev-parse', '--verify', `${options.source}^{commit}`]);
  const tags = await remoteTags(git, options.remote);
  const existing = tags.find((t) => t.name === options.version);
  let commit: string;
  let notes: string;
  const pinned: Record<string, number> = {};
  if (existing) {
    await git([
      'fetch',
      '--quiet',
      options.remote,
      `refs/tags/${options.version}:refs/tags/${options.version}`,
    ]);
    const parent = await git(['rev-parse', `${existing.commit}^`]).catch(() => '');
    if (parent !== source) {
      throw new ReleaseError(
        `${options.version} is already released from ${parent.slice(0, 12) || 'another history'}, not ${source.slice(0, 12)}: release a new version`,
      );
    }
    commit = existing.commit;
    notes = (await git(['tag', '-l', '--format=%(contents:body)', options.version])).trim();
  } else {
    const built = await buildReleaseCommit(git, source, options.version, options.date);
    commit = built.commit;
    notes = built.notes;
    Object.assign(pinned, built.pinned);
  }
  const plan = planRelease({ version: options.version, target: commit, existing: tags });
  if (plan.versionTag.action === 'create') {
    await git(['tag', '--force', '--annotate', options.version, commit, '--file=-', '--cleanup=verbatim'], {
      input: `${options.version}\n\n${notes}\n`,
    });
  }
  if (plan.majorTag.action === 'create' || plan.majorTag.action === 'move') {
    await git(['tag', '--force', plan.major, commit]);
  }
  const pushed = plan.pushArgs.length > 0 && !options.dryRun;
  if (pushed) await git(['push', '--quiet', '--atomic', options.remote, ...plan.pushArgs]);
  return { plan, commit, notes, pinned, pushed };
}

/** The release commit: `source`'s tree with pinned workflows and the released CHANGELOG, `source` as its parent. */
async function buildReleaseCommit(
  git: ReturnType<typeof gitRunner>,
  source: string,
  version: string,
  date: string,
): Promise<{ commit: string; notes: string; pinned: Record<string, number> }> {
  const files = (await git(['ls-tree', '-r', '--name-only', source])).split('\n');
  const updates: Record<string, string> = {};
  const pinned: Record<string, number> = {};
  for (const file of files.filter((f) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f))) {
    const text = await git(['show', `${source}:${file}`]);
    const result = pinSuiteActions(`${text}\n`, source, version, SUITE_REPOSITORY);
    if (result.pinned.length === 0) continue;
    const left = floatingSuiteActions(result.text);
    if (left.length > 0)
      throw new ReleaseError(`${file}: suite uses: left unpinned on lines ${left.join(', ')}`);
    updates[file] = result.text;
    pinned[file] = result.pinned.length;
  }
  if (!files.includes('CHANGELOG.md')) throw new ReleaseError('the source commit has no CHANGELOG.md');
  const changelog = releaseChangelog(`${await git(['show', `${source}:CHANGELOG.md`])}\n`, version, date);
  updates['CHANGELOG.md'] = changelog.text;

  // A private index: the work tree and the repository's own index are never touched.
  const gitDir = await git(['rev-parse', '--absolute-git-dir']);
  const index = { GIT_INDEX_FILE: `${gitDir}/hokusai-release-index-${process.pid}` };
  await git(['read-tree', source], { env: index });
  for (const [file, text] of Object.entries(updates)) {
    const blob = await git(['hash-object', '-w', '--stdin'], { input: text });
    const mode = (await git(['ls-tree', source, '--', file])).split(/\s/)[0] || '100644';
    await git(['update-index', '--add', '--cacheinfo', `${mode},${blob},${file}`], { env: index });
  }
  const tree = await git(['write-tree'], { env: index });
  await rm(index.GIT_INDEX_FILE, { force: true });
  const message = `Release ${version}\n\nThe reusable workflows run the suite's actions at ${source}, the commit this release is made from.\n`;
  const commit = await git(['commit-tree', tree, '-p', source, '-F', '-'], { input: message });
  return { commit, notes: changelog.notes, pinned };
}
