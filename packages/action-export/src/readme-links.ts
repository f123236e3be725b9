// The README of an action published on its own (hokusai/<action>) has none of the monorepo around it: a link to
// `../auto-rollback` or `../../packages/ecs-kit` would 404 there. The export rewrites every relative link that
// leaves the action's folder to the monorepo at the released ref, keeps links into the published tree, and refuses
// a link whose target exists nowhere. Links are found with marked's lexer (links and images, inline and reference
// style; code spans and code blocks are not links). Pure: text and a file lookup in, text out.
import path from 'node:path';
import { marked, type Token } from 'marked';

export interface ReadmeLinkContext {
  /** The action's folder in the monorepo, e.g. `actions/ecs-deploy-and-wait`. */
  actionDir: string;
  /** Paths (relative to the action folder, posix) that the published tree holds. */
  published: ReadonlySet<string>;
  /** What a monorepo path (posix, relative to its root) is: a file, a directory, or nothing. */
  kindOf: (repoPath: string) => 'file' | 'directory' | undefined;
  /** e.g. https://github.com/hokusai/actions and the ref the release is made from (a tag or a commit). */
  repositoryUrl: string;
  ref: string;
}

export interface LinkRewrite {
  href: string;
  to: string;
}

export class BrokenLinkError extends Error {
  override name = 'BrokenLinkError';
}

/** Every link and image target in a Markdown text, in order, each once. */
export function markdownLinks(text: string): string[] {
  const found = new Set<string>();
  marked.walkTokens(marked.lexer(text), (token: Token) => {
    if ((token.type === 'link' || token.type === 'image') && typeof token.href === 'string')
      found.add(token.href);
  });
  return [...found];
}

const isRelative = (href: string) => !/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(href) && href !== '';

/** The README with links out of the action folder pointing at the monorepo; a BrokenLinkError for dead links. */
export function rewriteReadmeLinks(
  text: string,
  context: ReadmeLinkContext,
): { text: string; rewrites: LinkRewrite[] } {
  const rewrites: LinkRewrite[] = [];
  const broken: string[] = [];
  for (const href of markdownLinks(text).filter(isRelative)) {
    const [target = '', fragment] = href.split('#', 2);
    const inTree = path.posix.normalize(decodeURI(target)).replace(/\/$/, '');
    if (
      !inTree.startsWith('..') &&
      (context.published.has(inTree) || [...context.published].some((p) => p.startsWith(`${inTree}/`)))
    ) {
      continue; // a file or folder the published repository has
    }
    const repoPath = path.posix
      .normalize(path.posix.join(context.actionDir, decodeURI(target)))
      .replace(/\/$/, '');
    const kind = repoPath.startsWith('..') ? undefined : context.kindOf(repoPath);
    if (!kind) {
      broken.push(href);
      continue;
    }
    const to = `${context.repositoryUrl}/${kind === 'directory' ? 'tree' : 'blob'}/${context.ref}/${encodeURI(repoPath)}${fragment !== undefined ? `#${fragment}` : ''}`;
    rewrites.push({ href, to });
  }
  if (broken.length > 0) {
    throw new BrokenLinkError(
      `${context.actionDir}/README.md links to ${broken.map((b) => `"${b}"`).join(', ')}, which exist${broken.length === 1 ? 's' : ''} neither in the published tree nor in the repository`,
    );
  }
  let rewritten = text;
  for (const { href, to } of rewrites) {
    const escaped = href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    rewritten = rewritten.replace(
      new RegExp(`(\\]\\(\\s*<?)${escaped}(>?(?:\\s+["'(][^)]*)?\\))`, 'g'),
      `$1${to}$2`,
    );
    rewritten = rewritten.replace(new RegExp(`^(\\s*\\[[^\\]]+\\]:\\s*<?)${escaped}(>?)`, 'gm'), `$1${to}$2`);
  }
  return { text: rewritten, rewrites };
}
