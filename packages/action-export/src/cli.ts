// Release helper, run by .github/workflows/release.yml:
//   tsx packages/action-export/src/cli.ts export <action> <out-dir>
//   tsx packages/action-export/src/cli.ts publish <action> <vX.Y.Z> <remote> [--source <text>]
// publish exports actions/<action> to a temp folder, checks its bundle, and pushes it (token: env PUBLISH_TOKEN).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOutsideReferences } from './bundle-references.js';
import { exportAction } from './published-tree.js';
import { majorOf, publishAction } from './publish.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function exportChecked(action: string, outDir: string) {
  const tree = await exportAction(repoRoot, action, outDir);
  const distFiles = tree.files.filter((f) => f.startsWith('dist/')).map((f) => f.slice('dist/'.length));
  const outside = findOutsideReferences(
    await readFile(path.join(outDir, 'dist', 'index.js'), 'utf8'),
    distFiles,
  );
  if (outside.length > 0) {
    throw new Error(
      `actions/${action}/dist/index.js reaches outside dist/: ${outside.map((o) => `${o.specifier} (${o.via}: ${o.problem})`).join(', ')}`,
    );
  }
  return tree;
}

async function main(argv: string[]): Promise<void> {
  const [command, action, ...rest] = argv;
  if (command === 'export' && action && rest[0]) {
    const tree = await exportChecked(action, path.resolve(rest[0]));
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
      const tree = await exportChecked(action, path.join(temp, 'export'));
      const result = await publishAction({
        exportDir: tree.dir,
        remote,
        version,
        source,
        workDir: path.join(temp, 'clone'),
      });
      console.log(
        `${remote}: ${result.changed ? 'published' : 'already had'} ${result.version} at ${result.commit} ` +
          `(branch ${result.branch}; ${result.major} moved there); files: ${tree.files.join(', ')}`,
      );
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    return;
  }
  throw new Error(
    'usage: cli.ts export <action> <out-dir> | publish <action> <vX.Y.Z> <remote> [--source <text>]',
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`action-export: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
