// Regular expressions from the inputs (`expect-body: /…/`, expect-json `matches /…/`) run on RE2JS, a linear-time
// engine (a JavaScript port of Google's RE2): a pattern such as /^(.*?)*x$/ cannot freeze the action on a
// backtracking search, which no timer could interrupt (the event loop itself is blocked). RE2 syntax is the
// JavaScript syntax less lookaround and backreferences, which a linear-time engine cannot offer.
import { RE2JS } from 're2js';

/** A compiled user pattern: `test` runs in time linear in the text's length. */
export interface UserRegex {
  /** As written: `/pattern/flags`. */
  readonly source: string;
  test(text: string): boolean;
}

/** JavaScript flags and what RE2JS does for them; g, y and d mean nothing for a yes/no match, u is always on. */
const FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  g: 0,
  y: 0,
  d: 0,
  u: 0,
};

/** Why a pattern cannot be used: RE2's own words, with what the engine does not offer said once. */
export class UserRegexError extends Error {}

/**
 * Compiles `pattern` with JavaScript-style `flags` (`i`, `m`, `s`; `g`, `y`, `d`, `u` accepted and ignored).
 * Throws UserRegexError for a syntax error, lookaround, backreferences or an unknown flag.
 */
export function compileUserRegex(pattern: string, flags = ''): UserRegex {
  let bits = 0;
  for (const flag of flags) {
    if (!(flag in FLAGS)) throw new UserRegexError(`flag "${flag}" is not supported (use i, m or s)`);
    bits |= FLAGS[flag]!;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, bits);
  } catch (error) {
    const message = String((error as Error).message).replace(/^error parsing regexp: /, '');
    throw new UserRegexError(
      `${message} (patterns run on a linear-time engine, RE2 syntax: no lookahead, lookbehind or backreferences)`,
    );
  }
  const source = `/${pattern}/${flags}`;
  return { source, test: (text) => compiled.matcher(text).find(), toString: () => source } as UserRegex;
}
