// The job summary: where the image went, its digest and size, and per tag whether it was pushed or already there.
import { blocks, escapeMarkdown, heading, inlineCode, table } from '@hokusai/action-kit';
import type { PushProgress, PushResult } from './push-image.js';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function renderSummary(result: PushResult): string {
  const pushedCount = result.tags.filter((t) => t.status === 'pushed').length;
  const reusedTag = result.tags.find((t) => t.status === 'reused');
  const verdict = result.pushed
    ? `Pushed ${pushedCount} of ${result.tags.length} tag${result.tags.length > 1 ? 's' : ''}; digest verified with the registry.`
    : reusedTag
      ? `Reused the image already in the registry under ${inlineCode(reusedTag.tag)}${reusedTag.revision ? `, built from the same revision ${inlineCode(reusedTag.revision)}` : ' (its revision could not be checked: no revision label)'}; the local image ${inlineCode(result.localId)} was not pushed.`
      : 'Nothing to push: every tag was already pushed with this image.';
  const size = [
    result.registrySize !== undefined
      ? `${formatBytes(result.registrySize)} in the registry (compressed)`
      : '',
    `${formatBytes(result.localSize)} locally`,
  ]
    .filter(Boolean)
    .join(', ');
  const overview = table(
    ['Pushed image', ''],
    [
      ['Image', inlineCode(result.imageUriWithDigest)],
      ['Digest', inlineCode(result.digest)],
      ['Size', size],
      [
        'Repository',
        `${inlineCode(result.repository)} in account ${result.account}, ${result.region}` +
          ` (${result.tagMutability}${result.repositoryCreated ? ', created by this step' : ''})`,
      ],
    ],
    { raw: [1] },
  );
  const tags = table(
    ['Tag', 'Image URI', 'Result', 'Digest'],
    result.tags.map((t) => [
      inlineCode(t.tag),
      inlineCode(t.uri),
      t.status === 'pushed'
        ? `pushed${t.attempts > 1 ? ` (attempt ${t.attempts})` : ''}${t.replaced ? `, replaced ${inlineCode(t.replaced)}` : ''}`
        : t.status === 'reused'
          ? 'reused (already there from the same revision)'
          : 'already pushed',
      inlineCode(t.digest),
    ]),
    { raw: [0, 1, 2, 3] },
  );
  return blocks(heading('ECR push'), verdict, overview, tags);
}

/**
 * The summary of a step that failed or was cancelled: the one line, and what had been done by then (the local
 * image, the registry, the tags already pushed — they stay in the registry).
 */
export function renderFailureSummary(
  outcome: { cancelled?: string; message: string },
  progress: PushProgress,
): string {
  const verdict = outcome.cancelled
    ? `⏹️ Cancelled (${outcome.cancelled}): ${escapeMarkdown(outcome.message)}`
    : `❌ Failed: ${escapeMarkdown(outcome.message)}`;
  const rows: string[][] = [];
  if (progress.localId) rows.push(['Local image', inlineCode(progress.localId)]);
  if (progress.registry) rows.push(['Registry', inlineCode(progress.registry)]);
  rows.push([
    'Pushed before the end',
    progress.pushed.length > 0 ? progress.pushed.map(inlineCode).join('<br>') : 'nothing',
  ]);
  return blocks(heading('ECR push'), verdict, table(['', ''], rows, { raw: [1] }));
}
