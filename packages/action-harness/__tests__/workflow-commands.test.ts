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
      line: '::notice file=a%3Ab.py,line=3::50%25 done%0Aok',
      legacy: false,
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

describe('parseWorkflowCommands reads lines the way actions/runner does', () => {
  test.each([
    ['   ::warning::indented', 'warning', 'indented'],
    ['\u3000\u00a0::error::after Unicode blanks', 'error', 'after Unicode blanks'],
    ['::ERROR::upper case', 'error', 'upper case'],
    ['##[error]legacy', 'error', 'legacy'],
    ['text before ##[add-mask]hokusai', 'add-mask', 'hokusai'],
    ['##[set-env name=A;]b%3Bc', 'set-env', 'b;c'],
  ])('%j is a command', (line, command, message) => {
    const [parsed] = parseWorkflowCommands(`${line}\n`);
    expect(parsed).toMatchObject({ command, message });
  });
  test('a lone carriage return ends a line', () => {
    expect(parseWorkflowCommands('ok\r::error::x').map((c) => c.message)).toEqual(['x']);
  });
  test.each([
    '::unknown::x',
    'a ::error::x',
    '\u200b::error::x',
    '::error no end',
    '\\::error::x',
    '##\\[error]x',
  ])('%j is not a command', (line) => {
    expect(parseWorkflowCommands(line)).toEqual([]);
  });
  test('nothing between stop-commands and its token is acted on, unless asked for every line', () => {
    const text = '::stop-commands::tok123\n::error::hidden\n##[add-mask]x\n::tok123::\n::error::after';
    expect(parseWorkflowCommands(text).map((c) => c.command)).toEqual(['stop-commands', 'tok123', 'error']);
    expect(parseWorkflowCommands(text, { ignoreStopCommands: true }).map((c) => c.message)).toEqual([
      'tok123',
      'hidden',
      'x',
      'after',
    ]);
  });
});
