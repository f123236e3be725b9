// The revision bookkeeping deploy and rollback share: the last task definition that deployed and stayed stable,
// kept as a tag on the service so a later rollback can find it.
import type { EcsApi } from './api.js';

export const LAST_GOOD_TAG = 'hokusai:last-good-task-definition';

/** Tags the service with the task definition that just succeeded. */
export async function recordLastGood(
  ecs: EcsApi,
  serviceArn: string,
  taskDefinitionArn: string,
): Promise<void> {
  await ecs.tagResource(serviceArn, { [LAST_GOOD_TAG]: taskDefinitionArn });
}

/** The last good task definition recorded on the service, if any. */
export async function readLastGood(ecs: EcsApi, serviceArn: string): Promise<string | undefined> {
  const tags = await ecs.listTags(serviceArn);
  const value = tags[LAST_GOOD_TAG]?.trim();
  return value ? value : undefined;
}
