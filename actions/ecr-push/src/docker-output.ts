// Reads what `docker push` printed: the digest it pushed, and why a failed push failed (which decides whether
// retrying can help).

/** The manifest digest docker reports for a pushed tag: `<tag>: digest: sha256:<hex> size: <n>`. */
export function pushedDigest(output: string, tag: string): string | undefined {
  for (const line of output.split(/\r?\n/)) {
    const match = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: \d+\s*$/.exec(line.trim());
    if (match && match[1] === tag) return match[2];
  }
  return undefined;
}

export type DockerFailure =
  | 'daemon-unreachable'
  | 'tag-immutable'
  | 'token-expired'
  | 'denied'
  | 'repository-missing'
  | 'image-missing'
  | 'transient';

/** Failures a retry cannot fix are named; everything else (network faults, 5xx, timeouts) counts as transient. */
export function classifyDockerFailure(output: string): DockerFailure {
  if (
    /Cannot connect to the Docker daemon|error during connect|permission denied while trying to connect to the docker/i.test(
      output,
    )
  )
    return 'daemon-unreachable';
  if (
    /tag invalid|cannot be overwritten because the (?:repository|tag) is immutable|tag .*already exists/i.test(
      output,
    )
  )
    return 'tag-immutable';
  if (/token has expired|token is expired|expired token/i.test(output)) return 'token-expired';
  if (
    /\bdenied\b|unauthorized|authentication required|no basic auth credentials|not authorized/i.test(output)
  )
    return 'denied';
  if (/name unknown|NAME_UNKNOWN|repository .* does not exist/i.test(output)) return 'repository-missing';
  if (/No such image|An image does not exist locally/i.test(output)) return 'image-missing';
  return 'transient';
}

/** The line of docker's output that says what went wrong (its last non-progress line). */
export function failureLine(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(
      (l) =>
        l !== '' &&
        !/^[0-9a-f]{12}: (?:Preparing|Waiting|Pushing|Pushed|Layer already exists|Retrying)/.test(l),
    );
  return lines.at(-1) ?? 'no output';
}
