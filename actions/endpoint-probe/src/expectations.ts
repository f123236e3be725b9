// What a good response looks like (status, body, JSON, latency) and the check of one response against it.
import { evaluateJsonAssertion, type JsonAssertion } from './json-assertion.js';

/** One accepted status or class: `200`, or `2xx` as {from: 200, to: 299}. */
export interface StatusRange {
  from: number;
  to: number;
}

export type BodyExpectation = { kind: 'substring'; text: string } | { kind: 'regex'; pattern: RegExp };

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

/** `/regex/flags` is a regular expression; anything else is a substring. Null when the regex is invalid. */
export function parseBodyExpectation(text: string): BodyExpectation | { error: string } {
  const regex = /^\/(.+)\/([dgimsuvy]*)$/s.exec(text);
  if (!regex) return { kind: 'substring', text };
  try {
    return { kind: 'regex', pattern: new RegExp(regex[1]!, regex[2]!.replace('g', '')) };
  } catch (error) {
    return { error: (error as Error).message };
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

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

export function checkResponse(response: ObservedResponse, expected: Expectations): ResponseVerdict {
  const failures: string[] = [];
  const statusOk = expected.status.some((r) => response.status >= r.from && response.status <= r.to);
  const retryableStatus = response.status >= 500 || response.status === 408 || response.status === 429;
  if (!statusOk) {
    failures.push(
      `status ${response.status}, expected ${formatStatusSpec(expected.status)}` +
        (response.body.trim() === '' ? '' : ` (body: ${excerpt(response.body)})`),
    );
    // A body check on an error page says nothing new.
    return { ok: false, failures, transient: retryableStatus };
  }
  const body = expected.body;
  if (body) {
    const found =
      body.kind === 'substring' ? response.body.includes(body.text) : body.pattern.test(response.body);
    if (!found) {
      const what = body.kind === 'substring' ? JSON.stringify(body.text) : String(body.pattern);
      failures.push(`body does not contain ${what} (body: ${excerpt(response.body)})`);
    }
  }
  if (expected.json.length > 0) {
    let document: unknown;
    let parsed = true;
    try {
      document = JSON.parse(response.body) as unknown;
    } catch {
      parsed = false;
      failures.push(`body is not JSON (body: ${excerpt(response.body)})`);
    }
    if (parsed) {
      for (const assertion of expected.json) {
        const why = evaluateJsonAssertion(assertion, document);
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
