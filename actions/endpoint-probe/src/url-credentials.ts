// Credentials written into a URL (`https://user:pass@host/health`) as HTTP clients such as curl send them: an
// `Authorization: Basic base64(user:pass)` header (RFC 7617), the URL itself without them. undici's request()
// ignores URL userinfo, so without this the server would see no credentials at all.
import { ConfigurationError } from '@hokusai/action-kit';

export interface UrlWithCredentials {
  /** The URL without userinfo. */
  url: string;
  /** The headers, with Authorization added when the URL carried credentials. */
  headers: Record<string, string>;
}

/**
 * Moves the credentials of `href` (an absolute http(s) URL, already validated) into an Authorization header.
 * Refused, in one line naming `where`, when the headers already set Authorization (which one should win is not ours
 * to guess). The user name and password are percent-decoded, as WHATWG URL keeps them encoded.
 */
export function moveUrlCredentials(
  href: string,
  headers: Record<string, string>,
  where: string,
): UrlWithCredentials {
  const url = new URL(href);
  if (url.username === '' && url.password === '') return { url: href, headers: { ...headers } };
  const user = decode(url.username);
  const password = decode(url.password);
  url.username = '';
  url.password = '';
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
    throw new ConfigurationError(
      `the URL ${url.href} in ${where} has credentials (user:password@) and the headers set Authorization too: keep one of them (the headers input is the one that stays out of logs)`,
    );
  }
  const credential = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
  return { url: url.href, headers: { ...headers, Authorization: `Basic ${credential}` } };
}

/**
 * What to mask besides the value itself for an `Authorization: Basic <base64>` header: the decoded password (a
 * server may echo it back in a body we quote), or the whole decoded value when it has no `user:` part. Masking
 * the password masks it inside `user:password` too, so the pair itself is not registered (its add-mask line would
 * carry the password before the password's own mask). [] for any other value.
 */
export function basicCredentialParts(value: string): string[] {
  const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
  if (!match) return [];
  const pair = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  const secret = colon < 0 ? pair : pair.slice(colon + 1);
  return secret.length >= 3 ? [secret] : [];
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a lone % is kept as written, like curl does
  }
}
