// Reads and validates every input before the first request; a mistake is one line naming the input and value.
// Header values are never quoted in an error: they are secrets.
import {
  ConfigurationError,
  createInputReader,
  parseDuration,
  parsePercentage,
  shorten,
  type Environment,
} from '@hokusai/action-kit';
import { parse as parseYaml } from 'yaml';
import {
  parseBodyExpectation,
  parseStatusSpec,
  type BodyExpectation,
  type StatusRange,
} from './expectations.js';
import { AssertionSyntaxError, parseJsonAssertion, type JsonAssertion } from './json-assertion.js';
import type { EndpointPlan, ProbePlan } from './probe.js';
import { secretPartsOfHeaderValue } from './redaction.js';
import { basicCredentialParts, moveUrlCredentials } from './url-credentials.js';

export interface Inputs {
  urls: string[];
  endpoints: EndpointPlan[];
  'expect-status': StatusRange[];
  'expect-body': BodyExpectation | undefined;
  'expect-json': JsonAssertion[];
  headers: Record<string, string>;
  timeout: number;
  'max-latency': number;
  wait: number;
  'consecutive-successes': number;
  soak: number;
  interval: number;
  requests: number;
  concurrency: number;
  'max-error-rate': number;
  'follow-redirects': boolean;
  insecure: boolean;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const ENDPOINT_KEYS = [
  'url',
  'name',
  'method',
  'headers',
  'body',
  'expect-status',
  'expect-body',
  'expect-json',
  'max-latency',
  'timeout',
];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Longer URLs are refused: servers commonly cap the request line at 8 KiB. */
const URL_MAX_LENGTH = 8192;

export function parseUrl(text: string, where: string): string {
  if (text.length > URL_MAX_LENGTH) {
    throw new ConfigurationError(
      `invalid URL ${shorten(shownUrl(text))} in ${where}: longer than ${URL_MAX_LENGTH} characters`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError(
      `invalid URL ${shorten(shownUrl(text))} in ${where} (expected http://... or https://...)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(
      `invalid URL ${shorten(shownUrl(text))} in ${where}: only http and https are probed`,
    );
  }
  return url.href;
}

/** The URL with any password replaced, for messages. */
export function shownUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return text.replace(/\/\/([^/:@]*):[^/@]*@/, '//$1:***@');
  }
}

export function parseStatus(text: string, where: string): StatusRange[] {
  const ranges = parseStatusSpec(text);
  if (!ranges) {
    throw new ConfigurationError(
      `invalid status ${shorten(text)} for ${where} (use e.g. 200, 2xx or 200,204)`,
    );
  }
  return ranges;
}

export function parseBody(text: string, where: string): BodyExpectation | undefined {
  if (text === '') return undefined;
  const body = parseBodyExpectation(text);
  if ('error' in body)
    throw new ConfigurationError(`invalid regex ${shorten(text)} for ${where}: ${body.error}`);
  return body;
}

export function parseAssertions(lines: string[], where: string): JsonAssertion[] {
  return lines.map((line) => {
    try {
      return parseJsonAssertion(line);
    } catch (error) {
      if (error instanceof AssertionSyntaxError) {
        throw new ConfigurationError(
          `invalid expect-json assertion ${shorten(line)} in ${where}: ${error.message}`,
        );
      }
      throw error;
    }
  });
}

/** `Name: value` lines; blank lines and `#` comments are dropped. */
export function parseHeaderLines(lines: string[], where: string): Record<string, string> {
  const headers: Record<string, string> = {};
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (colon === -1 || !HEADER_NAME.test(name)) {
      // The line may hold the secret itself, so only its position and name are shown.
      const shown = colon === -1 ? '' : ` (name ${shorten(name, 40)})`;
      throw new ConfigurationError(
        `invalid header line ${i + 1}${shown} in ${where}: expected "Name: value" (the value is not shown)`,
      );
    }
    const value = line.slice(colon + 1).trim();
    // A lone carriage return or another control character would only fail at request time (undici), after the
    // first probes; refuse it now, by line number (the value may be the secret).
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw new ConfigurationError(
        `invalid header line ${i + 1} (name ${shorten(name, 40)}) in ${where}: a control character (a line break?) in its value (the value is not shown)`,
      );
    }
    headers[name] = value;
  });
  return headers;
}

function headersFromYaml(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') return parseHeaderLines(value.split(/\r?\n/), where);
  if (Array.isArray(value)) return parseHeaderLines(value.map(String), where);
  if (typeof value === 'object') {
    const headers: Record<string, string> = {};
    for (const [name, v] of Object.entries(value)) {
      if (!HEADER_NAME.test(name))
        throw new ConfigurationError(`invalid header name ${shorten(name, 40)} in ${where}`);
      if (v !== null && typeof v === 'object') {
        throw new ConfigurationError(
          `header ${shorten(name, 40)} in ${where} must be a plain value (the value is not shown)`,
        );
      }
      headers[name] = String(v ?? '');
    }
    return headers;
  }
  throw new ConfigurationError(`invalid headers in ${where}: expected a mapping or "Name: value" lines`);
}

function checkHeaderValues(headers: Record<string, string>, where: string): void {
  for (const [name, value] of Object.entries(headers)) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw new ConfigurationError(
        `header ${shorten(name, 40)} in ${where} has a control character (a line break?) in its value (not shown)`,
      );
    }
  }
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new ConfigurationError(`invalid ${where}: expected a string or a list of strings`);
}

