// actionsLogger and failStep are the only ways action code writes to the step log: whatever outside text they are
// given, no line they write is a workflow command the text made.
import { afterEach, describe, expect, test } from '@jest/globals';
import { actionsLogger } from '../src/logger.js';
import { failStep } from '../src/run.js';
import { looksLikeWorkflowCommand } from '../src/outside-text.js';

const HOSTILE = [
  '::add-mask::hokusai',
  '::stop-commands::TOKEN',
  '   ::warning::x',
  '##[error]x',
  'ok\n::error::x',
  'ok\r::error::x',
  'ok\u2028::error::x',
].join('\n');

/** What `fn` writes to stdout, line by line (the runner splits at \n, \r and \r\n). */
function stdoutOf(fn: () => void): string[] {
  const original = process.stdout.write.bind(process.stdout);
  let written = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = original;
  }
  return written.split(/\r\n|\r|\n/).filter((line) => line !== '');
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('actionsLogger writes outside text inert', () => {
  test.each([
    ['info', () => actionsLogger.info(HOSTILE)],
    ['debug', () => actionsLogger.debug(HOSTILE)],
    ['startGroup', () => actionsLogger.startGroup(HOSTILE)],
  ])('%s: only its own command, if any', (_name, write) => {
    const lines = stdoutOf(write);
    const commands = lines.filter(looksLikeWorkflowCommand);
    expect(commands.every((line) => /^::(debug|group)::/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('hokusai'))).toBe(true);
  });

  test.each([
    ['error', () => actionsLogger.error(HOSTILE, { title: '::error::t', file: 'a.py', line: 1 })],
    ['warning', () => actionsLogger.warning(HOSTILE)],
    ['notice', () => actionsLogger.notice(HOSTILE)],
    ['failStep', () => failStep(HOSTILE)],
  ])('%s: one annotation line, whose data holds the text escaped', (_name, write) => {
    const lines = stdoutOf(write);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::(error|warning|notice)( [^:]*)?::/);
    expect(lines[0]).toContain('\\::add-mask::hokusai');
    expect(lines[0]).toContain('##\\[error]x');
  });
});
