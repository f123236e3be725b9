// Examples in READMEs are copied into workflows as they are, so they follow the workflow rules too: no `${{ }}` in a
// `run:` script (a step output such as failure-reason carries text from container logs; inside `run:` it is
// executed as shell). Fenced yaml/yml blocks of every README.md are parsed (marked finds the fences) and every
// `run:` at any depth is checked; a block that is not valid YAML is a finding as well.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Lexer, type Token, type Tokens } from 'marked';
import { isMap, isSeq, type Node, type Pair } from 'yaml';
import type { Finding } from './findings.js';
import { expressionsInRun } from './workflow-rules.js';
import { YamlSource } from './yaml-source.js';

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

/** The findings for one README: expressions in `run:` scripts and YAML that does not parse, at README lines. */
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
  }
  return findings;
}

/** lintReadme over every README.md of the repository. */
export function lintReadmes(root: string): { readmes: string[]; findings: Finding[] } {
  const readmes = readmeFiles(root);
  const findings = readmes.flatMap((file) => lintReadme(readFileSync(path.join(root, file), 'utf8'), file));
  return { readmes, findings };
}
