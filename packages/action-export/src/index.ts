// Exports each action's published tree on its own, checks its bundle, and publishes it as hokusai/<action>.
export {
  ACTIONS,
  PUBLISHED_FILES,
  exportAction,
  ExportError,
  type ActionName,
  type ExportedTree,
  type ExportOptions,
} from './published-tree.js';
export {
  bundleReferences,
  findOutsideReferences,
  type BundleReference,
  type OutsideReference,
} from './bundle-references.js';
export { publishAction, majorOf, PublishError, type PublishOptions, type PublishResult } from './publish.js';
export {
  planRelease,
  describePlan,
  majorTagOf,
  ReleaseError,
  type ReleasePlan,
  type RemoteTag,
  type TagUpdate,
} from './release-plan.js';
export {
  pinSuiteActions,
  floatingSuiteActions,
  SUITE_REPOSITORY,
  type PinResult,
} from './pin-suite-actions.js';
export {
  releaseChangelog,
  sectionBody,
  ChangelogError,
  UNRELEASED,
  type ChangelogRelease,
} from './changelog.js';
export {
  ensureRelease,
  GitHubApiError,
  type GitHubApi,
  type ReleaseRequest,
  type ReleaseResult,
} from './github-releases.js';
export {
  releaseMonorepo,
  remoteTags,
  gitRunner,
  type MonorepoRelease,
  type MonorepoReleaseOptions,
} from './release-git.js';
export { releaseAll, releaseTokens, type ReleaseOptions, type ReleaseReport } from './release.js';
export { remoteTagsOf } from './publish.js';
export {
  rewriteReadmeLinks,
  markdownLinks,
  BrokenLinkError,
  type LinkRewrite,
  type ReadmeLinkContext,
} from './readme-links.js';
