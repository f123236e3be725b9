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
  type Cell,
} from './markdown.js';
export { run, writeSummary } from './run.js';
