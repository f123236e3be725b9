// Test support: Python sources crafted to sit on the edges of the grammar, the compiler and the decoder. Only the
// bytes are written here; whether each compiles is asked of every interpreter.

/** The incident: a broken parameter list at line 26 of src/services/model_registry.py. */
export const INCIDENT_MODEL_REGISTRY = `"""Registry of the models the API serves."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Dict, Optional

log = logging.getLogger(__name__)


@dataclass
class Model:
    name: str
    version: str
    path: str
    metadata: Dict[str, str] = field(default_factory=dict)


class ModelRegistry:
    def __init__(self) -> None:
        self._models: Dict[str, Model] = {}
        self._lock = threading.Lock()

    # A comma went missing in this parameter list.
    def register(self, name: str, version: str path: str, metadata: Optional[Dict[str, str]] = None) -> Model:
        model = Model(name, version, path, metadata or {})
        with self._lock:
            self._models[name] = model
        log.info("registered %s %s", name, version)
        return model

    def get(self, name: str) -> Optional[Model]:
        return self._models.get(name)
`;

/** The incident file with the comma put back. */
export const FIXED_MODEL_REGISTRY = INCIDENT_MODEL_REGISTRY.replace(
  'version: str path',
  'version: str, path',
);

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const latin1 = (text: string) => Buffer.from(text, 'latin1');

