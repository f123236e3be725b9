// One GitHub release per published version (the Marketplace lists an action from its releases), made idempotent:
// GET /repos/{owner}/{repo}/releases/tags/{tag} first, POST /repos/{owner}/{repo}/releases only when it is absent
// (REST API "Releases": get a release by tag name, create a release; `make_latest` "true" | "false"). The token
// goes in the Authorization header only; errors quote GitHub's message, never the token.

export interface ReleaseRequest {
  owner: string;
  repo: string;
  tag: string;
  name: string;
  body: string;
  latest: boolean;
  prerelease?: boolean;
}

export interface ReleaseResult {
  url: string;
  created: boolean;
}

export interface GitHubApi {
  /** e.g. https://api.github.com (the runner's GITHUB_API_URL). */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
}

export async function ensureRelease(api: GitHubApi, request: ReleaseRequest): Promise<ReleaseResult> {
  const doFetch = api.fetch ?? fetch;
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${api.token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'hokusai-release',
  };
  const base = `${api.baseUrl.replace(/\/$/, '')}/repos/${request.owner}/${request.repo}/releases`;
  const found = await doFetch(`${base}/tags/${encodeURIComponent(request.tag)}`, { headers });
  if (found.ok) {
    const release = (await found.json()) as { html_url: string };
    return { url: release.html_url, created: false };
  }
  if (found.status !== 404)
    throw await apiError(found, `reading the release ${request.tag} of ${request.owner}/${request.repo}`);
  const created = await doFetch(base, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      tag_name: request.tag,
      name: request.name,
      body: request.body,
      prerelease: request.prerelease ?? false,
      make_latest: request.latest ? 'true' : 'false',
    }),
  });
  if (!created.ok)
    throw await apiError(created, `creating the release ${request.tag} of ${request.owner}/${request.repo}`);
  return { url: ((await created.json()) as { html_url: string }).html_url, created: true };
}

async function apiError(response: Response, what: string): Promise<GitHubApiError> {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // not JSON: keep the start of the text
  }
  const hint =
    response.status === 401 || response.status === 403
      ? ' (the App token needs contents: write on that repository)'
      : '';
  return new GitHubApiError(`GitHub answered ${response.status} ${what}: ${message}${hint}`);
}
