import { expect, test } from '@jest/globals';
import {
  BrokenLinkError,
  markdownLinks,
  rewriteReadmeLinks,
  type ReadmeLinkContext,
} from '../src/readme-links.js';

const CONTEXT: ReadmeLinkContext = {
  actionDir: 'actions/ecs-deploy-and-wait',
  published: new Set(['README.md', 'action.yml', 'dist/index.js']),
  kindOf: (p) =>
    ({
      'actions/auto-rollback': 'directory',
      'packages/ecs-kit': 'directory',
      'README.md': 'file',
      'actions/auto-rollback/README.md': 'file',
    })[p] as 'file' | 'directory' | undefined,
  repositoryUrl: 'https://github.com/hokusai/actions',
  ref: 'v1.3.0',
};

const README = `# ecs-deploy-and-wait

[\`auto-rollback\`](../auto-rollback) finds "previous"; its [IAM policy](../auto-rollback/README.md#iam-policy).
The rollout logic lives in [\`packages/ecs-kit\`](../../packages/ecs-kit "ecs-kit").
See [action.yml](action.yml), [the top](#inputs), [the suite](https://github.com/hokusai/actions) and [ref][root].

\`\`\`md
[not a link](../nowhere)
\`\`\`

[root]: ../../README.md
`;

test('links out of the action folder point at the monorepo at the release; links into the tree stay', () => {
  const { text, rewrites } = rewriteReadmeLinks(README, CONTEXT);
  expect(rewrites.map((r) => r.to)).toEqual([
    'https://github.com/hokusai/actions/tree/v1.3.0/actions/auto-rollback',
    'https://github.com/hokusai/actions/blob/v1.3.0/actions/auto-rollback/README.md#iam-policy',
    'https://github.com/hokusai/actions/tree/v1.3.0/packages/ecs-kit',
    'https://github.com/hokusai/actions/blob/v1.3.0/README.md',
  ]);
  expect(text).toContain(
    '[`auto-rollback`](https://github.com/hokusai/actions/tree/v1.3.0/actions/auto-rollback) finds',
  );
  expect(text).toContain('(https://github.com/hokusai/actions/tree/v1.3.0/packages/ecs-kit "ecs-kit")');
  expect(text).toContain('[root]: https://github.com/hokusai/actions/blob/v1.3.0/README.md');
  expect(text).toContain('[action.yml](action.yml)');
  expect(text).toContain('[not a link](../nowhere)'); // code blocks are not links
  expect(markdownLinks(text).filter((l) => l.startsWith('..'))).toEqual([]);
});

test('a link to nothing is refused, naming it', () => {
  expect(() => rewriteReadmeLinks('[gone](../removed-action) and [x](dist/missing.js)', CONTEXT)).toThrow(
    new BrokenLinkError(
      'actions/ecs-deploy-and-wait/README.md links to "../removed-action", "dist/missing.js", which exist neither in the published tree nor in the repository',
    ),
  );
});
