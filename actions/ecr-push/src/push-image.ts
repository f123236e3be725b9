// The push itself: check the local image, get ECR's token, make sure the repository exists, decide per tag from
// the registry's own state, push what is missing with retries, and read every digest back from the registry.
import { ConfigurationError, withGroup, type Logger } from '@hokusai/action-kit';
import { decodeAuthorizationToken } from './authorization-token.js';
import type { DockerApi } from './docker-cli.js';
import { classifyDockerFailure, failureLine, pushedDigest } from './docker-output.js';
import type { EcrApi, RepositoryInfo } from './ecr-api.js';
import { accountOfEcrHost, imageUri, imageUriWithDigest, parseRegistryHost } from './image-reference.js';
import {
  configLabels,
  isSameImage,
  platformManifest,
  registrySize,
  type LocalImage,
  type RemoteManifest,
} from './manifest.js';
import { planTags, REVISION_LABEL, type RemoteTagState } from './push-plan.js';
import type { RegistryApi } from './registry-api.js';

export interface PushRequest {
  image: string;
  repository: string;
  tags: string[];
  /** Registry host docker pushes to; ECR's proxyEndpoint host when undefined. */
  registry?: string;
  registryId?: string;
  region: string;
  createRepository: boolean;
  skipExisting: boolean;
  overwrite: boolean;
  /** Use the image already under a tag that points elsewhere, when it was built from the same revision. */
  reuseExisting?: boolean;
  /** The image ID the local image must have, or undefined for no check. */
  expectedImageId?: string;
  /** Retries of a failed `docker push` (attempts = retries + 1). */
  retries: number;
  /** First backoff delay; it doubles with each retry. */
  retryDelayMs: number;
}

export interface PushDependencies {
  docker: DockerApi;
  ecr: EcrApi;
  openRegistry(host: string, basicToken: string, tokenExpiresAt?: Date): RegistryApi;
  /** Registers a value to be masked in the log; called before the value is used anywhere. */
  maskSecret(value: string): void;
  sleep(ms: number): Promise<void>;
  logger: Logger;
  /** The step's cancellation: no push starts or is retried after it (the running one is killed by the caller). */
  signal?: AbortSignal;
  /** Filled in as the push goes, so a failure can still say (and output) what was done. */
  progress?: PushProgress;
}

/** What a push had done when it stopped: for the outputs and the summary of a failed or cancelled step. */
export interface PushProgress {
  /** The local image's ID, once inspected. */
  localId?: string;
  /** The registry host, once ECR named it. */
  registry?: string;
  /** Image URIs pushed (and verified) before the end. */
  pushed: string[];
}

/** Thrown at the first point where the step notices it was cancelled. */
export class PushCancelled extends Error {
  constructor(readonly signalName: string) {
    super(`cancelled (${signalName})`);
    this.name = 'PushCancelled';
  }
}

function stopIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new PushCancelled(String(signal.reason));
}

export interface TagResult {
  tag: string;
  uri: string;
  /** reused: the tag already named an image of the same revision, which is used instead (reuse-existing). */
  status: 'pushed' | 'already-there' | 'reused';
  digest: string;
  /** For reused tags: the revision both images carry, when both have the label. */
  revision?: string;
  /** The digest the tag pointed at before, when the push moved it (overwrite). */
  replaced?: string;
  attempts: number;
}

export interface PushResult {
  registry: string;
  repository: string;
  account: string;
  region: string;
  repositoryCreated: boolean;
  tagMutability: string;
  tags: TagResult[];
  digest: string;
  imageUri: string;
  imageUris: string[];
  imageUriWithDigest: string;
  pushed: boolean;
  /** true when the outputs name an image already in the registry instead of the local one (reuse-existing). */
  reused: boolean;
  /** Compressed bytes in the registry (layers + config) and uncompressed bytes locally. */
  registrySize?: number;
  localSize: number;
  localId: string;
}

