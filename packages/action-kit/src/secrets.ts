// Secrets inside larger values: a connection string's password, a URL's userinfo, a `token=` pair. The runner masks
// only the exact strings it is given, so a program that prints just the password of
// `DATABASE_URL=postgres://u:PASSWORD@host/db` leaks it unless the password is masked on its own too.
import * as core from '@actions/core';

/** Credentials shorter than this are not masked on their own: masking "db" would garble every log line. */
export const MIN_MASKED_LENGTH = 4;

/** Key names whose value is a credential in `key=value` pairs (connection strings, query strings, DSNs). */
const CREDENTIAL_KEY =
  /(?:^|[\s;&?,'"])((?:[\w.-]*[_.-])?(?:password|passwd|pwd|pass|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credentials?|sig|signature))\s*[=:]\s*("[^"]*"|'[^']*'|[^\s;&,'"]+)/gi;
/** `scheme://user:password@host`: the password (RFC 3986 userinfo). */
const URL_USERINFO = /[A-Za-z][A-Za-z0-9+.-]*:\/\/([^\s:/?#@]*):([^\s/?#@]*)@/g;
/** `Authorization: Bearer <token>` and friends. */
const AUTH_SCHEME = /\b(?:Bearer|Basic|Token|Digest)\s+([A-Za-z0-9._~+/=-]+)/g;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The credentials inside `value` that deserve a mask of their own, besides the whole value: URL userinfo passwords
 * (also percent-decoded), the values of `password=`, `pwd=`, `token=`, `secret=`, `api_key=` … pairs (also quoted,
 * `;`/`&`/space separated), and `Bearer`/`Basic` tokens. Pure; strings shorter than MIN_MASKED_LENGTH are left out.
 */
export function credentialsIn(value: string): string[] {
  const found = new Set<string>();
  const add = (text: string | undefined) => {
    if (text === undefined) return;
    const bare = text.replace(/^(["'])(.*)\1$/, '$2');
    for (const candidate of [bare, decoded(bare)]) {
      if (candidate.length >= MIN_MASKED_LENGTH && candidate !== value) found.add(candidate);
    }
  };
  for (const match of value.matchAll(URL_USERINFO)) add(match[2]);
  for (const match of value.matchAll(CREDENTIAL_KEY)) add(match[2]);
  for (const match of value.matchAll(AUTH_SCHEME)) add(match[1]);
  return [...found];
}

/** A boolean or a number, as configuration writes them: `true`, `off`, `8080`, `-1`, `0.5`. */
const BOOLEAN_OR_NUMBER = /^(?:true|false|yes|no|on|off|[-+]?\d+(?:\.\d+)?)$/i;

/**
 * Whether `value` cannot be a secret by its shape: shorter than MIN_MASKED_LENGTH, or a boolean or a number.
 * Registering such a value with the runner's masker hides those characters in every later line of the job
 * (`DEBUG=1` turns `line 13` into `line ***3`). Credentials inside a longer value are still masked on their own.
 */
export function isPlainSetting(value: string): boolean {
  const text = value.trim();
  return text.length < MIN_MASKED_LENGTH || BOOLEAN_OR_NUMBER.test(text);
}

/**
 * Everything to register with the runner's masker for one secret value: the whole value, each of its lines (the
 * runner masks a multi-line value line by line), and the credentials inside it (`credentialsIn`).
 */
export function secretMasksOf(value: string): string[] {
  const masks = new Set<string>();
  if (value.trim() === '') return [];
  masks.add(value);
  for (const line of value.split(/\r?\n/))
    if (line.trim().length >= MIN_MASKED_LENGTH) masks.add(line.trim());
  for (const credential of credentialsIn(value)) masks.add(credential);
  return [...masks];
}

/**
 * Masks a secret value before first use: the whole value and every credential inside it (`secretMasksOf`), each
 * with core.setSecret (`::add-mask::`). `mask` is injectable for tests.
 */
export function maskSecret(value: string, mask: (text: string) => void = core.setSecret): void {
  for (const text of secretMasksOf(value)) mask(text);
}

/**
 * `text` with every secret replaced by `***`, longest first (so a whole value goes before a part of it). For what
 * the runner does not mask itself: outputs, the job summary, report files. Empty strings are ignored.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length))
    redacted = redacted.split(secret).join('***');
  return redacted;
}
