import { describe, expect, test } from '@jest/globals';
import { timelineMermaid, type TimelineEntry } from '../src/timeline.js';

describe('timelineMermaid', () => {
  test.each<{
    name: string;
    entries: TimelineEntry[];
    options?: Parameters<typeof timelineMermaid>[2];
    expected: string;
  }>([
    {
      name: 'incident rollout',
      entries: [
        { at: 1000, kind: 'update', label: 'UpdateService → hokusai-api:109' },
        { at: 13_000, kind: 'task-started', label: 'task 3f2a9c0e… started' },
        { at: 31_000, kind: 'task-stopped', label: 'task 3f2a9c0e… exited with code 1' },
        { at: 31_200, kind: 'verdict', label: 'failed: SyntaxError: invalid syntax' },
        { at: 31_400, kind: 'rollback', label: 'rollback to hokusai-api:108' },
        { at: 25_000, kind: 'event', label: '(service api) has started 1 tasks' },
      ],
      options: { title: 'api: 108 → 109' },
      expected: [
        'timeline',
        '  title api 108 → 109',
        '  +0ms : UpdateService → hokusai-api 109',
        '  +12.0s : task 3f2a9c0e… started',
        '  +30.0s : task 3f2a9c0e… exited with code 1 : failed SyntaxError invalid syntax : rollback to hokusai-api 108',
      ].join('\n'),
    },
    {
      name: 'repeats fold',
      entries: [
        { at: 5000, kind: 'task-stopped', label: 'task a exited with code 1' },
        { at: 5000, kind: 'task-stopped', label: 'task a exited with code 1' },
      ],
      expected: 'timeline\n  +5.00s : task a exited with code 1 ×2',
    },
    {
      name: 'events only when asked',
      entries: [{ at: 0, kind: 'event', label: 'steady state' }],
      options: { includeEvents: true },
      expected: 'timeline\n  +0ms : steady state',
    },
  ])('$name', ({ entries, options, expected }) => {
    expect(timelineMermaid(entries, 1000 * (entries[0]?.kind === 'update' ? 1 : 0), options)).toBe(expected);
  });
});