export async function pushImage(request: PushRequest, deps: PushDependencies): Promise<PushResult> {
  const { docker, ecr, logger } = deps;

  // These look-ups change nothing, so they run together; their failures are reported in this order.
  const [inspected, authorized, described] = await Promise.allSettled([
    docker.inspectImage(request.image),
    ecr.getAuthorizationToken(request.registryId),
    ecr.describeRepository(request.repository, request.registryId),
  ]);
  stopIfCancelled(deps.signal);
  const local = settled(inspected);
  if (!local) {
    throw new ConfigurationError(
      `image "${request.image}" is not present locally: build it first (docker build -t ${request.image} . or docker/build-push-action with load: true)`,
    );
  }
  logger.info(`Local image ${request.image}: ${local.id}`);
  if (deps.progress) deps.progress.localId = local.id;
  if (request.expectedImageId !== undefined && local.id !== request.expectedImageId) {
    throw new ConfigurationError(
      `local image ${request.image} is ${local.id}, not the expected ${request.expectedImageId} (input "expected-image-id"): it is not the image that was tested; nothing pushed`,
    );
  }

  const authorization = settled(authorized);
  deps.maskSecret(authorization.token);
  const credentials = decodeAuthorizationToken(authorization.token);
  deps.maskSecret(credentials.password);
  const ecrHost = parseRegistryHost(authorization.proxyEndpoint, 'proxyEndpoint from ECR');
  const registry = request.registry ?? ecrHost;
  if (deps.progress) deps.progress.registry = registry;
  const account = request.registryId ?? accountOfEcrHost(ecrHost) ?? 'unknown';
  logger.info(`ECR registry ${ecrHost} (account ${account}, ${request.region}); pushing to ${registry}`);

  const repository = await ensureRepository(request, settled(described), ecr, account, logger);
  const registryApi = deps.openRegistry(registry, authorization.token, authorization.expiresAt);
  const remoteRepository = `${registry}/${request.repository}`;
  const fetchChild = (digest: string) => registryApi.getManifest(request.repository, digest);

  const states: Array<{ tag: string; state: RemoteTagState }> = [];
  const before = new Map<string, RemoteManifest>();
  for (const tag of request.tags) {
    if (!request.skipExisting || repository.created) {
      states.push({ tag, state: { kind: request.skipExisting ? 'absent' : 'unchecked' } });
      continue;
    }
    const remote = await registryApi.getManifest(request.repository, tag);
    if (!remote) {
      states.push({ tag, state: { kind: 'absent' } });
      continue;
    }
    before.set(tag, remote);
    const same = await isSameImage(local, remote, remoteRepository, fetchChild);
    if (same) {
      states.push({ tag, state: { kind: 'same-image', digest: remote.digest } });
    } else {
      const revision = request.reuseExisting
        ? { local: local.labels[REVISION_LABEL], remote: await remoteRevision(remote) }
        : undefined;
      states.push({ tag, state: { kind: 'other-image', digest: remote.digest, revision } });
    }
  }
  async function remoteRevision(remote: RemoteManifest): Promise<string | undefined> {
    const manifest = await platformManifest(remote, local!, fetchChild);
    const config = manifest?.config
      ? await registryApi.getBlob(request.repository, manifest.config.digest)
      : undefined;
    return config ? configLabels(config.toString('utf8'))[REVISION_LABEL] : undefined;
  }
  const plan = planTags(states, {
    reuseExisting: request.reuseExisting,
    overwrite: request.overwrite,
    tagMutability: repository.info.tagMutability,
    repository: request.repository,
  });

  const results: TagResult[] = [];
  const toPush = plan.filter((p) => p.action === 'push');
  for (const p of plan) {
    if (p.action === 'already-there') {
      logger.info(
        `${imageUri(registry, request.repository, p.tag)} already pushed (${p.digest}): not pushing it again`,
      );
    } else if (p.action === 'reuse') {
      const uri = imageUri(registry, request.repository, p.tag);
      if (p.revision !== undefined) {
        logger.notice(
          `${uri} already names ${p.digest}, built from the same revision ${p.revision}: reusing it (reuse-existing); the local image ${local.id} is not pushed`,
        );
      } else {
        logger.warning(
          `${uri} already names ${p.digest}; the local image has no ${REVISION_LABEL} label, so it cannot be checked that it was built from the same commit. Reusing it (reuse-existing); the local image ${local.id} is not pushed`,
        );
      }
    }
  }
  const after = new Map<string, RemoteManifest>();
  if (toPush.length > 0) {
    let loggedIn = false;
    try {
      await docker.login(registry, credentials.username, credentials.password);
      loggedIn = true;
      logger.info(`Logged in to ${registry} (password on stdin, in this step's own DOCKER_CONFIG)`);
      for (const p of toPush) {
        stopIfCancelled(deps.signal);
        const target = imageUri(registry, request.repository, p.tag);
        await docker.tag(request.image, target, { temporary: !local.repoTags.includes(target) });
        const { digest, attempts } = await pushWithRetries(target, p.tag, request, deps);
        const remote = await registryApi.getManifest(request.repository, p.tag);
        if (!remote) {
          throw new ConfigurationError(
            `docker pushed ${target} but registry ${registry} does not have the tag`,
          );
        }
        if (remote.digest !== digest) {
          throw new ConfigurationError(
            `registry ${registry} has ${target} at ${remote.digest}, but docker reported pushing ${digest}: another push raced this one?`,
          );
        }
        after.set(p.tag, remote);
        deps.progress?.pushed.push(target);
        logger.info(`Pushed ${target} (${digest}), verified with the registry`);
        results.push({
          tag: p.tag,
          uri: target,
          status: 'pushed',
          digest,
          attempts,
          ...(p.replaces ? { replaced: p.replaces } : {}),
        });
      }
    } finally {
      await docker.removeTemporaryTags();
      if (loggedIn) await docker.logout(registry);
    }
  }
  for (const p of plan) {
    if (p.action === 'already-there' || p.action === 'reuse') {
      results.push({
        tag: p.tag,
        uri: imageUri(registry, request.repository, p.tag),
        status: p.action === 'reuse' ? 'reused' : 'already-there',
        digest: p.digest,
        attempts: 0,
        ...(p.action === 'reuse' && p.revision !== undefined ? { revision: p.revision } : {}),
      });
    }
  }
  results.sort((a, b) => request.tags.indexOf(a.tag) - request.tags.indexOf(b.tag));

  const first = results[0]!;
  const digests = new Set(results.map((r) => r.digest));
  if (digests.size > 1) {
    logger.warning(
      `the tags point at different manifests of the same image (${[...digests].join(', ')}); the digest output is ${first.tag}'s`,
    );
  }
  const firstManifest = after.get(first.tag) ?? before.get(first.tag);
  return {
    registry,
    repository: request.repository,
    account,
    region: request.region,
    repositoryCreated: repository.created,
    tagMutability: repository.info.tagMutability,
    tags: results,
    digest: first.digest,
    imageUri: first.uri,
    imageUris: results.map((r) => r.uri),
    imageUriWithDigest: imageUriWithDigest(registry, request.repository, first.digest),
    pushed: results.some((r) => r.status === 'pushed'),
    reused: results.some((r) => r.status === 'reused'),
    registrySize: firstManifest ? await sizeOf(firstManifest, local, fetchChild) : undefined,
    localSize: local.size,
    localId: local.id,
  };
}

