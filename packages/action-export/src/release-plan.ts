// Which tags a release creates and moves, given the tags a repository already has. Pure: plain data in, plain
// data out; the git side (release-git.ts) reads the tags and pushes exactly what this says.
//
// The rules (issue 13):
// - vX.Y.Z is created once; a re-run finds it at the same commit and keeps it; at another commit it is refused.
// - The major tag vX only moves forward: to this release when it is the newest stable vX.*.* (a patch of an older
//   line, v1.4.3 after v1.5.0, leaves v1 where it is); never for a pre-release (v1.6.0-rc.1).
// - Every push carries a lease on what the tag was when planned (git push --force-with-lease=<ref>:<old>), so a
//   release running at the same time, in any order, cannot move a tag backwards: the later push fails, and a re-run
//   plans again from what the remote then holds.
// - "latest" (the GitHub release marked Latest) is the newest stable version across all majors.
import semver from 'semver';

/** A tag as `git ls-remote --tags` shows it: the ref's own object and the commit it peels to. */
export interface RemoteTag {
  name: string;
  /** The object the ref points at (a tag object for an annotated tag). The lease is on this. */
  object: string;
  /** The commit (`<name>^{}` in ls-remote, or `object` for a lightweight tag). */
  commit: string;
}

export type TagUpdate =
  | { tag: string; action: 'create'; to: string }
  | { tag: string; action: 'move'; from: string; fromObject: string; to: string; previousVersion?: string }
  | { tag: string; action: 'keep'; at: string }
  | { tag: string; action: 'leave'; at: string; newer: string };

export interface ReleasePlan {
  version: string;
  major: string;
  prerelease: boolean;
  versionTag: TagUpdate;
  majorTag: TagUpdate;
  /** Mark the GitHub release Latest: the newest stable version of the repository. */
  latest: boolean;
  /** `git push` arguments: `--force-with-lease=<ref>:<expected>` per ref, then the refspecs. Empty: nothing to push. */
  pushArgs: string[];
}

export class ReleaseError extends Error {
  override name = 'ReleaseError';
}

const VERSION = /^v(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;

/** The major tag of a version (`v1.2.3` -> `v1`); a ReleaseError for anything that is not vX.Y.Z[-pre]. */
export function majorTagOf(version: string): string {
  const match = VERSION.exec(version);
  if (!match)
    throw new ReleaseError(`invalid version "${version}": expected vX.Y.Z (or vX.Y.Z-rc.N), e.g. v1.2.3`);
  return `v${match[1]}`;
}

const isVersion = (name: string) => VERSION.test(name);
const stable = (name: string) => isVersion(name) && semver.prerelease(name.slice(1)) === null;
const newest = (names: string[]) => names.sort((a, b) => semver.rcompare(a.slice(1), b.slice(1)))[0];

/**
 * The plan for releasing `version` at `target` (the commit to tag) in a repository whose tags are `existing`.
 * `target` of a re-run must be the commit the version tag already has; callers that rebuild a release commit pass
 * the one the tag holds when its parent is theirs (release-git.ts does).
 */
export function planRelease(input: { version: string; target: string; existing: RemoteTag[] }): ReleasePlan {
  const { version, target } = input;
  const major = majorTagOf(version);
  const prerelease = semver.prerelease(version.slice(1)) !== null;
  const byName = new Map(input.existing.map((t) => [t.name, t]));
  const current = byName.get(version);
  if (current && current.commit !== target) {
    throw new ReleaseError(
      `${version} already points at ${current.commit.slice(0, 12)}, not ${target.slice(0, 12)}: a published version never moves; release a new version`,
    );
  }
  const versionTag: TagUpdate = current
    ? { tag: version, action: 'keep', at: current.commit }
    : { tag: version, action: 'create', to: target };

  const sameMajor = input.existing
    .map((t) => t.name)
    .filter((name) => stable(name) && majorTagOf(name) === major && name !== version);
  const newerInLine = newest(sameMajor.filter((name) => semver.gt(name.slice(1), version.slice(1))));
  const majorNow = byName.get(major);
  let majorTag: TagUpdate;
  if (prerelease) {
    majorTag = majorNow
      ? { tag: major, action: 'leave', at: majorNow.commit, newer: 'a pre-release never moves the major tag' }
      : { tag: major, action: 'leave', at: '', newer: 'a pre-release never creates the major tag' };
  } else if (newerInLine) {
    majorTag = { tag: major, action: 'leave', at: majorNow?.commit ?? '', newer: newerInLine };
  } else if (!majorNow) {
    majorTag = { tag: major, action: 'create', to: target };
  } else if (majorNow.commit === target) {
    majorTag = { tag: major, action: 'keep', at: target };
  } else {
    const previousVersion = newest(sameMajor.filter((name) => byName.get(name)!.commit === majorNow.commit));
    majorTag = {
      tag: major,
      action: 'move',
      from: majorNow.commit,
      fromObject: majorNow.object,
      to: target,
      ...(previousVersion ? { previousVersion } : {}),
    };
  }

  const allStable = input.existing.map((t) => t.name).filter(stable);
  const latest = !prerelease && !allStable.some((name) => semver.gt(name.slice(1), version.slice(1)));

  const pushArgs: string[] = [];
  const refspecs: string[] = [];
  if (versionTag.action === 'create') {
    pushArgs.push(`--force-with-lease=refs/tags/${version}:`);
    refspecs.push(`refs/tags/${version}:refs/tags/${version}`);
  }
  if (majorTag.action === 'create') {
    pushArgs.push(`--force-with-lease=refs/tags/${major}:`);
    refspecs.push(`refs/tags/${major}:refs/tags/${major}`);
  } else if (majorTag.action === 'move') {
    // No `+` on the refspec: git lets a `+` force the ref past its lease; the lease alone forces it when it holds.
    pushArgs.push(`--force-with-lease=refs/tags/${major}:${majorTag.fromObject}`);
    refspecs.push(`refs/tags/${major}:refs/tags/${major}`);
  }
  return {
    version,
    major,
    prerelease,
    versionTag,
    majorTag,
    latest,
    pushArgs: refspecs.length ? [...pushArgs, ...refspecs] : [],
  };
}

/** One line per tag for logs and the job summary, e.g. `v1: v1.4.0 (3f2a…) -> v1.5.0 (9c1d…)`. */
export function describePlan(plan: ReleasePlan): string[] {
  const short = (sha: string) => sha.slice(0, 12);
  return [plan.versionTag, plan.majorTag].map((update) => {
    switch (update.action) {
      case 'create':
        return `${update.tag}: created at ${short(update.to)}`;
      case 'keep':
        return `${update.tag}: already at ${short(update.at)} (re-run)`;
      case 'move':
        return `${update.tag}: ${update.previousVersion ?? short(update.from)} -> ${plan.version} (${short(update.to)})`;
      case 'leave':
        return `${update.tag}: left${update.at ? ` at ${short(update.at)}` : ''} (${/^v\d/.test(update.newer) ? `${update.newer} is newer` : update.newer})`;
    }
  });
}
