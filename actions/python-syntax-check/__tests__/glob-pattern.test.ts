import { describe, expect, test } from '@jest/globals';
import {
  PathFilter,
  globToRegExp,
  hasGlobMagic,
  normalizeRelative,
  staticBase,
} from '../src/glob-pattern.js';

describe('globToRegExp', () => {
  test.each([
    { pattern: '*.py', path: 'a.py', expected: true },
    { pattern: '*.py', path: 'src/a.py', expected: false },
    { pattern: '**/*.py', path: 'a.py', expected: true },
    { pattern: '**/*.py', path: 'src/deep/a.py', expected: true },
    { pattern: 'src/**/*.py', path: 'src/a.py', expected: true },
    { pattern: 'src/**/*.py', path: 'src/x/y/a.py', expected: true },
    { pattern: 'src/**/*.py', path: 'srcx/a.py', expected: false },
    { pattern: 'src/**', path: 'src/x/a.py', expected: true },
    { pattern: 'src/*', path: 'src/x/a.py', expected: false },
    { pattern: 'test_?.py', path: 'test_1.py', expected: true },
    { pattern: 'test_?.py', path: 'test_12.py', expected: false },
    { pattern: '?', path: '/', expected: false },
    { pattern: 'v[0-9].py', path: 'v7.py', expected: true },
    { pattern: 'v[!0-9].py', path: 'v7.py', expected: false },
    { pattern: 'v[!0-9].py', path: 'vx.py', expected: true },
    { pattern: '{src,lib}/*.py', path: 'lib/a.py', expected: true },
    { pattern: '{src,lib}/*.py', path: 'app/a.py', expected: false },
    { pattern: '*.{py,pyi}', path: 'a.pyi', expected: true },
    { pattern: 'a+b(1).py', path: 'a+b(1).py', expected: true },
    { pattern: 'a.py', path: 'axpy', expected: false },
    { pattern: './src/*.py', path: 'src/a.py', expected: true },
    { pattern: '*', path: '.hidden.py', expected: true },
    { pattern: '[unclosed.py', path: '[unclosed.py', expected: true },
  ])('$pattern ~ $path -> $expected', ({ pattern, path, expected }) => {
    expect(globToRegExp(pattern).test(path)).toBe(expected);
  });
});

describe('helpers', () => {
  test.each([
    { input: 'src/**/*.py', magic: true, base: 'src', normal: 'src/**/*.py' },
    { input: './a//b/', magic: false, base: 'a', normal: 'a/b' },
    { input: '*.py', magic: true, base: '', normal: '*.py' },
    { input: 'a/b/{c,d}/e.py', magic: true, base: 'a/b', normal: 'a/b/{c,d}/e.py' },
    { input: 'src\\win\\*.py', magic: true, base: 'src/win', normal: 'src/win/*.py' },
  ])('$input', ({ input, magic, base, normal }) => {
    expect(hasGlobMagic(input)).toBe(magic);
    expect(staticBase(input)).toBe(base);
    expect(normalizeRelative(input)).toBe(normal);
  });
});

describe('PathFilter', () => {
  test.each([
    { patterns: ['legacy'], path: 'legacy', expected: true },
    { patterns: ['legacy'], path: 'src/legacy', expected: true },
    { patterns: ['*_pb2.py'], path: 'gen/deep/api_pb2.py', expected: true },
    { patterns: ['src/legacy'], path: 'lib/src/legacy', expected: false },
    { patterns: ['src/legacy/'], path: 'src/legacy', expected: true },
    { patterns: ['tests/**/fixtures'], path: 'tests/a/b/fixtures', expected: true },
    { patterns: [], path: 'anything.py', expected: false },
    { patterns: ['', '  '], path: 'anything.py', expected: false },
  ])('$patterns excludes $path: $expected', ({ patterns, path, expected }) => {
    expect(new PathFilter(patterns).matches(path)).toBe(expected);
  });
});
