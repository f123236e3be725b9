// Reads and validates every input before anything is pushed or created.
import {
  ConfigurationError,
  createInputReader,
  parseImageReference,
  type Environment,
} from '@hokusai/action-kit';
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
  /** Use the image already under a tag (same revision) instead of failing on it; see push-plan.ts. */
  'reuse-existing': boolean;
  /** The image ID the local image must have (sha256:<64 hex>), e.g. the one recorded after the smoke test. */
  'expected-image-id'?: string;
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
  const overwrite = input.boolean('overwrite', false);
  const reuseExisting = input.boolean('reuse-existing', false);
  if (overwrite && reuseExisting) {
    throw new ConfigurationError(
      'inputs "overwrite" and "reuse-existing" are both true: a tag at another image is either moved or reused, choose one',
    );
  }
  const skipExisting = input.boolean('skip-existing', true);
  if (reuseExisting && !skipExisting) {
    throw new ConfigurationError(
      'input "reuse-existing" is true but "skip-existing" is false: reusing needs the look at what each tag holds that skip-existing: false turns off',
    );
  }
  const expectedImageId = input.string('expected-image-id');
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
    'skip-existing': skipExisting,
    overwrite,
    'reuse-existing': reuseExisting,
    ...(expectedImageId ? { 'expected-image-id': parseImageId(expectedImageId) } : {}),
    retries: input.integer('retries', 2, { min: 0, max: 10 }),
  };
}

/** An image ID as docker prints it, `sha256:<64 hex>`; the bare 64 hex digits are accepted too. */
export function parseImageId(text: string): string {
  const match = /^(?:sha256:)?([0-9a-f]{64})$/.exec(text);
  if (!match) {
    const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    throw new ConfigurationError(
      `invalid image ID "${shown}" for input "expected-image-id" (expected sha256:<64 hex digits>, as docker image inspect --format '{{.Id}}' prints it)`,
    );
  }
  return `sha256:${match[1]}`;
}
