// `${{ }}` expressions evaluated the way GitHub evaluates them, with GitHub's own evaluator (@actions/expressions,
// the parser behind the Actions language services): contexts as plain JSON, the status functions of a job.
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** github, inputs, needs, steps, runner, env, secrets, job, vars, matrix, strategy: whatever a place allows. */
export type Contexts = Record<string, Json>;

/**
 * What the status functions read. For a job: success = every needed job succeeded (a skipped one counts against),
 * failure = one failed. For a step: success = no earlier step failed, failure = one did.
 */
export interface JobStatus {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

const CONTEXT_NAMES = [
  'github',
  'inputs',
  'needs',
  'steps',
  'runner',
  'env',
  'secrets',
  'job',
  'jobs',
  'vars',
  'matrix',
  'strategy',
];

function statusFunctions(status: JobStatus): Map<string, FunctionDefinition> {
  const fn = (name: string, value: () => boolean): [string, FunctionDefinition] => [
    name.toLowerCase(),
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) },
  ];
  return new Map([
    fn('success', () => status.success && !status.cancelled),
    fn('failure', () => status.failure),
    fn('cancelled', () => status.cancelled),
    fn('always', () => true),
  ]);
}

const STATUS_INFO = ['success', 'failure', 'cancelled', 'always'].map((name) => ({
  name,
  minArgs: 0,
  maxArgs: 0,
}));

function toData(contexts: Contexts): data.Dictionary {
  return JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
}

function toJson(value: data.ExpressionData): Json {
  return JSON.parse(JSON.stringify(value, data.replacer)) as Json;
}

/** Evaluates one expression (the text inside `${{ }}`). */
export function evaluate(expression: string, contexts: Contexts, status: JobStatus = NO_FAILURE): Json {
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, CONTEXT_NAMES, STATUS_INFO).parse();
  return toJson(new Evaluator(parsed, toData(contexts), statusFunctions(status)).evaluate());
}

const NO_FAILURE: JobStatus = { success: true, failure: false, cancelled: false };

/** GitHub's string form of a value: objects and arrays as JSON, null as '', numbers and booleans as text. */
export function coerceString(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

/**
 * A value with its `${{ }}` parts replaced. A value that is exactly one expression keeps its type (what `with:` and
 * `if:` get); anything else is a string.
 */
export function interpolate(template: string, contexts: Contexts, status?: JobStatus): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expression: string) =>
    coerceString(evaluate(expression, contexts, status)),
  );
}

/** Truthiness as GitHub judges an `if:` value. */
function truthy(value: Json): boolean {
  if (typeof value === 'string') return value !== '';
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return value !== null && value !== false;
}

/**
 * An `if:` as GitHub runs it: absent means success(); a condition without a status function is `success() && (...)`;
 * `${{ }}` around the whole condition is optional.
 */
export function condition(text: string | undefined, contexts: Contexts, status: JobStatus): boolean {
  const trimmed = (text ?? '').trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(trimmed);
  const expression = whole ? whole[1]!.trim() : trimmed;
  if (expression === '') return status.success && !status.cancelled;
  const usesStatus = /\b(success|failure|cancelled|always)\s*\(/.test(expression);
  return truthy(evaluate(usesStatus ? expression : `success() && (${expression})`, contexts, status));
}
