// Which task definition a rollback goes to: an ARN, `family:revision`, a bare revision number, or `previous`;
// refusing targets that cannot or should not run (deregistered, another family, missing).
import { ConfigurationError } from '@hokusai/action-kit';
import type { DeploymentHistoryEntry, EcsApi, RegisteredTaskDefinition } from './api.js';
import { LAST_GOOD_TAG, ROLLED_BACK_FROM_TAG, readRevisionTags, type RevisionTags } from './last-good.js';
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
  /**
   * Set when the target is INACTIVE (deregistered) and may still be rolled back to — named explicitly, or the
   * deployment that served before (still running tasks): its exact content, to register again (rollBack's
   * `reRegister`), as ecs-deploy-and-wait's own rollback does.
   */
  reRegister?: RegisteredTaskDefinition;
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
export function unsafePreviousReason(target: RollbackTarget, tags: RevisionTags): string | undefined {
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
  // Only after a rollback: right after a deploy the older deployment still draining is exactly where `previous` goes.
  if (tags.rolledBackFrom && tags.lastGood === target.currentTaskDefinitionArn) {
    return `"previous" resolves to ${name} (an older deployment still draining), but the service was rolled back from ${taskDefinitionName(tags.rolledBackFrom)} and already runs ${current}, its last good revision (tags ${LAST_GOOD_TAG}, ${ROLLED_BACK_FROM_TAG}); nothing to roll back. Pass "to" explicitly to leave it`;
  }
  return undefined;
}

/**
 * Why `previous` must not move the service at all, or undefined: a rollback already put it back on its last good
 * revision (the `hokusai:rolled-back-from` tag is set and `hokusai:last-good-task-definition` is what it runs) —
 * steady, or rolling out to it — and that deployment is not failing. After ecs-deploy-and-wait rolled back to the
 * last good revision, ECS's deployment history would otherwise lead `previous` one revision further back, off a
 * healthy service. After a successful deploy (the mark cleared) `previous` goes back as usual: a revision found bad
 * after its deploy passed is the commonest reason to roll back. Pure.
 */
export function alreadyOnLastGoodReason(service: ServiceInfo, tags: RevisionTags): string | undefined {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  const current = service.taskDefinition || primary?.taskDefinition || '';
  if (!tags.rolledBackFrom || tags.rolledBackFrom === current || !tags.lastGood || tags.lastGood !== current)
    return undefined;
  // The last good revision failing now (a secret it reads changed, …) is a reason to go further back.
  if (primary && (primary.rolloutState === 'FAILED' || primary.failedTasks > 0)) return undefined;
  const others = service.deployments.filter((d) => d !== primary && d.runningCount + d.pendingCount > 0);
  const steady =
    !primary ||
    ((primary.rolloutState === undefined || primary.rolloutState === 'COMPLETED') &&
      primary.runningCount >= primary.desiredCount &&
      others.length === 0);
  const how = steady
    ? 'and is steady'
    : `(deployment ${primary!.id} ${primary!.rolloutState ?? 'rolling out'}: ${primary!.runningCount}/${primary!.desiredCount} running)`;
  return `"previous": the service was rolled back from ${taskDefinitionName(tags.rolledBackFrom)} and already runs ${taskDefinitionName(current)}, its last good revision (tags ${LAST_GOOD_TAG}, ${ROLLED_BACK_FROM_TAG}), ${how}: nothing to roll back. Pass "to" explicitly to go further back`;
}

const SOURCE_NAMES: Record<RollbackTargetSource, string> = {
  explicit: 'named in "to"',
  'previous-deployment': 'an older deployment still listed',
  'last-good-tag': `the ${LAST_GOOD_TAG} tag`,
  'deployment-history': "ECS's deployment history",
};

/**
 * Why `previous` must not follow ECS's deployment history, or undefined: the newest finished deployment (or one
 * rolling back now) is one ECS's circuit breaker or a deployment alarm rolled back (ListServiceDeployments status
 * ROLLBACK_SUCCESSFUL / ROLLBACK_IN_PROGRESS: "the service deployment rolled back", ECS API reference,
 * ServiceDeployment) off a revision the service no longer runs. The service then already runs what served before
 * that deployment; the history's newest SUCCESSFUL entry of another revision would be one further back. `history` is
 * newest first (EcsApi.deploymentHistory). Pure.
 */
