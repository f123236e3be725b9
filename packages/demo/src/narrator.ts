// Prints the demo's story as it happens, with the time each step took, and gathers the job summaries.
import { formatDuration } from '@hokusai/action-kit';
import type { ActionRun } from '@hokusai/action-harness';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const red = (s: string) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);
const green = (s: string) => (process.stdout.isTTY ? `\x1b[32m${s}\x1b[0m` : s);

export interface SummarySection {
  title: string;
  markdown: string;
}

export class Narrator {
  readonly started = Date.now();
  readonly sections: SummarySection[] = [];

  act(title: string): void {
    process.stdout.write(`\n${bold(title)}\n`);
  }

  say(text: string): void {
    process.stdout.write(`  ${text}\n`);
  }

  detail(text: string): void {
    for (const line of text.replace(/\n$/, '').split('\n')) process.stdout.write(`    ${dim(line)}\n`);
  }

  good(text: string): void {
    process.stdout.write(`  ${green('✔')} ${text}\n`);
  }

  bad(text: string): void {
    process.stdout.write(`  ${red('✘')} ${text}\n`);
  }

  /** Runs a step, says how long it took. */
  async step<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    const result = await fn();
    process.stdout.write(`  ${dim(`${label} (${formatDuration(Date.now() - t0)})`)}\n`);
    return result;
  }

  /** Keeps an action's job summary for the report, under the step's name. */
  keep(title: string, run: ActionRun): void {
    this.sections.push({ title, markdown: run.summary });
  }

  elapsed(): string {
    return formatDuration(Date.now() - this.started);
  }
}
