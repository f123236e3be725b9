// The Python program each fresh interpreter runs (passed with `python -c`): it performs one import and prints
// one JSON result line. It must run on CPython 3.8–3.13 and on python3-minimal, which has no `json` module.

/** The line prefix that marks the harness's result on stdout (the app may print too). */
export const RESULT_MARKER = '@@hokusai-import-smoke-test-result@@';

/**
 * Arguments after `-c HARNESS`: the timeout in seconds (0 = none; at the timeout the harness dumps every
 * thread's stack to stderr and exits), then one step
 * per argument: `M=<module>` (import it), `F=<module>=<name>` (from <module> import <name>), `S=<module>`
 * (from <module> import *), `A=<module>=<attr.path>` (the module's attribute). `=` never occurs in Python names.
 */
export const HARNESS_SOURCE = String.raw`
import sys
# The working directory ('' on sys.path) must not shadow the few stdlib modules the harness itself uses.
_head = sys.path.pop(0) if sys.path and sys.path[0] in ('', '.') else None
import os, time, faulthandler
try:
    import traceback
except Exception:
    traceback = None
if _head is not None:
    sys.path.insert(0, _head)

MARKER = '${RESULT_MARKER}'


def enc(v):
    if v is None:
        return 'null'
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return '[' + ','.join(enc(x) for x in v) + ']'
    if isinstance(v, dict):
        return '{' + ','.join(enc(str(k)) + ':' + enc(x) for k, x in v.items()) + '}'
    out = ['"']
    for ch in str(v):
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == '\\':
            out.append('\\\\')
        elif 0x20 <= o < 0x7f:
            out.append(ch)
        elif o > 0xffff:
            o -= 0x10000
            out.append('\\u%04x\\u%04x' % (0xd800 + (o >> 10), 0xdc00 + (o & 0x3ff)))
        else:
            out.append('\\u%04x' % o)
    out.append('"')
    return ''.join(out)


def text_of(value):
    try:
        return str(value)
    except BaseException:
        return '<unprintable %s>' % type(value).__name__


def type_name(exc):
    t = type(exc)
    module = getattr(t, '__module__', 'builtins')
    name = getattr(t, '__qualname__', t.__name__)
    return name if module in ('builtins', None) else module + '.' + name


def absolute(path):
    if not isinstance(path, str) or path.startswith('<'):
        return path
    return os.path.abspath(path)


def describe(exc):
    frames = []
    tb = exc.__traceback__
    # The harness's own frames (file '<string>') come first; the user's traceback starts after them.
    while tb is not None and tb.tb_frame.f_code.co_filename == '<string>':
        tb = tb.tb_next
    user_tb = tb
    while tb is not None:
        code = tb.tb_frame.f_code
        frames.append({'file': absolute(code.co_filename), 'line': tb.tb_lineno, 'function': code.co_name})
        tb = tb.tb_next
    error = {'type': type_name(exc), 'message': text_of(exc), 'frames': frames}
    if isinstance(exc, SyntaxError):
        error['message'] = text_of(exc.msg)
        error['syntax'] = {
            'file': absolute(exc.filename),
            'line': exc.lineno,
            'column': exc.offset,
            'text': exc.text,
        }
    if isinstance(exc, ImportError) and getattr(exc, 'name', None):
        error['module'] = exc.name
    try:
        if traceback is None:
            raise RuntimeError('no traceback module')
        error['traceback'] = ''.join(traceback.format_exception(type(exc), exc, user_tb))
    except BaseException:
        error['traceback'] = ''.join(
            '  File "%s", line %s, in %s\n' % (f['file'], f['line'], f['function']) for f in frames
        ) + error['type'] + ': ' + error['message'] + '\n'
    return error


def step(arg):
    kind, _, rest = arg.partition('=')
    if kind == 'M':
        __import__(rest)
    elif kind == 'F':
        module, _, name = rest.partition('=')
        mod = __import__(module, globals(), None, [name], 0)
        if not hasattr(mod, name):
            sub = sys.modules.get(module + '.' + name)
            if sub is None:
                where = getattr(mod, '__file__', None) or 'unknown location'
                raise ImportError('cannot import name %r from %r (%s)' % (name, module, where), name=module)
    elif kind == 'S':
        mod = __import__(rest, globals(), None, ['*'], 0)
        for name in getattr(mod, '__all__', ()):
            getattr(mod, name)
    elif kind == 'A':
        module, _, attribute = rest.partition('=')
        obj = __import__(module, globals(), None, ['__name__'], 0)
        for part in attribute.split('.'):
            obj = getattr(obj, part)
    else:
        raise SystemError('import-smoke-test harness: unknown step %r' % arg)


def main():
    faulthandler.enable()
    timeout = float(sys.argv[1])
    if timeout > 0:
        # At the timeout faulthandler prints where every thread is and ends the process, even if the import is
        # stuck in C code holding the GIL: a hang still points at its line.
        faulthandler.dump_traceback_later(timeout, exit=True)
    result = {'cwd': os.getcwd(), 'python': '.'.join(str(p) for p in sys.version_info[:3])}
    started = time.perf_counter()
    try:
        for arg in sys.argv[2:]:
            step(arg)
        result['ok'] = True
    except BaseException as exc:
        result['ok'] = False
        result['error'] = describe(exc)
    result['seconds'] = time.perf_counter() - started
    if timeout > 0:
        faulthandler.cancel_dump_traceback_later()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    data = ('\n' + MARKER + enc(result) + '\n').encode('ascii')
    while data:
        data = data[os.write(1, data):]
    # Threads the app started at import time must not keep this interpreter alive.
    os._exit(0)


main()
`;
