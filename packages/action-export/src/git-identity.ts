// The environment and options every release git command runs with: the release identity, no prompts, and the
// token (when PUBLISH_TOKEN is set) offered only through a credential helper that reads it from the environment —
// never argv, never the remote URL, never a file (git-credential(1), "custom helpers": a `!`-prefixed helper is run
// by the shell with the action — get, store, erase — as $1).

const CREDENTIAL_HELPER =
  '!f() { test "$1" = get || exit 0; echo username=x-access-token; echo "password=$PUBLISH_TOKEN"; }; f';

/** process.env with `extra` over it, then the release identity and GIT_TERMINAL_PROMPT=0 (a missing credential fails). */
export function releaseGitEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...extra,
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'hokusai release',
    GIT_AUTHOR_EMAIL: 'release@hokusai.invalid',
    GIT_COMMITTER_NAME: 'hokusai release',
    GIT_COMMITTER_EMAIL: 'release@hokusai.invalid',
  };
}

/**
 * The `-c` options that put the credential helper first (clearing any configured one) when `env` has PUBLISH_TOKEN;
 * none otherwise. They go before the git subcommand.
 */
export function credentialArgs(env: NodeJS.ProcessEnv): string[] {
  return env.PUBLISH_TOKEN
    ? ['-c', 'credential.helper=', '-c', `credential.helper=${CREDENTIAL_HELPER}`]
    : [];
}
