import { expect, test } from '@jest/globals';
import { parseMypyOutput } from '../src/mypy-output.js';

// Output of mypy 1.0.1 with --show-column-numbers --show-error-codes --no-error-summary (Debian's python3-mypy).
const OUTPUT = [
  'src/services/model_registry.py:12:16: error: Incompatible return value type (got "int", expected "str")  [return-value]',
  'src/api/main.py:4:3: error: Argument 1 to "load" has incompatible type "str"; expected "int"  [arg-type]',
  'src/api/main.py:4:3: note: See https://mypy.rtfd.io/en/stable/_refs.html#code-arg-type for more info',
  'src/api/main.py:9:1: note: Revealed type is "builtins.int"',
  'src/old.py:3: error: Name "x" is not defined',
  'scripts/a b.py:1:1: error: Cannot find implementation or library stub for module named "boto3"  [import]',
  'Found 4 errors in 4 files (checked 9 source files)',
].join('\n');

test('errors with position and code; a note on the same line joins its error; other lines ignored', () => {
  expect(parseMypyOutput(OUTPUT)).toEqual([
    {
      file: 'src/services/model_registry.py',
      line: 12,
      column: 16,
      message: 'Incompatible return value type (got "int", expected "str")',
      code: 'return-value',
    },
    {
      file: 'src/api/main.py',
      line: 4,
      column: 3,
      message:
        'Argument 1 to "load" has incompatible type "str"; expected "int"\nSee https://mypy.rtfd.io/en/stable/_refs.html#code-arg-type for more info',
      code: 'arg-type',
    },
    { file: 'src/old.py', line: 3, message: 'Name "x" is not defined' },
    {
      file: 'scripts/a b.py',
      line: 1,
      column: 1,
      message: 'Cannot find implementation or library stub for module named "boto3"',
      code: 'import',
    },
  ]);
});

test('Windows line ends and an empty output', () => {
  expect(parseMypyOutput('a.py:1:1: error: x  [misc]\r\n')).toEqual([
    { file: 'a.py', line: 1, column: 1, message: 'x', code: 'misc' },
  ]);
  expect(parseMypyOutput('')).toEqual([]);
});