export const CRAFTED: Array<{ name: string; bytes: Buffer }> = [
  { name: 'incident_model_registry.py', bytes: utf8(INCIDENT_MODEL_REGISTRY) },
  { name: 'fixed_model_registry.py', bytes: utf8(FIXED_MODEL_REGISTRY) },
  { name: 'empty.py', bytes: Buffer.alloc(0) },
  { name: 'plain.py', bytes: utf8('import os\n\nprint(os.getcwd())\n') },
  { name: 'return_outside_function.py', bytes: utf8('x = 1\nreturn x\n') },
  { name: 'yield_outside_function.py', bytes: utf8('yield 1\n') },
  { name: 'await_outside_async.py', bytes: utf8('def f():\n    await g()\n') },
  { name: 'nonlocal_module_level.py', bytes: utf8('x = 1\nnonlocal x\n') },
  { name: 'nonlocal_unbound.py', bytes: utf8('def f():\n    nonlocal y\n') },
  { name: 'late_future_import.py', bytes: utf8('import os\nfrom __future__ import annotations\n') },
  { name: 'unknown_future.py', bytes: utf8('from __future__ import braces\n') },
  { name: 'duplicate_argument.py', bytes: utf8('def f(a, b, a):\n    return a\n') },
  { name: 'duplicate_lambda_argument.py', bytes: utf8('f = lambda x, x: x\n') },
  { name: 'break_outside_loop.py', bytes: utf8('if True:\n    break\n') },
  {
    name: 'continue_in_finally.py',
    bytes: utf8('for i in range(3):\n    try:\n        pass\n    finally:\n        continue\n'),
  },
  { name: 'global_after_use.py', bytes: utf8('def f():\n    x = 1\n    global x\n') },
  { name: 'star_expression_alone.py', bytes: utf8('*a = [1, 2]\n') },
  { name: 'assign_to_literal.py', bytes: utf8('1 = x\n') },
  { name: 'unexpected_indent.py', bytes: utf8('x = 1\n    y = 2\n') },
  { name: 'expected_indent.py', bytes: utf8('def f():\nreturn 1\n') },
  { name: 'unindent_mismatch.py', bytes: utf8('if True:\n        x = 1\n    y = 2\n') },
  { name: 'tabs_and_spaces.py', bytes: utf8('if True:\n\tx = 1\n        y = 2\n') },
  { name: 'tabs_only.py', bytes: utf8('if True:\n\tx = 1\n\ty = 2\n') },
  { name: 'latin1_cookie.py', bytes: latin1('# -*- coding: latin-1 -*-\nname = "café"\n') },
  { name: 'latin1_bytes_no_cookie.py', bytes: latin1('name = "café"\n') },
  {
    name: 'cookie_second_line.py',
    bytes: latin1('#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\nx = "é"\n'),
  },
  {
    name: 'cookie_third_line_ignored.py',
    bytes: latin1('#!/usr/bin/env python\n\n# coding: latin-1\nx = "é"\n'),
  },
  { name: 'unknown_cookie.py', bytes: utf8('# coding: no-such-codec\nx = 1\n') },
  { name: 'bom_utf8.py', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('x = "ünïcödé"\n')]) },
  {
    name: 'bom_with_latin1_cookie.py',
    bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('# coding: latin-1\nx = 1\n')]),
  },
  {
    name: 'bom_with_utf8_cookie.py',
    bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('# coding: utf-8\nx = 1\n')]),
  },
  {
    name: 'utf16_bom.py',
    bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x = 1\n', 'utf16le')]),
  },
  { name: 'null_byte.py', bytes: Buffer.concat([utf8('x = 1\n'), Buffer.from([0]), utf8('\ny = 2\n')]) },
  { name: 'null_byte_in_comment.py', bytes: Buffer.concat([utf8('# a\0b\n'), utf8('x = 1\n')]) },
  {
    name: 'undecodable_utf8.py',
    bytes: Buffer.concat([utf8('x = "'), Buffer.from([0xff, 0xfe]), utf8('"\n')]),
  },
  { name: 'truncated_utf8.py', bytes: Buffer.concat([utf8('# comment \n'), Buffer.from([0xe2, 0x82])]) },
  { name: 'non_ascii_identifier.py', bytes: utf8('größe = 1\nπ = 3.14\n') },
  { name: 'invalid_character.py', bytes: utf8('x = 1 € 2\n') },
  { name: 'crlf_line_endings.py', bytes: utf8('def f():\r\n    return 1\r\n') },
  { name: 'cr_only_line_endings.py', bytes: utf8('x = 1\ry = 2\r') },
  { name: 'no_trailing_newline.py', bytes: utf8('def f():\n    return 1') },
  { name: 'line_continuation_at_eof.py', bytes: utf8('x = 1 + \\') },
  { name: 'unterminated_string.py', bytes: utf8('x = "abc\n') },
  { name: 'unterminated_triple_quote.py', bytes: utf8('x = """abc\n\ny = 2\n') },
  { name: 'unclosed_paren.py', bytes: utf8('print((1, 2)\nx = 3\n') },
  { name: 'mismatched_bracket.py', bytes: utf8('x = [1, 2)\n') },
  { name: 'too_many_nested_parens.py', bytes: utf8('x = ' + '('.repeat(250) + '1' + ')'.repeat(250) + '\n') },
  { name: 'deeply_nested_unary.py', bytes: utf8('x = ' + '-'.repeat(120000) + '1\n') },
  { name: 'walrus.py', bytes: utf8('if (n := 10) > 5:\n    print(n)\n') },
  { name: 'positional_only.py', bytes: utf8('def f(a, /, b):\n    return a\n') },
  { name: 'fstring_self_documenting.py', bytes: utf8('x = 1\nprint(f"{x=}")\n') },
  { name: 'fstring_nested_same_quotes.py', bytes: utf8('names = ["a"]\nprint(f"{", ".join(names)}")\n') },
  { name: 'fstring_backslash_in_expr.py', bytes: utf8('print(f"{\'\\n\'.join([])}")\n') },
  { name: 'fstring_comment_multiline.py', bytes: utf8('x = 1\ny = f"""{\n    x  # the value\n}"""\n') },
  { name: 'fstring_unterminated.py', bytes: utf8('x = f"{1 + }"\n') },
  {
    name: 'decorator_any_expression.py',
    bytes: utf8('buttons = [lambda f: f]\n@buttons[0]\ndef f():\n    pass\n'),
  },
  {
    name: 'parenthesized_context_managers.py',
    bytes: utf8('with (\n    open("a") as a,\n    open("b") as b,\n):\n    pass\n'),
  },
  {
    name: 'match_statement.py',
    bytes: utf8(
      'command = "go"\nmatch command.split():\n    case ["go", direction]:\n        pass\n    case _:\n        pass\n',
    ),
  },
  { name: 'match_as_identifier.py', bytes: utf8('match = 1\ncase = 2\nprint(match, case)\n') },
  { name: 'except_star.py', bytes: utf8('try:\n    pass\nexcept* ValueError:\n    pass\n') },
  { name: 'pep695_type_alias.py', bytes: utf8('type Point = tuple[float, float]\n') },
  {
    name: 'pep695_generic_function.py',
    bytes: utf8('def first[T](items: list[T]) -> T:\n    return items[0]\n'),
  },
  {
    name: 'pep695_generic_class.py',
    bytes: utf8('class Box[T]:\n    def __init__(self, item: T) -> None:\n        self.item = item\n'),
  },
  { name: 'pep696_type_param_default.py', bytes: utf8('class Box[T = int]:\n    pass\n') },
  { name: 'star_unpack_in_index.py', bytes: utf8('a = {}\nb = (1, 2)\na[*b] = 1\n') },
  { name: 'async_comprehension_outside_async.py', bytes: utf8('x = [i async for i in g()]\n') },
  { name: 'return_in_async_generator.py', bytes: utf8('async def f():\n    yield 1\n    return 2\n') },
  { name: 'invalid_escape_warning_only.py', bytes: utf8('x = "\\d"\n') },
  { name: 'is_literal_warning_only.py', bytes: utf8('x = 1\nprint(x is 1)\n') },
  { name: 'keyword_as_name.py', bytes: utf8('class = 1\n') },
  { name: 'print_statement.py', bytes: utf8('print "hello"\n') },
  { name: 'missing_colon.py', bytes: utf8('def f()\n    return 1\n') },
  { name: 'lambda_default_after_star.py', bytes: utf8('def f(*, a=1, b):\n    pass\n') },
  { name: 'non_default_after_default.py', bytes: utf8('def f(a=1, b):\n    pass\n') },
  { name: 'keyword_repeated_in_call.py', bytes: utf8('f(a=1, a=2)\n') },
  { name: 'generator_arg_unparenthesized.py', bytes: utf8('f(x for x in y, 1)\n') },
  { name: 'huge_int_literal.py', bytes: utf8('x = ' + '9'.repeat(5000) + '\n') },
  {
    name: 'long_valid_module.py',
    bytes: utf8(Array.from({ length: 3000 }, (_, i) => `v${i} = ${i} * 2\n`).join('')),
  },
];
