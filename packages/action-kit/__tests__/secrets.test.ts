import { describe, expect, test } from '@jest/globals';
import { credentialsIn, isPlainSetting, maskSecret, redactSecrets, secretMasksOf } from '../src/secrets.js';

describe('credentialsIn', () => {
  test.each([
    { value: 'postgres://app:PASSWORD1@db.internal:5432/app', expected: ['PASSWORD1'] },
    { value: 'redis://:s3cr3t-pw@cache:6379/0', expected: ['s3cr3t-pw'] },
    { value: 'https://user:p%40ss%2Fword@host/x', expected: ['p%40ss%2Fword', 'p@ss/word'] },
    { value: 'Server=db;Database=app;User Id=sa;Password=Hunter22;', expected: ['Hunter22'] },
    { value: "host=db user=app password='quoted pw' dbname=app", expected: ['quoted pw'] },
    { value: 'postgres://db/app?sslmode=require&password=q-s3cret', expected: ['q-s3cret'] },
    { value: 'amqp://guest@host/?token=tkn-1234&x=1', expected: ['tkn-1234'] },
    { value: 'DB_SECRET=abcd1234', expected: ['abcd1234'] },
    { value: 'api_key=AKIA0000EXAMPLE', expected: ['AKIA0000EXAMPLE'] },
    { value: 'Bearer eyJhbGciOi.payload.sig', expected: ['eyJhbGciOi.payload.sig'] },
    { value: 'postgres://app@db/app', expected: [] },
    { value: 'plain-value', expected: [] },
    { value: 'pwd=abc', expected: [] },
    { value: 'bypass=notacredential', expected: [] },
  ])('$value', ({ value, expected }) => {
    expect(credentialsIn(value).sort()).toEqual([...expected].sort());
  });
});

describe('maskSecret', () => {
  test('masks the whole value, each line and each credential inside, before anything else', () => {
    const masked: string[] = [];
    maskSecret('postgres://u:PASSWORD@host/db', (text) => masked.push(text));
    expect(masked).toEqual(['postgres://u:PASSWORD@host/db', 'PASSWORD']);
  });
  test('blank values mask nothing', () => {
    expect(secretMasksOf('  ')).toEqual([]);
  });
  test('multi-line values are masked line by line too', () => {
    expect(secretMasksOf('line-one\nline-two')).toEqual(['line-one\nline-two', 'line-one', 'line-two']);
  });
});

describe('redactSecrets', () => {
  test('longest first, every occurrence', () => {
    expect(redactSecrets('u:PASSWORD@h and PASSWORD', ['PASSWORD', 'u:PASSWORD@h', ''])).toBe('*** and ***');
  });
});

describe('isPlainSetting', () => {
  test.each([
    { value: '1', plain: true },
    { value: 'abc', plain: true },
    { value: 'true', plain: true },
    { value: 'Off', plain: true },
    { value: '8080', plain: true },
    { value: '-1.5', plain: true },
    { value: ' yes ', plain: true },
    { value: 'abcd', plain: false },
    { value: 'postgres://u:PASSWORD@db/app', plain: false },
    { value: '1234abcd', plain: false },
    { value: 'truest', plain: false },
  ])('$value: $plain', ({ value, plain }) => {
    expect(isPlainSetting(value)).toBe(plain);
  });
});
