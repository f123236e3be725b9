// What a good response looks like (status, body, JSON, latency) and the check of one response against it.
import { evaluateJsonAssertion, type JsonAssertion } from './json-assertion.js';
import { compileUserRegex, UserRegexError, type UserRegex } from './user-regex.js';

/** One accepted status or class: `200`, or `2xx` as {from: 200, to: 299}. */
export interface StatusRange {
  from: number;
  to: number;
}

export type BodyExpectation = { kind: 'substring'; text: string } | { kind: 'regex'; pattern: UserRegex };

export interface Expectations {
  status: StatusRange[];
  body?: BodyExpectation;
  json: JsonAssertion[];
  maxLatencyMs: number;
}

/** Parses `200`, `2xx`, `200,204`, `200, 3xx`; returns null when it does not parse. */
export function parseStatusSpec(text: string): StatusRange[] | null {
  const parts = text
    .split(/[,\s]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return null;
  const ranges: StatusRange[] = [];
  for (const part of parts) {
    const exact = /^([1-5]\d\d)$/.exec(part);
    const cls = /^([1-5])xx$/i.exec(part);
    if (exact) ranges.push({ from: Number(exact[1]), to: Number(exact[1]) });
    else if (cls) ranges.push({ from: Number(cls[1]) * 100, to: Number(cls[1]) * 100 + 99 });
    else return null;
  }
  return ranges;
}

export function formatStatusSpec(ranges: StatusRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from / 100}xx`)).join(',');
}

/**
 * `/regex/flags` is a regular expression (run on a linear-time engine: see user-regex.ts); anything else is a
 * substring. `{ error }` says why the regex cannot be used.
 */
export function parseBodyExpectation(text: string): BodyExpectation | { error: string } {
  const regex = /^\/(.+)\/([dgimsuvy]*)$/s.exec(text);
  if (!regex) return { kind: 'substring', text };
  try {
    return { kind: 'regex', pattern: compileUserRegex(regex[1]!, regex[2]!) };
  } catch (error) {
    if (error instanceof UserRegexError) return { error: error.message };
    throw error;
  }
}

/** A response as the checks see it. */
export interface ObservedResponse {
  status: number;
  body: string;
  latencyMs: number;
}

/** Why a response fails its expectations (empty when it passes), and whether that is worth retrying. */
export interface ResponseVerdict {
  ok: boolean;
  failures: string[];
  /**
   * A 5xx (or 408/429) or a slow answer may pass on the next try (the service is starting); a wrong 4xx, body or
   * JSON is the service answering wrongly and fails at once.
   */
  transient: boolean;
}

/** Makes secrets in outside text `***` (the probe's header values, URL credentials); identity when none. */
export type Redact = (text: string) => string;

/**
 * The start of a body for a failure message, secrets redacted BEFORE it is cut: cutting first would leave the
 * start of a secret the server echoed (`sk_live_QQQQ…`) that no longer matches the secret whole.
 */
export function excerpt(body: string, redact: Redact = (text) => text): string {
  const flat = redact(body).replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/**
 * Checks one response against `expected`. `redact` is applied to every piece of the body the failures quote,
 * before it is shortened.
 */
export function checkResponse(
  response: ObservedResponse,
  expected: Expectations,
  redact: Redact = (text) => text,
): ResponseVerdict {
  const failures: string[] = [];
  const statusOk = expected.status.some((r) => response.status >= r.from && response.status <= r.to);
  const retryableStatus = response.status >= 500 || response.status === 408 || response.status === 429;
  if (!statusOk) {
    failures.push(
      `status ${response.status}, expected ${formatStatusSpec(expected.status)}` +
        (response.body.trim() === '' ? '' : ` (body: ${excerpt(response.body, redact)})`),
    );
    // A body check on an error page says nothing new.
    return { ok: false, failures, transient: retryableStatus };
  }
  const body = expected.body;
  if (body) {
    const found =
      body.kind === 'substring' ? response.body.includes(body.text) : body.pattern.test(response.body);
    if (!found) {
      const what = body.kind === 'substring' ? JSON.stringify(body.text) : body.pattern.source;
      failures.push(`body does not contain ${what} (body: ${excerpt(response.body, redact)})`);
    }
  }
  if (expected.json.length > 0) {
    let document: unknown;
    let parsed = true;
    try {
      document = JSON.parse(response.body) as unknown;
    } catch {
      parsed = false;
      failures.push(`body is not JSON (body: ${excerpt(response.body, redact)})`);
    }
    if (parsed) {
      for (const assertion of expected.json) {
        const why = evaluateJsonAssertion(assertion, document, redact);
        if (why !== null) failures.push(`expect-json "${assertion.source}" failed: ${why}`);
      }
    }
  }
  const definite = failures.length > 0;
  if (response.latencyMs > expected.maxLatencyMs) {
    failures.push(`took ${Math.round(response.latencyMs)}ms, over max-latency ${expected.maxLatencyMs}ms`);
  }
  return { ok: failures.length === 0, failures, transient: !definite && failures.length > 0 };
}
