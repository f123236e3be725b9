// Glob patterns for the `paths` and `exclude` inputs, matched against workspace-relative POSIX paths:
// `*` and `?` stay within one path segment, `**` spans segments, `[abc]`/`[!abc]` classes, `{a,b}` alternatives.

const MAGIC = /[*?[\]{}]/;

export function hasGlobMagic(text: string): boolean {
  return MAGIC.test(text);
}

/** `./src/` -> `src`, `a//b` -> `a/b`, Windows separators to POSIX. */
export function normalizeRelative(text: string): string {
  const parts = text
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  return parts.join('/');
}

/** The leading segments without glob characters: where to start walking for a glob. `''` is the workspace. */
export function staticBase(pattern: string): string {
  const segments = normalizeRelative(pattern).split('/');
  const base: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (hasGlobMagic(segment)) break;
    base.push(segment);
  }
  return base.join('/');
}

export function globToRegExp(pattern: string): RegExp {
  const glob = normalizeRelative(pattern);
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          if (i + 2 === glob.length) {
            out += '.*';
          } else {
            out += '(?:[^/]*/)*';
            i++; // the slash after ** is part of the group
          }
          i++;
          continue;
        }
        i++; // `a**b` means the same as `a*b`
      }
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      body = body.replace(/\\/g, '\\\\').replace(/\[/g, '\\[');
      out += negate ? `[^/${body}]` : `(?!/)[${body}]`;
      i = close;
    } else if (c === '{') {
      braceDepth++;
      out += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (c === ',' && braceDepth > 0) {
      out += '|';
    } else {
      out += c.replace(/[.+^$()|\\{}\]]/g, '\\$&');
    }
  }
  out += ')'.repeat(braceDepth);
  return new RegExp(`^${out}$`);
}

/** The exclusion rule set: a path is excluded when a pattern matches it, or — for a pattern without a slash —
 * its last segment (so `tests` or `*_pb2.py` exclude at any depth, as in .gitignore). */
export class PathFilter {
  private readonly full: RegExp[];
  private readonly name: RegExp[];

  constructor(patterns: string[]) {
    const cleaned = patterns.map((p) => p.trim().replace(/\/+$/, '')).filter((p) => p !== '');
    this.full = cleaned.map(globToRegExp);
    this.name = cleaned.filter((p) => !normalizeRelative(p).includes('/')).map(globToRegExp);
  }

  matches(relativePath: string): boolean {
    const basename = relativePath.slice(relativePath.lastIndexOf('/') + 1);
    return this.full.some((re) => re.test(relativePath)) || this.name.some((re) => re.test(basename));
  }
}
