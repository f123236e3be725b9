// The AWS CLI command that puts a service on a task definition by hand, for people to copy from a log or a job
// summary into a POSIX shell: each argument quoted so that a name can never become shell syntax.

/** `value` as one word for sh/bash/zsh: unchanged when it is plain, else single-quoted. */
export function shellQuote(value: string): string {
  // Letters, digits and the punctuation of ARNs and names need no quotes (and read better without).
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  // Inside single quotes nothing is special but the quote itself: close, escape it, reopen.
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `aws ecs update-service --cluster … --service … --task-definition …`, every argument quoted as needed. */
export function updateServiceCommand(cluster: string, service: string, taskDefinition: string): string {
  return ['aws', 'ecs', 'update-service', '--cluster', cluster, '--service', service]
    .concat(['--task-definition', taskDefinition])
    .map(shellQuote)
    .join(' ');
}
