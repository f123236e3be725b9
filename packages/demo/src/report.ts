// The demo's report: every step's job summary in one Markdown file, and an HTML page with the Mermaid diagrams
// rendered the way GitHub renders them (mermaid.min.js copied beside it, so the page works offline).
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Marked } from 'marked';

const require = createRequire(import.meta.url);

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Markdown to HTML; ```mermaid blocks become <pre class="mermaid"> for mermaid.js to draw. */
export function renderHtml(markdown: string, title: string): string {
  const marked = new Marked({
    gfm: true,
    renderer: {
      code({ text, lang }) {
        if (lang === 'mermaid') return `<pre class="mermaid">${escapeHtml(text)}</pre>\n`;
        return `<pre><code>${escapeHtml(text)}</code></pre>\n`;
      },
    },
  });
  const body = marked.parse(markdown, { async: false });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1012px; margin: 2em auto; padding: 0 1em; color: #1f2328; }
  table { border-collapse: collapse; margin: 1em 0; } th, td { border: 1px solid #d1d9e0; padding: 4px 10px; text-align: left; }
  pre { background: #f6f8fa; padding: 12px; overflow: auto; } code { font: 12px ui-monospace, Menlo, monospace; }
  pre.mermaid { background: none; } hr { border: 0; border-top: 4px solid #d1d9e0; margin: 2em 0; }
</style>
</head>
<body>
${body}
<script src="mermaid.min.js"></script>
<script>mermaid.initialize({ startOnLoad: true, securityLevel: 'strict' });</script>
</body>
</html>
`;
}

export async function writeReport(
  dir: string,
  markdown: string,
  title: string,
): Promise<{ md: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const md = path.join(dir, 'summary.md');
  const html = path.join(dir, 'summary.html');
  await writeFile(md, markdown);
  await writeFile(html, renderHtml(markdown, title));
  await copyFile(require.resolve('mermaid/dist/mermaid.min.js'), path.join(dir, 'mermaid.min.js'));
  return { md, html };
}
