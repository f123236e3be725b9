// Release helper, run by .github/workflows/release.yml:
//   tsx packages/action-export/src/cli.ts export <action> <out-dir>
//   tsx packages/action-export/src/cli.ts publish <action> <vX.Y.Z> <remote> [--source <text>]
//   tsx packages/action-export/src/cli.ts release <vX.Y.Z> --source <sha> --owner <owner> --repository <name>
//        [--remote-base https://github.com] [--date YYYY-MM-DD]
// publish exports actions/<action> to a temp folder, checks its bundle, and pushes it; release does the whole
// release (release.ts). Tokens (git, through a credential helper; the GitHub API, a header): for `release`,
// REPOSITORY_TOKEN (this repository: contents and workflows write) and ACTIONS_TOKEN (the action repositories:
// contents write), as release.yml mints them; or PUBLISH_TOKEN for every repository (`publish`, local use).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportCheckedAction } from './published-tree.js';
import { majorOf, publishAction } from './publish.js';
import { releaseAll, releaseTokens } from './release.js';
import { describePlan } from './release-plan.js';
import { appendFile } from 'node:fs/promises';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const USAGE =
  'usage: cli.ts export <action> <out-dir> | publish <action> <vX.Y.Z> <remote> [--source <text>] | release <vX.Y.Z> --source <sha> --owner <owner> --repository <name> [--remote-base <url>] [--date <YYYY-MM-DD>]';

async function main(argv: string[]): Promise<void> {
  const [command, action, ...rest] = argv;
  if (command === 'export' && action && rest[0]) {
    const tree = await exportCheckedAction(repoRoot, action, path.resolve(rest[0]));
    console.log(`exported actions/${action} to ${tree.dir}: ${tree.files.join(', ')}`);
    return;
  }
  if (command === 'publish' && action && rest[0] && rest[1]) {
    const [version, remote] = rest as [string, string];
    const sourceAt = rest.indexOf('--source');
    const source = sourceAt >= 0 ? rest[sourceAt + 1] : undefined;
    majorOf(version); // a bad version is refused before anything is exported
    const temp = await mkdtemp(path.join(tmpdir(), `hokusai-publish-${action}-`));
    try {
      const tree = await exportCheckedAction(repoRoot, action, path.join(temp, 'export'));
      const result = await publishAction({
        exportDir: tree.dir,
        remote,
        version,
        source,
        workDir: path.join(temp, 'clone'),
      });
      console.log(
        `${remote}: ${result.changed ? 'published' : 'already had'} ${result.version} at ${result.commit} ` +
          `(branch ${result.branch}; ${describePlan(result.plan).join('; ')}); files: ${tree.files.join(', ')}`,
      );
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    return;
  }
  if (command === 'release' && action) {
    const option = (name: string) => {
      const at = rest.indexOf(`--${name}`);
      return at >= 0 ? rest[at + 1] : undefined;
    };
    const source = option('source');
    const owner = option('owner');
    const repository = option('repository');
    if (!source || !owner || !repository) throw new Error(USAGE);
    const tokens = releaseTokens(process.env);
    const report = await releaseAll({
      repoRoot,
      version: action,
      source,
      owner,
      repository,
      remoteBase: option('remote-base') ?? process.env.GITHUB_SERVER_URL ?? 'https://github.com',
      date: option('date') ?? new Date().toISOString().slice(0, 10),
      ...(tokens ? { tokens } : {}),
      github: tokens
        ? { baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com', token: tokens.repository }
        : undefined,
      log: (line) => console.log(line),
    });
    if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, report.summary);
    return;
  }
  throw new Error(USAGE);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`action-export: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
