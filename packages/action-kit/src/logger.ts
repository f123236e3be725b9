// An injectable logger, so core code can log and annotate without importing @actions/core.
import * as core from '@actions/core';
import { inertLine, inertText } from './outside-text.js';

/** Where an annotation points; paths are workspace-relative. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  notice(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  startGroup(name: string): void;
  endGroup(): void;
}

/** Runs `fn` inside a collapsed log group. */
export async function withGroup<T>(logger: Logger, name: string, fn: () => Promise<T> | T): Promise<T> {
  logger.startGroup(name);
  try {
    return await fn();
  } finally {
    logger.endGroup();
  }
}

function toCore(properties?: AnnotationProperties): core.AnnotationProperties | undefined {
  if (!properties) return undefined;
  const { title, file, line, endLine, col, endColumn } = properties;
  return {
    title: title === undefined ? undefined : inertLine(title),
    file,
    startLine: line,
    endLine,
    startColumn: col,
    endColumn,
  };
}

/**
 * The logger actions use on a runner: workflow commands through @actions/core. Every message may hold outside
 * text (log lines, response bodies, exception messages, file names), so every message goes through `inertText`
 * first: nothing it prints is a workflow command the runner would act on. This is the only way action code
 * writes to the step log (the lint forbids core.info/console/process.stdout elsewhere).
 */
export const actionsLogger: Logger = {
  debug: (message) => core.debug(inertText(message)),
  info: (message) => core.info(inertText(message)),
  notice: (message, properties) => core.notice(inertText(message), toCore(properties)),
  warning: (message, properties) => core.warning(inertText(message), toCore(properties)),
  error: (message, properties) => core.error(inertText(message), toCore(properties)),
  startGroup: (name) => core.startGroup(inertLine(name)),
  endGroup: () => core.endGroup(),
};

export interface LogRecord {
  level: 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'group' | 'endgroup';
  message: string;
  properties?: AnnotationProperties;
}

/** A logger that keeps what it is told, for tests of core code. */
export class MemoryLogger implements Logger {
  readonly records: LogRecord[] = [];
  debug(message: string): void {
    this.records.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.records.push({ level: 'info', message });
  }
  notice(message: string, properties?: AnnotationProperties): void {
    this.records.push({ level: 'notice', message, properties });
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.records.push({ level: 'warning', message, properties });
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.records.push({ level: 'error', message, properties });
  }
  startGroup(name: string): void {
    this.records.push({ level: 'group', message: name });
  }
  endGroup(): void {
    this.records.push({ level: 'endgroup', message: '' });
  }
  messages(level?: LogRecord['level']): string[] {
    return this.records.filter((r) => level === undefined || r.level === level).map((r) => r.message);
  }
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  notice() {},
  warning() {},
  error() {},
  startGroup() {},
  endGroup() {},
};
