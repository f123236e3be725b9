// What ECS's service events say about a deployment's circuit breaker, in the texts ECS writes (ECS-FACTS.md):
//   (service X) (deployment ecs-svc/N) deployment failed: tasks failed to start.
//   (service X) (deployment ecs-svc/N) deployment failed: alarm detected.
//   (service X) rolling back to deployment ecs-svc/M.
// and the older emulator's `(service X) deployment ecs-svc/N deployment failed: …`.
import type { ServiceEvent } from './model.js';

export interface BreakerEvents {
  /** An event says the deployment failed. */
  failed: boolean;
  /** …because a deployment alarm fired (`alarm detected`). */
  alarm: boolean;
  /** The failure as ECS words it, e.g. `deployment failed: tasks failed to start.` */
  failureText?: string;
  /** The deployment a `rolling back to deployment …` event names. */
  rollingBackTo?: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads `events` (any order) for the breaker's failure of `deploymentId` and the rollback that followed it. */
export function breakerEventsOf(events: readonly ServiceEvent[], deploymentId: string): BreakerEvents {
  const failure = new RegExp(`deployment \\(?${escape(deploymentId)}\\)? (deployment failed: .*)$`);
  const result: BreakerEvents = { failed: false, alarm: false };
  // Oldest first, so the newest `rolling back` wins.
  const ordered = [...events].sort((a, b) => a.createdAt - b.createdAt);
  let failedAt: number | undefined;
  for (const event of ordered) {
    const match = failure.exec(event.message);
    if (match) {
      result.failed = true;
      result.failureText = match[1]!.trim();
      result.alarm = /alarm detected/i.test(match[1]!);
      failedAt = event.createdAt;
    }
  }
  if (failedAt === undefined) return result;
  for (const event of ordered) {
    if (event.createdAt < failedAt) continue;
    const back = /rolling back to deployment (ecs-svc\/[0-9A-Za-z]+)/.exec(event.message);
    if (back) result.rollingBackTo = back[1]!;
  }
  return result;
}