function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

async function ensureRepository(
  request: PushRequest,
  existing: RepositoryInfo | undefined,
  ecr: EcrApi,
  account: string,
  logger: Logger,
): Promise<{ info: RepositoryInfo; created: boolean }> {
  if (existing) return { info: existing, created: false };
  if (!request.createRepository) {
    throw new ConfigurationError(
      `ECR repository "${request.repository}" does not exist in account ${account} region ${request.region}: create it, or set create-repository: true`,
    );
  }
  const info = await ecr.createRepository(request.repository, request.registryId);
  logger.notice(
    `Created ECR repository "${request.repository}" in account ${account} region ${request.region} (scan on push, IMMUTABLE tags)`,
  );
  return { info, created: true };
}

async function pushWithRetries(
  target: string,
  tag: string,
  request: PushRequest,
  deps: PushDependencies,
): Promise<{ digest: string; attempts: number }> {
  const attempts = request.retries + 1;
  for (let attempt = 1; ; attempt++) {
    const result = await withGroup(
      deps.logger,
      `docker push ${target} (attempt ${attempt} of ${attempts})`,
      () => deps.docker.push(target, (line) => deps.logger.info(line)),
    );
    // A push the cancellation killed is not a fault to retry.
    stopIfCancelled(deps.signal);
    if (result.code === 0) {
      const digest = pushedDigest(result.output, tag);
      if (!digest) throw new Error(`docker push ${target} succeeded but printed no digest for tag ${tag}`);
      return { digest, attempts: attempt };
    }
    const kind = classifyDockerFailure(result.output);
    const line = failureLine(result.output);
    switch (kind) {
      case 'tag-immutable':
        throw new ConfigurationError(
          `registry refused ${target}: the tag already exists and the repository's tags are immutable — push under a new tag (${line})`,
        );
      case 'token-expired':
        throw new ConfigurationError(
          `registry refused ${target}: the ECR authorization token has expired (${line})`,
        );
      case 'denied':
        throw new ConfigurationError(
          `registry denied the push of ${target}: the role needs ecr:InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, PutImage and BatchCheckLayerAvailability (${line})`,
        );
      case 'repository-missing':
        throw new ConfigurationError(`registry has no repository for ${target} (${line})`);
      case 'image-missing':
        throw new ConfigurationError(`image ${target} vanished locally during the push (${line})`);
      default:
        break;
    }
    if (attempt >= attempts) {
      throw new ConfigurationError(
        `docker push ${target} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${line}`,
      );
    }
    const delay = request.retryDelayMs * 2 ** (attempt - 1);
    deps.logger.warning(`docker push ${target} failed (${line}); retrying in ${Math.round(delay / 1000)}s`);
    await deps.sleep(delay);
    stopIfCancelled(deps.signal);
  }
}

async function sizeOf(
  manifest: RemoteManifest,
  local: LocalImage,
  fetchChild: (digest: string) => Promise<RemoteManifest | undefined>,
): Promise<number | undefined> {
  if (manifest.config) return registrySize(manifest);
  const child = manifest.manifests.find(
    (m) => m.platform?.os === local.os && m.platform?.architecture === local.architecture,
  );
  const fetched = child ? await fetchChild(child.digest) : undefined;
  return fetched?.config ? registrySize(fetched) : undefined;
}
