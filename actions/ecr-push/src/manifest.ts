// Reading image manifests the registry returns: which local image a manifest is, and how big it is in the registry.

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
] as const;

const INDEX_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
]);

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string };
}

/** A manifest as fetched: the registry's digest for it plus the parts of its JSON we use. */
export interface RemoteManifest {
  digest: string;
  mediaType: string;
  config?: Descriptor;
  layers: Descriptor[];
  /** Child manifests of an index / manifest list. */
  manifests: Descriptor[];
}

/** What `docker image inspect` tells about the local image. */
export interface LocalImage {
  /** Config digest (classic image store) or manifest/index digest (containerd image store). */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Uncompressed size in bytes. */
  size: number;
  os: string;
  architecture: string;
  /** The image config's labels (docker build --label). */
  labels: Record<string, string>;
}

export function parseManifest(digest: string, contentType: string, body: string): RemoteManifest {
  const json = JSON.parse(body) as {
    mediaType?: string;
    config?: Descriptor;
    layers?: Descriptor[];
    manifests?: Descriptor[];
  };
  return {
    digest,
    mediaType: json.mediaType ?? contentType.split(';')[0]!.trim(),
    config: json.config,
    layers: json.layers ?? [],
    manifests: json.manifests ?? [],
  };
}

export function isIndex(manifest: RemoteManifest): boolean {
  return INDEX_TYPES.has(manifest.mediaType) || (manifest.manifests.length > 0 && !manifest.config);
}

/** Bytes the image takes in the registry (compressed layers + config) for a single-platform manifest. */
export function registrySize(manifest: RemoteManifest): number {
  return manifest.layers.reduce((sum, layer) => sum + layer.size, manifest.config?.size ?? 0);
}

/**
 * Whether a manifest in the registry is the local image. Docker's classic store names an image by its config digest,
 * which a manifest carries; the containerd store names it by the manifest (or index) digest itself. An index is the
 * local image when its child for the local platform is. `repository` is `host/name`, for RepoDigests.
 */
export async function isSameImage(
  local: LocalImage,
  remote: RemoteManifest,
  repository: string,
  fetchChild: (digest: string) => Promise<RemoteManifest | undefined>,
): Promise<boolean> {
  if (remote.digest === local.id) return true;
  if (local.repoDigests.includes(`${repository}@${remote.digest}`)) return true;
  if (!isIndex(remote)) return remote.config?.digest === local.id;
  const candidates = remote.manifests.filter(
    (m) =>
      !m.platform ||
      ((m.platform.os ?? local.os) === local.os &&
        (m.platform.architecture ?? local.architecture) === local.architecture),
  );
  for (const candidate of candidates) {
    if (candidate.digest === local.id) return true;
    const child = await fetchChild(candidate.digest);
    if (child && !isIndex(child) && child.config?.digest === local.id) return true;
  }
  return false;
}

/**
 * The single-platform manifest of `remote` for the local platform: `remote` itself, or its child in an index
 * (undefined when the index has no child for that platform).
 */
export async function platformManifest(
  remote: RemoteManifest,
  local: Pick<LocalImage, 'os' | 'architecture'>,
  fetchChild: (digest: string) => Promise<RemoteManifest | undefined>,
): Promise<RemoteManifest | undefined> {
  if (!isIndex(remote)) return remote;
  const child = remote.manifests.find(
    (m) =>
      (m.platform?.os ?? local.os) === local.os &&
      (m.platform?.architecture ?? local.architecture) === local.architecture,
  );
  const fetched = child ? await fetchChild(child.digest) : undefined;
  return fetched && !isIndex(fetched) ? fetched : undefined;
}

/** The labels of an image config blob (`{"config": {"Labels": {...}}}`); {} when it has none. */
export function configLabels(configJson: string): Record<string, string> {
  const config = JSON.parse(configJson) as { config?: { Labels?: Record<string, string> | null } };
  return config.config?.Labels ?? {};
}
