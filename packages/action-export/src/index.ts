// Exports each action's published tree on its own, checks its bundle, and publishes it as hokusai/<action>.
export {
  ACTIONS,
  PUBLISHED_FILES,
  exportAction,
  ExportError,
  type ActionName,
  type ExportedTree,
} from './published-tree.js';
export {
  bundleReferences,
  findOutsideReferences,
  type BundleReference,
  type OutsideReference,
} from './bundle-references.js';
export { publishAction, majorOf, PublishError, type PublishOptions, type PublishResult } from './publish.js';
