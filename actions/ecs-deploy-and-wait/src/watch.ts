// Step 3, watch: the rollout of our deployment until a verdict (ecs-kit's watcher and verdict), or cancellation.
// An API error the watcher cannot absorb (a missing permission) ends the watch without a verdict: the deployment
// goes on in ECS, and the report says so.
import type { Logger } from '@hokusai/action-kit';
import {
  watchRollout,
  type ApiCallLog,
  type AwsApis,
  type Clock,
  type TimelineEntry,
  type WatchResult,
} from '@hokusai/ecs-kit';
import type { Inputs } from './inputs.js';
import type { Plan } from './plan.js';
import type { Started } from './start.js';

export type Watched = { watch: WatchResult } | { error: unknown };

export async function watch(
  inputs: Inputs,
  p: Plan,
  started: Started,
  ctx: { apis: AwsApis; clock: Clock; logger: Logger; callLog: ApiCallLog; signal?: AbortSignal },
  timeline: TimelineEntry[],
): Promise<Watched> {
  try {
    return {
      watch: await watchRollout({
        apis: ctx.apis,
        cluster: p.cluster,
        service: p.serviceName,
        verdict: {
          deploymentId: started.deploymentId,
          ...(p.previousDeploymentId ? { previousDeploymentId: p.previousDeploymentId } : {}),
          previousTaskDefinition: p.previous,
          startedAt: started.startedAt,
          timeoutMs: inputs.timeout,
          stableForMs: inputs['stable-for'],
          maxFailedTasks: inputs['max-failed-tasks'],
          checkTargetHealth: inputs['check-target-health'],
          ...(p.alarms
            ? {
                alarms: {
                  names: p.alarms.names,
                  atStart: p.alarms.atStart,
                  ...(started.deploymentCreatedAt !== undefined
                    ? { deploymentCreatedAt: started.deploymentCreatedAt }
                    : {}),
                },
              }
            : {}),
        },
        pollIntervalMs: inputs['poll-interval'],
        clock: ctx.clock,
        logger: ctx.logger,
        callLog: ctx.callLog,
        knownEventIds: p.service.events.map((e) => e.id),
        timeline,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }),
    };
  } catch (error) {
    return { error };
  }
}