function labelOf(method: string, url: string): string {
  return `${method} ${shownUrl(url)}`;
}

interface Defaults {
  status: StatusRange[];
  body: BodyExpectation | undefined;
  json: JsonAssertion[];
  headers: Record<string, string>;
  timeoutMs: number;
  maxLatencyMs: number;
}

/** `item` as YAML typed it; `verbatim` the same item with every scalar the string written (for header values). */
function endpointFromYaml(item: unknown, verbatim: unknown, index: number, defaults: Defaults): EndpointPlan {
  const where = `input "endpoints" item ${index + 1}`;
  if (typeof item === 'string') item = { url: item };
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new ConfigurationError(`invalid ${where}: expected a mapping with at least "url"`);
  }
  const spec = item as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!ENDPOINT_KEYS.includes(key)) {
      throw new ConfigurationError(
        `unknown key ${shorten(key, 40)} in ${where} (expected one of: ${ENDPOINT_KEYS.join(', ')})`,
      );
    }
  }
  if (typeof spec.url !== 'string' || spec.url.trim() === '') {
    throw new ConfigurationError(`${where} has no "url"`);
  }
  const url = parseUrl(spec.url.trim(), where);
  const method = spec.method === undefined ? 'GET' : String(spec.method).trim().toUpperCase();
  if (!METHODS.includes(method)) {
    throw new ConfigurationError(
      `invalid method ${shorten(String(spec.method))} in ${where} (expected one of: ${METHODS.join(', ')})`,
    );
  }
  // Header values come from the verbatim parse: YAML would turn a key like 0123 into 123, or `true` into a boolean.
  const writtenHeaders = (verbatim as Record<string, unknown> | null)?.headers;
  const { url: target, headers } = moveUrlCredentials(
    url,
    { ...defaults.headers, ...headersFromYaml(writtenHeaders, `${where} "headers"`) },
    where,
  );
  checkHeaderValues(headers, where);
  let body: string | undefined;
  let contentType: string | undefined;
  if (spec.body !== undefined && spec.body !== null) {
    if (typeof spec.body === 'string') body = spec.body;
    else {
      body = JSON.stringify(spec.body);
      contentType = 'application/json';
    }
  }
  const duration = (key: string, fallback: number) => {
    const value = spec[key];
    if (value === undefined || value === null) return fallback;
    const ms = parseDuration(String(value), `endpoints[${index + 1}].${key}`);
    if (ms <= 0)
      throw new ConfigurationError(`invalid ${key} ${shorten(String(value))} in ${where}: must be above 0`);
    return ms;
  };
  const json =
    spec['expect-json'] === undefined
      ? defaults.json
      : parseAssertions(stringList(spec['expect-json'], `${where} "expect-json"`), where);
  return {
    name: typeof spec.name === 'string' && spec.name.trim() !== '' ? spec.name.trim() : labelOf(method, url),
    url: target,
    method,
    headers,
    body,
    contentType,
    timeoutMs: duration('timeout', defaults.timeoutMs),
    expect: {
      status:
        spec['expect-status'] === undefined
          ? defaults.status
          : parseStatus(String(spec['expect-status']), where),
      body: spec['expect-body'] === undefined ? defaults.body : parseBody(String(spec['expect-body']), where),
      json,
      maxLatencyMs: duration('max-latency', defaults.maxLatencyMs),
    },
  };
}

function parseEndpointsYaml(text: string, defaults: Defaults): EndpointPlan[] {
  let doc: unknown;
  let verbatim: unknown;
  try {
    doc = parseYaml(text);
    verbatim = parseYaml(text, { schema: 'failsafe' });
  } catch (error) {
    // Only the first line: the parser's code frame would quote the source, which may hold a header value.
    const first = (error as Error).message.split('\n')[0]!.replace(/:$/, '');
    throw new ConfigurationError(`invalid YAML in input "endpoints": ${first}`);
  }
  if (!Array.isArray(doc) || doc.length === 0) {
    throw new ConfigurationError(
      'invalid input "endpoints": expected a YAML list of endpoints (- url: https://...)',
    );
  }
  const verbatimItems = verbatim as unknown[];
  return doc.map((item, i) => {
    const written = verbatimItems[i];
    return endpointFromYaml(item, typeof written === 'string' ? { url: written } : written, i, defaults);
  });
}

