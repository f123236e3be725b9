// Which tag moves where, given the tags a repository has: plain data in, plain data out.
import { describe, expect, test } from '@jest/globals';
import { describePlan, majorTagOf, planRelease, ReleaseError, type RemoteTag } from '../src/release-plan.js';

const sha = (c: string) => c.repeat(40);
const annotated = (name: string, commit: string): RemoteTag => ({
  name,
  object: sha(`${commit}f`.slice(-1)),
  commit: sha(commit),
});
const light = (name: string, commit: string): RemoteTag => ({
  name,
  object: sha(commit),
  commit: sha(commit),
});

// v1.4.0 at a, v1.5.0 at b (v1 there), v2.0.0 at c (v2 there), v2.1.0-rc.1 at d.
const TAGS: RemoteTag[] = [
  { name: 'v1.4.0', object: sha('1'), commit: sha('a') },
  { name: 'v1.5.0', object: sha('2'), commit: sha('b') },
  light('v1', 'b'),
  { name: 'v2.0.0', object: sha('3'), commit: sha('c') },
  light('v2', 'c'),
  { name: 'v2.1.0-rc.1', object: sha('4'), commit: sha('d') },
];

describe('planRelease', () => {
  test('the first release of a repository creates vX.Y.Z and vX, and is the latest', () => {
    const plan = planRelease({ version: 'v1.0.0', target: sha('e'), existing: [] });
    expect(plan).toEqual({
      version: 'v1.0.0',
      major: 'v1',
      prerelease: false,
      versionTag: { tag: 'v1.0.0', action: 'create', to: sha('e') },
      majorTag: { tag: 'v1', action: 'create', to: sha('e') },
      latest: true,
      pushArgs: [
        '--force-with-lease=refs/tags/v1.0.0:',
        '--force-with-lease=refs/tags/v1:',
        'refs/tags/v1.0.0:refs/tags/v1.0.0',
        'refs/tags/v1:refs/tags/v1',
      ],
    });
  });

  test('the next minor moves its major forward, with a lease on where it was', () => {
    const plan = planRelease({ version: 'v2.1.0', target: sha('e'), existing: TAGS });
    expect(plan.majorTag).toEqual({
      tag: 'v2',
      action: 'move',
      from: sha('c'),
      fromObject: sha('c'),
      to: sha('e'),
      previousVersion: 'v2.0.0',
    });
    expect(plan.pushArgs).toEqual([
      '--force-with-lease=refs/tags/v2.1.0:',
      `--force-with-lease=refs/tags/v2:${sha('c')}`,
      'refs/tags/v2.1.0:refs/tags/v2.1.0',
      'refs/tags/v2:refs/tags/v2',
    ]);
    expect(plan.latest).toBe(true); // the release candidate does not count
    expect(describePlan(plan)).toEqual([
      `v2.1.0: created at ${sha('e').slice(0, 12)}`,
      `v2: v2.0.0 -> v2.1.0 (${sha('e').slice(0, 12)})`,
    ]);
  });

  test('a patch of an older line never moves its major backwards, and is not the latest', () => {
    const plan = planRelease({ version: 'v1.4.1', target: sha('e'), existing: TAGS });
    expect(plan.versionTag.action).toBe('create');
    expect(plan.majorTag).toEqual({ tag: 'v1', action: 'leave', at: sha('b'), newer: 'v1.5.0' });
    expect(plan.latest).toBe(false);
    expect(plan.pushArgs).toEqual([
      '--force-with-lease=refs/tags/v1.4.1:',
      'refs/tags/v1.4.1:refs/tags/v1.4.1',
    ]);
    expect(describePlan(plan)[1]).toBe(`v1: left at ${sha('b').slice(0, 12)} (v1.5.0 is newer)`);
  });

  test('the newest patch of the newest line of an older major moves that major, but is not the latest', () => {
    const plan = planRelease({ version: 'v1.5.1', target: sha('e'), existing: TAGS });
    expect(plan.majorTag.action).toBe('move');
    expect(plan.latest).toBe(false); // v2.0.0 is newer
  });

  test('a re-run finds both tags where the first run put them: nothing to push', () => {
    const done = [...TAGS, annotated('v2.1.0', 'e'), { ...light('v2', 'e') }].filter(
      (t, i, all) => all.findLastIndex((u) => u.name === t.name) === i,
    );
    const plan = planRelease({ version: 'v2.1.0', target: sha('e'), existing: done });
    expect(plan.versionTag).toEqual({ tag: 'v2.1.0', action: 'keep', at: sha('e') });
    expect(plan.majorTag).toEqual({ tag: 'v2', action: 'keep', at: sha('e') });
    expect(plan.pushArgs).toEqual([]);
  });

  test('a re-run after the version tag was pushed but not the major still moves the major', () => {
    const plan = planRelease({
      version: 'v2.1.0',
      target: sha('e'),
      existing: [...TAGS, annotated('v2.1.0', 'e')],
    });
    expect(plan.versionTag.action).toBe('keep');
    expect(plan.majorTag.action).toBe('move');
    expect(plan.pushArgs).toEqual([
      `--force-with-lease=refs/tags/v2:${sha('c')}`,
      'refs/tags/v2:refs/tags/v2',
    ]);
  });

  test('a version already at another commit is refused: published versions never move', () => {
    expect(() => planRelease({ version: 'v1.5.0', target: sha('e'), existing: TAGS })).toThrow(
      new ReleaseError(
        `v1.5.0 already points at ${sha('b').slice(0, 12)}, not ${sha('e').slice(0, 12)}: a published version never moves; release a new version`,
      ),
    );
  });

  test('a pre-release creates its tag only: the major and Latest stay', () => {
    const plan = planRelease({ version: 'v2.2.0-rc.1', target: sha('e'), existing: TAGS });
    expect(plan.prerelease).toBe(true);
    expect(plan.majorTag).toMatchObject({ tag: 'v2', action: 'leave' });
    expect(plan.latest).toBe(false);
    expect(plan.pushArgs).toEqual([
      '--force-with-lease=refs/tags/v2.2.0-rc.1:',
      'refs/tags/v2.2.0-rc.1:refs/tags/v2.2.0-rc.1',
    ]);
  });

  test('a new major creates its major tag and leaves the others', () => {
    const plan = planRelease({ version: 'v3.0.0', target: sha('e'), existing: TAGS });
    expect(plan.majorTag).toEqual({ tag: 'v3', action: 'create', to: sha('e') });
    expect(plan.latest).toBe(true);
  });

  test('versions compare as numbers, not text (v1.10.0 is newer than v1.9.0)', () => {
    const existing = [light('v1.9.0', 'a'), light('v1.10.0', 'b'), light('v1', 'b')];
    expect(planRelease({ version: 'v1.9.1', target: sha('e'), existing }).majorTag.action).toBe('leave');
    expect(planRelease({ version: 'v1.10.1', target: sha('e'), existing }).majorTag.action).toBe('move');
  });
});

test.each(['1.2.3', 'v1', 'v1.2', 'latest', 'v1.2.3.4'])('majorTagOf refuses %j', (version) => {
  expect(() => majorTagOf(version)).toThrow(`invalid version "${version}"`);
});
