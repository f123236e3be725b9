// Outside text written to be executed by the runner, for end-to-end injection tests (issue 12): each line, if it
// reached stdout raw, would be a workflow command; every injected command's message starts with INJECTED (or is
// the mask `hokusai`), so no command an action writes itself can be mistaken for one.
import type { ActionRun } from './run-action.js';
import type { WorkflowCommand } from './workflow-commands.js';

/** One hostile line each; several hold line breaks the runner would split at. */
export const HOSTILE_LINES = [
  '::add-mask::hokusai',
  '::stop-commands::INJECTEDTOKEN',
  '::error::INJECTED-1',
  '   ::warning::INJECTED-2',
  '##[error]INJECTED-3',
  'text before ##[add-mask]hokusai',
  'ok\n::error::INJECTED-4',
  'ok\r::notice::INJECTED-5',
  'ok\u2028::error::INJECTED-6',
  '\u3000::set-output name=result::INJECTED-7',
  '::ERROR title=x::INJECTED-8',
  '\u001b[31m::error::INJECTED-9\u001b[0m',
  '\u200b::error::INJECTED-10',
  '$(touch /tmp/hokusai-injected) `touch /tmp/hokusai-injected` ${{ github.token }}',
] as const;

/** The hostile lines as one block of text. */
export const HOSTILE_TEXT = HOSTILE_LINES.join('\n');

/**
 * The commands in `run`'s stdout and stderr that outside text formed (stop-commands windows ignored): a
 * stop-commands, a mask of `hokusai`, or any command whose message starts with INJECTED. Empty when the action
 * kept every hostile line inert.
 */
export function injectedCommands(run: ActionRun): WorkflowCommand[] {
  return run.commandLines.filter(
    (c) =>
      c.command === 'stop-commands' ||
      c.message.startsWith('INJECTED') ||
      (c.command === 'add-mask' && c.message === 'hokusai') ||
      Object.values(c.properties).some((v) => v.startsWith('INJECTED')),
  );
}
