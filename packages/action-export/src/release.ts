// A whole release, as release.yml runs it, in the order that keeps every step safe to re-run:
//   1. plan this repository's release (the release commit with pinned workflows and the CHANGELOG section) without
//      pushing: a version already made from another commit, or an empty Unreleased, stops here, before anything moves;
//   2. publish each action as its own repository hokusai/<action> (publish.ts: one atomic push each);
//   3. push this repository's vX.Y.Z and vX (atomic, with leases): what deploy-ecs.yml@v1 callers get;
//   4. a GitHub release per repository (the Marketplace lists an action from its releases).
// Each step finds what an earlier run did and keeps it (same tree, same parent), so a failed release is finished
// by re-running it; nothing is ever moved backwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureRelease, type GitHubApi } from './github-releases.js';
import { ACTIONS, exportCheckedAction } from './published-tree.js';
import { publishAction, type PublishResult } from './publish.js';
import { releaseMonorepo, type MonorepoRelease } from './release-git.js';
import { describePlan, majorTagOf } from './release-plan.js';

export interface ReleaseOptions {
  repoRoot: string;
  version: string;
  /** The commit released (the workflow's GITHUB_SHA). */
  source: string;
  /** The GitHub owner of every repository, e.g. hokusai. */
  owner: string;
  /** This repository's name, e.g. actions. */
  repository: string;
  /** Where repositories are, e.g. https://github.com (remotes are <base>/<owner>/<name>.git). */
  remoteBase: string;
  /** YYYY-MM-DD for the CHANGELOG heading. */
  date: string;
  /** For the GitHub releases; undefined skips them (a dry run, a test of the git side). */
  github?: GitHubApi;
  /** PUBLISH_TOKEN and the rest of git's environment. */
  env?: NodeJS.ProcessEnv;
  /**
   * One token per kind of repository (release.yml mints two): `repository` for this one (contents and workflows
   * write: the release commit changes .github/workflows), `actions` for each hokusai/<action> (contents write: what
   * they get has no workflow). Each reaches git as PUBLISH_TOKEN of its own pushes only, and the GitHub API for its
   * own repositories' releases. Without it, env's PUBLISH_TOKEN and github.token serve every repository.
   */
  tokens?: { repository: string; actions: string };
  actions?: readonly string[];
  log?: (line: string) => void;
}

export interface ReleaseReport {
  monorepo: MonorepoRelease;
  actions: Array<{ action: string; result: PublishResult; files: string[] }>;
  releases: Array<{ repo: string; url: string; created: boolean }>;
  /** Markdown for the job summary. */
  summary: string;
}

