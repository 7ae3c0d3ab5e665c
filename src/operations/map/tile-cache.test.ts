import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etagOf, TileCache } from './tile-cache.ts';

const tile = (n: number, fill = 1) => {
  const bytes = new Uint8Array(n).fill(fill);
  return { bytes, etag: etagOf(bytes) };
};

test('the cache stays within its byte budget, dropping the least recently used first', () => {
  const cache = new TileCache<{ tag: string }>(3000);
  cache.set('a', tile(800), { tag: 'a' });
  cache.set('b', tile(800), { tag: 'b' });
  cache.set('c', tile(800), { tag: 'c' });
  assert.ok(cache.get('a'), 'a is now the most recently used');
  cache.set('d', tile(800), { tag: 'd' });
  assert.equal(cache.get('b'), undefined, 'b, the least recently used, went');
  assert.ok(cache.get('a') && cache.get('c') && cache.get('d'));
  assert.ok(cache.bytes <= 3000, `${cache.bytes}`);
  cache.set('huge', tile(5000), { tag: 'huge' });
  assert.equal(cache.get('huge'), undefined, 'a tile larger than the budget is not kept');
  assert.equal(cache.size, 3);
});

test('entries are dropped by what they were built from; replacing a key does not count it twice', () => {
  const cache = new TileCache<{ source: string }>(1 << 20);
  cache.set('b/1/0/0', tile(100), { source: 'basemap' });
  cache.set('c/31/*/16/1/1', tile(100), { source: 'components' });
  const before = cache.bytes;
  cache.set('c/31/*/16/1/1', tile(100, 2), { source: 'components' });
  assert.equal(cache.bytes, before);
  assert.equal(cache.dropWhere((m) => m.source === 'components'), 1);
  assert.equal(cache.size, 1);
  assert.ok(cache.get('b/1/0/0'));
});

test('ETags are quoted, stable for the same bytes and differ for different bytes', () => {
  assert.match(etagOf(new Uint8Array(0)), /^"[\w-]{22}"$/);
  assert.equal(etagOf(tile(10).bytes), etagOf(tile(10).bytes));
  assert.notEqual(etagOf(tile(10).bytes), etagOf(tile(10, 2).bytes));
});
