import { describe, expect, test } from '@jest/globals';
import { bundleReferences, findOutsideReferences } from '../src/bundle-references.js';

const DIST = ['index.js', 'package.json', 'licenses.txt', 'worker.py', 'sub/helper.js'];

describe('findOutsideReferences', () => {
  test.each([
    { name: 'built-ins by node: name', bundle: 'const a=t(import.meta.url)("node:fs");', expected: [] },
    {
      name: 'built-ins by bare name',
      bundle: 'require("fs");import{createRequire as t}from"module";',
      expected: [],
    },
    { name: "ncc's __dirname shim", bundle: 'var d=new URL(".",import.meta.url).pathname;', expected: [] },
    { name: 'a file shipped in dist/', bundle: 'new URL("./worker.py",import.meta.url)', expected: [] },
    { name: 'a module in a dist/ subfolder', bundle: 'require("./sub/helper")', expected: [] },
    {
      name: 'an optional dependency loaded in try/catch is allowed',
      bundle: 'try{require("@aws-sdk/signature-v4-crt")}catch{}',
      expected: [],
    },
    {
      name: 'a require climbing into the monorepo',
      bundle: 'const k=require("../../packages/action-kit/src/index.js");',
      expected: [['../../packages/action-kit/src/index.js', 'require', 'climbs out of dist/']],
    },
    {
      name: 'a dynamic import of a sibling folder',
      bundle: 'await import("../src/core.js")',
      expected: [['../src/core.js', 'import()', 'climbs out of dist/']],
    },
    {
      name: 'a static import of a workspace package',
      bundle: 'import{run}from"@hokusai/action-kit";',
      expected: [['@hokusai/action-kit', 'static import', 'workspace package not bundled']],
    },
    {
      name: 'an absolute path',
      bundle: 'x(import.meta.url)("/work/main/packages/aws-kit/src/index.ts")',
      expected: [['/work/main/packages/aws-kit/src/index.ts', 'createRequire', 'absolute path']],
    },
    {
      name: 'an asset the bundler did not copy',
      bundle: 'readFileSync(new URL("./compile_worker.py",import.meta.url))',
      expected: [['./compile_worker.py', 'new URL', 'not in dist/']],
    },
    {
      name: 'a monorepo path in a string read at run time',
      bundle: 'readFileSync(join(__dirname,"../../../packages/ecs-kit/schema.json"))',
      expected: [['../../../packages/ecs-kit/schema.json', 'string', 'names a path of the monorepo']],
    },
  ])('$name', ({ bundle, expected }) => {
    expect(findOutsideReferences(bundle, DIST).map((r) => [r.specifier, r.via, r.problem])).toEqual(expected);
  });
});

test('text that only looks like an import is not a reference', () => {
  const bundle = 'const k=["import","/tmp"];t.info(`import ${e}`);x="import "+"/etc/passwd is not loaded"';
  expect(bundleReferences(bundle)).toEqual([]);
  expect(findOutsideReferences(bundle, DIST)).toEqual([]);
});

test('bundleReferences finds every literal way a bundle loads something', () => {
  const bundle =
    'import{createRequire as t}from"module";const r=t(import.meta.url);r("x");t(import.meta.url)("node:fs");' +
    'require("a");import("b");new URL("./c",import.meta.url)';
  expect(bundleReferences(bundle).map((r) => `${r.via}:${r.specifier}`)).toEqual([
    'require:a',
    'import():b',
    'createRequire:node:fs',
    'static import:module',
    'new URL:./c',
  ]);
});
