// Whether a repository configures mypy, read the way mypy reads it: the first of ./mypy.ini, ./.mypy.ini,
// ./pyproject.toml ([tool.mypy]) and ./setup.cfg ([mypy]) that has a mypy section is the configuration (mypy docs,
// "The mypy configuration file": config file lookup order), and its `files` option names what to check.
// Pure: file texts in, plain data out.
import { parse as parseIni } from 'ini';
import { parse as parseToml } from 'smol-toml';

/** The files mypy looks at, in its own order of precedence. */
export const MYPY_CONFIG_FILES = ['mypy.ini', '.mypy.ini', 'pyproject.toml', 'setup.cfg'] as const;

export interface MypyConfig {
  /** The configuration file, relative to the workspace, e.g. `pyproject.toml`. */
  file: string;
  /** The `files` option (paths or globs mypy checks when given no targets); undefined when not set. */
  files?: string[];
}

/**
 * The mypy configuration in `file` (one of MYPY_CONFIG_FILES) with contents `text`, or undefined when the file has
 * no mypy section. A file that does not parse is an error naming the file: mypy itself would stop on it.
 */
export function mypyConfigOf(file: string, text: string): MypyConfig | undefined {
  if (file === 'pyproject.toml') {
    let document: Record<string, unknown>;
    try {
      document = parseToml(text) as Record<string, unknown>;
    } catch (error) {
      throw new MypyConfigError(file, (error as Error).message.split('\n')[0] ?? 'invalid TOML');
    }
    const tool = document.tool as Record<string, unknown> | undefined;
    const section = tool?.mypy as Record<string, unknown> | undefined;
    if (!section || typeof section !== 'object') return undefined;
    return { file, ...filesOf(section.files) };
  }
  const sections = parseIni(text) as Record<string, unknown>;
  const section = sections.mypy as Record<string, unknown> | undefined;
  // mypy.ini and .mypy.ini are mypy's own files: mypy reads them even without [mypy] (and then uses defaults).
  if (!section || typeof section !== 'object') {
    return file === 'setup.cfg' ? undefined : { file };
  }
  return { file, ...filesOf(section.files) };
}

/** `files = src, tests` (INI, comma-separated) or `files = ["src", "tests"]` (TOML). */
function filesOf(value: unknown): { files?: string[] } {
  const list =
    typeof value === 'string'
      ? value.split(',')
      : Array.isArray(value)
        ? value.filter((v): v is string => typeof v === 'string')
        : [];
  const files = list.map((f) => f.trim()).filter((f) => f !== '');
  return files.length > 0 ? { files } : {};
}

export class MypyConfigError extends Error {
  override name = 'MypyConfigError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} does not parse, so mypy would not run either: ${detail}`);
  }
}

/**
 * The repository's mypy configuration: the first file of MYPY_CONFIG_FILES with a mypy section. `read` returns a
 * file's text, or undefined when it does not exist.
 */
export async function findMypyConfig(
  read: (file: string) => Promise<string | undefined>,
): Promise<MypyConfig | undefined> {
  for (const file of MYPY_CONFIG_FILES) {
    const text = await read(file);
    if (text === undefined) continue;
    const config = mypyConfigOf(file, text);
    if (config) return config;
  }
  return undefined;
}
