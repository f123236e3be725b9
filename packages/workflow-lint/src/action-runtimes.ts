// Which Node runtime third-party action releases declare (`runs.using` in their action.yml), so a pin to a release
// that runs on node20 or older is caught before a run fails: GitHub's runner forces node24 since June 2026 and no
// longer ships node20 since September 2026.
//
// Source of every range: the action.yml at each release tag of the action's own repository (git show
// <tag>:action.yml over a mirror of github.com/<action>, read 2026), plus the issue text for pnpm/action-setup v4.2.0.
// Releases outside the table are unknown and not flagged.
import semver from 'semver';

export interface RuntimeRange {
  /** owner/repo as in `uses:` (matched case-insensitively, sub-paths included). */
  action: string;
  /** Inclusive lower bound, a semver version. */
  from: string;
  /** Exclusive upper bound; undefined: open-ended. */
  below?: string;
  runtime: 'node12' | 'node16' | 'node20' | 'node24';
}

/** Only the ranges that matter to the rule (node20 and older) and the node24 releases between them. */
export const ACTION_RUNTIMES: readonly RuntimeRange[] = [
  { action: 'actions/checkout', from: '0.0.0', below: '3.0.0', runtime: 'node12' },
  { action: 'actions/checkout', from: '3.0.0', below: '4.0.0', runtime: 'node16' },
  { action: 'actions/checkout', from: '4.0.0', below: '5.0.0', runtime: 'node20' },
  { action: 'actions/checkout', from: '5.0.0', runtime: 'node24' },
  { action: 'actions/setup-python', from: '0.0.0', below: '3.0.0', runtime: 'node12' },
  { action: 'actions/setup-python', from: '3.0.0', below: '5.0.0', runtime: 'node16' },
  { action: 'actions/setup-python', from: '5.0.0', below: '6.0.0', runtime: 'node20' },
  { action: 'actions/setup-python', from: '6.0.0', runtime: 'node24' },
  { action: 'actions/setup-node', from: '0.0.0', below: '3.0.0', runtime: 'node12' },
  { action: 'actions/setup-node', from: '3.0.0', below: '4.0.0', runtime: 'node16' },
  { action: 'actions/setup-node', from: '4.0.0', below: '5.0.0', runtime: 'node20' },
  { action: 'actions/setup-node', from: '5.0.0', runtime: 'node24' },
  { action: 'actions/upload-artifact', from: '0.0.0', below: '3.0.0', runtime: 'node12' },
  { action: 'actions/upload-artifact', from: '3.0.0', below: '4.0.0', runtime: 'node16' },
  { action: 'actions/upload-artifact', from: '4.0.0', below: '6.0.0', runtime: 'node20' },
  { action: 'actions/upload-artifact', from: '6.0.0', runtime: 'node24' },
  { action: 'actions/download-artifact', from: '0.0.0', below: '3.0.0', runtime: 'node12' },
  { action: 'actions/download-artifact', from: '3.0.0', below: '3.1.0', runtime: 'node16' },
  { action: 'actions/download-artifact', from: '3.1.0', below: '4.0.0', runtime: 'node24' },
  { action: 'actions/download-artifact', from: '4.0.0', below: '7.0.0', runtime: 'node20' },
  { action: 'actions/download-artifact', from: '7.0.0', runtime: 'node24' },
  { action: 'aws-actions/configure-aws-credentials', from: '0.0.0', below: '2.0.0', runtime: 'node12' },
  { action: 'aws-actions/configure-aws-credentials', from: '2.0.0', below: '4.0.0', runtime: 'node16' },
  { action: 'aws-actions/configure-aws-credentials', from: '4.0.0', below: '6.0.0', runtime: 'node20' },
  { action: 'aws-actions/configure-aws-credentials', from: '6.0.0', runtime: 'node24' },
  { action: 'actions/create-github-app-token', from: '0.0.0', below: '1.1.0', runtime: 'node16' },
  { action: 'actions/create-github-app-token', from: '1.1.0', below: '2.1.0', runtime: 'node20' },
  { action: 'actions/create-github-app-token', from: '2.1.0', below: '2.1.1', runtime: 'node24' },
  { action: 'actions/create-github-app-token', from: '2.1.1', below: '3.0.0', runtime: 'node20' },
  { action: 'actions/create-github-app-token', from: '3.0.0', runtime: 'node24' },
  { action: 'pnpm/action-setup', from: '0.0.0', below: '2.2.3', runtime: 'node12' },
  { action: 'pnpm/action-setup', from: '2.2.3', below: '3.0.0', runtime: 'node16' },
  { action: 'pnpm/action-setup', from: '3.0.0', below: '5.0.0', runtime: 'node20' },
];

/** Runtimes GitHub's hosted runner no longer has. */
export const REMOVED_RUNTIMES: ReadonlySet<string> = new Set(['node12', 'node16', 'node20']);

/**
 * The runtime of `action` (owner/repo, optionally with a sub-path) at the release named by `versionComment`
 * (`v4.6.2`, `4.6.2`, `v4`); undefined when the action or release is not in the table or the comment is no version.
 */
export function runtimeOf(action: string, versionComment: string): RuntimeRange | undefined {
  const version = semver.coerce(versionComment.replace(/^v/i, ''));
  if (!version) return undefined;
  const repo = action.toLowerCase().split('/').slice(0, 2).join('/');
  return ACTION_RUNTIMES.find(
    (range) =>
      range.action === repo &&
      semver.gte(version, range.from) &&
      (range.below === undefined || semver.lt(version, range.below)),
  );
}

/** The first release of `action` the table knows to run on node24, e.g. `v6.0.0`. */
export function firstNode24Release(action: string): string | undefined {
  const repo = action.toLowerCase().split('/').slice(0, 2).join('/');
  const ranges = ACTION_RUNTIMES.filter((r) => r.action === repo && r.runtime === 'node24');
  const last = ranges.find((r) => r.below === undefined);
  return last ? `v${last.from}` : undefined;
}
