// GitHub's own schemas for workflows and action.yml (@actions/workflow-parser, the parser behind the Actions
// language services): current vocabulary, unknown keys and bad values, with the line they are on.
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';
import type { Finding } from './findings.js';

interface ParseError {
  message: string;
  range?: { start: { line: number } };
}

function toFindings(errors: ParseError[], file: string): Finding[] {
  return errors.map((error) => ({
    file,
    line: error.range?.start.line ?? 0,
    // The parser prefixes every message with "<name> (Line: n, Col: m): "; the finding carries the line already.
    message: error.message.replace(/^.*?\(Line: \d+, Col: \d+\):\s*/, ''),
    rule: 'github-schema',
  }));
}

export function checkWorkflowSchema(text: string, file: string): Finding[] {
  const result = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  return toFindings(result.context.errors.getErrors() as ParseError[], file);
}

export function checkActionSchema(text: string, file: string): Finding[] {
  const result = parseAction({ name: file, content: text }, new NoOperationTraceWriter());
  return toFindings(result.context.errors.getErrors() as ParseError[], file);
}
