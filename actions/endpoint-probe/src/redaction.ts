// Replaces every secret (header values, URL passwords) with *** in text bound for the log, summary or results
// file: the runner masks only the log, and a server may echo a header back in a body we quote.

export type Redactor = (text: string) => string;

export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    // The same value as it appears inside a JSON string or a percent-encoded URL.
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  const ordered = [...forms].filter((f) => f !== '').sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((acc, form) => acc.split(form).join('***'), text);
}

/**
 * The parts of a header value to mask: the whole value, and for `<scheme> <credential>` values
 * (`Bearer abc...`, `Basic ...`) the credential alone, since it may be logged without its scheme.
 */
export function secretPartsOfHeaderValue(value: string): string[] {
  const parts = [value];
  const scheme = /^[A-Za-z][A-Za-z0-9-]*\s+(\S.*)$/.exec(value.trim());
  if (scheme && scheme[1]!.length >= 6) parts.push(scheme[1]!);
  return parts.filter((p) => p.trim() !== '');
}
