import { describe, expect, test } from '@jest/globals';
import { parseImageReference } from '../src/docker-reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference: the Docker reference grammar', () => {
  test.each([
    { value: 'hokusai-api', expected: { repository: 'hokusai-api' } },
    { value: 'hokusai-api:ci', expected: { repository: 'hokusai-api', tag: 'ci' } },
    { value: 'team/api:_x.Y-1', expected: { repository: 'team/api', tag: '_x.Y-1' } },
    {
      value: '123456789012.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:abc1234',
      expected: {
        registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
        repository: 'hokusai-api',
        tag: 'abc1234',
      },
    },
    { value: 'localhost:5000/a__b/c--d', expected: { registry: 'localhost:5000', repository: 'a__b/c--d' } },
    { value: 'localhost/x', expected: { registry: 'localhost', repository: 'x' } },
    { value: '[::1]:5000/x:t', expected: { registry: '[::1]:5000', repository: 'x', tag: 't' } },
    { value: `api@${DIGEST}`, expected: { repository: 'api', digest: DIGEST } },
    { value: `api:t@${DIGEST}`, expected: { repository: 'api', tag: 't', digest: DIGEST } },
    { value: 'x:' + 'a'.repeat(128), expected: { repository: 'x', tag: 'a'.repeat(128) } },
  ])('$value', ({ value, expected }) => {
    expect(parseImageReference(value, 'image')).toEqual(expected);
  });

  test.each([
    { value: 'repo:-bad', why: 'the tag after ":" must start with' },
    { value: 'repo:.bad', why: 'the tag after ":" must start with' },
    { value: 'x:' + 'a'.repeat(129), why: 'the tag after ":"' },
    { value: 'Repo:x', why: 'must be lower case' },
    { value: 'repo/Name', why: 'must be lower case' },
    { value: 'a..b', why: 'each part of the repository name' },
    { value: 'a/', why: 'each part of the repository name' },
    { value: '-a', why: 'each part of the repository name' },
    { value: '--entrypoint=sh', why: 'each part of the repository name' },
    { value: 'a b', why: 'no spaces' },
    { value: 'a\nb', why: 'no spaces' },
    { value: 'api@sha256:abc', why: 'the digest after "@"' },
    { value: 'api@', why: 'the digest after "@"' },
    { value: ':tag', why: 'the name is empty' },
    { value: 'bad_host.-x/y', why: 'registry "bad_host.-x" is not a host name' },
    { value: 'host:port/x', why: 'is not a host name' },
    { value: 'a'.repeat(256), why: 'longer than 255' },
    { value: 'a'.repeat(128_000), why: '128000 characters; a Docker reference has at most 520' },
    { value: '', why: 'it is empty' },
  ])('rejects a bad reference: $why', ({ value, why }) => {
    expect(() => parseImageReference(value, 'image')).toThrow(why);
    expect(() => parseImageReference(value, 'image')).toThrow(
      /^invalid image reference ".*"(?: \(\d+ characters\))? for input "image"/s,
    );
  });

  test('an image id only where asked for', () => {
    const id = 'f'.repeat(64);
    expect(parseImageReference(`sha256:${id}`, 'image', { allowImageId: true })).toEqual({
      repository: '',
      digest: `sha256:${id}`,
    });
    expect(parseImageReference(id, 'image', { allowImageId: true })).toEqual({
      repository: '',
      digest: `sha256:${id}`,
    });
    expect(() => parseImageReference(id, 'image')).toThrow('are an image id, not a name');
  });

  test('inputs made to backtrack end (the npm ports of the grammar hang on these)', () => {
    for (let n = 1; n <= 520; n += 7) {
      for (const tail of ['!', '-', '_!', '.-']) {
        const value = 'a'.repeat(n) + tail;
        expect(() => parseImageReference(value, 'image')).toThrow('invalid image reference');
        expect(() => parseImageReference(`${'a-'.repeat(n)}/x${tail}`, 'image')).toThrow();
      }
    }
  });
});
