// The Python program each pool worker runs (passed with `-c`, so nothing is written anywhere). It must run
// unchanged on every interpreter we support (3.6 and later): no walrus, no match, no f-string tricks.

/**
 * Protocol. stdin: one JSON array per line, a chunk of `[id, path]` pairs (paths relative to the worker's cwd).
 * stdout: one JSON line per file, `[id, null]` when it compiles, else `[id, failure]` — flushed per file so that,
 * should the interpreter die, the first unanswered file of the chunk is the one it died on.
 *
 * The verdict is `compile(bytes, path, 'exec', dont_inherit=True)`, exactly what the import system does, so the
 * interpreter itself decides encoding cookies, BOMs, null bytes and undecodable bytes. Warnings are silenced:
 * under the default filters a SyntaxWarning never changes the verdict, and the log stays clean.
 */
export const WORKER_SOURCE = `
import json, sys, warnings

def fail(category, error, lineno=None, offset=None, end_lineno=None, end_offset=None, msg=None):
    def number(value):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return {
        "category": category,
        "kind": type(error).__name__,
        "msg": msg if msg is not None else str(error),
        "lineno": number(lineno),
        "offset": number(offset),
        "end_lineno": number(end_lineno),
        "end_offset": number(end_offset),
    }

def check(path):
    try:
        with open(path.encode("utf-8", "surrogateescape"), "rb") as handle:
            source = handle.read()
    except OSError as error:
        return fail("unreadable", error, msg=error.strerror or str(error))
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        msg = error.msg if isinstance(error.msg, str) else str(error)
        return fail("syntax", error, error.lineno, error.offset,
                    getattr(error, "end_lineno", None), getattr(error, "end_offset", None), msg)
    except Exception as error:
        # ValueError (null bytes before 3.12), MemoryError and RecursionError (too deeply nested) are the
        # interpreter refusing the file too.
        return fail("syntax", error)
    return None

def main():
    warnings.simplefilter("ignore")
    out = sys.stdout
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        for file_id, path in json.loads(line.decode("utf-8")):
            out.write(json.dumps([file_id, check(path)]) + "\\n")
            out.flush()

main()
`;
