// `tsx packages/workflow-lint/src/cli.ts [repo-root]`: one line per finding (`file:line: message [rule]`), exit 1
// when there is any. The root defaults to the current directory.
import path from 'node:path';
import { formatFinding } from './findings.js';
import { lintRepository } from './lint-repository.js';

const root = path.resolve(process.argv[2] ?? process.cwd());
const result = await lintRepository(root);
for (const finding of result.findings) console.log(formatFinding(finding));
const scope = `${result.workflows.length} workflow(s), ${result.actions.length} action folder(s), ${result.readmes.length} README(s) in ${root}`;
if (result.findings.length > 0) {
  console.error(`workflow-lint: ${result.findings.length} finding(s) in ${scope}`);
  process.exitCode = 1;
} else {
  console.log(`workflow-lint: no findings in ${scope}`);
}
