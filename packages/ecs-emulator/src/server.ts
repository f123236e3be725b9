// The HTTP layer: one loopback port for ECS and CloudWatch Logs (JSON 1.1, dispatched on X-Amz-Target) and ELBv2
// (query protocol, dispatched on Action), plus GET /_emulator/events and /_emulator/clock. It advances the simulation
// to its time source (the scaled real clock, or a virtual clock that moves only when told) before every request,
// injects the scenario's faults, and answers every malformed request in AWS's error shape.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApiError } from './api-error.js';
import { CLOUDWATCH_PREFIX, CLOUDWATCH_QUERY_CODES, cloudwatchOperations } from './cloudwatch-api.js';
import { ecsOperations } from './ecs-api.js';
import { ELBV2_NAMESPACE, elbv2Operations, escapeXml, toXml } from './elbv2-api.js';
import { FaultInjector, type InjectedFault } from './faults.js';
import { logsOperations } from './logs-api.js';
import type { Simulation } from './simulation.js';

const ECS_PREFIX = 'AmazonEC2ContainerServiceV20141113';
const LOGS_PREFIX = 'Logs_20140328';
const MAX_BODY_BYTES = 5 * 1024 * 1024;
/**
 * The most simulated time one POST /_emulator/clock may move: 31 days, beyond any sleep an action makes (a timeout
 * is at most 24 h) and Node's timer cap (24.8 days). A typo (`{"advanceBy": 1e20}`) is a 400 rather than a simulation
 * that runs for ever or past JavaScript's dates; the simulation of a service runs every health check, so even a
 * bounded step costs time (31 days of a steady service: about a second; 400 days: about 14 s).
 */
export const MAX_CLOCK_STEP_MS = 31 * 24 * 3_600_000;

/** Where the simulation's time comes from. */
export interface TimeSource {
  now(): number;
  /**
   * Present on a virtual time source: moves time forward to `to` (epoch ms, simulated) and resolves when the
   * simulation and every in-process sleeper due by then have caught up. `POST /_emulator/clock` calls it.
   */
  advanceTo?(to: number): Promise<void>;
}

/** Simulated time from the real clock: start + elapsed real time × timeScale. */
export class ScaledClock implements TimeSource {
  private readonly realStart = performance.now();
  constructor(
    private readonly simStart: number,
    readonly timeScale: number,
  ) {}
  now(): number {
    return Math.floor(this.simStart + (performance.now() - this.realStart) * this.timeScale);
  }
}

type Protocol = 'json' | 'json1.0' | 'query';

interface CallOutcome {
  status: number;
  body: string;
  contentType: string;
  errorCode?: string;
  /** The x-amzn-RequestId header; the query protocol repeats it in the body. */
  requestId?: string;
  /** JSON 1.0 with query compatibility: the x-amzn-query-error header. */
  queryError?: string;
}

export class EmulatorServer {
  private readonly server: http.Server;
  private readonly faults: FaultInjector;
  private ticker?: NodeJS.Timeout;

  constructor(
    private readonly sim: Simulation,
    private readonly clock: TimeSource,
  ) {
    this.faults = new FaultInjector(sim.scenario.faults ?? [], sim.scenario.seed ?? 1);
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    // A client that sends garbage at the HTTP level gets a 400 and its socket closed; the server carries on.
    this.server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    // Timed scenario actions and task lifecycles move on even when nobody calls (on a virtual clock, time moves
    // only when the clock is advanced, and the clock advances the simulation itself).
    if (!this.clock.advanceTo) {
      this.ticker = setInterval(() => this.tick(), 50);
      this.ticker.unref();
    }
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private tick(): void {
    try {
      this.sim.advanceTo(this.clock.now());
    } catch (error) {
      this.sim.record('emulator-error', { message: (error as Error).stack ?? String(error) });
    }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      try {
        this.respond(req, res, tooLarge ? undefined : Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        // Never crash: a bug answers 500 and is recorded.
        this.sim.record('emulator-error', { message: (error as Error).stack ?? String(error) });
        if (!res.headersSent)
          send(
            res,
            500,
            jsonError('InternalFailure', 'The emulator failed to handle the request.'),
            'application/x-amz-json-1.1',
          );
      }
    });
  }

