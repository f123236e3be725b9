// What "a bad input" must look like from outside (issue 12): exactly one error annotation that names the input,
// quotes at most a shortened value, no stack trace, a non-zero exit code, and no secret anywhere.
import type { ActionRun } from './run-action.js';

export interface BadInputExpectation {
  /** The input (or environment variable) the message must name, e.g. `image` or `AWS_REGION`. */
  input: string;
  /** Text the message must contain besides the name, e.g. `outside the workspace`. */
  says?: string | RegExp;
  /** Values that must appear nowhere: log, outputs, state, summary, temp files. */
  secrets?: string[];
  /** Longest acceptable message; a long value must be shortened (default 600 characters). */
  maxLength?: number;
}

/**
 * Everything wrong with `run` as the answer to a bad input; empty when it is right. Tests assert
 * `expect(await badInputProblems(run, {...})).toEqual([])`, so a failure lists every problem at once.
 */
export async function badInputProblems(run: ActionRun, expected: BadInputExpectation): Promise<string[]> {
  const problems: string[] = [];
  if (run.exitCode === 0 || run.exitCode === null)
    problems.push(`exit code ${run.exitCode}, expected non-zero`);
  const errors = run.annotations.filter((a) => a.level === 'error');
  if (errors.length !== 1) problems.push(`${errors.length} error annotations, expected exactly 1`);
  const message = errors[0]?.message ?? '';
  if (/[\r\n]/.test(message)) problems.push(`the message has more than one line: ${JSON.stringify(message)}`);
  const named =
    message.includes(`"${expected.input}"`) ||
    (/^[A-Z][A-Z0-9_]*$/.test(expected.input) && message.includes(expected.input));
  if (!named) problems.push(`the message does not name "${expected.input}": ${message}`);
  if (expected.says !== undefined) {
    const says =
      typeof expected.says === 'string' ? message.includes(expected.says) : expected.says.test(message);
    if (!says) problems.push(`the message does not say ${String(expected.says)}: ${message}`);
  }
  const maxLength = expected.maxLength ?? 600;
  if (message.length > maxLength) problems.push(`the message is ${message.length} characters long`);
  if (/\n\s+at .+:\d+:\d+\)?$/m.test(`${run.stdout}\n${run.stderr}`))
    problems.push('a stack trace was printed');
  if (run.stderr.trim() !== '') problems.push(`stderr is not empty: ${run.stderr.slice(0, 300)}`);
  for (const secret of expected.secrets ?? []) {
    const leaks = await run.secretLeaks(secret);
    if (leaks.length > 0) problems.push(`secret ${JSON.stringify(secret)} leaked: ${leaks.join('; ')}`);
  }
  return problems;
}
