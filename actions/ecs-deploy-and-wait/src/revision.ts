// Builds the new revision: the service's current task definition (or a file) with only one container's image and
// environment changed, ready for RegisterTaskDefinition.
import { ConfigurationError } from '@hokusai/action-kit';
import { registrableTaskDefinition, taskDefinitionName, type TaskDefinition } from '@hokusai/ecs-kit';

export interface RevisionChange {
  image?: string;
  containerName?: string;
  environment: Array<[string, string]>;
}

/** The container to change: the named one, or the only one. */
export function pickContainer(
  definition: TaskDefinition,
  containerName: string | undefined,
  label: string,
): string {
  const names = (definition.containerDefinitions ?? []).map((c) => c.name ?? '');
  if (containerName) {
    if (!names.includes(containerName)) {
      throw new ConfigurationError(
        `container "${containerName}" (input "container-name") is not in ${label}; it has: ${names.join(', ')}`,
      );
    }
    return containerName;
  }
  if (names.length === 1) return names[0]!;
  throw new ConfigurationError(
    `input "container-name" is required: ${label} has ${names.length} containers (${names.join(', ')})`,
  );
}

/** A registrable copy of `base` with the change applied; `base` is left untouched. */
export function applyRevisionChange(
  base: TaskDefinition,
  change: RevisionChange,
  label = taskDefinitionName(base.taskDefinitionArn ?? base.family ?? 'the task definition'),
): TaskDefinition {
  const copy = structuredClone(registrableTaskDefinition(base));
  if (!change.image && change.environment.length === 0) return copy;
  const name = pickContainer(copy, change.containerName, label);
  const container = copy.containerDefinitions!.find((c) => c.name === name)!;
  if (change.image) container.image = change.image;
  if (change.environment.length > 0) {
    const env = [...(container.environment ?? [])];
    for (const [key, value] of change.environment) {
      const existing = env.find((e) => e.name === key);
      if (existing) existing.value = value;
      else env.push({ name: key, value });
    }
    container.environment = env;
  }
  return copy;
}
