// The rollout as a list of moments (update, tasks started and stopped, alarms changing state, verdict, rollback,
// stable), rendered as a Mermaid timeline for the job summary.
import { formatDuration, mermaidText } from '@hokusai/action-kit';

export type TimelineKind =
  | 'update'
  | 'task-started'
  | 'task-running'
  | 'task-stopped'
  | 'event'
  | 'verdict'
  | 'rollback'
  | 'stable'
  | 'alarm'
  | 'note';

export interface TimelineEntry {
  /** Milliseconds on the watcher's clock. */
  at: number;
  kind: TimelineKind;
  label: string;
}

/**
 * A Mermaid `timeline`: one section per second offset from `start`, entries in order. Service events are left out
 * (they are listed separately) unless `includeEvents` is set; consecutive identical labels are folded (`×3`).
 */
export function timelineMermaid(
  entries: readonly TimelineEntry[],
  start: number,
  options: { title?: string; includeEvents?: boolean; maxEntries?: number } = {},
): string {
  const shown = entries
    .filter((e) => options.includeEvents || e.kind !== 'event')
    .sort((a, b) => a.at - b.at);
  const max = options.maxEntries ?? 40;
  const groups: Array<{ offset: string; labels: string[] }> = [];
  for (const entry of shown) {
    const offset = `+${formatDuration(Math.max(0, Math.round((entry.at - start) / 1000) * 1000))}`;
    const label = mermaidText(entry.label);
    const last = groups[groups.length - 1];
    if (last && last.offset === offset) last.labels.push(label);
    else groups.push({ offset, labels: [label] });
  }
  const lines = ['timeline'];
  if (options.title) lines.push(`  title ${mermaidText(options.title)}`);
  let count = 0;
  for (const group of groups) {
    if (count >= max) {
      lines.push(`  … : ${shown.length - count} more`);
      break;
    }
    const folded = foldRepeats(group.labels);
    count += group.labels.length;
    lines.push(`  ${group.offset} : ${folded.join(' : ')}`);
  }
  return lines.join('\n');
}

function foldRepeats(labels: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < labels.length) {
    let j = i;
    while (j + 1 < labels.length && labels[j + 1] === labels[i]) j++;
    out.push(j > i ? `${labels[i]} ×${j - i + 1}` : labels[i]!);
    i = j + 1;
  }
  return out;
}
