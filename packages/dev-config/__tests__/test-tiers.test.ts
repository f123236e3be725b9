// The test-tier naming rule (CONTRIBUTING.md): a test file that needs a component beyond `pnpm install` says so in
// its name, so `pnpm test:unit` (everything else) runs on a machine with only Node and the locked dependencies.
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...testFiles(full));
    else if (name.endsWith('.test.ts') && full.includes(`${path.sep}__tests__${path.sep}`)) found.push(full);
  }
  return found;
}

/** What a file's code needs, by the harness functions it calls; the order is the rule's precedence. */
const NEEDS: Array<{ tier: string; pattern: RegExp }> = [
  { tier: 'docker', pattern: /\b(requireDocker|requirePythonBaseImage|startRegistry)\(/ },
  { tier: 'moto', pattern: /\bstartMoto\(/ },
  { tier: 'python', pattern: /\bfindPythons\(/ },
  { tier: 'e2e', pattern: /\brunAction\(/ },
];
const TIERS = ['docker', 'moto', 'python', 'e2e'];

function tierOf(file: string): string {
  const match = /\.(docker|moto|python|e2e)\.test\.ts$/.exec(file);
  return match ? match[1]! : 'unit';
}

/** The tier a file must at least be in: the first need in precedence order, or unit. */
function requiredTier(source: string): string {
  return NEEDS.find((n) => n.pattern.test(source))?.tier ?? 'unit';
}

describe('test-tier naming', () => {
  const files = [...testFiles(path.join(root, 'actions')), ...testFiles(path.join(root, 'packages'))];

  test('finds the repository’s tests', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  test('the rule reads names and needs as documented', () => {
    expect(tierOf('a/__tests__/x.docker.test.ts')).toBe('docker');
    expect(tierOf('a/__tests__/x.test.ts')).toBe('unit');
    expect(requiredTier('await startMoto();\nawait runAction({})')).toBe('moto');
    expect(requiredTier('const r = await runAction({})')).toBe('e2e');
    expect(requiredTier('parse("x")')).toBe('unit');
  });

  /** The file's code and that of the local helpers it imports (`./x.js` beside it), one level deep. */
  const codeOf = (file: string): string => {
    const source = readFileSync(file, 'utf8');
    const helpers = [...source.matchAll(/from '\.\/([\w-]+)\.js'/g)]
      .map((m) => path.join(path.dirname(file), `${m[1]}.ts`))
      .filter((helper) => {
        try {
          return statSync(helper).isFile();
        } catch {
          return false;
        }
      });
    return [source, ...helpers.map((h) => readFileSync(h, 'utf8'))].join('\n');
  };

  test('every test file that needs docker, moto, python or a bundled action is named for a tier', () => {
    const misnamed: string[] = [];
    for (const file of files) {
      if (file === fileURLToPath(import.meta.url)) continue; // this file names the needs it looks for
      const needed = requiredTier(codeOf(file));
      const named = tierOf(file);
      if (needed !== 'unit' && named === 'unit')
        misnamed.push(`${path.relative(root, file)} needs ${needed} but is named for the unit tier`);
      if (needed !== 'unit' && named !== 'unit' && TIERS.indexOf(named) > TIERS.indexOf(needed))
        misnamed.push(`${path.relative(root, file)} needs ${needed} but is named .${named}.`);
    }
    expect(misnamed).toEqual([]);
  });
});
