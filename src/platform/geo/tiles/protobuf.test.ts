import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PbfReader } from 'pbf';
import { ByteWriter } from './protobuf.ts';

test('ByteWriter: varints of every size and the in-place length prefix', () => {
  for (const v of [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
    const w = new ByteWriter(1);
    w.varint(v);
    assert.equal(new PbfReader(w.finish()).readVarint(), v, `${v}`);
  }
  for (const size of [0, 127, 128, 16383, 16384, 70000]) {
    const w = new ByteWriter(1);
    w.message(1, () => w.bytes(new Uint8Array(size).fill(7)));
    const r = new PbfReader(w.finish());
    assert.equal(r.readVarint(), (1 << 3) | 2);
    assert.equal(r.readVarint(), size);
    assert.equal(r.length - r.pos, size);
  }
  assert.throws(() => new ByteWriter().varint(-1), RangeError);
});
