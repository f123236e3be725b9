// Reads and validates every input before anything is pushed or created.
import { createInputReader, parseImageReference, type Environment } from '@hokusai/action-kit';
import { resolveRegion } from '@hokusai/aws-kit';
import {
  defaultTags,
  parseRegistryHost,
  validateRegistryId,
  validateRepositoryName,
  validateTag,
} from './image-reference.js';

export interface Inputs {
  image: string;
  repository: string;
  tags: string[];
  registry?: string;
  'registry-id'?: string;
  /** Resolved: the input, else AWS_REGION, else AWS_DEFAULT_REGION. */
  'aws-region': string;
  'create-repository': boolean;
  'skip-existing': boolean;
  overwrite: boolean;
  retries: number;
}

export function getInputs(env: Environment): Inputs {
  const input = createInputReader(env);
  const image = input.required('image');
  // A local image: a reference (name[:tag][@digest]) or an image id, never something docker reads as an option.
  parseImageReference(image, 'image', { allowImageId: true });
  const repository = validateRepositoryName(input.required('repository'));
  const listed = input.list('tags', { commas: true });
  const tags = [...new Set(listed.length > 0 ? listed : defaultTags(env.GITHUB_SHA))].map(validateTag);
  const registryText = input.string('registry');
  const registryId = input.string('registry-id');
  return {
    image,
    repository,
    tags,
    ...(registryText ? { registry: parseRegistryHost(registryText) } : {}),
    ...(registryId ? { 'registry-id': validateRegistryId(registryId) } : {}),
    'aws-region': resolveRegion(input.string('aws-region'), env),
    'create-repository': input.boolean('create-repository', false),
    'skip-existing': input.boolean('skip-existing', true),
    overwrite: input.boolean('overwrite', false),
    retries: input.integer('retries', 2, { min: 0, max: 10 }),
  };
}