export function ecsRolledBackReason(
  history: readonly DeploymentHistoryEntry[],
  current: string,
): string | undefined {
  const rolling = history.find((h) => h.status === 'ROLLBACK_IN_PROGRESS');
  const newest = rolling ?? history.find((h) => h.finishedAt !== undefined) ?? history[0];
  if (!newest || !/^ROLLBACK_(SUCCESSFUL|IN_PROGRESS)$/.test(newest.status)) return undefined;
  if (!newest.taskDefinition || newest.taskDefinition === current) return undefined;
  return `"previous": ECS already rolled back deployment ${newest.id} (${taskDefinitionName(newest.taskDefinition)}, ${newest.status}) to the revision the service runs, ${taskDefinitionName(current)}: nothing to roll back (following the history would go one revision further back). Pass "to" explicitly to go further back`;
}

/**
 * Resolves `to` against the service. `previous` is, in order of precedence:
 *  1. the service's non-PRIMARY deployment (ACTIVE, or COMPLETED) that is still listed: what served before the most
 *     recent deployment, while that one is in progress or just failed;
 *  2. the `hokusai:last-good-task-definition` tag ecs-deploy-and-wait writes on success, when it differs from the
 *     current revision;
 *  3. ECS's deployment history (ListServiceDeployments), the newest SUCCESSFUL deployment of another revision,
 *     when the endpoint offers it.
 * Before those rules, `previous` refuses when a rollback already put the service on its last good revision
 * (alreadyOnLastGoodReason()); rule 3 refuses when ECS itself already rolled back the newest deployment
 * (ecsRolledBackReason()). Refuses (ConfigurationError, one line): a target not found, of another family unless
 * `allowOtherFamily`, a rule-1 `previous` that unsafePreviousReason() rejects, a `previous` that is the revision a
 * rollback moved the service off (`hokusai:rolled-back-from`), or an INACTIVE (deregistered) one found through the
 * tag or ECS's history. An INACTIVE target named explicitly, or the deployment that served before,
 * comes back with `reRegister` (its content registered again by the rollback).
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

  let tags: RevisionTags = {};
  if (to === '' || to === 'previous') {
    tags = await readRevisionTags(ecs, service.arn);
    const lastGood = tags.lastGood;
    const onLastGood = alreadyOnLastGoodReason(service, tags);
    if (onLastGood) throw new ConfigurationError(onLastGood);
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
    if (!reference && lastGood && lastGood !== current) {
      reference = lastGood;
      source = 'last-good-tag';
    }
    if (!reference) {
      const history = await ecs.deploymentHistory(options.cluster, options.service);
      const breaker = history ? ecsRolledBackReason(history, current) : undefined;
      if (breaker) throw new ConfigurationError(breaker);
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
  const inactive = target.status !== undefined && target.status !== 'ACTIVE';
  // A deregistered revision can be rolled back to only by registering its content again: done when the person named
  // it, or when it is what served before the failing deployment (as ecs-deploy-and-wait's own rollback does). One
  // found through the tag or the history may have been deregistered on purpose.
  if (inactive && source !== 'explicit' && source !== 'previous-deployment') {
    throw new ConfigurationError(
      `task definition "${taskDefinitionName(arn)}" ("previous", from the ${source === 'last-good-tag' ? 'last-good tag' : 'deployment history'}) is ${target.status} (deregistered); name it in "to" to register its exact content again and roll back to that`,
    );
  }
  if (currentParts && target.family && target.family !== currentParts.family && !options.allowOtherFamily) {
    throw new ConfigurationError(
      `task definition "${taskDefinitionName(arn)}" is of family "${target.family}", not "${currentParts.family}" that the service runs (set allow-other-family: true to allow)`,
    );
  }
  if (source !== 'explicit' && tags.rolledBackFrom === arn && arn !== current)
    throw new ConfigurationError(
      `"previous" resolves to ${taskDefinitionName(arn)} (${SOURCE_NAMES[source]}), the revision a rollback moved the service off (tag ${ROLLED_BACK_FROM_TAG}): the service is on, or going back to, ${taskDefinitionName(current)}; nothing to roll back. Pass "to" explicitly to go elsewhere`,
    );
  const resolved: RollbackTarget = {
    taskDefinitionArn: arn,
    currentTaskDefinitionArn: current,
    source,
    noop: arn === current,
    service,
    ...(inactive && arn !== current ? { reRegister: described } : {}),
  };
  if (source === 'previous-deployment') {
    const unsafe = unsafePreviousReason(resolved, tags);
    if (unsafe) throw new ConfigurationError(unsafe);
  }
  return resolved;
}
