// Publishes an exported action tree as its own repository: one commit per release on the default branch (so SHA
// pins of earlier releases stay reachable), an annotated vX.Y.Z tag, and the major tag vX moved to it when this is
// the newest release of that major (never backwards: release-plan.ts), pushed atomically with leases. The token (if any) reaches git only through a credential helper that reads PUBLISH_TOKEN from the
// environment: never argv, never the remote URL, never a file.
import { execFile } from 'node:child_process';
import { cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { credentialArgs, releaseGitEnv } from './git-identity.js';
import { majorTagOf, planRelease, type ReleasePlan, type RemoteTag } from './release-plan.js';

const run = promisify(execFile);

export interface PublishOptions {
  /** The exported tree (exportAction's output). */
  exportDir: string;
  /** Remote URL or path of the standalone repository. */
  remote: string;
  /** The release, vX.Y.Z. */
  version: string;
  /** Where the tree came from, for the commit message (e.g. https://github.com/hokusai/actions@<sha>). */
  source?: string;
  /** An empty or missing folder for the clone. */
  workDir: string;
  /** Environment for git; PUBLISH_TOKEN there is offered as the HTTPS password. */
  env?: NodeJS.ProcessEnv;
}

export interface PublishResult {
  version: string;
  major: string;
  branch: string;
  commit: string;
  /** false when the remote already had this exact tree (a re-run): nothing new was committed. */
  changed: boolean;
  /** What happened to vX.Y.Z and vX. */
  plan: ReleasePlan;
}

export class PublishError extends Error {
  override name = 'PublishError';
}

const VERSION = /^v(\d+)\.(\d+)\.(\d+)$/;

export function majorOf(version: string): string {
  const match = VERSION.exec(version);
  if (!match) throw new PublishError(`invalid version "${version}": expected vX.Y.Z, e.g. v1.2.3`);
  return majorTagOf(version);
}

export async function publishAction(options: PublishOptions): Promise<PublishResult> {
  const { exportDir, remote, version, workDir } = options;
  const major = majorOf(version);
  const env = releaseGitEnv(options.env);
  const auth = credentialArgs(env);
  const git = async (args: string[], cwd = workDir) => {
    try {
      return (await run('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim() ?? String(error);
      // Names the git command without the credential options (noise, though never the token itself).
      throw new PublishError(`git ${args.filter((a) => !auth.includes(a)).join(' ')}: ${stderr}`);
    }
  };

  await rm(workDir, { recursive: true, force: true });
  await git(
    [...auth, 'clone', '--quiet', '--depth', '1', '--no-tags', remote, workDir],
    path.dirname(workDir),
  );
  const branch = await git(['symbolic-ref', '--short', 'HEAD']);
  // The release replaces the whole tree, and its token for the action repositories has contents permission only:
  // GitHub refuses a push that adds, changes or removes a workflow file without the workflows permission. Say so
  // before anything is committed (and keep the published repositories free of workflows).
  const workflows = (
    await git(['ls-tree', '-r', '--name-only', 'HEAD', '--', '.github/workflows']).catch(() => '')
  )
    .split('\n')
    .filter(Boolean);
  if (workflows.length > 0) {
    throw new PublishError(
      `${remote} has ${workflows.join(', ')}: an action repository holds only action.yml, README.md and dist/, and the release's token for it may not change workflows; remove ${workflows.length > 1 ? 'them' : 'it'} there by hand, then re-run the release`,
    );
  }
  const hasHistory = await git(['rev-parse', '--verify', '--quiet', 'HEAD']).then(
    () => true,
    () => false,
  );

  // Replace the whole tree with the export: a file removed from dist/ must disappear from the repository too.
  for (const entry of await readdir(workDir)) {
    if (entry !== '.git') await rm(path.join(workDir, entry), { recursive: true, force: true });
  }
  await cp(exportDir, workDir, { recursive: true });
  await git(['add', '--all']);
  const tree = await git(['write-tree']);

  const tags = await remoteTagsOf(await git([...auth, 'ls-remote', '--tags', 'origin']));
  const existing = tags.find((t) => t.name === version);
  let commit: string;
  let changed = false;
  let branchRefspec: string[] = [];
  if (existing) {
    // A re-run of a release: fine if that tag already holds exactly this tree, refused otherwise.
    await git([
      ...auth,
      'fetch',
      '--quiet',
      '--depth',
      '1',
      'origin',
      `refs/tags/${version}:refs/tags/${version}`,
    ]);
    const taggedTree = await git(['rev-parse', `${version}^{tree}`]);
    if (taggedTree !== tree) {
      throw new PublishError(
        `${version} is already published in ${remote} with different content: release a new version`,
      );
    }
    commit = await git(['rev-parse', `${version}^{commit}`]);
  } else {
    const unchanged = hasHistory && (await git(['rev-parse', 'HEAD^{tree}'])) === tree;
    if (!unchanged) {
      const message = `Release ${version}${options.source ? `\n\nExported from ${options.source}` : ''}`;
      await git(['commit', '--quiet', '--message', message]);
      changed = true;
    }
    commit = await git(['rev-parse', 'HEAD']);
    branchRefspec = [`HEAD:refs/heads/${branch}`];
  }
  // Which tags to make and move: vX.Y.Z once, vX only forward (release-plan.ts), each with a lease.
  const plan = planRelease({ version, target: commit, existing: tags });
  if (plan.versionTag.action === 'create')
    await git(['tag', '--annotate', version, '--message', version, commit]);
  if (plan.majorTag.action === 'create' || plan.majorTag.action === 'move') {
    await git(['tag', '--force', major, commit]);
  }
  const refspecs = [...plan.pushArgs, ...branchRefspec];
  if (plan.pushArgs.length > 0 || branchRefspec.length > 0) {
    await git([...auth, 'push', '--quiet', '--atomic', 'origin', ...refspecs]);
  }
  return { version, major, branch, commit, changed, plan };
}

/** `git ls-remote --tags` output as RemoteTag[] (annotated tags peeled to their commit). */
export function remoteTagsOf(lsRemote: string): RemoteTag[] {
  const objects = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of lsRemote.split('\n')) {
    const [sha, ref] = line.split('\t');
    if (!sha || !ref?.startsWith('refs/tags/')) continue;
    const name = ref.slice('refs/tags/'.length);
    if (name.endsWith('^{}')) peeled.set(name.slice(0, -3), sha);
    else objects.set(name, sha);
  }
  return [...objects].map(([name, object]) => ({ name, object, commit: peeled.get(name) ?? object }));
}
