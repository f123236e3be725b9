// Examples in READMEs are copied into workflows as they are, so they follow the workflow rules too. Fenced yaml/yml
// blocks of every README.md are parsed (marked finds the fences); a block that is not valid YAML is a finding.
// - every block: no `${{ }}` in a `run:` script at any depth (a step output such as failure-reason carries text from
//   container logs; inside `run:` it is executed as shell);
// - a whole workflow, a `jobs:` fragment or one job: the workflow rules that make sense for an example (third-party
//   actions pinned by SHA to a node24 release, job permissions, pipefail, no cache beside credentials) and the deploy
//   rules (deploy by digest, concurrency groups, artifact flow);
// - a list of steps: the pins and the deploy-by-digest rule (the job around them is not in the example).
// A job or a list of steps is linted inside a made-up workflow around it; findings point at the README's lines.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Lexer, type Token, type Tokens } from 'marked';
import { isMap, isSeq, type Node, type Pair } from 'yaml';
import { lintDeployFlow } from './deploy-flow-rules.js';
import type { Finding } from './findings.js';
import { expressionsInRun, lintWorkflow } from './workflow-rules.js';
import { YamlSource, hasKey, itemsOf } from './yaml-source.js';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'output', 'coverage']);

/** Every README.md under `root` (relative, POSIX), dependencies and build output left out. */
export function readmeFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) walk(child);
      else if (entry.isFile() && entry.name === 'README.md') found.push(child);
    }
  };
  if (existsSync(root)) walk('');
  return found.sort();
}

export interface CodeBlock {
  language: string;
  text: string;
  /** 1-based line of the block's first content line in the Markdown file. */
  line: number;
}

/** The fenced code blocks of a Markdown text, lists and quotes included, with where each starts. */
export function codeBlocksOf(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let cursor = 0;
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'code') {
        const code = token as Tokens.Code;
        // Inside a list item marked hands out the block dedented: look for its fence line instead.
        const whole = markdown.indexOf(code.raw, cursor);
        const at = whole !== -1 ? whole : markdown.indexOf(code.raw.split('\n')[0] ?? '', cursor);
        const offset = at === -1 ? cursor : at;
        if (at !== -1) cursor = at + (whole !== -1 ? code.raw.length : 1);
        const fenceLine = markdown.slice(0, offset).split('\n').length;
        blocks.push({
          language: (code.lang ?? '').trim().split(/\s/)[0] ?? '',
          text: code.text,
          line: fenceLine + 1,
        });
      }
      const children = (token as { tokens?: Token[] }).tokens;
      if (children) visit(children);
      const items = (token as { items?: Array<{ tokens: Token[] }> }).items;
      if (items) for (const item of items) visit(item.tokens);
    }
  };
  visit(new Lexer().lex(markdown));
  return blocks;
}

/** Every `run:` value anywhere in a YAML tree: steps of a workflow, a job, or a bare list of steps. */
function runNodes(node: unknown, found: Node[] = []): Node[] {
  if (isMap(node)) {
    for (const pair of node.items as Pair<Node, Node | null>[]) {
      const key = (pair.key as { value?: unknown } | null)?.value;
      if (key === 'run' && pair.value) found.push(pair.value);
      else runNodes(pair.value, found);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) runNodes(item, found);
  }
  return found;
}

/** What a README example is: the workflow rules that apply depend on how much of a workflow it shows. */
export type ExampleKind = 'workflow' | 'job' | 'steps' | 'other';

/**
 * A map with `jobs:` is a workflow (or a `jobs:` fragment); one with `runs-on:` a job; a list of maps with `uses:` or
 * `run:`, or a map of nothing but `steps:`, a list of steps. Anything else (a `with:` fragment, an emulator
 * scenario) is other.
 */
export function exampleKind(root: unknown): ExampleKind {
  if (hasKey(root, 'jobs')) return 'workflow';
  if (hasKey(root, 'runs-on')) return 'job';
  if (hasKey(root, 'steps')) return 'steps';
  const items = itemsOf(root);
  if (items.length > 0 && items.every((item) => hasKey(item, 'uses') || hasKey(item, 'run'))) return 'steps';
  return 'other';
}

/** Rules of lintWorkflow and lintDeployFlow an example of each kind goes through (run-expression is checked apart). */
export const EXAMPLE_RULES: Record<Exclude<ExampleKind, 'other'>, ReadonlySet<string>> = {
  workflow: new Set([
    'pinned-uses',
    'action-runtime',
    'job-permissions',
    'shell-pipefail',
    'credentials-cache',
    'artifact-flow',
    'rerun-push',
    'deploy-image',
    'deploy-concurrency',
    'rollback-concurrency',
    'concurrency-deadlock',
  ]),
  job: new Set([
    'pinned-uses',
    'action-runtime',
    'job-permissions',
    'shell-pipefail',
    'credentials-cache',
    'artifact-flow',
    'deploy-image',
    'deploy-concurrency',
    'rollback-concurrency',
  ]),
  steps: new Set(['pinned-uses', 'action-runtime', 'shell-pipefail', 'deploy-image']),
};

/**
 * The example as a workflow text, and how many lines were put above it: a job (or a map of `steps:`) indented under
 * `jobs: example:`, a list of steps under `jobs: example: steps:`.
 */
function asWorkflow(text: string, root: unknown, kind: Exclude<ExampleKind, 'other'>) {
  if (kind === 'workflow') return { text, above: 0 };
  const header = isSeq(root) ? ['jobs:', '  example:', '    steps:'] : ['jobs:', '  example:'];
  const indent = ' '.repeat(header.length * 2);
  const body = text
    .split('\n')
    .map((line) => (line.trim() === '' ? line : `${indent}${line}`))
    .join('\n');
  return { text: `${header.join('\n')}\n${body}`, above: header.length };
}

/** The findings for one README: YAML that does not parse, expressions in `run:`, the workflow rules above. */
export function lintReadme(markdown: string, file: string): Finding[] {
  const findings: Finding[] = [];
  for (const block of codeBlocksOf(markdown)) {
    if (block.language !== 'yaml' && block.language !== 'yml') continue;
    const source = new YamlSource(block.text);
    const at = (line: number) => block.line + Math.max(line, 1) - 1;
    if (source.syntaxErrors.length > 0) {
      for (const error of source.syntaxErrors)
        findings.push({
          file,
          line: at(error.line),
          message: `example YAML: ${error.message}`,
          rule: 'yaml',
        });
      continue;
    }
    for (const run of runNodes(source.root)) {
      for (const finding of expressionsInRun(source, run, file)) {
        findings.push({ ...finding, line: at(finding.line), rule: 'readme-run-expression' });
      }
    }
    const kind = exampleKind(source.root);
    if (kind === 'other') continue;
    const workflow = asWorkflow(block.text, source.root, kind);
    const rules = EXAMPLE_RULES[kind];
    for (const finding of [...lintWorkflow(workflow.text, file), ...lintDeployFlow(workflow.text, file)]) {
      if (!rules.has(finding.rule)) continue;
      findings.push({
        ...finding,
        line: at(finding.line - workflow.above),
        message: `example: ${finding.message}`,
        rule: `readme-${finding.rule}`,
      });
    }
  }
  return findings;
}

/** lintReadme over every README.md of the repository. */
export function lintReadmes(root: string): { readmes: string[]; findings: Finding[] } {
  const readmes = readmeFiles(root);
  const findings = readmes.flatMap((file) => lintReadme(readFileSync(path.join(root, file), 'utf8'), file));
  return { readmes, findings };
}
