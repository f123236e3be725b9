import { describe, expect, test } from '@jest/globals';
import { checkActionSchema, checkWorkflowSchema } from '../src/index.js';

describe('checkWorkflowSchema', () => {
  test.each([
    {
      name: 'a correct workflow with current vocabulary',
      text: 'on: push\npermissions:\n  attestations: write\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    if: ${{ vars.X == 1 }}\n    steps:\n      - run: echo\n',
      expected: [],
    },
    {
      name: 'a bad permission level, an unknown key and a bad value',
      text: 'on: push\npermissions:\n  contents: red\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n    timeout-minutes: abc\n',
      expected: [
        [3, "Unexpected value 'red'"],
        [7, "Unexpected value 'stepz'"],
        [9, "Unexpected value 'abc'"],
      ],
    },
  ])('$name', ({ text, expected }) => {
    const findings = checkWorkflowSchema(text, 'w.yml');
    expect(findings.map((f) => [f.line, f.message])).toEqual(expected);
    expect(findings.every((f) => f.file === 'w.yml' && f.rule === 'github-schema')).toBe(true);
  });
});

describe('checkActionSchema', () => {
  test.each([
    {
      name: 'a node24 action',
      text: 'name: x\ndescription: y\nruns:\n  using: node24\n  main: dist/index.js\n',
      expected: [],
    },
    {
      name: 'an unknown runtime and a misspelt key',
      text: 'name: x\ndescription: y\nruns:\n  using: node99\n  mian: dist/index.js\n',
      expected: [4, 5],
    },
  ])('$name', ({ text, expected }) => {
    const lines = checkActionSchema(text, 'action.yml').map((f) => f.line);
    expect([...new Set(lines)].sort()).toEqual(expected);
  });
});
