// Test support: asks an interpreter for its own verdict on one file, in a process of its own, the way a person
// would check by hand. The tests compare the pool's answers with this, never with hand-typed expectations.
import { execFileSync } from 'node:child_process';
import type { CompileFailure } from '../src/compile-pool.js';

const ORACLE = `
import json, sys, warnings
warnings.simplefilter("ignore")
path = sys.argv[1]
with open(path, "rb") as handle:
    source = handle.read()
try:
    compile(source, path, "exec", dont_inherit=True)
    verdict = None
except SyntaxError as e:
    verdict = [type(e).__name__, e.msg, e.lineno, e.offset, getattr(e, "end_lineno", None), getattr(e, "end_offset", None)]
except Exception as e:
    verdict = [type(e).__name__, str(e), None, None, None, None]
sys.stdout.write(json.dumps(verdict))
`;

export type OracleVerdict = Pick<
  CompileFailure,
  'kind' | 'message' | 'line' | 'column' | 'endLine' | 'endColumn'
> | null;

/** The interpreter's verdict on `file` (relative to `cwd`): null when it compiles. */
export function oracleVerdict(python: string, cwd: string, file: string): OracleVerdict {
  const out = execFileSync(python, ['-B', '-c', ORACLE, file], {
    cwd,
    encoding: 'utf8',
    // 3.8's old parser writes "s_push: parser stack overflow" to stderr itself; the verdict is on stdout.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const verdict = JSON.parse(out) as
    null | [string, string, number | null, number | null, number | null, number | null];
  if (verdict === null) return null;
  const [kind, message, line, column, endLine, endColumn] = verdict;
  return { kind, message, line, column, endLine, endColumn };
}

/** The same fields of a pool result, for comparison with the oracle. */
export function verdictOf(failure: CompileFailure | undefined): OracleVerdict {
  if (!failure) return null;
  const { kind, message, line, column, endLine, endColumn } = failure;
  return { kind, message, line, column, endLine, endColumn };
}
