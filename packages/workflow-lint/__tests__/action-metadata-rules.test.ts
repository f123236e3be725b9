import { describe, expect, test } from '@jest/globals';
import { lintActionMetadata } from '../src/action-metadata-rules.js';

const GOOD = `name: Example
description: Does one thing well.
author: hokusai
branding:
  icon: check-circle
  color: green
inputs:
  paths:
    description: What to check.
    default: .
  python:
    description: Interpreter.
    required: false
outputs:
  error-count:
    description: How many errors.
runs:
  using: node24
  main: dist/index.js
`;

const present = () => true;

const cases: { name: string; text: string; exists?: (p: string) => boolean; expected: [number, string][] }[] =
  [
    { name: 'a complete action.yml passes', text: GOOD, expected: [] },
    {
      name: 'missing description',
      text: GOOD.replace('description: Does one thing well.\n', ''),
      expected: [[1, 'action has no description']],
    },
    {
      name: 'a description of 124 characters passes',
      text: GOOD.replace('Does one thing well.', 'x'.repeat(124)),
      expected: [],
    },
    {
      name: 'a description of 125 characters is refused, folded scalar too',
      text: GOOD.replace(
        'description: Does one thing well.',
        `description: >-\n  ${'x'.repeat(60)}\n  ${'y'.repeat(64)}`,
      ),
      expected: [[2, 'description is 125 characters; the Marketplace takes less than 125']],
    },
    {
      name: 'a branding color the Marketplace does not know',
      text: GOOD.replace('color: green', 'color: teal'),
      expected: [[6, 'branding color "teal" is not one the Marketplace knows']],
    },
    {
      name: 'empty name',
      text: GOOD.replace('name: Example', "name: ''"),
      expected: [[1, 'action has no name']],
    },
    {
      name: 'wrong author',
      text: GOOD.replace('author: hokusai', 'author: someone'),
      expected: [[3, 'author is "someone", expected "hokusai"']],
    },
    {
      name: 'branding without a color',
      text: GOOD.replace('  color: green\n', ''),
      expected: [[5, 'branding needs an icon and a color']],
    },
    {
      name: 'input without a description',
      text: GOOD.replace('    description: Interpreter.\n', ''),
      expected: [[11, 'input "python" has no description']],
    },
    {
      name: 'output without a description',
      text: GOOD.replace('    description: How many errors.\n', '    value: x\n'),
      expected: [[15, 'output "error-count" has no description']],
    },
    {
      name: 'expression in a default',
      text: GOOD.replace('default: .', 'default: ${{ github.workspace }}'),
      expected: [[10, 'input "paths" has an expression in its default']],
    },
    {
      name: 'node20 runtime',
      text: GOOD.replace('using: node24', 'using: node20'),
      expected: [[18, 'runs.using is "node20", expected "node24"']],
    },
    {
      name: 'composite action',
      text: GOOD.replace('  using: node24\n  main: dist/index.js\n', '  using: composite\n  steps: []\n'),
      expected: [
        [18, 'runs.using is "composite", expected "node24"'],
        [18, 'runs.main is null, expected "dist/index.js"'],
      ],
    },
    {
      name: 'main elsewhere',
      text: GOOD.replace('main: dist/index.js', 'main: lib/main.js'),
      expected: [[19, 'runs.main is "lib/main.js", expected "dist/index.js"']],
    },
    {
      name: 'dist/index.js not built',
      text: GOOD,
      exists: (p) => p !== 'dist/index.js',
      expected: [[19, 'runs.main dist/index.js does not exist']],
    },
    {
      name: 'invalid YAML',
      text: 'name: x\ndescription: "unterminated\n',
      expected: [[3, '']],
    },
  ];

describe('lintActionMetadata', () => {
  test.each(cases)('$name', ({ text, exists, expected }) => {
    const findings = lintActionMetadata(text, { file: 'actions/x/action.yml', exists: exists ?? present });
    expect(findings).toHaveLength(expected.length);
    expected.forEach(([line, message], i) => {
      expect(findings[i]!.file).toBe('actions/x/action.yml');
      expect(findings[i]!.message).toContain(message);
      expect(findings[i]!.line).toBe(line);
    });
  });
});
