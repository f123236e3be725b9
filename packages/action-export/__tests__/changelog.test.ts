import { expect, test } from '@jest/globals';
import { ChangelogError, releaseChangelog, sectionBody } from '../src/changelog.js';

const BEFORE = `# Changelog

All notable changes; the release moves Unreleased under its version.

## Unreleased

- ecr-push: reuse-existing.
- deploy-ecs.yml: promotion by digest.

## v1.2.0 — 2026-10-01

- First public release.
`;

test('Unreleased becomes the version, an empty Unreleased stays on top, older sections untouched', () => {
  const released = releaseChangelog(BEFORE, 'v1.3.0', '2026-11-30');
  expect(released.changed).toBe(true);
  expect(released.notes).toBe('- ecr-push: reuse-existing.\n- deploy-ecs.yml: promotion by digest.');
  expect(released.text).toBe(`# Changelog

All notable changes; the release moves Unreleased under its version.

## Unreleased

## v1.3.0 — 2026-11-30

- ecr-push: reuse-existing.
- deploy-ecs.yml: promotion by digest.

## v1.2.0 — 2026-10-01

- First public release.
`);
  expect(sectionBody(released.text, 'v1.2.0')).toBe('- First public release.');
});

test('a re-run finds the section and changes nothing', () => {
  const once = releaseChangelog(BEFORE, 'v1.3.0', '2026-11-30');
  const twice = releaseChangelog(once.text, 'v1.3.0', '2026-12-01');
  expect(twice).toEqual({ text: once.text, notes: once.notes, changed: false });
});

test('a release with nothing to say, or no Unreleased section, is refused', () => {
  const empty = BEFORE.replace(/- ecr-push.*\n- deploy.*\n/, '');
  expect(() => releaseChangelog(empty, 'v1.3.0', '2026-11-30')).toThrow(
    new ChangelogError(
      'CHANGELOG.md has nothing under "## Unreleased": write what v1.3.0 changes there first',
    ),
  );
  expect(() => releaseChangelog('# Changelog\n', 'v1.3.0', '2026-11-30')).toThrow(
    'CHANGELOG.md has no "## Unreleased" section to release as v1.3.0',
  );
});

test('v1.3.0 is not mistaken for v1.3.01 or v1.30.0', () => {
  const text = BEFORE.replace('## v1.2.0', '## v1.30.0');
  expect(releaseChangelog(text, 'v1.3.0', '2026-11-30').changed).toBe(true);
});
