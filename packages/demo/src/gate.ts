// Acts 1 and 4 start here: python-syntax-check on a commit of the example API, as the deploy workflow's gate job runs it.
import { runAction } from '@hokusai/action-harness';
import type { Narrator } from './narrator.js';
import type { Commit } from './workspace.js';

/** Runs the syntax gate; true when it passed. */
export async function syntaxGate(narrator: Narrator, commit: Commit): Promise<boolean> {
  const run = await narrator.step('python-syntax-check', () =>
    runAction({
      action: 'python-syntax-check',
      workspace: commit.dir,
      inputs: { paths: 'src', python: 'python3' },
    }),
  );
  narrator.keep(`python-syntax-check on ${commit.label}`, run);
  await run.cleanup();
  for (const a of run.annotations.filter((x) => x.level === 'error')) {
    const where = a.file ? `${a.file}:${a.line ?? 1}${a.col ? `:${a.col}` : ''} ` : '';
    narrator.bad(`::error:: ${where}${a.title ? `${a.title}: ` : ''}${a.message}`);
  }
  const checked = run.outputs['files-checked'] ?? '?';
  if (run.exitCode === 0) {
    narrator.good(`syntax gate passed: ${checked} files compiled cleanly`);
    return true;
  }
  narrator.say(
    `syntax gate failed the step (${run.outputs['error-count'] ?? '?'} error(s) in ${checked} files)`,
  );
  return false;
}