function positiveDuration(value: number, name: string, raw: string): number {
  if (value <= 0)
    throw new ConfigurationError(`invalid value ${shorten(raw)} for input "${name}": must be above 0`);
  return value;
}

export function getInputs(env: Environment): Inputs {
  const read = createInputReader(env);
  const urls = read.list('urls');
  const endpointsText = read.raw('endpoints');
  if (urls.length > 0 && endpointsText.trim() !== '') {
    throw new ConfigurationError('inputs "urls" and "endpoints" were both given: use one of them');
  }
  if (urls.length === 0 && endpointsText.trim() === '') {
    throw new ConfigurationError(
      'no endpoint to probe: set input "urls" (one URL a line) or "endpoints" (a YAML list)',
    );
  }
  const status = parseStatus(read.string('expect-status') || '200', 'input "expect-status"');
  const body = parseBody(read.string('expect-body'), 'input "expect-body"');
  const json = parseAssertions(read.list('expect-json'), 'input "expect-json"');
  const headers = parseHeaderLines(read.raw('headers').split(/\r?\n/), 'input "headers"');
  const timeout = positiveDuration(read.duration('timeout', '10s'), 'timeout', read.string('timeout'));
  const maxLatency = positiveDuration(
    read.duration('max-latency', '5s'),
    'max-latency',
    read.string('max-latency'),
  );
  const wait = read.duration('wait', '2m');
  const soak = read.duration('soak', '0s');
  const interval = positiveDuration(read.duration('interval', '5s'), 'interval', read.string('interval'));
  const consecutive = read.integer('consecutive-successes', 2, { min: 1, max: 1000 });
  const requests = read.integer('requests', 0, { min: 0, max: 1_000_000 });
  const concurrency = read.integer('concurrency', 10, { min: 1, max: 1000 });
  const maxErrorRateText = read.string('max-error-rate') || '1%';
  const maxErrorRate = parsePercentage(maxErrorRateText, 'max-error-rate');
  const followRedirects = read.boolean('follow-redirects', true);
  const insecure = read.boolean('insecure', false);

  const defaults: Defaults = { status, body, json, headers, timeoutMs: timeout, maxLatencyMs: maxLatency };
  const endpoints =
    urls.length > 0
      ? urls.map((text) => {
          const written = parseUrl(text, 'input "urls"');
          const { url, headers: withAuth } = moveUrlCredentials(written, headers, 'input "urls"');
          return {
            name: labelOf('GET', written),
            url,
            method: 'GET',
            headers: withAuth,
            timeoutMs: timeout,
            expect: { status, body, json, maxLatencyMs: maxLatency },
          };
        })
      : parseEndpointsYaml(endpointsText, defaults);
  return {
    urls,
    endpoints,
    'expect-status': status,
    'expect-body': body,
    'expect-json': json,
    headers,
    timeout,
    'max-latency': maxLatency,
    wait,
    'consecutive-successes': consecutive,
    soak,
    interval,
    requests,
    concurrency,
    'max-error-rate': maxErrorRate,
    'follow-redirects': followRedirects,
    insecure,
  };
}

export function probePlanOf(inputs: Inputs): ProbePlan {
  return {
    endpoints: inputs.endpoints,
    waitMs: inputs.wait,
    consecutiveSuccesses: inputs['consecutive-successes'],
    soakMs: inputs.soak,
    intervalMs: inputs.interval,
    requests: inputs.requests,
    concurrency: inputs.concurrency,
    maxErrorRate: inputs['max-error-rate'],
    followRedirects: inputs['follow-redirects'],
  };
}

/** Every value to mask: header values (and their credential part) and URL passwords. */
export function secretsOf(inputs: Inputs): string[] {
  const secrets = new Set<string>();
  for (const endpoint of inputs.endpoints) {
    for (const value of Object.values(endpoint.headers)) {
      for (const part of [...secretPartsOfHeaderValue(value), ...basicCredentialParts(value)])
        secrets.add(part);
    }
    const password = new URL(endpoint.url).password;
    if (password) {
      secrets.add(password);
      secrets.add(decodeURIComponent(password));
    }
  }
  for (const value of Object.values(inputs.headers)) {
    for (const part of secretPartsOfHeaderValue(value)) secrets.add(part);
  }
  // Every configured header is masked, Accept and Content-Type too: no list of "secret" header names is complete.
  return [...secrets].filter((s) => s.trim() !== '');
}
