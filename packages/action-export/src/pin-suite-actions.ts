// The release's answer to "floating actions inside a pinned workflow": in the commit it tags, every
// `uses: hokusai/actions/actions/<name>@<ref>` of the reusable workflows is rewritten to the exact commit the
// release is made from, with the version in a comment. A caller of deploy-ecs.yml@v1 (or @<sha>) then runs the
// actions of that same release in every job, whatever v1 points at when a later job starts. (GitHub resolves each
// `uses:` when its job starts; a reusable workflow cannot use `./` paths of its own repository.) Pure.

/** The repository the suite's actions live in, as `uses:` names it. */
export const SUITE_REPOSITORY = 'hokusai/actions';

export interface PinResult {
  text: string;
  /** `uses:` lines rewritten, with their 1-based line numbers and action names. */
  pinned: Array<{ line: number; action: string; from: string }>;
}

/**
 * Rewrites `uses: <repository>/actions/<name>@<ref>` (any ref, with or without a comment) to
 * `uses: <repository>/actions/<name>@<commit> # <version>`. Other `uses:` and every other byte stay as they are.
 */
export function pinSuiteActions(
  text: string,
  commit: string,
  version: string,
  repository = SUITE_REPOSITORY,
): PinResult {
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new Error(`pinSuiteActions: "${commit}" is not a full commit SHA`);
  const escaped = repository.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const pattern = new RegExp(
    `^(\\s*(?:-\\s+)?uses:\\s*)(['"]?)(${escaped}/actions/[\\w.-]+)@([^\\s'"#]+)\\2([ \\t]*#.*)?$`,
  );
  const pinned: PinResult['pinned'] = [];
  const lines = text.split('\n').map((line, index) => {
    const match = pattern.exec(line);
    if (!match) return line;
    const [, prefix, quote, action, ref] = match;
    pinned.push({
      line: index + 1,
      action: action!.slice(repository.length + '/actions/'.length),
      from: ref!,
    });
    return `${prefix}${quote}${action}@${commit}${quote} # ${version}`;
  });
  return { text: lines.join('\n'), pinned };
}

/** `uses:` of the suite's actions that are not pinned to a full SHA (what a release commit must not have). */
export function floatingSuiteActions(text: string, repository = SUITE_REPOSITORY): number[] {
  const escaped = repository.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const pattern = new RegExp(`^\\s*(?:-\\s+)?uses:\\s*['"]?${escaped}/actions/[\\w.-]+@(?![0-9a-f]{40}\\b)`);
  return text
    .split('\n')
    .map((line, index) => (pattern.test(line) ? index + 1 : 0))
    .filter((line) => line > 0);
}
