// Static check of a bundle (dist/index.js): every module or file it loads by a literal name must be a Node
// built-in or a file inside dist/. A path that climbs out of dist/ (`../../packages/...`), an absolute path, or a
// workspace package (`@hokusai/...`) would work in the monorepo and break in the published repository.
import { builtinModules } from 'node:module';
import path from 'node:path';

export interface BundleReference {
  specifier: string;
  /** How it is loaded: require, import, static import, createRequire, new URL. */
  via: string;
}

export interface OutsideReference extends BundleReference {
  problem: string;
}

const PATTERNS: { via: string; pattern: RegExp }[] = [
  { via: 'require', pattern: /\brequire\(\s*(["'`])([^"'`\n]+)\1\s*\)/g },
  { via: 'import()', pattern: /\bimport\(\s*(["'`])([^"'`\n]+)\1\s*\)/g },
  { via: 'createRequire', pattern: /\(import\.meta\.url\)\(\s*(["'`])([^"'`\n]+)\1\s*\)/g },
  { via: 'static import', pattern: /\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?(["'])([^"'\n]+)\1/g },
  { via: 'new URL', pattern: /\bnew URL\(\s*(["'`])([^"'`\n]+)\1\s*,\s*import\.meta\.url\s*\)/g },
];

const BUILTINS = new Set(builtinModules);

/** What a module specifier or file path looks like; minified code also has `import"` inside ordinary strings. */
const SPECIFIER = /^[\w@.~/][\w@.~/:+-]*$/;

export function bundleReferences(bundle: string): BundleReference[] {
  const found: BundleReference[] = [];
  for (const { via, pattern } of PATTERNS) {
    for (const match of bundle.matchAll(pattern)) {
      if (SPECIFIER.test(match[2]!)) found.push({ specifier: match[2]!, via });
    }
  }
  return found;
}

/**
 * The references of `bundle` (the text of dist/index.js) that reach outside dist/. `distFiles` are the files of
 * dist/ relative to it (e.g. `index.js`, `worker.py`): a relative reference must name one of them.
 */
export function findOutsideReferences(bundle: string, distFiles: readonly string[]): OutsideReference[] {
  const inside = new Set(distFiles.map((file) => path.posix.normalize(file)));
  const problems: OutsideReference[] = [];
  for (const reference of bundleReferences(bundle)) {
    const problem = classify(reference.specifier, inside);
    if (problem) problems.push({ ...reference, problem });
  }
  // A path of the monorepo in any string is a sign of a file read at run time that the bundler did not see.
  for (const match of bundle.matchAll(/(?:\.\.\/)+(?:packages|actions)\/[\w@./-]+/g)) {
    if (!problems.some((p) => p.specifier === match[0])) {
      problems.push({ specifier: match[0], via: 'string', problem: 'names a path of the monorepo' });
    }
  }
  return problems;
}

function classify(specifier: string, inside: Set<string>): string | undefined {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return undefined;
  if (specifier.startsWith('file:') || path.posix.isAbsolute(specifier)) return 'absolute path';
  if (specifier === '.' || specifier.startsWith('./') || specifier.startsWith('../')) {
    const resolved = path.posix.normalize(path.posix.join('.', specifier));
    if (resolved === '..' || resolved.startsWith('../')) return 'climbs out of dist/';
    if (resolved === '.' || specifier.endsWith('/')) return undefined; // the folder itself (ncc's __dirname shim)
    return inside.has(resolved) || inside.has(`${resolved}.js`) ? undefined : 'not in dist/';
  }
  if (specifier.startsWith('@hokusai/')) return 'workspace package not bundled';
  // Other bare names are optional dependencies the bundled code loads inside try/catch (e.g. the AWS SDK's
  // @aws-sdk/signature-v4-crt); the runtime test proves the bundle runs without them.
  return undefined;
}
