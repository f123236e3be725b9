import { describe, expect, test } from '@jest/globals';
import { envMasks } from '../src/env-masks.js';

describe('envMasks', () => {
  test.each([
    {
      name: 'short values, booleans and numbers are not masked; secrets are',
      pairs: [
        ['DEBUG', '1'],
        ['FLAG', 'true'],
        ['PORT', '8080'],
        ['SECRET_KEY', 'import-smoke-test'],
      ],
      masks: ['import-smoke-test'],
      unmasked: ['DEBUG', 'FLAG', 'PORT'],
    },
    {
      name: 'credentials inside a value are masked on their own too',
      pairs: [['DATABASE_URL', 'postgres://app:PASSWORD1@db/app']],
      masks: ['postgres://app:PASSWORD1@db/app', 'PASSWORD1'],
      unmasked: [],
    },
    {
      name: 'an empty value is neither masked nor warned about',
      pairs: [['EMPTY', '']],
      masks: [],
      unmasked: [],
    },
  ])('$name', ({ pairs, masks, unmasked }) => {
    const result = envMasks(pairs as Array<[string, string]>);
    expect(result.masks.sort()).toEqual([...masks].sort());
    expect(result.unmasked).toEqual(unmasked);
  });
});
