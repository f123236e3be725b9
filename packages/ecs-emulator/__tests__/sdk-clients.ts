// Test support: real AWS SDK v3 clients pointed at an emulator (or moto), and polling on simulated progress.
import { ECSClient } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

export interface Clients {
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  elb: ElasticLoadBalancingV2Client;
}

/** Clients for an endpoint; maxAttempts 1 so injected faults surface as the SDK's named errors. */
export function clientsFor(endpoint: string, maxAttempts = 1): Clients {
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts,
  };
  return {
    ecs: new ECSClient(config),
    logs: new CloudWatchLogsClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
  };
}

export function destroyClients(c: Clients): void {
  c.ecs.destroy();
  c.logs.destroy();
  c.elb.destroy();
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` of real time. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The error an SDK call rejects with. */
export async function errorOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/**
 * Polls `probe` on an emulator's virtual clock: between probes simulated time moves on by `stepMs`, never the real
 * clock, so the result does not depend on the machine's speed. Fails after `maxMs` of simulated time.
 */
export async function waitSimulated<T>(
  emulator: { clock: { sleep(ms: number): Promise<void> } },
  what: string,
  probe: () => Promise<T | undefined>,
  { stepMs = 1000, maxMs = 3600_000 }: { stepMs?: number; maxMs?: number } = {},
): Promise<T> {
  for (let waited = 0; ; waited += stepMs) {
    const value = await probe();
    if (value !== undefined) return value;
    if (waited >= maxMs) throw new Error(`${what}: not reached within ${maxMs / 1000} simulated seconds`);
    await emulator.clock.sleep(stepMs);
  }
}
