// The names an image push is made of (tags, repository, registry host, image URIs) and the rules ECR and docker
// put on them, checked before anything is pushed.
import { ConfigurationError, shorten } from '@hokusai/action-kit';

/**
 * ECR allows tags of 1-300 characters from [A-Za-z0-9_.-]; docker's reference grammar, which `docker push` enforces,
 * also requires the first character to be a letter, digit or `_` and caps the length at 128. A tag must pass both.
 */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const MAX_TAG_LENGTH = 128;

export function validateTag(tag: string): string {
  if (tag.length > MAX_TAG_LENGTH) {
    throw new ConfigurationError(
      `invalid tag ${shorten(tag)} in input "tags": ${tag.length} characters, docker and ECR accept at most ${MAX_TAG_LENGTH}`,
    );
  }
  if (!TAG.test(tag)) {
    throw new ConfigurationError(
      `invalid tag ${shorten(tag)} in input "tags": use letters, digits, "_", "." and "-", not starting with "." or "-"`,
    );
  }
  return tag;
}

/** ECR's repository name pattern (lower case, `/`-separated path components), 2-256 characters. */
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

export function validateRepositoryName(name: string): string {
  if (name.length < 2 || name.length > 256 || !REPOSITORY.test(name)) {
    throw new ConfigurationError(
      `invalid repository ${shorten(name)} for input "repository": ECR repository names are 2-256 lower-case letters, digits and "._-/" (e.g. hokusai-api or team/api)`,
    );
  }
  return name;
}

export function validateRegistryId(id: string): string {
  if (!/^\d{12}$/.test(id)) {
    throw new ConfigurationError(
      `invalid registry-id ${shorten(id)} for input "registry-id": an AWS account id is 12 digits`,
    );
  }
  return id;
}

/**
 * A registry host as docker writes it in image references: `host[:port]`. A pasted `https://` URL (ECR's
 * proxyEndpoint form) is accepted and reduced to its host.
 */
export function parseRegistryHost(value: string, inputName = 'registry'): string {
  const text = value
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  const hostPort =
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?$/;
  const match = hostPort.exec(text);
  if (!match || (match[1] !== undefined && Number(match[1]) > 65535)) {
    throw new ConfigurationError(
      `invalid ${inputName} ${shorten(value)} for input "${inputName}": expected a registry host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com or 127.0.0.1:5000`,
    );
  }
  return text;
}

/** Loopback registries speak plain http (docker allows that for 127.0.0.0/8 by default); everything else https. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

export function registryBaseUrl(host: string): string {
  return `${isLoopbackHost(host) ? 'http' : 'https'}://${host}`;
}

/** The account id in an ECR host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com. */
export function accountOfEcrHost(host: string): string | undefined {
  return /^(\d{12})\.dkr\.ecr[.-]/.exec(host)?.[1];
}

/** Tags to push when the `tags` input is empty: the short commit hash, as `git rev-parse --short` shows it. */
export function defaultTags(githubSha: string | undefined): string[] {
  const sha = (githubSha ?? '').trim();
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) {
    throw new ConfigurationError(
      `input "tags" is empty and GITHUB_SHA is ${sha === '' ? 'not set' : `"${sha}", not a commit hash`}: set tags explicitly`,
    );
  }
  return [sha.slice(0, 7).toLowerCase()];
}

export function imageUri(registry: string, repository: string, tag: string): string {
  return `${registry}/${repository}:${tag}`;
}

export function imageUriWithDigest(registry: string, repository: string, digest: string): string {
  return `${registry}/${repository}@${digest}`;
}
