// Checks an action's action.yml against the suite's layout: name, a description the Marketplace accepts (under 125
// characters), author, branding with a Marketplace color, every input and output described, no expressions in
// defaults (the runner does not evaluate them for node actions), and a node24 entry point at dist/index.js that exists.
import type { Finding } from './findings.js';
import { YamlSource, entriesOf, hasKey, stringOf, valueAt } from './yaml-source.js';

export interface ActionMetadataContext {
  /** Path of the action.yml as it should appear in findings (e.g. `actions/ecr-push/action.yml`). */
  file: string;
  /** Whether a path relative to the action folder exists (injected so the rules stay pure). */
  exists: (relativePath: string) => boolean;
}

/**
 * The longest description the Marketplace publishes: its release form refuses one that is not "less than 125
 * characters" (the form's own message, quoted in public release notes of actions rejected at 128 and 131).
 */
export const MAX_DESCRIPTION_LENGTH = 124;
/** branding.color values of GitHub's metadata syntax for actions. */
export const BRANDING_COLORS = [
  'white',
  'black',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark',
];

export const EXPECTED_RUNTIME = 'node24';
export const EXPECTED_MAIN = 'dist/index.js';

export function lintActionMetadata(text: string, context: ActionMetadataContext): Finding[] {
  const { file } = context;
  const source = new YamlSource(text);
  if (source.syntaxErrors.length > 0) {
    return source.syntaxErrors.map((error) => ({
      file,
      line: error.line,
      message: error.message,
      rule: 'yaml',
    }));
  }
  const findings: Finding[] = [];
  const add = (line: number, message: string, rule = 'action-metadata') =>
    findings.push({ file, line, message, rule });
  const root = source.root;

  for (const key of ['name', 'description'] as const) {
    if (!stringOf(valueAt(root, key))?.trim())
      add(source.lineOf(valueAt(root, key) ?? root), `action has no ${key}`);
  }
  const description = stringOf(valueAt(root, 'description'));
  if (description && description.length > MAX_DESCRIPTION_LENGTH) {
    add(
      source.lineOf(valueAt(root, 'description')),
      `description is ${description.length} characters; the Marketplace takes less than 125 (shorten it)`,
    );
  }
  const author = stringOf(valueAt(root, 'author'));
  if (author !== 'hokusai')
    add(
      source.lineOf(valueAt(root, 'author') ?? root),
      `author is ${JSON.stringify(author ?? null)}, expected "hokusai"`,
    );
  const branding = valueAt(root, 'branding');
  if (!hasKey(branding, 'icon') || !hasKey(branding, 'color')) {
    add(
      source.lineOf(branding ?? root),
      'branding needs an icon and a color (the Marketplace listing shows them)',
    );
  } else {
    const color = stringOf(valueAt(branding, 'color')) ?? '';
    if (!BRANDING_COLORS.includes(color)) {
      add(
        source.lineOf(valueAt(branding, 'color')),
        `branding color "${color}" is not one the Marketplace knows (${BRANDING_COLORS.join(', ')})`,
      );
    }
  }

  for (const section of ['inputs', 'outputs'] as const) {
    for (const entry of entriesOf(valueAt(root, section))) {
      const noun = section === 'inputs' ? 'input' : 'output';
      if (!stringOf(valueAt(entry.value, 'description'))?.trim()) {
        add(source.lineOf(entry.keyNode), `${noun} "${entry.key}" has no description`);
      }
      const defaultNode = valueAt(entry.value, 'default');
      if (section === 'inputs' && defaultNode && source.sourceOf(defaultNode).includes('${{')) {
        add(
          source.lineOf(defaultNode),
          `input "${entry.key}" has an expression in its default: compute the default in src/inputs.ts instead`,
        );
      }
    }
  }

  const runs = valueAt(root, 'runs');
  const using = stringOf(valueAt(runs, 'using'));
  if (using !== EXPECTED_RUNTIME) {
    add(
      source.lineOf(valueAt(runs, 'using') ?? runs ?? root),
      `runs.using is ${JSON.stringify(using ?? null)}, expected "${EXPECTED_RUNTIME}"`,
    );
  }
  const main = stringOf(valueAt(runs, 'main'));
  if (main !== EXPECTED_MAIN) {
    add(
      source.lineOf(valueAt(runs, 'main') ?? runs ?? root),
      `runs.main is ${JSON.stringify(main ?? null)}, expected "${EXPECTED_MAIN}"`,
    );
  } else if (!context.exists(main)) {
    add(
      source.lineOf(valueAt(runs, 'main')),
      `runs.main ${main} does not exist: run "pnpm build" and commit dist/`,
    );
  }
  return findings;
}
