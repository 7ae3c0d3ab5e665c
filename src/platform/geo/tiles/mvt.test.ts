import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTile } from './mvt.ts';
import { decode, feature, pointAt, rawLayers } from './testing.ts';

// --- encoding -----------------------------------------------------------------------------------

test('layers, feature counts, ids, extent and version survive a decode', () => {
  const buf = encodeTile([
    { name: 'components', features: [pointAt(1, 2, {}, 7), pointAt(3, 4, {}, 0), pointAt(5, 6), pointAt(7, 8, {}, 2 ** 53 - 1)] },
    { name: '井盖', extent: 512, features: [pointAt(10, 10, {}, 1)] },
  ]);
  assert.ok(buf instanceof Uint8Array);
  const tile = decode(buf);
  assert.deepEqual(Object.keys(tile.layers).sort(), ['components', '井盖']);
  const a = tile.layers.components;
  assert.equal(a.length, 4);
  assert.equal(a.extent, 4096);
  assert.equal(a.version, 2);
  assert.deepEqual([0, 1, 2, 3].map((i) => a.feature(i).id), [7, 0, undefined, 2 ** 53 - 1]);
  assert.equal(tile.layers['井盖'].extent, 512);
  assert.equal(tile.layers['井盖'].feature(0).id, 1);
  const raw = rawLayers(buf);
  assert.deepEqual(
    raw.map((l) => [l.name, l.version, l.extent, l.features.length]),
    [
      ['components', 2, 4096, 4],
      ['井盖', 2, 512, 1],
    ],
  );
});

test('properties: strings (Chinese too), integers, negative integers, floats, booleans; null and undefined left out', () => {
  const props = {
    name: '人民广场',
    category: 'manhole 井盖',
    empty: '',
    count: 42,
    zero: 0,
    big: 2 ** 53 - 1,
    negative: -17,
    veryNegative: -(2 ** 40),
    ratio: 0.125,
    pi: Math.PI,
    negativeFloat: -2.5,
    huge: 1e300,
    yes: true,
    no: false,
    missing: null,
    absent: undefined,
  };
  const tile = decode(encodeTile([{ name: 'l', features: [pointAt(1, 1, props, 1)] }]));
  const f = feature(tile, 'l');
  const { missing, absent, ...expected } = props;
  void missing;
  void absent;
  assert.deepEqual({ ...f.properties }, expected);
  assert.ok(!('missing' in f.properties) && !('absent' in f.properties));
});

test('values are typed per the spec: string, uint for non-negative ints, sint for negative ints, double, bool', () => {
  const buf = encodeTile([{ name: 'l', features: [pointAt(1, 1, { s: '上海', u: 5, n: -5, d: 1.5, b: true, f: false }, 1)] }]);
  const [layer] = rawLayers(buf);
  assert.deepEqual(layer.keys, ['s', 'u', 'n', 'd', 'b', 'f']);
  assert.deepEqual(layer.values, [
    { field: 1, value: '上海' },
    { field: 5, value: 5 },
    { field: 6, value: -5 },
    { field: 3, value: 1.5 },
    { field: 7, value: true },
    { field: 7, value: false },
  ]);
  assert.deepEqual(layer.features[0].tags, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
});

test('keys and values are deduplicated per layer, not across layers', () => {
  const features = [
    pointAt(1, 1, { kind: '井盖', level: 1, ok: true }, 1),
    pointAt(2, 2, { kind: '井盖', level: 2, ok: true }, 2),
    pointAt(3, 3, { kind: '路灯', level: 1, other: '井盖', ok: null }, 3),
    pointAt(4, 4, { n: 1, s: '1' }, 4), // the number 1 and the string "1" are different values
  ];
  const buf = encodeTile([
    { name: 'a', features },
    { name: 'b', features: [pointAt(5, 5, { level: 1 })] },
  ]);
  const [a, b] = rawLayers(buf);
  assert.deepEqual(a.keys, ['kind', 'level', 'ok', 'other', 'n', 's']);
  assert.deepEqual(
    a.values.map((v) => v.value),
    ['井盖', 1, true, 2, '路灯', '1'],
  );
  assert.deepEqual(a.features[2].tags, [0, 4, 1, 1, 3, 0]);
  assert.deepEqual(a.features[3].tags, [4, 1, 5, 5]);
  assert.deepEqual(b.keys, ['level']);
  assert.deepEqual(b.values, [{ field: 5, value: 1 }]);
  const tile = decode(buf);
  assert.deepEqual({ ...feature(tile, 'a', 2).properties }, { kind: '路灯', level: 1, other: '井盖' });
  assert.deepEqual({ ...feature(tile, 'a', 3).properties }, { n: 1, s: '1' });
});

test('integers beyond 2^52 are zigzag-encoded exactly', () => {
  const v = -(2 ** 53 - 1);
  const buf = encodeTile([{ name: 'l', features: [pointAt(1, 1, { v })] }]);
  // zigzag(v) = 2^54 - 3, which a double cannot hold; look for its exact varint bytes.
  let z = 2n ** 54n - 3n;
  const expected: number[] = [6 << 3]; // Value.sint_value tag
  while (z > 0x7fn) {
    expected.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  expected.push(Number(z));
  const hex = Buffer.from(buf).toString('hex');
  assert.ok(hex.includes(Buffer.from(expected).toString('hex')), 'sint64 bytes');
});
