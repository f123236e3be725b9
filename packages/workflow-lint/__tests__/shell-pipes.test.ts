import { describe, expect, test } from '@jest/globals';
import { pipeLines, setsPipefail, shellHasPipefail } from '../src/shell-pipes.js';
import { lintWorkflow } from '../src/workflow-rules.js';

describe('pipeLines', () => {
  test.each([
    { name: 'a pipe', script: 'docker save "$IMAGE" | gzip -1 > x', expected: [1] },
    { name: '|& is a pipe too', script: 'make |& tee log', expected: [1] },
    { name: '|| is not', script: 'test -f x || exit 1', expected: [] },
    { name: 'quoted bars are not', script: `echo "a|b" 'c|d' a\\|b`, expected: [] },
    { name: 'a comment is not', script: 'echo hi # a | b\necho there', expected: [] },
    { name: 'a # inside a word is no comment', script: 'echo a#b | wc -c', expected: [1] },
    {
      name: 'a here-document body is not, the line after it counts again',
      script: 'cat <<EOF\na | b\nEOF\nls | wc -l',
      expected: [4],
    },
    { name: "a <<-'EOT' body with tabs", script: "cat <<-'EOT'\n\ta | b\n\tEOT\necho", expected: [] },
    { name: 'a here-string is no here-document', script: 'tr a b <<< "$X" | wc', expected: [1] },
    {
      name: 'lines are counted through multi-line quotes and continuations',
      script: 'echo "one\ntwo" \\\n  x\nprintf %s "$A" | sha256sum',
      expected: [4],
    },
    { name: 'a pipe in a quoted command substitution', script: 'n="$(ls | wc -l)"', expected: [1] },
    { name: '|| in a quoted command substitution', script: 'n="$(a || b)" x="(|)"', expected: [] },
    {
      name: 'a quoted command substitution over lines',
      script: 'n="$(\n  ls "$D" |\n  wc -l)"',
      expected: [2],
    },
    { name: 'an unquoted command substitution', script: 'n=$(ls | wc -l)', expected: [1] },
  ])('$name', ({ script, expected }) => {
    expect(pipeLines(script)).toEqual(expected);
  });
});

describe('setsPipefail and shellHasPipefail', () => {
  test.each([
    ['set -euo pipefail\na | b', 2, true],
    ['set -e -o pipefail\na | b', 2, true],
    ['a | b\nset -o pipefail', 1, false],
    ['# set -o pipefail\na | b', 2, false],
  ])('%j before line %d -> %s', (script, line, expected) => {
    expect(setsPipefail(script, line)).toBe(expected);
  });
  test.each([
    [undefined, false],
    ['bash', true],
    ['bash -e {0}', false],
    ['bash --noprofile --norc -eo pipefail {0}', true],
    ['sh', false],
  ])('shell %j -> %s', (shell, expected) => expect(shellHasPipefail(shell)).toBe(expected));
});

describe('the shell-pipefail rule', () => {
  const workflow = (step: string, defaults = '') =>
    `on: push\npermissions: {}\n${defaults}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${step}`;

  test.each([
    {
      name: 'a one-line run: that pipes, reported on its line',
      text: workflow('      - run: docker save "$IMAGE" | gzip > x\n'),
      lines: [7],
    },
    {
      name: 'a block run: reports the line of the pipe',
      text: workflow('      - run: |\n          echo start\n          docker save "$IMAGE" | gzip > x\n'),
      lines: [9],
    },
    {
      name: 'shell: bash on the step',
      text: workflow('      - shell: bash\n        run: a | b\n'),
      lines: [],
    },
    {
      name: "the workflow's defaults.run.shell",
      text: workflow('      - run: a | b\n', 'defaults:\n  run:\n    shell: bash\n'),
      lines: [],
    },
    {
      name: 'shell: sh is no pipefail',
      text: workflow('      - shell: sh\n        run: a | b\n'),
      lines: [8],
    },
    {
      name: 'set -o pipefail in the script',
      text: workflow('      - run: |\n          set -eo pipefail\n          a | b\n'),
      lines: [],
    },
    { name: 'pwsh is left alone', text: workflow('      - shell: pwsh\n        run: a | b\n'), lines: [] },
    { name: 'no pipe, no finding', text: workflow('      - run: a || b\n'), lines: [] },
  ])('$name', ({ text, lines }) => {
    const findings = lintWorkflow(text, 'w.yml').filter((f) => f.rule === 'shell-pipefail');
    expect(findings.map((f) => f.line)).toEqual(lines);
  });
});
