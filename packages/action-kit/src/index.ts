// Action plumbing shared by every action in the suite.
export { ConfigurationError, isConfigurationError, errorMessage } from './errors.js';
export { parseDuration, formatDuration, MAX_DURATION_MS, type DurationBounds } from './duration.js';
export {
  systemClock,
  VirtualClock,
  actionClock,
  cancellationSignal,
  CLOCK_OVERRIDE,
  MAX_TIMER_MS,
  type Clock,
  type Cancellation,
} from './clock.js';
export {
  parseList,
  parseBoolean,
  parseInteger,
  parseChoice,
  parseKeyValueLines,
  parsePercentage,
  shorten,
  SHOWN_VALUE_LENGTH,
} from './input-parsing.js';
export { createInputReader, inputVariable, type InputReader, type Environment } from './inputs.js';
export {
  actionsLogger,
  MemoryLogger,
  silentLogger,
  withGroup,
  type Logger,
  type LogRecord,
  type AnnotationProperties,
} from './logger.js';
export {
  escapeMarkdown,
  inlineCode,
  table,
  codeBlock,
  mermaid,
  mermaidText,
  details,
  heading,
  link,
  blocks,
  capSummary,
  SUMMARY_MAX_BYTES,
  type Cell,
} from './markdown.js';
export { run, writeSummary, failStep } from './run.js';
/**
 * Outside text (log lines, response bodies, module output, exception messages, file names, stopped reasons) made
 * inert for the runner. `actionsLogger` applies `inertText` to every message already; use these for text printed
 * any other way, and `looksLikeWorkflowCommand` to test a line. See outside-text.ts for what the runner honours.
 */
export { inertLine, inertText, looksLikeWorkflowCommand } from './outside-text.js';
/** Secrets inside larger values (URL passwords, `password=`/`token=` pairs), masked on their own. */
export {
  credentialsIn,
  secretMasksOf,
  maskSecret,
  redactSecrets,
  isPlainSetting,
  MIN_MASKED_LENGTH,
} from './secrets.js';
/** Path inputs confined to GITHUB_WORKSPACE and RUNNER_TEMP, symlinks resolved. */
export { confinePath, type ConfineOptions } from './paths.js';
/** Image references by the Docker reference grammar, with a length limit. */
export {
  parseImageReference,
  IMAGE_REFERENCE_MAX_LENGTH,
  IMAGE_NAME_MAX_LENGTH,
  type ImageReference,
} from './docker-reference.js';
