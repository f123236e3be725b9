// Decides, per tag, whether to push: a tag already at this image is left alone, a tag at another image is a
// conflict unless overwriting is allowed (and ECR allows it: not in an IMMUTABLE repository).
import { ConfigurationError } from '@hokusai/action-kit';

/** What the registry holds under a tag before the push. */
export type RemoteTagState =
  | { kind: 'absent' }
  | { kind: 'same-image'; digest: string }
  | { kind: 'other-image'; digest: string }
  | { kind: 'unchecked' };

export type TagAction =
  | { tag: string; action: 'push'; replaces?: string }
  | { tag: string; action: 'already-there'; digest: string };

export function planTags(
  states: Array<{ tag: string; state: RemoteTagState }>,
  options: { overwrite: boolean; tagMutability: string; repository: string },
): TagAction[] {
  const conflicts = states.filter(
    (s): s is { tag: string; state: { kind: 'other-image'; digest: string } } =>
      s.state.kind === 'other-image',
  );
  if (conflicts.length > 0) {
    const list = conflicts.map((c) => `${c.tag} (now ${c.state.digest})`).join(', ');
    if (options.tagMutability === 'IMMUTABLE') {
      throw new ConfigurationError(
        `tag${conflicts.length > 1 ? 's' : ''} ${list} already point at a different image in the IMMUTABLE repository "${options.repository}": ECR will not overwrite them; push under a new tag`,
      );
    }
    if (!options.overwrite) {
      throw new ConfigurationError(
        `tag${conflicts.length > 1 ? 's' : ''} ${list} already point at a different image in "${options.repository}": refusing to overwrite (set overwrite: true to move the tag)`,
      );
    }
  }
  return states.map(({ tag, state }): TagAction => {
    if (state.kind === 'same-image') return { tag, action: 'already-there', digest: state.digest };
    if (state.kind === 'other-image') return { tag, action: 'push', replaces: state.digest };
    return { tag, action: 'push' };
  });
}
