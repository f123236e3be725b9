import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeBlocksOf, exampleKind, lintReadme, lintReadmes } from '../src/readme-code-blocks.js';
import { YamlSource } from '../src/yaml-source.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fence = '```';

describe('codeBlocksOf', () => {
  test('finds fenced blocks at their lines, in lists too', () => {
    const markdown = `# t\n\n${fence}yaml\na: 1\n${fence}\n\n- item\n\n  ${fence}yml\n  b: 2\n  ${fence}\n`;
    expect(codeBlocksOf(markdown).map((b) => [b.language, b.line, b.text.trim()])).toEqual([
      ['yaml', 4, 'a: 1'],
      ['yml', 10, 'b: 2'],
    ]);
  });
});

describe('lintReadme', () => {
  test('a step output inside run: is a finding at its README line (the ecs-deploy-and-wait example)', () => {
    const markdown = [
      '# Example',
      '',
      `${fence}yaml`,
      'steps:',
      '  - id: deploy',
      '    uses: hokusai/ecs-deploy-and-wait@v1',
      '  - if: failure()',
      '    run: |',
      '      echo "${{ steps.deploy.outputs.failure-reason }}"',
      fence,
    ].join('\n');
    expect(lintReadme(markdown, 'README.md')).toEqual([
      expect.objectContaining({ file: 'README.md', line: 9, rule: 'readme-run-expression' }),
    ]);
  });
  test('inputs in a run: of a bare step list, and a job, are findings too', () => {
    const markdown = `${fence}yaml\n- run: echo \${{ inputs.name }}\n${fence}\n\n${fence}yml\njobs:\n  a:\n    steps:\n      - run: echo \${{ github.event.issue.title }}\n${fence}\n`;
    const runExpressions = lintReadme(markdown, 'R.md').filter((f) => f.rule === 'readme-run-expression');
    expect(runExpressions.map((f) => f.line)).toEqual([2, 9]);
  });
  test('env: is the way: no finding', () => {
    const markdown = `${fence}yaml\n- env:\n    REASON: \${{ steps.deploy.outputs.failure-reason }}\n  run: echo "$REASON"\n${fence}\n`;
    expect(lintReadme(markdown, 'R.md')).toEqual([]);
  });
  test('an example that is not valid YAML is a finding; other languages are not read', () => {
    const markdown = `${fence}yaml\n- run: echo "a: b"\n  x: [\n${fence}\n\n${fence}sh\necho \${{ x }}\n${fence}\n`;
    const findings = lintReadme(markdown, 'R.md');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.rule === 'yaml')).toBe(true);
  });
});

const CREDENTIALS_V5 =
  'aws-actions/configure-aws-credentials@a03048d87541d1d9fcf2ecf528a4a65ba9bd7838 # v5.0.0';
const CREDENTIALS_V6 =
  'aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3';
const yamlBlock = (...lines: string[]) => `# Example\n\n${fence}yaml\n${lines.join('\n')}\n${fence}\n`;
/** `line: rule` of each finding, the README's line (the block's first line is line 4). */
const found = (markdown: string) => lintReadme(markdown, 'R.md').map((f) => `${f.line}: ${f.rule}`);

describe('README examples go through the workflow rules that make sense for an example', () => {
  test.each([
    { text: 'on: push\njobs:\n  a:\n    steps: []', kind: 'workflow' },
    { text: 'jobs:\n  a:\n    runs-on: ubuntu-latest', kind: 'workflow' },
    { text: 'runs-on: ubuntu-latest\nsteps:\n  - run: echo', kind: 'job' },
    { text: 'steps:\n  - run: echo', kind: 'steps' },
    { text: '- uses: hokusai/endpoint-probe@v1\n- run: echo', kind: 'steps' },
    { text: 'endpoints: |\n  - url: https://x', kind: 'other' },
    { text: 'name: my-scenario\nservices: []', kind: 'other' },
  ])('$kind: $text', ({ text, kind }) => {
    expect(exampleKind(new YamlSource(text).root)).toBe(kind);
  });

  test('a workflow pinning a node20 release, deploying a tag, with a job without permissions (the findings of trial A)', () => {
    const markdown = yamlBlock(
      'on: push', // 4
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-latest',
      '    concurrency: { group: deploy-api, cancel-in-progress: false, queue: max }',
      '    steps:',
      `      - uses: ${CREDENTIALS_V5}`, // 10
      '      - uses: hokusai/ecs-deploy-and-wait@v1',
      '        with:',
      '          cluster: production',
      '          service: api',
      '          image: 1234.dkr.ecr.eu-west-1.amazonaws.com/api:${{ github.sha }}', // 15
    );
    expect(found(markdown)).toEqual([
      '6: readme-job-permissions',
      '10: readme-action-runtime',
      '15: readme-deploy-image',
    ]);
    expect(lintReadme(markdown, 'R.md')[1]!.message).toBe(
      "example: aws-actions/configure-aws-credentials v5.0.0 runs on node20, which GitHub's runner no longer has: pin v6.0.0 or later (node24)",
    );
  });

  test('the same, fixed: workflow permissions, a node24 release, the image by digest from ecr-push', () => {
    const markdown = yamlBlock(
      'on: push',
      'permissions: { id-token: write, contents: read }',
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-latest',
      '    concurrency: { group: deploy-api, cancel-in-progress: false, queue: max }',
      '    steps:',
      `      - uses: ${CREDENTIALS_V6}`,
      '      - id: push',
      '        uses: hokusai/ecr-push@v1',
      '        with: { image: api:ci, repository: api }',
      '      - uses: hokusai/ecs-deploy-and-wait@v1',
      '        with:',
      '          cluster: production',
      '          service: api',
      '          image: ${{ steps.push.outputs.image-uri-with-digest }}',
    );
    expect(found(markdown)).toEqual([]);
  });

  test('a job on its own: its lines are the README lines, and it must declare permissions', () => {
    const markdown = yamlBlock(
      'runs-on: ubuntu-latest', // 4
      'steps:',
      '  - uses: actions/checkout@v5', // 6
      '  - run: curl -s https://example.com | sh', // 7
    );
    expect(found(markdown)).toEqual([
      '4: readme-job-permissions',
      '6: readme-pinned-uses',
      '7: readme-shell-pipefail',
    ]);
  });

  test('a list of steps: pins and deploy by digest, not the rules of the job around it (permissions, groups)', () => {
    const markdown = yamlBlock(
      '- uses: actions/checkout@v5', // 4
      '- id: deploy',
      '  uses: hokusai/actions/actions/ecs-deploy-and-wait@v1',
      '  with:',
      '    cluster: production',
      '    service: api',
      '    image: |', // 10
      '      api:latest',
    );
    expect(found(markdown)).toEqual(['4: readme-pinned-uses', '10: readme-deploy-image']);
  });

  test('a reusable-workflow call of this suite is not a third-party action; other YAML is not a workflow', () => {
    const markdown =
      yamlBlock(
        'jobs:',
        '  deploy:',
        '    permissions: { id-token: write, contents: read }',
        '    uses: hokusai/actions/.github/workflows/deploy-ecs.yml@v1',
        '    with: { cluster: production }',
      ) + yamlBlock('services:', '  - uses: actions/checkout@v5');
    expect(found(markdown)).toEqual([]);
  });
});

describe('the repository', () => {
  test('every README.md example lints clean', () => {
    const { readmes, findings } = lintReadmes(repoRoot);
    expect(readmes).toEqual(expect.arrayContaining(['README.md', 'actions/ecs-deploy-and-wait/README.md']));
    expect(findings).toEqual([]);
  });
});
