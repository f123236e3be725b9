import { describe, expect, test } from '@jest/globals';
import {
  blocks,
  capSummary,
  SUMMARY_MAX_BYTES,
  codeBlock,
  details,
  escapeMarkdown,
  heading,
  inlineCode,
  link,
  mermaidText,
  table,
} from '../src/markdown.js';

describe('escapeMarkdown', () => {
  test.each([
    ['a|b', 'a\\|b'],
    ['<script>', '&lt;script&gt;'],
    ['two\nlines', 'two<br>lines'],
    ['__init__.py', '\\_\\_init\\_\\_.py'],
    ['`x`', '\\`x\\`'],
  ])('%j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('table', () => {
  test('escapes cells, leaves raw columns, fills missing cells', () => {
    expect(table(['file', 'line', 'link'], [['a|b.py', 26, '[x](y)'], ['c.py']], { raw: [2] })).toBe(
      '| file | line | link |\n| --- | --- | --- |\n| a\\|b.py | 26 | [x](y) |\n| c.py |  |  |\n',
    );
  });
});

describe('inlineCode / codeBlock', () => {
  test('a fence longer than any backtick run inside', () => {
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(codeBlock('x\n```\ny')).toBe('````\nx\n```\ny\n````\n');
    expect(codeBlock('print(1)\n', 'python')).toBe('```python\nprint(1)\n```\n');
  });
});

describe('mermaidText', () => {
  test('drops characters that break a diagram', () => {
    expect(mermaidText('task 3f2a: exited "1"; [x]\nnext')).toBe("task 3f2a exited '1' x next");
  });
});

describe('details / link / blocks', () => {
  test('compose', () => {
    expect(details('log <tail>', 'body\n')).toBe(
      '<details><summary>log &lt;tail&gt;</summary>\n\nbody\n\n</details>\n',
    );
    expect(link('svc', 'https://x/a b)')).toBe('[svc](https://x/a%20b%29)');
    expect(blocks('a\n', false, '', 'b')).toBe('a\n\nb\n');
  });
});

describe('outside text cannot leave its cell or block', () => {
  const hostile =
    'a | b\r| c |\n---\n```\n</details>\n# h [x](https://e.example) ![i](j) *e* ~~s~~ &lt;b&gt; <b>';
  test('a table row stays one row with the same cells', () => {
    const markdown = table(['k', 'v'], [['key', hostile]]);
    const lines = markdown.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const cells = lines[2]!.split(/(?<!\\)\|/);
    expect(cells).toHaveLength(4);
    expect(lines[2]).not.toMatch(/[<](?!br>)/);
    expect(lines[2]).toContain('\\[x\\]');
    expect(lines[2]).toContain('&amp;lt;b&amp;gt;');
  });
  test('a code block is closed only by its own fence, lone CRs included', () => {
    const block = codeBlock('x\r```\r````\ry');
    const lines = block.trimEnd().split('\n');
    const fence = lines[0]!;
    expect(fence).toBe('`````');
    expect(lines.slice(1, -1).every((l) => !l.startsWith(fence))).toBe(true);
    expect(lines.at(-1)).toBe(fence);
    expect(block).not.toContain('\r');
  });
  test('inline code stays on one line', () => {
    expect(inlineCode('a\rb\nc')).toBe('`a b c`');
  });
});

describe('capSummary', () => {
  test('a summary within the limit is unchanged', () => {
    const markdown = blocks(heading('x'), table(['a'], [['1']]));
    expect(capSummary(markdown, 1000)).toBe(markdown);
  });
  test('an oversized summary is cut at a line, its open code fence and details closed, and says so', () => {
    const markdown = blocks(
      heading('Import smoke test'),
      table(['import', 'error'], [['a', 'x']]),
      ...Array.from({ length: 50 }, (_, i) => details(`import ${i}`, codeBlock('line\n'.repeat(200)))),
    );
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(20_000);
    const capped = capSummary(markdown, 20_000);
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(20_000);
    expect(
      capped.startsWith(
        blocks(heading('Import smoke test'), table(['import', 'error'], [['a', 'x']])).trim(),
      ),
    ).toBe(true);
    expect(capped).toContain('the rest of this summary is not shown');
    // Every fence opened is closed and every <details> ended, so the note renders as text.
    const fences = capped.split('\n').filter((l) => l.startsWith('```'));
    expect(fences.length % 2).toBe(0);
    expect(capped.split('<details>').length).toBe(capped.split('</details>').length);
  });
  test('multi-byte text is counted in bytes, and a single huge line is cut too', () => {
    const capped = capSummary('é'.repeat(SUMMARY_MAX_BYTES));
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(capped).toContain('ééé');
    expect(capped).not.toContain('\uFFFD');
  });
});
