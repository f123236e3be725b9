// The CloudWatch Logs operations (JSON 1.1, Logs_20140328.*) over the awslogs streams the simulated containers write.
import { ApiError, RequestFields } from './api-error.js';
import type { LogGroup, LogStream, Simulation } from './simulation.js';

type Body = Record<string, unknown>;
type Handler = (sim: Simulation, body: Body) => Body;

const fields = (body: Body): RequestFields => new RequestFields(body, 'InvalidParameterException');

function requireGroup(sim: Simulation, f: RequestFields): LogGroup {
  const name = f.string('logGroupName') ?? groupNameOfIdentifier(f.string('logGroupIdentifier'));
  if (!name) throw new ApiError('InvalidParameterException', 'logGroupName is required');
  const group = sim.logGroups.get(name);
  if (!group) throw new ApiError('ResourceNotFoundException', 'The specified log group does not exist.');
  return group;
}

function groupNameOfIdentifier(identifier: string | undefined): string | undefined {
  if (!identifier) return undefined;
  const match = /:log-group:([^:]+)/.exec(identifier);
  return match ? match[1] : identifier;
}

function limitOf(f: RequestFields, max: number): number {
  const limit = f.integer('limit') ?? max;
  if (limit < 1 || limit > max)
    throw new ApiError('InvalidParameterException', `limit must be between 1 and ${max}`);
  return limit;
}

/**
 * A subset of the CloudWatch Logs filter pattern syntax for unstructured logs: terms (all must appear), "quoted
 * phrases", ?term (any of), -term (must not appear). Matching is case-sensitive, as AWS's.
 */
export function matchesFilterPattern(pattern: string | undefined, message: string): boolean {
  if (pattern === undefined || pattern.trim() === '') return true;
  const tokens = pattern.match(/[?-]?"[^"]*"|\S+/g) ?? [];
  const anyOf: string[] = [];
  for (const token of tokens) {
    const prefix = token[0] === '?' || token[0] === '-' ? token[0] : '';
    const term = (prefix ? token.slice(1) : token).replace(/^"|"$/g, '');
    if (prefix === '?') anyOf.push(term);
    else if (prefix === '-') {
      if (message.includes(term)) return false;
    } else if (!message.includes(term)) return false;
  }
  return anyOf.length === 0 || anyOf.some((term) => message.includes(term));
}

function streamShape(group: LogGroup, stream: LogStream): Body {
  const first = stream.events[0];
  const last = stream.events[stream.events.length - 1];
  return {
    logStreamName: stream.name,
    creationTime: stream.createdAt,
    ...(first ? { firstEventTimestamp: first.timestamp } : {}),
    ...(last ? { lastEventTimestamp: last.timestamp, lastIngestionTime: last.ingestionTime } : {}),
    uploadSequenceToken: String(stream.events.length + 1).padStart(56, '4'),
    arn: `${group.arn.replace(/:\*$/, '')}:log-stream:${stream.name}`,
    storedBytes: 0,
  };
}

