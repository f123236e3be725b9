// CHANGELOG.md as the release uses it (Keep a Changelog's layout): contributors add lines under `## Unreleased`;
// a release moves them under `## vX.Y.Z — YYYY-MM-DD`, leaves an empty Unreleased above, and those lines become the
// GitHub release's notes. Pure: text in, text out.

export const UNRELEASED = '## Unreleased';

export interface ChangelogRelease {
  /** The whole file after the release. */
  text: string;
  /** The section's body: the GitHub release notes. */
  notes: string;
  /** false when the file already had this version's section (a re-run): text is the input. */
  changed: boolean;
}

export class ChangelogError extends Error {
  override name = 'ChangelogError';
}

const headingOf = (version: string) => new RegExp(`^## ${version.replace(/\./g, '\\.')}(?:\\s|$)`, 'm');

/** The body of the section whose heading starts with `## <title>`, up to the next `## `; undefined when absent. */
export function sectionBody(text: string, title: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === `## ${title}` || line.startsWith(`## ${title} `));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

/**
 * Releases the Unreleased section as `version` on `date` (YYYY-MM-DD). Refused when there is no Unreleased
 * section, or nothing under it: a release says what changed.
 */
export function releaseChangelog(text: string, version: string, date: string): ChangelogRelease {
  if (headingOf(version).test(text)) {
    return { text, notes: sectionBody(text, version) ?? '', changed: false };
  }
  const lines = text.split('\n');
  const start = lines.indexOf(UNRELEASED);
  if (start < 0)
    throw new ChangelogError(`CHANGELOG.md has no "${UNRELEASED}" section to release as ${version}`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const body = lines.slice(start + 1, end < 0 ? undefined : end);
  const notes = body.join('\n').trim();
  if (notes === '') {
    throw new ChangelogError(
      `CHANGELOG.md has nothing under "${UNRELEASED}": write what ${version} changes there first`,
    );
  }
  const released = [UNRELEASED, '', `## ${version} — ${date}`, '', notes, ''];
  const after = end < 0 ? [] : lines.slice(end);
  return {
    text: [...lines.slice(0, start), ...released, ...after].join('\n').replace(/\n*$/, '\n'),
    notes,
    changed: true,
  };
}
