// Property: on files the tests have never seen — real standard-library modules with random characters deleted,
// inserted or swapped (seeded, so a failure replays) — the pool's verdict equals each interpreter's own.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPythons } from '@hokusai/action-harness';
import { compileFiles, type CompileTarget } from '../src/compile-pool.js';
import { oracleVerdict, verdictOf } from './python-oracle.js';

const SEED = Number(process.env.PSC_FUZZ_SEED ?? 20261126);
const MUTANTS = 60;

/** mulberry32: a tiny seeded PRNG, so the same seed gives the same mutants on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '.',
  '=',
  ' ',
  '\t',
  '\n',
  '\\',
  "'",
  '"',
  '#',
  '@',
  '*',
  '**',
  'def ',
  'lambda ',
  'return ',
  'yield ',
  'await ',
  'nonlocal x\n',
  'global y\n',
  'match ',
  'case ',
  ':=',
  'f"{',
  '"""',
  '\0',
  '\r',
].map((s) => Buffer.from(s, 'utf8'));
const RAW_BYTES = [0xff, 0xe9, 0xc3, 0x80, 0xef, 0xbb, 0xbf];

function mutate(source: Buffer, random: () => number): Buffer {
  let bytes = source;
  const operations = 1 + Math.floor(random() * 3);
  for (let i = 0; i < operations; i++) {
    const at = Math.floor(random() * (bytes.length + 1));
    const choice = random();
    if (choice < 0.35 && bytes.length > 0) {
      const length = 1 + Math.floor(random() * 3);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]);
    } else if (choice < 0.85) {
      const insert = INSERTS[Math.floor(random() * INSERTS.length)]!;
      bytes = Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]);
    } else if (choice < 0.95) {
      const raw = Buffer.from([RAW_BYTES[Math.floor(random() * RAW_BYTES.length)]!]);
      bytes = Buffer.concat([bytes.subarray(0, at), raw, bytes.subarray(at)]);
    } else {
      // Re-indent a line by one space: the commonest hand-made indentation slip.
      const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
      bytes = Buffer.concat([bytes.subarray(0, lineStart), Buffer.from(' '), bytes.subarray(lineStart)]);
    }
  }
  return bytes;
}

const pythons = findPythons('3.8', '3.13');
const stdlib = (() => {
  const p = pythons.find((x) => x.minor === '3.11') ?? pythons[0]!;
  return path.join(path.dirname(path.dirname(p.executable)), 'lib', `python${p.minor}`);
})();

let dir: string;
let targets: CompileTarget[];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'psc-mutants-'));
  const random = rng(SEED);
  const seeds = readdirSync(stdlib)
    .filter((name) => name.endsWith('.py'))
    .sort()
    .filter((name) => {
      const size = statSync(path.join(stdlib, name)).size;
      return size > 500 && size < 12_000;
    });
  expect(seeds.length).toBeGreaterThan(20);
  targets = [];
  for (let i = 0; i < MUTANTS; i++) {
    const seedFile = seeds[Math.floor(random() * seeds.length)]!;
    const name = `mutant_${String(i).padStart(3, '0')}_${seedFile}`;
    const bytes = mutate(readFileSync(path.join(stdlib, seedFile)), random);
    writeFileSync(path.join(dir, name), bytes);
    targets.push({ path: name, size: bytes.length });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(pythons.map((p) => [p.version, p] as const))(
  'mutated stdlib modules on Python %s',
  (_v, python) => {
    test(`the pool's verdict equals the interpreter's on ${MUTANTS} mutants (seed ${SEED})`, async () => {
      const result = await compileFiles(targets, { python: python.executable, cwd: dir, workers: 2 });
      const byPath = new Map(result.failures.map((f) => [f.path, f]));
      let rejected = 0;
      for (const { path: file } of targets) {
        const expected = oracleVerdict(python.executable, dir, file);
        if (expected !== null) rejected++;
        expect({ file, verdict: verdictOf(byPath.get(file)) }).toEqual({ file, verdict: expected });
      }
      // The mutations must produce both verdicts, or this property says nothing.
      expect(rejected).toBeGreaterThan(5);
      expect(rejected).toBeLessThan(MUTANTS);
    });
  },
);
