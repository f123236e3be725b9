// What the gate says about mypy: the decision whether to run it, one annotation per type error, and the job
// summary section. Pure: plain data in, plain data out.
import { blocks, heading, inlineCode, table, type AnnotationProperties } from '@hokusai/action-kit';
import type { MypyConfig } from './mypy-config.js';
import type { MypyMessage } from './mypy-output.js';
import type { MypyOutcome } from './mypy-run.js';

export type MypyMode = 'auto' | 'true' | 'false';

/** Run mypy, and on what; or skip it, and why (a sentence for the log and the summary). */
export type MypyPlan =
  { run: true; targets: string[]; why: string } | { run: false; why: string; result: 'skipped' };

/**
 * auto runs mypy when the repository configures it; true always; false never. With a `files` option in the
 * configuration mypy picks its own targets; otherwise it checks the .py/.pyi files the gate found (scripts without
 * .py are left out: mypy names each such script `__main__`, and two would collide).
 */
export function planMypy(input: {
  mode: MypyMode;
  config: MypyConfig | undefined;
  files: string[];
  syntaxErrors: number;
}): MypyPlan {
  const { mode, config } = input;
  if (mode === 'false') return { run: false, result: 'skipped', why: 'input "mypy" is false' };
  if (mode === 'auto' && !config) {
    return {
      run: false,
      result: 'skipped',
      why: 'the repository does not configure mypy (no mypy.ini, .mypy.ini, [tool.mypy] in pyproject.toml or [mypy] in setup.cfg)',
    };
  }
  if (input.syntaxErrors > 0) {
    return { run: false, result: 'skipped', why: 'files do not compile: fix the syntax errors first' };
  }
  const source = config ? `${config.file}` : 'input "mypy" is true';
  if (config?.files) {
    return { run: true, targets: [], why: `${source} sets files = ${config.files.join(', ')}` };
  }
  const targets = input.files.filter((f) => f.endsWith('.py') || f.endsWith('.pyi'));
  if (targets.length === 0) return { run: false, result: 'skipped', why: 'no .py file to check' };
  return { run: true, targets, why: `${source}; checking the ${targets.length} .py file(s) found` };
}

/** The result word of the `mypy` output. */
export function mypyResult(outcome: MypyOutcome | undefined, plan: MypyPlan): string {
  if (!plan.run || !outcome) return 'skipped';
  return outcome.kind;
}

export function mypyAnnotation(error: MypyMessage): { message: string; properties: AnnotationProperties } {
  const properties: AnnotationProperties = {
    title: `mypy${error.code ? ` [${error.code}]` : ''}`,
    file: error.file,
    line: error.line,
  };
  if (error.column !== undefined) properties.col = error.column;
  return { message: error.message, properties };
}

export function mypySummary(plan: MypyPlan, outcome: MypyOutcome | undefined, maxRows = 200): string {
  if (!plan.run || !outcome) return blocks(heading('mypy', 3), `Not run: ${plan.why}.`);
  switch (outcome.kind) {
    case 'passed':
      return blocks(
        heading('mypy', 3),
        `✅ ${outcome.version} (${inlineCode(outcome.command)}): no type errors. ${plan.why}.`,
      );
    case 'not-installed':
      return blocks(heading('mypy', 3), `⚠️ mypy is not installed for this interpreter: ${outcome.detail}.`);
    case 'crashed':
      return blocks(
        heading('mypy', 3),
        `❌ ${inlineCode(outcome.command)} stopped without checking: ${outcome.detail}`,
      );
    case 'failed': {
      const rows = outcome.errors
        .slice(0, maxRows)
        .map((e) => [
          inlineCode(e.file),
          e.line,
          e.column ?? '',
          e.code ? inlineCode(e.code) : '',
          e.message,
        ]);
      const more =
        outcome.errors.length > maxRows
          ? `…and ${outcome.errors.length - maxRows} more (in the step log).`
          : '';
      return blocks(
        heading('mypy', 3),
        `❌ ${outcome.errors.length} type error${outcome.errors.length === 1 ? '' : 's'} (${outcome.version}, ${inlineCode(outcome.command)}). ${plan.why}.`,
        table(['File', 'Line', 'Column', 'Code', 'Message'], rows, { raw: [0, 3] }),
        more,
      );
    }
  }
}
