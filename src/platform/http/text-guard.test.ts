import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../errors.ts';
import { assertCleanText } from './text-guard.ts';

const fails = (v: unknown, field: string) =>
  assert.throws(() => assertCleanText(v, ''), (e: unknown) => e instanceof AppError && e.code === 'FIELD_INVALID' && e.field === field);

test('NUL and unpaired surrogates are refused with the path of the field', () => {
  fails({ username: 'a\u0000b' }, 'username');
  fails({ a: { b: ['ok', 'x\ud800'] } }, 'a.b.1');
  fails({ lone: '\udc00tail' }, 'lone');
});

test('ordinary text, Chinese, emoji (paired surrogates) and numbers pass', () => {
  assertCleanText({ name: '陆家嘴街道', note: 'ok 👍 <script>alert(1)</script>', n: 3, list: [null, true] }, '');
});
