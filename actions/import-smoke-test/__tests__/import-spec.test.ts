import { describe, expect, test } from '@jest/globals';
import { harnessArguments, parseImportLine, parseImports, type ImportStep } from '../src/import-spec.js';

describe('parseImportLine accepts import statements and references', () => {
  test.each<{ name: string; input: string; expected: ImportStep[] }>([
    {
      name: 'from-import (the incident plan)',
      input: 'from src.api.main import app',
      expected: [{ kind: 'from', module: 'src.api.main', name: 'app' }],
    },
    {
      name: 'from-import of several names with an alias',
      input: 'from src.api.main import app,  router as r',
      expected: [
        { kind: 'from', module: 'src.api.main', name: 'app' },
        { kind: 'from', module: 'src.api.main', name: 'router' },
      ],
    },
    {
      name: 'parenthesised names with a trailing comma',
      input: 'from pkg import (a, b,)',
      expected: [
        { kind: 'from', module: 'pkg', name: 'a' },
        { kind: 'from', module: 'pkg', name: 'b' },
      ],
    },
    {
      name: 'parentheses right after import',
      input: 'from pkg import(a)',
      expected: [{ kind: 'from', module: 'pkg', name: 'a' }],
    },
    { name: 'star import', input: 'from pkg.mod import *', expected: [{ kind: 'star', module: 'pkg.mod' }] },
    {
      name: 'import statement',
      input: 'import src.worker',
      expected: [{ kind: 'module', module: 'src.worker' }],
    },
    {
      name: 'import of several modules with aliases',
      input: 'import a.b as ab, c',
      expected: [
        { kind: 'module', module: 'a.b' },
        { kind: 'module', module: 'c' },
      ],
    },
    { name: 'a bare module', input: 'src.api.main', expected: [{ kind: 'module', module: 'src.api.main' }] },
    {
      name: 'module:attribute',
      input: 'src.api.main:app',
      expected: [{ kind: 'attribute', module: 'src.api.main', attribute: 'app' }],
    },
    {
      name: 'module:dotted.attribute with spaces around the colon',
      input: 'src.api.main : app.router',
      expected: [{ kind: 'attribute', module: 'src.api.main', attribute: 'app.router' }],
    },
    {
      name: 'non-ASCII identifiers',
      input: 'from café.modèle import données',
      expected: [{ kind: 'from', module: 'café.modèle', name: 'données' }],
    },
    {
      name: 'soft keywords are names',
      input: 'from match.case import type',
      expected: [{ kind: 'from', module: 'match.case', name: 'type' }],
    },
    {
      name: 'surrounding whitespace',
      input: '  import   os  ',
      expected: [{ kind: 'module', module: 'os' }],
    },
  ])('$name', ({ input, expected }) => {
    expect(parseImportLine(input)?.steps).toEqual(expected);
  });
});

describe('parseImportLine rejects anything that is not an import', () => {
  test.each([
    { name: 'a statement after a semicolon', input: 'import os; os.system("id")' },
    { name: 'a call', input: '__import__("os").system("id")' },
    { name: 'an expression reference', input: 'src.api.main:create_app()' },
    { name: 'a relative import', input: 'from . import app' },
    { name: 'a relative module', input: 'from .api import app' },
    { name: 'a keyword as a module', input: 'import class' },
    { name: 'a keyword as a name', input: 'from pkg import def' },
    { name: 'a leading dot', input: '.pkg' },
    { name: 'a trailing dot', input: 'pkg.' },
    { name: 'a digit first', input: 'import 1pkg' },
    { name: 'a dash', input: 'import my-package' },
    { name: 'a trailing comma without parentheses', input: 'from pkg import a,' },
    { name: 'an empty name list', input: 'from pkg import ()' },
    { name: 'a dotted from-import name', input: 'from pkg import a.b' },
    { name: 'two colons', input: 'pkg:a:b' },
    { name: 'import glued to the name', input: 'from pkg importa' },
    { name: 'exec', input: 'exec("import os")' },
    { name: 'a shell command', input: '$(curl evil)' },
    { name: 'an option', input: '--help' },
    { name: 'a newline inside an alias', input: 'import a as' },
  ])('$name', ({ input }) => {
    expect(parseImportLine(input)).toBeUndefined();
  });
});

describe('parseImports', () => {
  test('drops blank lines, comments and duplicates, keeps the order', () => {
    const specs = parseImports(
      'from src.api.main import app\n\n# workers\nsrc.worker:run\nfrom src.api.main import app\n',
    );
    expect(specs.map((s) => s.text)).toEqual(['from src.api.main import app', 'src.worker:run']);
  });

  test.each([
    {
      name: 'a bad line names the input and quotes the line',
      input: 'src.ok\nimport os; os.system("id")',
      error:
        'invalid import "import os; os.system(\\"id\\")" in input "imports": expected an import statement',
    },
    { name: 'only comments', input: '# nothing\n', error: 'input "imports" names no import' },
  ])('$name', ({ input, error }) => {
    expect(() => parseImports(input)).toThrow(error);
  });
});

describe('harnessArguments', () => {
  test.each<{ name: string; steps: ImportStep[]; expected: string[] }>([
    { name: 'module', steps: [{ kind: 'module', module: 'a.b' }], expected: ['M=a.b'] },
    { name: 'from', steps: [{ kind: 'from', module: 'a.b', name: 'c' }], expected: ['F=a.b=c'] },
    { name: 'star', steps: [{ kind: 'star', module: 'a' }], expected: ['S=a'] },
    {
      name: 'attribute',
      steps: [{ kind: 'attribute', module: 'a', attribute: 'b.c' }],
      expected: ['A=a=b.c'],
    },
  ])('$name', ({ steps, expected }) => {
    expect(harnessArguments(steps)).toEqual(expected);
  });
});