  private respond(req: http.IncomingMessage, res: http.ServerResponse, body: string | undefined): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/_emulator/events') {
      this.tick();
      const type = url.searchParams.get('type');
      const events = type ? this.sim.eventLog.filter((e) => e.type === type) : this.sim.eventLog;
      send(
        res,
        200,
        JSON.stringify({ now: new Date(this.sim.now).toISOString(), events }),
        'application/json',
      );
      return;
    }
    if (url.pathname === '/_emulator/clock') {
      this.handleClock(req.method ?? 'GET', body, res);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/_emulator/health') {
      send(
        res,
        200,
        JSON.stringify({ ok: true, now: new Date(this.clock.now()).toISOString() }),
        'application/json',
      );
      return;
    }
    const target = headerValue(req.headers['x-amz-target']);
    const contentType = headerValue(req.headers['content-type']) ?? '';
    if (body === undefined) {
      const protocol: Protocol = target ? 'json' : 'query';
      this.write(
        res,
        errorOutcome(
          protocol,
          new ApiError(
            protocol === 'json' ? 'SerializationException' : 'ValidationError',
            'Request body too large.',
            413,
          ),
        ),
      );
      return;
    }
    if (target) {
      this.handleJson(res, target, body);
    } else if (
      req.method === 'POST' &&
      (contentType.includes('x-www-form-urlencoded') || /(^|&)Action=/.test(body))
    ) {
      this.handleQuery(res, body);
    } else {
      this.write(
        res,
        errorOutcome(
          'json',
          new ApiError(
            'UnknownOperationException',
            `No operation for ${req.method} ${url.pathname}: send X-Amz-Target (ECS, CloudWatch Logs) or Action= (ELBv2).`,
          ),
        ),
      );
    }
  }

  /**
   * GET: `{ now, mode }` (now: epoch ms, simulated; mode: scaled | virtual). POST `{"advanceTo": epochMs}` or
   * `{"advanceBy": ms}` on a virtual clock: moves time forward (never back), at most MAX_CLOCK_STEP_MS (31 days)
   * per request (more answers 400), and answers the new `{ now, mode }` once the simulation has caught up; on a
   * scaled clock it answers 409.
   */
  private handleClock(method: string, body: string | undefined, res: http.ServerResponse): void {
    const mode = this.clock.advanceTo ? 'virtual' : 'scaled';
    const answer = () => send(res, 200, JSON.stringify({ now: this.clock.now(), mode }), 'application/json');
    if (method === 'GET') return answer();
    const fail = (status: number, message: string) =>
      send(res, status, JSON.stringify({ message }), 'application/json');
    if (method !== 'POST') return fail(405, 'use GET or POST');
    if (!this.clock.advanceTo)
      return fail(409, 'the emulator runs on a scaled real clock, not a virtual one');
    let request: { advanceTo?: unknown; advanceBy?: unknown };
    try {
      request = JSON.parse(body ?? '') as typeof request;
    } catch {
      return fail(400, 'expected a JSON body {"advanceTo": epochMs} or {"advanceBy": ms}');
    }
    const now = this.clock.now();
    const to =
      typeof request.advanceTo === 'number'
        ? request.advanceTo
        : typeof request.advanceBy === 'number'
          ? now + request.advanceBy
          : NaN;
    if (!Number.isFinite(to)) return fail(400, 'expected a number in "advanceTo" or "advanceBy"');
    if (to - now > MAX_CLOCK_STEP_MS)
      return fail(
        400,
        `one step moves the clock at most 31 days (${MAX_CLOCK_STEP_MS} ms); asked for ${Math.round(to - now)} ms: step in parts`,
      );
    this.clock.advanceTo(Math.max(now, to)).then(answer, (error: unknown) => {
      this.sim.record('emulator-error', { message: (error as Error).stack ?? String(error) });
      fail(500, 'advancing the clock failed');
    });
  }

  private handleJson(res: http.ServerResponse, target: string, body: string): void {
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot);
    const operation = target.slice(dot + 1);
    const service =
      prefix === ECS_PREFIX
        ? 'ecs'
        : prefix === LOGS_PREFIX
          ? 'logs'
          : prefix === CLOUDWATCH_PREFIX
            ? 'cloudwatch'
            : undefined;
    const handlers =
      service === 'ecs'
        ? ecsOperations
        : service === 'logs'
          ? logsOperations
          : service === 'cloudwatch'
            ? cloudwatchOperations
            : undefined;
    // CloudWatch: JSON 1.0 with query-compatible errors (the installed @aws-sdk/client-cloudwatch).
    const protocol: Protocol = service === 'cloudwatch' ? 'json1.0' : 'json';
    const handler = handlers && Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;
    this.tick();
    if (!handler) {
      this.recordCall(service ?? 'unknown', operation || target, {}, 'UnknownOperationException');
      this.write(
        res,
        errorOutcome(
          protocol,
          new ApiError(
            'UnknownOperationException',
            `Operation ${target} is not supported by the ECS emulator.`,
          ),
        ),
      );
      return;
    }
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      this.recordCall(service!, operation, {}, 'SerializationException');
      this.write(
        res,
        errorOutcome(
          protocol,
          new ApiError('SerializationException', 'Start of structure or map found where not expected.'),
        ),
      );
      return;
    }
    const fault = this.faults.decide(operation, (this.sim.now - this.sim.startTime) / 1000);
    if (fault) {
      this.injectFault(res, protocol, service!, operation, input, fault);
      return;
    }
    try {
      const output = handler(this.sim, input);
      this.recordCall(service!, operation, input);
      this.write(res, {
        status: 200,
        body: JSON.stringify(output),
        contentType: protocol === 'json1.0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.recordCall(service!, operation, input, error.code);
      this.write(res, errorOutcome(protocol, error));
    }
  }

  private handleQuery(res: http.ServerResponse, body: string): void {
    const params = new URLSearchParams(body);
    const operation = params.get('Action') ?? '';
    const handler = Object.hasOwn(elbv2Operations, operation) ? elbv2Operations[operation] : undefined;
    this.tick();
    const input = Object.fromEntries(params.entries());
    if (!handler) {
      this.recordCall('elbv2', operation, input, 'InvalidAction');
      this.write(
        res,
        errorOutcome(
          'query',
          new ApiError(
            'InvalidAction',
            `Could not find operation ${operation || '(none)'} for version 2015-12-01`,
          ),
        ),
      );
      return;
    }
    const fault = this.faults.decide(operation, (this.sim.now - this.sim.startTime) / 1000);
    if (fault) {
      this.injectFault(res, 'query', 'elbv2', operation, input, fault);
      return;
    }
    try {
      const result = handler(this.sim, params);
      this.recordCall('elbv2', operation, input);
      // One request id in the header and the body, as AWS sends it.
      const requestId = randomUUID();
      const xml =
        `<${operation}Response xmlns="${ELBV2_NAMESPACE}"><${operation}Result>${toXml(result)}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
      this.write(res, { status: 200, body: xml, contentType: 'text/xml', requestId });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.recordCall('elbv2', operation, input, error.code);
      this.write(res, errorOutcome('query', error));
    }
  }

  private injectFault(
    res: http.ServerResponse,
    protocol: Protocol,
    service: string,
    operation: string,
    input: Record<string, unknown>,
    fault: InjectedFault,
  ): void {
    this.sim.record('fault', { service, operation, fault: fault.kind, code: fault.code });
    this.recordCall(
      service,
      operation,
      input,
      fault.kind === 'connection-reset' ? 'ConnectionReset' : faultCode(protocol, service, fault),
    );
    if (fault.kind === 'connection-reset') {
      res.socket?.destroy();
      return;
    }
    const status = fault.kind === 'server-error' ? 500 : 400;
    const message =
      fault.message ??
      (fault.kind === 'throttle'
        ? 'Rate exceeded'
        : fault.kind === 'server-error'
          ? 'Service unavailable (injected by the scenario).'
          : `Injected ${fault.code}.`);
    this.write(
      res,
      errorOutcome(protocol, new ApiError(faultCode(protocol, service, fault), message, status)),
    );
  }

  private recordCall(
    service: string,
    operation: string,
    input: Record<string, unknown>,
    errorCode?: string,
  ): void {
    const pick = (name: string): unknown => (typeof input[name] === 'string' ? input[name] : undefined);
    this.sim.record('api-call', {
      service,
      operation,
      ...(pick('cluster') ? { cluster: pick('cluster') } : {}),
      ...(pick('service') ? { serviceName: pick('service') } : {}),
      ...(operation === 'UpdateService' && pick('taskDefinition')
        ? { taskDefinition: pick('taskDefinition') }
        : {}),
      ...(operation === 'UpdateService' && typeof input.desiredCount === 'number'
        ? { desiredCount: input.desiredCount }
        : {}),
      ...(operation === 'UpdateService' && input.forceNewDeployment === true
        ? { forceNewDeployment: true }
        : {}),
      status: errorCode ? 'error' : 'ok',
      ...(errorCode ? { errorCode } : {}),
    });
  }

  private write(res: http.ServerResponse, outcome: CallOutcome): void {
    const headers: Record<string, string> = { 'x-amzn-RequestId': outcome.requestId ?? randomUUID() };
    if (outcome.errorCode && outcome.contentType.includes('json'))
      headers['x-amzn-ErrorType'] = outcome.errorCode;
    if (outcome.queryError) headers['x-amzn-query-error'] = outcome.queryError;
    send(res, outcome.status, outcome.body, outcome.contentType, headers);
  }
}

function faultCode(protocol: Protocol, service: string, fault: InjectedFault): string {
  if (fault.kind === 'throttle')
    return protocol === 'query' || protocol === 'json1.0' ? 'Throttling' : 'ThrottlingException';
  if (fault.kind === 'server-error')
    return protocol === 'query'
      ? 'InternalFailure'
      : protocol === 'json1.0'
        ? 'InternalServiceFault'
        : service === 'logs'
          ? 'ServiceUnavailableException'
          : 'ServerException';
  return fault.code;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function jsonError(code: string, message: string): string {
  return JSON.stringify({ __type: code, message });
}

function errorOutcome(protocol: Protocol, error: ApiError): CallOutcome {
  if (protocol === 'json') {
    return {
      status: error.httpStatus,
      body: jsonError(error.code, error.message),
      contentType: 'application/x-amz-json-1.1',
      errorCode: error.code,
    };
  }
  if (protocol === 'json1.0') {
    // awsQueryCompatible: the query error code and fault in x-amzn-query-error, as CloudWatch sends them.
    return {
      status: error.httpStatus,
      body: jsonError(error.code, error.message),
      contentType: 'application/x-amz-json-1.0',
      errorCode: error.code,
      queryError: `${CLOUDWATCH_QUERY_CODES[error.code] ?? error.code};${error.httpStatus >= 500 ? 'Receiver' : 'Sender'}`,
    };
  }
  const type = error.httpStatus >= 500 ? 'Receiver' : 'Sender';
  const requestId = randomUUID();
  const xml =
    `<ErrorResponse xmlns="${ELBV2_NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.httpStatus, body: xml, contentType: 'text/xml', errorCode: error.code, requestId };
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
