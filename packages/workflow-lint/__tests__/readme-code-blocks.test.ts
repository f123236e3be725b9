import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeBlocksOf, lintReadme, lintReadmes } from '../src/readme-code-blocks.js';

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
    expect(lintReadme(markdown, 'R.md').map((f) => f.line)).toEqual([2, 9]);
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

describe('the repository', () => {
  test('every README.md example lints clean', () => {
    const { readmes, findings } = lintReadmes(repoRoot);
    expect(readmes).toEqual(expect.arrayContaining(['README.md', 'actions/ecs-deploy-and-wait/README.md']));
    expect(findings).toEqual([]);
  });
});
