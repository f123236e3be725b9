import { describe, expect, test } from '@jest/globals';
import {
  maskLog,
  parseFileCommands,
  parseWorkflowCommands,
  annotationsOf,
} from '../src/workflow-commands.js';

describe('parseFileCommands', () => {
  test.each([
    { name: 'plain', text: 'a=1\nb=x=y\n', expected: { a: '1', b: 'x=y' } },
    {
      name: 'heredoc',
      text: 'r<<EOF_1\nline 1\n\nline 3\nEOF_1\nz=2\n',
      expected: { r: 'line 1\n\nline 3', z: '2' },
    },
    { name: 'empty heredoc', text: 'e<<D\nD\n', expected: { e: '' } },
    { name: 'later wins', text: 'a=1\na=2\n', expected: { a: '2' } },
  ])('$name', ({ text, expected }) => {
    expect(parseFileCommands(text)).toEqual(expected);
  });
  test('an unterminated block is an error, not a silent truncation', () => {
    expect(() => parseFileCommands('r<<D\nvalue\n')).toThrow('unterminated r<<D block');
  });
});

describe('parseWorkflowCommands', () => {
  test('properties and message are unescaped', () => {
    const [command] = parseWorkflowCommands('noise\n::notice file=a%3Ab.py,line=3::50%25 done%0Aok\n');
    expect(command).toEqual({
      command: 'notice',
      properties: { file: 'a:b.py', line: '3' },
      message: '50% done\nok',
    });
    expect(annotationsOf([command!])).toEqual([
      { level: 'notice', file: 'a:b.py', line: 3, message: '50% done\nok' },
    ]);
  });
  test('group and debug commands are not annotations', () => {
    const commands = parseWorkflowCommands('::group::Logs\n::debug::x\n::endgroup::\n');
    expect(commands.map((c) => c.command)).toEqual(['group', 'debug', 'endgroup']);
    expect(annotationsOf(commands)).toEqual([]);
  });
});

describe('maskLog', () => {
  test('longest secret first, every occurrence', () => {
    expect(maskLog('abc abcdef abc', ['abc', 'abcdef', ''])).toBe('*** *** ***');
  });
});
