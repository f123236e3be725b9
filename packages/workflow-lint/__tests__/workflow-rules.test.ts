import { describe, expect, test } from '@jest/globals';
import { lintWorkflow } from '../src/workflow-rules.js';

const SHA = '08c6903cd8c0fde910a37f88322edcfb5dd907a8';

/** A workflow with one job whose body is `job` (indented by the caller's template). */
function workflow(job: string, top = 'permissions:\n  contents: read\n'): string {
  return `on: push\n${top}jobs:\n  build:\n    runs-on: ubuntu-latest\n${job}`;
}

const cases: { name: string; text: string; expected: { line: number; rule: string; includes: string }[] }[] =
  [
    {
      name: 'expression in a one-line run: is an error on its line',
      text: workflow('    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n'),
      expected: [{ line: 8, rule: 'run-expression', includes: '${{ github.event.pull_request.title }}' }],
    },
    {
      name: 'each expression in a block run: is reported at its own line',
      text: workflow(
        '    steps:\n      - run: |\n          echo start\n          echo "${{ inputs.cluster }}"\n          deploy ${{ inputs.service }}\n',
      ),
      expected: [
        { line: 10, rule: 'run-expression', includes: 'inputs.cluster' },
        { line: 11, rule: 'run-expression', includes: 'inputs.service' },
      ],
    },
    {
      name: 'a quoted run: string is checked too',
      text: workflow('    steps:\n      - run: "echo ${{ secrets.TOKEN }}"\n'),
      expected: [{ line: 8, rule: 'run-expression', includes: 'secrets.TOKEN' }],
    },
    {
      name: 'expressions in env:, with:, if: and names are fine; $VAR in run: is fine',
      text: workflow(
        '    steps:\n      - name: ${{ inputs.x }}\n        if: ${{ inputs.y }}\n        env:\n          X: ${{ inputs.x }}\n        run: echo "$X" "${X}"\n',
      ),
      expected: [],
    },
    {
      name: 'third-party action by tag is an error',
      text: workflow('    steps:\n      - uses: actions/checkout@v5\n'),
      expected: [{ line: 8, rule: 'pinned-uses', includes: 'not pinned by a full commit SHA' }],
    },
    {
      name: 'third-party action without any ref is an error',
      text: workflow('    steps:\n      - uses: actions/checkout\n'),
      expected: [{ line: 8, rule: 'pinned-uses', includes: 'not pinned' }],
    },
    {
      name: 'a short SHA is not a pin',
      text: workflow('    steps:\n      - uses: actions/checkout@08c6903 # v5.0.0\n'),
      expected: [{ line: 8, rule: 'pinned-uses', includes: 'not pinned' }],
    },
    {
      name: 'full SHA without a version comment is an error',
      text: workflow(`    steps:\n      - uses: actions/checkout@${SHA}\n`),
      expected: [{ line: 8, rule: 'pinned-uses', includes: 'no version comment' }],
    },
    {
      name: 'full SHA with a version comment passes; local, docker:// and the suite own actions pass',
      text: workflow(
        `    steps:\n      - uses: actions/checkout@${SHA} # v5.0.0\n      - uses: ./actions/python-syntax-check\n      - uses: docker://alpine:3.20\n      - uses: hokusai/ecs-deploy-and-wait@v1\n      - uses: hokusai/actions/actions/ecr-push@v1\n`,
      ),
      expected: [],
    },
    {
      name: 'a reusable workflow of another owner must be pinned too',
      text: 'on: push\npermissions: {}\njobs:\n  call:\n    permissions:\n      contents: read\n    uses: octo/flows/.github/workflows/x.yml@main\n',
      expected: [{ line: 7, rule: 'pinned-uses', includes: 'octo/flows/.github/workflows/x.yml@main' }],
    },
    {
      name: 'uses: built from an expression is an error',
      text: workflow('    steps:\n      - uses: ${{ inputs.action }}\n'),
      expected: [{ line: 8, rule: 'pinned-uses', includes: 'expression' }],
    },
    {
      name: 'job without permissions and none at the top is an error at the job',
      text: workflow('    steps:\n      - run: echo hi\n', ''),
      expected: [{ line: 3, rule: 'job-permissions', includes: 'job "build" has no permissions' }],
    },
    {
      name: 'job-level permissions satisfy the rule',
      text: workflow('    permissions:\n      id-token: write\n    steps:\n      - run: echo hi\n', ''),
      expected: [],
    },
    {
      name: 'top-level permissions cover every job',
      text: workflow('    steps:\n      - run: echo hi\n', 'permissions: {}\n'),
      expected: [],
    },
    {
      name: 'write-all is an error',
      text: workflow('    permissions: write-all\n    steps:\n      - run: echo hi\n', ''),
      expected: [{ line: 5, rule: 'job-permissions', includes: 'write-all' }],
    },
  ];

describe('lintWorkflow', () => {
  test.each(cases)('$name', ({ text, expected }) => {
    const findings = lintWorkflow(text, 'wf.yml');
    expect(findings.map((f) => f.rule)).toEqual(expected.map((e) => e.rule));
    expected.forEach((e, i) => {
      const finding = findings[i]!;
      expect(finding.file).toBe('wf.yml');
      expect(finding.message).toContain(e.includes);
      expect(finding.line).toBe(e.line);
    });
  });
});

test('invalid YAML is reported with its line, and nothing else is checked', () => {
  const findings = lintWorkflow(
    'on: push\njobs:\n  a:\n    steps:\n      - run: echo "a\n   b: [\n',
    'wf.yml',
  );
  expect(findings.length).toBeGreaterThan(0);
  expect(findings.every((f) => f.rule === 'yaml' && f.line >= 5)).toBe(true);
});

describe('credentials-cache', () => {
  const job = (steps: string) =>
    `on: workflow_dispatch\npermissions: {}\njobs:\n  release:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n${steps}`;
  const TOKEN = `      - id: t\n        uses: actions/create-github-app-token@${SHA} # v3.1.1\n        with:\n          private-key: \${{ secrets.KEY }}\n`;
  test.each([
    {
      name: 'pnpm/setup with cache beside an App token',
      steps: `      - uses: pnpm/setup@${SHA} # v2.0.2\n        with:\n          cache: true\n${TOKEN}`,
      lines: [9],
    },
    {
      name: 'actions/cache beside a secret',
      steps: `      - uses: actions/cache@${SHA} # v5.0.0\n      - env:\n          T: \${{ secrets.NPM_TOKEN }}\n        run: npm publish\n`,
      lines: [9],
    },
    {
      name: 'no cache beside the token',
      steps: `      - uses: pnpm/setup@${SHA} # v2.0.2\n${TOKEN}`,
      lines: [],
    },
    {
      name: 'a cache without credentials (GITHUB_TOKEN does not count)',
      steps: `      - uses: actions/setup-python@${SHA} # v7.0.0\n        with:\n          cache: pip\n      - env:\n          T: \${{ secrets.GITHUB_TOKEN }}\n        run: echo\n`,
      lines: [],
    },
  ])('$name', ({ steps, lines }) => {
    const findings = lintWorkflow(job(steps), 'w.yml').filter((f) => f.rule === 'credentials-cache');
    expect(findings.map((f) => f.line)).toEqual(lines);
  });
});
