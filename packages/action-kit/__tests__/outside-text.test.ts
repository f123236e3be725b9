import { describe, expect, test } from '@jest/globals';
import { inertLine, inertText, looksLikeWorkflowCommand } from '../src/outside-text.js';

/** Lines that reach the runner as commands today when printed raw (each found in actions/runner's parser). */
const HOSTILE = [
  '::add-mask::hokusai',
  '::stop-commands::TOKEN',
  '::error::x',
  '   ::warning::x',
  '\t::notice title=t::x',
  '\u00a0\u2003::set-output name=a::b',
  '\u3000::save-state name=a::b',
  '::ERROR::upper case names count too',
  '##[error]x',
  'prefix text ##[add-mask]hokusai',
  '##[set-env name=NODE_OPTIONS;]--require x',
  'ok\n::error::after a newline',
  'ok\r::error::after a lone carriage return',
  'ok\r\n##[warning]after CRLF',
  'ok\u2028::error::after a line separator',
  '\u0085::error::after NEL',
  '\u200b::error::after a zero-width space',
  '\ufeff::error::after a BOM',
  '\u001b[31m::error::in colour\u001b[0m',
  '#\u200b#[error]split by an ignorable character',
  '::::',
  '###[error]x',
  '##[##[error]x',
];

describe('inertLine', () => {
  test.each(HOSTILE)('%j is no command, on one line', (text) => {
    const line = inertLine(text);
    expect(line).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
    expect(looksLikeWorkflowCommand(line)).toBe(false);
  });

  test.each([
    { text: '::add-mask::hokusai', shown: '\\::add-mask::hokusai' },
    { text: '   ::warning::x', shown: '   \\::warning::x' },
    { text: '##[error]x', shown: '##\\[error]x' },
    { text: 'a\nb\rc', shown: 'a\\nb\\rc' },
    { text: 'zero\u200bwidth', shown: 'zero\\u200bwidth' },
    { text: '\u001b[1;31mred\u001b[0m and \u001b[2Kerase', shown: 'red and \\x1b[2Kerase' },
    { text: 'tab\tkept', shown: 'tab\tkept' },
    { text: 'plain log line: 50% done [ok] a::b', shown: 'plain log line: 50% done [ok] a::b' },
    { text: 'Traceback (most recent call last):', shown: 'Traceback (most recent call last):' },
  ])('$text reads as $shown', ({ text, shown }) => {
    expect(inertLine(text)).toBe(shown);
  });
});

describe('inertText', () => {
  test('keeps lines, neutralises each', () => {
    expect(inertText('one\r\n::error::two\rthree\n##[group]four\n')).toBe(
      'one\n\\::error::two\nthree\n##\\[group]four',
    );
  });
  test.each(HOSTILE)('no line of %j is a command', (text) => {
    for (const line of inertText(text).split('\n')) expect(looksLikeWorkflowCommand(line)).toBe(false);
  });
});

describe('looksLikeWorkflowCommand', () => {
  test.each([
    ['::error::x', true],
    ['  ::debug::x', true],
    ['x ##[error]y', true],
    ['::no end', false],
    ['a ::error::x', false],
    ['##[no end', false],
  ])('%j -> %s', (line, expected) => {
    expect(looksLikeWorkflowCommand(line)).toBe(expected);
  });
});
