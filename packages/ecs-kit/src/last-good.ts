// The revision bookkeeping deploy and rollback share, kept as tags on the service so a later rollback can find it:
// the last task definition that deployed and stayed stable, and — once a rollback moved the service off a revision
// — which revision that was. ECS tag values may be empty (Tag, ECS API reference: value 0-256 characters): an empty
// `hokusai:rolled-back-from` means the last recorded change was a deploy, not a rollback.
import type { EcsApi } from './api.js';

export const LAST_GOOD_TAG = 'hokusai:last-good-task-definition';
export const ROLLED_BACK_FROM_TAG = 'hokusai:rolled-back-from';

/** What the service's tags say about its revisions; each undefined when not recorded (or empty). */
export interface RevisionTags {
  /** The last task definition ARN that deployed and stayed stable (or that a rollback put back and proved). */
  lastGood?: string;
  /** The task definition ARN the last rollback moved the service off; undefined after a successful deploy. */
  rolledBackFrom?: string;
}

/**
 * Tags the service with the task definition that just succeeded (one TagResource) and clears the rolled-back-from
 * mark: the service now runs a revision a deploy proved, not one a rollback went back to.
 */
export async function recordLastGood(
  ecs: EcsApi,
  serviceArn: string,
  taskDefinitionArn: string,
): Promise<void> {
  await ecs.tagResource(serviceArn, { [LAST_GOOD_TAG]: taskDefinitionArn, [ROLLED_BACK_FROM_TAG]: '' });
}

/**
 * Records that a rollback moved the service off `from` (one TagResource); with `lastGood`, also that the rollback's
 * target proved stable. A later `previous` then knows the service was already rolled back (alreadyOnLastGoodReason).
 */
export async function recordRollback(
  ecs: EcsApi,
  serviceArn: string,
  from: string,
  lastGood?: string,
): Promise<void> {
  await ecs.tagResource(serviceArn, {
    [ROLLED_BACK_FROM_TAG]: from,
    ...(lastGood ? { [LAST_GOOD_TAG]: lastGood } : {}),
  });
}

/** The service's revision tags (one ListTagsForResource). */
export async function readRevisionTags(ecs: EcsApi, serviceArn: string): Promise<RevisionTags> {
  const tags = await ecs.listTags(serviceArn);
  const lastGood = tags[LAST_GOOD_TAG]?.trim();
  const rolledBackFrom = tags[ROLLED_BACK_FROM_TAG]?.trim();
  return { ...(lastGood ? { lastGood } : {}), ...(rolledBackFrom ? { rolledBackFrom } : {}) };
}

/** The last good task definition recorded on the service, if any. */
export async function readLastGood(ecs: EcsApi, serviceArn: string): Promise<string | undefined> {
  return (await readRevisionTags(ecs, serviceArn)).lastGood;
}
