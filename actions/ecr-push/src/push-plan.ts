// Decides, per tag, whether to push: a tag already at this image is left alone, a tag at another image is a
// conflict unless overwriting is allowed (and ECR allows it: not in an IMMUTABLE repository) or reusing it is
// (reuse-existing: the image a re-run, a redeploy or a second environment of the same commit finds under its tag).
import { ConfigurationError } from '@hokusai/action-kit';

/** The `org.opencontainers.image.revision` labels of the local image and of the image under a tag. */
export interface RevisionCheck {
  local?: string;
  remote?: string;
}

/** What the registry holds under a tag before the push. */
export type RemoteTagState =
  | { kind: 'absent' }
  | { kind: 'same-image'; digest: string }
  | { kind: 'other-image'; digest: string; revision?: RevisionCheck }
  | { kind: 'unchecked' };

export type TagAction =
  | { tag: string; action: 'push'; replaces?: string }
  | { tag: string; action: 'already-there'; digest: string }
  | {
      tag: string;
      action: 'reuse';
      digest: string;
      /** The revision both images were built from; undefined when a label is missing (not verified). */
      revision?: string;
    };

export interface PlanOptions {
  overwrite: boolean;
  /** Use the image under a tag that points elsewhere instead of failing, when its revision does not contradict. */
  reuseExisting?: boolean;
  tagMutability: string;
  repository: string;
}

/** The revision label images are compared by (the OCI annotation docker build --label sets, GitHub's SHA). */
export const REVISION_LABEL = 'org.opencontainers.image.revision';

export function planTags(
  states: Array<{ tag: string; state: RemoteTagState }>,
  options: PlanOptions,
): TagAction[] {
  if (options.reuseExisting) return planReuse(states, options);
  const conflicts = states.filter(
    (s): s is { tag: string; state: { kind: 'other-image'; digest: string } } =>
      s.state.kind === 'other-image',
  );
  if (conflicts.length > 0) {
    const list = conflicts.map((c) => `${c.tag} (now ${c.state.digest})`).join(', ');
    const several = conflicts.length > 1;
    const pointAt = `${several ? 'tags' : 'tag'} ${list} already ${several ? 'point' : 'points'} at a different image`;
    if (options.tagMutability === 'IMMUTABLE') {
      throw new ConfigurationError(
        `${pointAt} in the IMMUTABLE repository "${options.repository}": ECR will not overwrite ${several ? 'them' : 'it'}; push under a new tag, or set reuse-existing: true to use the image already there`,
      );
    }
    if (!options.overwrite) {
      throw new ConfigurationError(
        `${pointAt} in "${options.repository}": refusing to overwrite (set overwrite: true to move the tag, or reuse-existing: true to use the image already there)`,
      );
    }
  }
  return states.map(({ tag, state }): TagAction => {
    if (state.kind === 'same-image') return { tag, action: 'already-there', digest: state.digest };
    if (state.kind === 'other-image') return { tag, action: 'push', replaces: state.digest };
    return { tag, action: 'push' };
  });
}

/**
 * reuse-existing: a tag at another image is reused when the two images do not name different revisions. Every tag
 * must then name that one image: pushing the local image under a second tag would give one release two images.
 */
function planReuse(states: Array<{ tag: string; state: RemoteTagState }>, options: PlanOptions): TagAction[] {
  const actions = states.map(({ tag, state }): TagAction => {
    if (state.kind === 'same-image') return { tag, action: 'already-there', digest: state.digest };
    if (state.kind !== 'other-image') return { tag, action: 'push' };
    const { local, remote } = state.revision ?? {};
    if (local !== undefined && remote !== undefined && local !== remote) {
      throw new ConfigurationError(
        `tag ${tag} in "${options.repository}" holds an image built from revision ${remote} (${state.digest}), but the local image is from ${local}: refusing to reuse it; push under a new tag`,
      );
    }
    // The local image says which commit it is; one without the label cannot be shown to be that commit, and the
    // outputs would name bytes that were never smoke-tested.
    if (local !== undefined && remote === undefined) {
      throw new ConfigurationError(
        `tag ${tag} in "${options.repository}" holds an image without an ${REVISION_LABEL} label (${state.digest}), so it cannot be shown to be built from revision ${local} like the local image: refusing to reuse it; push under a new tag`,
      );
    }
    return {
      tag,
      action: 'reuse',
      digest: state.digest,
      ...(local !== undefined && local === remote ? { revision: local } : {}),
    };
  });
  const reused = actions.filter((a) => a.action === 'reuse');
  if (reused.length === 0) return actions;
  const digests = new Set(reused.map((a) => a.digest));
  const others = actions.filter((a) => a.action !== 'reuse');
  if (digests.size > 1 || others.length > 0) {
    const describe = (a: TagAction) =>
      a.action === 'push' ? `${a.tag} (not there yet)` : `${a.tag} (${a.digest})`;
    throw new ConfigurationError(
      `reuse-existing: the tags would name different images (${actions.map(describe).join(', ')}); reuse works when every tag already names the same image: push the other tags in a step of their own`,
    );
  }
  return actions;
}