export const logsOperations: Record<string, Handler> = {
  GetLogEvents(sim, body) {
    const f = fields(body);
    const group = requireGroup(sim, f);
    const streamName = f.requiredString('logStreamName');
    const stream = group.streams.get(streamName);
    if (!stream) throw new ApiError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const startTime = f.integer('startTime');
    const endTime = f.integer('endTime');
    const limit = limitOf(f, 10000);
    const token = f.string('nextToken');
    const fromHead = f.boolean('startFromHead') ?? false;
    const events = stream.events.filter(
      (e) =>
        (startTime === undefined || e.timestamp >= startTime) &&
        (endTime === undefined || e.timestamp < endTime),
    );
    // Tokens are f/<index> (forward: events from index on) and b/<index> (backward: events before index).
    let start: number;
    let end: number;
    const match = token ? /^([fb])\/(\d+)$/.exec(token) : null;
    if (token && !match)
      throw new ApiError('InvalidParameterException', 'The specified nextToken is invalid.');
    if (match && match[1] === 'f') {
      start = Math.min(Number(match[2]), events.length);
      end = Math.min(events.length, start + limit);
    } else if (match) {
      end = Math.min(Number(match[2]), events.length);
      start = Math.max(0, end - limit);
    } else if (fromHead) {
      start = 0;
      end = Math.min(events.length, limit);
    } else {
      end = events.length;
      start = Math.max(0, end - limit);
    }
    return {
      events: events
        .slice(start, end)
        .map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: `f/${end}`,
      nextBackwardToken: `b/${start}`,
    };
  },

  FilterLogEvents(sim, body) {
    const f = fields(body);
    const group = requireGroup(sim, f);
    const names = f.strings('logStreamNames');
    const prefix = f.string('logStreamNamePrefix');
    if (names && prefix) {
      throw new ApiError(
        'InvalidParameterException',
        'logStreamNames and logStreamNamePrefix are mutually exclusive',
      );
    }
    const startTime = f.integer('startTime');
    const endTime = f.integer('endTime');
    const pattern = f.string('filterPattern');
    const limit = limitOf(f, 10000);
    const token = f.string('nextToken');
    const offset = token === undefined ? 0 : Number.parseInt(token, 10);
    if (!Number.isInteger(offset) || offset < 0)
      throw new ApiError('InvalidParameterException', 'The specified nextToken is invalid.');
    const streams = [...group.streams.values()].filter(
      (s) => (!names || names.includes(s.name)) && (!prefix || s.name.startsWith(prefix)),
    );
    const all = streams
      .flatMap((s) => s.events.map((e, index) => ({ stream: s.name, index, ...e })))
      .filter(
        (e) =>
          (startTime === undefined || e.timestamp >= startTime) &&
          (endTime === undefined || e.timestamp <= endTime) &&
          matchesFilterPattern(pattern, e.message),
      )
      .sort(
        (a, b) =>
          a.timestamp - b.timestamp ||
          (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.index - b.index),
      );
    const slice = all.slice(offset, offset + limit);
    return {
      events: slice.map((e) => ({
        logStreamName: e.stream,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: e.eventId,
      })),
      // Deprecated: AWS answers it empty (FilterLogEvents API reference).
      searchedLogStreams: [],
      ...(offset + limit < all.length ? { nextToken: String(offset + limit) } : {}),
    };
  },

  DescribeLogStreams(sim, body) {
    const f = fields(body);
    const group = requireGroup(sim, f);
    const prefix = f.string('logStreamNamePrefix');
    const orderBy = f.string('orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw new ApiError('InvalidParameterException', `orderBy must be LogStreamName or LastEventTime`);
    }
    if (prefix && orderBy === 'LastEventTime') {
      throw new ApiError(
        'InvalidParameterException',
        'Cannot order by LastEventTime with a logStreamNamePrefix.',
      );
    }
    const descending = f.boolean('descending') ?? false;
    const limit = limitOf(f, 50);
    const token = f.string('nextToken');
    const offset = token === undefined ? 0 : Number.parseInt(token, 10);
    if (!Number.isInteger(offset) || offset < 0)
      throw new ApiError('InvalidParameterException', 'The specified nextToken is invalid.');
    const lastTime = (s: LogStream): number => s.events[s.events.length - 1]?.timestamp ?? s.createdAt;
    const streams = [...group.streams.values()]
      .filter((s) => !prefix || s.name.startsWith(prefix))
      .sort((a, b) =>
        orderBy === 'LastEventTime'
          ? lastTime(a) - lastTime(b)
          : a.name < b.name
            ? -1
            : a.name > b.name
              ? 1
              : 0,
      );
    if (descending) streams.reverse();
    const slice = streams.slice(offset, offset + limit);
    return {
      logStreams: slice.map((s) => streamShape(group, s)),
      ...(offset + limit < streams.length ? { nextToken: String(offset + limit) } : {}),
    };
  },

  DescribeLogGroups(sim, body) {
    const f = fields(body);
    const prefix = f.string('logGroupNamePrefix');
    const groups = [...sim.logGroups.values()].filter((g) => !prefix || g.name.startsWith(prefix));
    return {
      logGroups: groups.map((g) => ({
        logGroupName: g.name,
        creationTime: g.createdAt,
        metricFilterCount: 0,
        arn: g.arn,
        logGroupArn: g.arn.replace(/:\*$/, ''),
        storedBytes: 0,
        logGroupClass: 'STANDARD',
      })),
    };
  },

  CreateLogGroup(sim, body) {
    const f = fields(body);
    const name = f.requiredString('logGroupName');
    if (sim.logGroups.has(name))
      throw new ApiError('ResourceAlreadyExistsException', 'The specified log group already exists');
    sim.logGroup(name);
    return {};
  },
};
