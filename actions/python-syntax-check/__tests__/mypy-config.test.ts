import { describe, expect, test } from '@jest/globals';
import { findMypyConfig, mypyConfigOf, MypyConfigError } from '../src/mypy-config.js';

describe('mypyConfigOf', () => {
  test.each([
    { file: 'mypy.ini', text: '[mypy]\nstrict = True\n', expected: { file: 'mypy.ini' } },
    {
      file: '.mypy.ini',
      text: '[mypy]\nfiles = src, tests\n',
      expected: { file: '.mypy.ini', files: ['src', 'tests'] },
    },
    // mypy reads its own ini files even without a [mypy] section (and warns): they configure it.
    {
      file: 'mypy.ini',
      text: '[mypy-requests.*]\nignore_missing_imports = True\n',
      expected: { file: 'mypy.ini' },
    },
    {
      file: 'setup.cfg',
      text: '[metadata]\nname = api\n[mypy]\nfiles=src\n',
      expected: { file: 'setup.cfg', files: ['src'] },
    },
    {
      file: 'setup.cfg',
      text: '[metadata]\nname = api\n[flake8]\nmax-line-length = 100\n',
      expected: undefined,
    },
    {
      file: 'pyproject.toml',
      text: '[project]\nname = "api"\n\n[tool.mypy]\nfiles = ["src", "scripts/*.py"]\nstrict = true\n',
      expected: { file: 'pyproject.toml', files: ['src', 'scripts/*.py'] },
    },
    {
      file: 'pyproject.toml',
      text: '[tool.mypy]\npython_version = "3.12"\n',
      expected: { file: 'pyproject.toml' },
    },
    { file: 'pyproject.toml', text: '[tool.ruff]\nline-length = 100\n', expected: undefined },
  ])('$file: $text', ({ file, text, expected }) => {
    expect(mypyConfigOf(file, text)).toEqual(expected);
  });

  test('a pyproject.toml that does not parse is an error naming the file', () => {
    expect(() => mypyConfigOf('pyproject.toml', '[tool.mypy\nstrict = true\n')).toThrow(MypyConfigError);
    expect(() => mypyConfigOf('pyproject.toml', '[tool.mypy\n')).toThrow(
      /^pyproject.toml does not parse, so mypy would not run either: /,
    );
  });
});

describe('findMypyConfig', () => {
  const reader = (files: Record<string, string>) => async (file: string) => files[file];

  test("mypy.ini wins over pyproject.toml and setup.cfg (mypy's own order)", async () => {
    const files = {
      'mypy.ini': '[mypy]\n',
      'pyproject.toml': '[tool.mypy]\nfiles = ["x"]\n',
      'setup.cfg': '[mypy]\n',
    };
    expect(await findMypyConfig(reader(files))).toEqual({ file: 'mypy.ini' });
  });

  test('a pyproject.toml without [tool.mypy] is passed over for setup.cfg', async () => {
    const files = { 'pyproject.toml': '[tool.black]\n', 'setup.cfg': '[mypy]\nfiles = src\n' };
    expect(await findMypyConfig(reader(files))).toEqual({ file: 'setup.cfg', files: ['src'] });
  });

  test('no configuration', async () => {
    expect(await findMypyConfig(reader({ 'setup.cfg': '[flake8]\n' }))).toBeUndefined();
  });
});
