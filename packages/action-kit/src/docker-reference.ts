// Image references checked against the Docker reference grammar (github.com/distribution/reference, regexp.go and
// normalize.go at 0965666), before an image name reaches docker or a task definition.
//
// Hand-written on purpose: the npm ports of that grammar (@swimlane/docker-reference 2.0.1,
// @codefresh-io/docker-reference) keep the old separator `[-]*`, which makes the name pattern `([a-z0-9]+)+` and
// backtracks exponentially in JavaScript (`aaaaaaaaaaaaaaaaaa!` took 38 s there). Here each part is split off first
// and checked with an anchored pattern that cannot backtrack far, after a length limit.
import { ConfigurationError } from './errors.js';
import { shorten } from './input-parsing.js';

/** Docker's limit on the name (registry host and path together): RepositoryNameTotalLengthMax. */
export const IMAGE_NAME_MAX_LENGTH = 255;
/** name:tag@algorithm:hex — 255 + 1 + 128 + 1 + a sha512 digest (7 + 128); nothing valid is longer. */
export const IMAGE_REFERENCE_MAX_LENGTH = 520;

export interface ImageReference {
  /** `registry[:port]` when the reference names one (a first part with `.` or `:`, or `localhost`). */
  registry?: string;
  /** The path in the registry, e.g. `hokusai-api` or `team/api`. */
  repository: string;
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const IPV6 = /^\[[a-fA-F0-9:]+\]$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^(?:sha256:)?[a-f0-9]{12,64}$/;

function isDomain(text: string): boolean {
  const portAt = text.lastIndexOf(':');
  const hasPort = portAt > text.lastIndexOf(']');
  const host = hasPort ? text.slice(0, portAt) : text;
  if (hasPort && !/^[0-9]+$/.test(text.slice(portAt + 1))) return false;
  return IPV6.test(host) || (host !== '' && host.split('.').every((part) => DOMAIN_COMPONENT.test(part)));
}

/**
 * Parses an image reference (`name[:tag][@digest]`, name = `[registry/]path`) by the Docker reference grammar.
 * Throws a ConfigurationError naming `inputName`, the shortened value and the broken rule. With `allowImageId`, a
 * local image id (`sha256:<hex>` or 12–64 hex digits) is accepted too and returned as `{ repository: '', digest }`.
 */
export function parseImageReference(
  value: string,
  inputName: string,
  options: { allowImageId?: boolean } = {},
): ImageReference {
  const bad = (why: string) =>
    new ConfigurationError(`invalid image reference ${shorten(value)} for input "${inputName}": ${why}`);
  if (value === '') throw bad('it is empty');
  if ([...value].length > IMAGE_REFERENCE_MAX_LENGTH) {
    throw bad(
      `${[...value].length} characters; a Docker reference has at most ${IMAGE_REFERENCE_MAX_LENGTH}`,
    );
  }
  if (options.allowImageId && IMAGE_ID.test(value)) {
    return { repository: '', digest: value.startsWith('sha256:') ? value : `sha256:${value}` };
  }
  if (/^[a-f0-9]{64}$/.test(value))
    throw bad('64 hex digits are an image id, not a name (docker refuses it)');
  if (/\s/.test(value)) throw bad('a reference has no spaces or line breaks');
  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      throw bad('the digest after "@" must be algorithm:hex, e.g. sha256:<64 hex digits>');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      throw bad(
        'the tag after ":" must start with a letter, digit or "_" and have at most 128 letters, digits, "_", "." and "-"',
      );
    }
  }
  if (rest === '') throw bad('the name is empty');
  if (rest.length > IMAGE_NAME_MAX_LENGTH)
    throw bad(`the name is longer than ${IMAGE_NAME_MAX_LENGTH} characters`);
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasRegistry =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  const registry = hasRegistry ? first : undefined;
  const repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (registry !== undefined && !isDomain(registry)) {
    throw bad(`registry ${shorten(registry)} is not a host name or host:port`);
  }
  const components = repository.split('/');
  for (const component of components) {
    if (PATH_COMPONENT.test(component)) continue;
    if (PATH_COMPONENT.test(component.toLowerCase())) throw bad('the repository name must be lower case');
    throw bad(
      'each part of the repository name is lower-case letters and digits, separated by ".", "_", "__" or "-"',
    );
  }
  return {
    ...(registry !== undefined ? { registry } : {}),
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}
