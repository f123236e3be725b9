// Which task definition a rollback goes to: an ARN, `family:revision`, a bare revision number, or `previous`;
// refusing targets that cannot or should not run (deregistered, another family, missing).
import { ConfigurationError } from '@hokusai/action-kit';
import type { EcsApi } from './api.js';
import { readLastGood } from './last-good.js';
import { taskDefinitionName, type ServiceInfo } from './model.js';

export type RollbackTargetSource =
  'explicit' | 'previous-deployment' | 'last-good-tag' | 'deployment-history';

export interface RollbackTarget {
  /** The ARN to roll back to. */
  taskDefinitionArn: string;
  /** The service's current (PRIMARY) task definition. */
  currentTaskDefinitionArn: string;
  source: RollbackTargetSource;
  /** True when the target is what the service already runs: nothing to do. */
  noop: boolean;
  service: ServiceInfo;
}

export interface ResolveRollbackTargetOptions {
  cluster: string;
  service: string;
  /** An ARN, `family:revision`, a revision number (same family as the current one), or `previous`. */
  to: string;
  allowOtherFamily?: boolean;
}

function parseArnParts(arn: string): { family: string; revision: number } | undefined {
  const match = /(?:task-definition\/)?([A-Za-z0-9_-]+):(\d+)$/.exec(arn);
  return match ? { family: match[1]!, revision: Number(match[2]) } : undefined;
}

/**
 * Why `previous` must not be followed, or undefined. Rule 1 of `previous` takes the newest older deployment still
 * listed; after a rollback (by ECS's circuit breaker or by ecs-deploy-and-wait) that is the failing deployment
 * draining away, and following it would lead off a good revision onto the broken one. Pure.
 */
export function unsafePreviousReason(
  target: RollbackTarget,
  lastGood: string | undefined,
): string | undefined {
  if (target.source !== 'previous-deployment') return undefined;
  const name = taskDefinitionName(target.taskDefinitionArn);
  const current = taskDefinitionName(target.currentTaskDefinitionArn);
  const older = target.service.deployments.find((d) => d.taskDefinition === target.taskDefinitionArn);
  // A deployment that once COMPLETED proved its revision, whatever it counted on the way; one that never did and
  // lost tasks is the broken one.
  if (
    older &&
    (older.rolloutState === 'FAILED' || (older.rolloutState !== 'COMPLETED' && older.failedTasks > 0))
  ) {
    const how =
      older.rolloutState === 'FAILED'
        ? `FAILED (${older.rolloutStateReason ?? 'rolled back'})`
        : `has ${older.failedTasks} failed task${older.failedTasks === 1 ? '' : 's'}`;
    return `"previous" resolves to ${name}, but its deployment ${older.id} ${how}: the service already left it for ${current} (rolled back already?). Pass "to" explicitly to roll back further`;
  }
  if (lastGood && lastGood === target.currentTaskDefinitionArn) {
    return `"previous" resolves to ${name} (an older deployment still draining), but the service already runs ${current}, its last good revision (tag hokusai:last-good-task-definition); nothing to roll back. Pass "to" explicitly to leave it`;
  }
  return undefined;
}

/**
 * Resolves `to` against the service. `previous` is, in order of precedence:
 *  1. the service's non-PRIMARY deployment (ACTIVE, or COMPLETED) that is still listed: what served before the most
 *     recent deployment, while that one is in progress or just failed;
 *  2. the `hokusai:last-good-task-definition` tag ecs-deploy-and-wait writes on success, when it differs from the
 *     current revision;
 *  3. ECS's deployment history (ListServiceDeployments), the newest SUCCESSFUL deployment of another revision,
 *     when the endpoint offers it.
 * Refuses (ConfigurationError, one line): a target not found, INACTIVE (deregistered), of another family unless
 * `allowOtherFamily`, or a rule-1 `previous` that unsafePreviousReason() rejects.
 */
export async function resolveRollbackTarget(
  ecs: EcsApi,
  options: ResolveRollbackTargetOptions,
): Promise<RollbackTarget> {
  const service = await ecs.describeService(options.cluster, options.service);
  if (!service)
    throw new ConfigurationError(`service "${options.service}" not found in cluster "${options.cluster}"`);
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  // The service's own taskDefinition is what it is configured to run (the PRIMARY deployment's, on ECS).
  const current = service.taskDefinition || primary?.taskDefinition || '';
  const currentParts = parseArnParts(current);
  const to = options.to.trim();
  let reference: string | undefined;
  let source: RollbackTargetSource = 'explicit';

  if (to === '' || to === 'previous') {
    const older = service.deployments
      .filter(
        (d) =>
          d.status !== 'PRIMARY' &&
          d.taskDefinition !== current &&
          (d.status === 'ACTIVE' || d.rolloutState === 'COMPLETED'),
      )
      .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))[0];
    if (older) {
      reference = older.taskDefinition;
      source = 'previous-deployment';
    }
    if (!reference) {
      const tagged = await readLastGood(ecs, service.arn);
      if (tagged && tagged !== current) {
        reference = tagged;
        source = 'last-good-tag';
      }
    }
    if (!reference) {
      const history = await ecs.deploymentHistory(options.cluster, options.service);
      const found = history?.find(
        (h) => h.status === 'SUCCESSFUL' && h.taskDefinition && h.taskDefinition !== current,
      );
      if (found?.taskDefinition) {
        reference = found.taskDefinition;
        source = 'deployment-history';
      }
    }
    if (!reference) {
      throw new ConfigurationError(
        `no previous task definition for service "${options.service}": no older deployment is listed, no ${'hokusai:last-good-task-definition'} tag differs from the current ${taskDefinitionName(current)}, and ECS deployment history has none; pass "to" explicitly`,
      );
    }
  } else if (/^\d+$/.test(to)) {
    if (!currentParts)
      throw new ConfigurationError(
        `cannot tell the family of the current task definition "${current}" to resolve revision "${to}"`,
      );
    reference = `${currentParts.family}:${to}`;
  } else if (
    /^arn:aws[\w-]*:ecs:[^:]+:\d+:task-definition\/[A-Za-z0-9_-]+:\d+$/.test(to) ||
    /^[A-Za-z0-9_-]+:\d+$/.test(to)
  ) {
    reference = to;
  } else {
    throw new ConfigurationError(
      `invalid value "${to}" for input "to" (use previous, a revision number, family:revision, or a task definition ARN)`,
    );
  }

  const described = await ecs.describeTaskDefinition(reference);
  if (!described)
    throw new ConfigurationError(`task definition "${taskDefinitionName(reference)}" not found`);
  const target = described.taskDefinition;
  const arn = target.taskDefinitionArn ?? reference;
  if (target.status && target.status !== 'ACTIVE') {
    throw new ConfigurationError(
      `task definition "${taskDefinitionName(arn)}" is ${target.status} (deregistered); refusing to roll back to it`,
    );
  }
  if (currentParts && target.family && target.family !== currentParts.family && !options.allowOtherFamily) {
    throw new ConfigurationError(
      `task definition "${taskDefinitionName(arn)}" is of family "${target.family}", not "${currentParts.family}" that the service runs (set allow-other-family: true to allow)`,
    );
  }
  const resolved: RollbackTarget = {
    taskDefinitionArn: arn,
    currentTaskDefinitionArn: current,
    source,
    noop: arn === current,
    service,
  };
  if (source === 'previous-deployment') {
    const unsafe = unsafePreviousReason(resolved, await readLastGood(ecs, service.arn));
    if (unsafe) throw new ConfigurationError(unsafe);
  }
  return resolved;
}
