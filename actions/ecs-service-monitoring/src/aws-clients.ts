// The five SDK v3 clients the action uses, configured once by aws-kit (region, endpoint overrides, timeouts), every
// send() retried by the suite's one policy and counted for the log; plus the small helpers the adapters share.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Clock, Environment } from '@hokusai/action-kit';
import {
  awsClientConfig,
  awsErrorName,
  DEFAULT_RETRY_POLICY,
  explainAwsError,
  nameAwsCalls,
  retryAwsCalls,
} from '@hokusai/aws-kit';

export interface AwsClients {
  ecs: ECSClient;
  elb: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
  events: EventBridgeClient;
  logs: CloudWatchLogsClient;
}

export interface ApiCallRecord {
  service: string;
  operation: string;
  write: boolean;
}

const READ_OPERATION = /^(Describe|Get|List)/;

export interface ClientOptions {
  region: string;
  env: Environment;
  /** Called once per command sent (its retries are not counted again). */
  onCall?: (call: ApiCallRecord) => void;
  /** Sleeps between retries (default: the system clock). */
  clock?: Pick<Clock, 'now' | 'sleep'>;
  /** The step's cancellation: ends retries. */
  signal?: AbortSignal;
}

export function createClients(options: ClientOptions): AwsClients {
  const config = (serviceId: string) =>
    awsClientConfig(serviceId, { region: options.region, env: options.env });
  // One request per send (awsClientConfig), retried by DEFAULT_RETRY_POLICY (throttling, 5xx, network faults,
  // timeouts); errors remember their call so a failure names it.
  const retried = <T extends { middlewareStack: unknown }>(client: T): T =>
    retryAwsCalls(nameAwsCalls(client), DEFAULT_RETRY_POLICY, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  const clients: AwsClients = {
    ecs: retried(new ECSClient(config('ECS'))),
    elb: retried(new ElasticLoadBalancingV2Client(config('ELASTIC_LOAD_BALANCING_V2'))),
    cloudwatch: retried(new CloudWatchClient(config('CLOUDWATCH'))),
    events: retried(new EventBridgeClient(config('EVENTBRIDGE'))),
    logs: retried(new CloudWatchLogsClient(config('CLOUDWATCH_LOGS'))),
  };
  type Next = (args: unknown) => Promise<unknown>;
  for (const [service, client] of Object.entries(clients)) {
    // The five clients' stacks have different type parameters; this middleware reads only the command name.
    const stack = (client as AwsClients['ecs']).middlewareStack as unknown as {
      add(middleware: (next: Next, context: { commandName?: string }) => Next, options: object): void;
    };
    stack.add(
      (next, context) => (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        options.onCall?.({ service, operation, write: !READ_OPERATION.test(operation) });
        return next(args);
      },
      { step: 'initialize', name: 'hokusaiCallLog' },
    );
  }
  return clients;
}

export function destroyClients(clients: AwsClients): void {
  for (const client of Object.values(clients)) (client as AwsClients['ecs']).destroy();
}

/**
 * Runs one call; AWS errors become one line: those a user can fix (credentials, access denied), and faults that
 * outlasted the retries (naming the call and what AWS said).
 */
export async function call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw explainAwsError(error, doing);
  }
}

export function tagMap(list: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));
}

export function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function isNotFound(error: unknown): boolean {
  return /NotFound/.test(awsErrorName(error));
}