export async function releaseAll(options: ReleaseOptions): Promise<ReleaseReport> {
  const log = options.log ?? (() => undefined);
  majorTagOf(options.version);
  const remote = (name: string) => `${options.remoteBase.replace(/\/$/, '')}/${options.owner}/${name}.git`;
  const monorepoOptions = {
    cwd: options.repoRoot,
    remote: remote(options.repository),
    source: options.source,
    version: options.version,
    date: options.date,
    env: options.tokens ? { ...options.env, PUBLISH_TOKEN: options.tokens.repository } : options.env,
  };
  const actionsEnv = options.tokens ? { ...options.env, PUBLISH_TOKEN: options.tokens.actions } : options.env;
  const apiFor = (repo: string): GitHubApi | undefined => {
    if (!options.github || !options.tokens) return options.github;
    const token = repo === options.repository ? options.tokens.repository : options.tokens.actions;
    return { ...options.github, token };
  };

  const planned = await releaseMonorepo({ ...monorepoOptions, dryRun: true });
  log(`planned ${options.owner}/${options.repository}: ${describePlan(planned.plan).join('; ')}`);

  const actions: ReleaseReport['actions'] = [];
  for (const action of options.actions ?? ACTIONS) {
    const temp = await mkdtemp(path.join(tmpdir(), `hokusai-release-${action}-`));
    try {
      const tree = await exportCheckedAction(options.repoRoot, action, path.join(temp, 'export'), {
        repositoryUrl: `${options.remoteBase.replace(/\/$/, '')}/${options.owner}/${options.repository}`,
        ref: options.version,
      });
      const result = await publishAction({
        exportDir: tree.dir,
        remote: remote(action),
        version: options.version,
        source: `${options.owner}/${options.repository}@${options.source}`,
        workDir: path.join(temp, 'clone'),
        env: actionsEnv,
      });
      actions.push({ action, result, files: tree.files });
      log(`${options.owner}/${action}: ${describePlan(result.plan).join('; ')}`);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  const monorepo = await releaseMonorepo(monorepoOptions);
  log(`${options.owner}/${options.repository}: ${describePlan(monorepo.plan).join('; ')}`);

  const releases: ReleaseReport['releases'] = [];
  if (options.github) {
    const source = `${options.owner}/${options.repository}@${options.source.slice(0, 12)}`;
    for (const repo of [...actions.map((a) => a.action), options.repository]) {
      const release = await ensureRelease(apiFor(repo)!, {
        owner: options.owner,
        repo,
        tag: options.version,
        name: options.version,
        body: repo === options.repository ? monorepo.notes : `${monorepo.notes}\n\nBuilt from ${source}.`,
        latest: monorepo.plan.latest,
        prerelease: monorepo.plan.prerelease,
      });
      releases.push({ repo, ...release });
      log(
        `${options.owner}/${repo}: release ${release.created ? 'created' : 'already there'} ${release.url}`,
      );
    }
  }
  return { monorepo, actions, releases, summary: summaryOf(options, monorepo, actions, releases) };
}

/**
 * The release's tokens from the environment, removed from it so git's child processes see only the PUBLISH_TOKEN of
 * their own push: REPOSITORY_TOKEN and ACTIONS_TOKEN (both, or neither), else PUBLISH_TOKEN for both; undefined when
 * none is set (nothing can be pushed to an authenticated remote, no GitHub release is made).
 */
export function releaseTokens(env: NodeJS.ProcessEnv): { repository: string; actions: string } | undefined {
  const repository = env.REPOSITORY_TOKEN;
  const actions = env.ACTIONS_TOKEN;
  const shared = env.PUBLISH_TOKEN;
  delete env.REPOSITORY_TOKEN;
  delete env.ACTIONS_TOKEN;
  delete env.PUBLISH_TOKEN;
  if (repository && actions) return { repository, actions };
  if (repository || actions)
    throw new Error('set both REPOSITORY_TOKEN and ACTIONS_TOKEN (or PUBLISH_TOKEN for every repository)');
  return shared ? { repository: shared, actions: shared } : undefined;
}

function summaryOf(
  options: ReleaseOptions,
  monorepo: MonorepoRelease,
  actions: ReleaseReport['actions'],
  releases: ReleaseReport['releases'],
): string {
  const rows = [
    [`${options.owner}/${options.repository}`, ...describePlan(monorepo.plan), monorepo.commit.slice(0, 12)],
    ...actions.map((a) => [
      `${options.owner}/${a.action}`,
      ...describePlan(a.result.plan),
      a.result.commit.slice(0, 12),
    ]),
  ];
  const lines = [
    `## Release ${options.version}`,
    '',
    '| repository | version tag | major tag | commit |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `The reusable workflows in ${options.version} run the suite's actions at ${options.source}.`,
  ];
  if (releases.length > 0) {
    lines.push(
      '',
      ...releases.map(
        (r) => `- ${r.repo}: ${r.created ? 'release created' : 'release already there'} ${r.url}`,
      ),
    );
    lines.push(
      '',
      'Marketplace: a release made through the API is not listed by itself. Once per action repository, open its release, choose **Edit**, tick **Publish this Action to the GitHub Marketplace**, accept the agreement and pick the categories (CONTRIBUTING.md, "Releasing").',
    );
  }
  return `${lines.join('\n')}\n`;
}
