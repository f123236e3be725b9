import { describe, expect, test } from '@jest/globals';
import { lastExceptionLine } from '../src/log-tail.js';

const SYNTAX = [
  'INFO:     Started server process [1]',
  'Traceback (most recent call last):',
  '  File "/app/src/main.py", line 4, in <module>',
  '    from services.model_registry import ModelRegistry',
  '  File "/app/src/services/model_registry.py", line 26',
  '    def register(self, name',
  '                           ^',
  'SyntaxError: invalid syntax',
];

const cases: Array<{ name: string; input: string[]; expected: string | undefined }> = [
  {
    name: 'syntax error gets its file and line back',
    input: SYNTAX,
    expected: 'SyntaxError: invalid syntax (model_registry.py, line 26)',
  },
  {
    name: 'syntax error that already carries a location',
    input: ['SyntaxError: invalid syntax (model_registry.py, line 26)'],
    expected: 'SyntaxError: invalid syntax (model_registry.py, line 26)',
  },
  {
    name: 'indentation error',
    input: ['  File "/app/x.py", line 3', '    return 1', '    ^', 'IndentationError: unexpected indent'],
    expected: 'IndentationError: unexpected indent (x.py, line 3)',
  },
  {
    name: 'module not found',
    input: [
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 1, in <module>',
      "ModuleNotFoundError: No module named 'mlflow'",
    ],
    expected: "ModuleNotFoundError: No module named 'mlflow'",
  },
  {
    name: 'dotted exception class',
    input: ['sqlalchemy.exc.OperationalError: could not connect', 'shutting down'],
    expected: 'sqlalchemy.exc.OperationalError: could not connect',
  },
  {
    name: 'last exception wins',
    input: ['KeyError: a', 'During handling...', 'RuntimeError: boom'],
    expected: 'RuntimeError: boom',
  },
  {
    name: 'no exception: last non-blank line',
    input: ['starting', 'listening on :8000', '', '  '],
    expected: 'listening on :8000',
  },
  { name: 'empty', input: [], expected: undefined },
  { name: 'a bare SystemExit', input: ['SystemExit'], expected: 'SystemExit' },
];

describe('lastExceptionLine', () => {
  test.each(cases)('$name', ({ input, expected }) => {
    expect(lastExceptionLine(input)).toBe(expected);
  });
});
