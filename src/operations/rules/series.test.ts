import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Series } from './series.ts';

const all = (s: Series) => Array.from({ length: s.length }, (_, i) => [s.time(i), s.value(i)]);

test('a series keeps readings in time order, once per time, across drops, slides and growth', () => {
  const s = new Series();
  // Late and duplicate readings: inserted in place, the first at a time stays.
  for (const [at, v] of [[10, 1], [30, 3], [20, 2], [30, 9], [5, 0.5]]) s.add(at!, v!);
  assert.deepEqual(all(s), [[5, 0.5], [10, 1], [20, 2], [30, 3]]);
  assert.equal(s.firstFrom(11), 2);
  assert.equal(s.firstFrom(20), 2);
  assert.equal(s.firstFrom(31), 4);
  assert.equal(s.firstFrom(0), 0);

  // Thousands appended with the oldest dropped as they go (the engine's look-back): the ring wraps
  // around many times without growing past what is held.
  const expected: number[][] = all(s);
  for (let t = 100; t < 5100; t++) {
    s.add(t, t / 10);
    expected.push([t, t / 10]);
    if (s.length > 700) {
      s.drop(s.length - 700);
      expected.splice(0, expected.length - 700);
    }
  }
  assert.equal(s.length, 700);
  assert.deepEqual(all(s), expected);
  assert.deepEqual(s.tail(2), [{ at: 5098, value: 509.8 }, { at: 5099, value: 509.9 }]);
  // Out of order after wrapping.
  s.add(4500.5, -1);
  assert.equal(s.time(s.firstFrom(4500.5)), 4500.5);
  assert.equal(s.value(s.firstFrom(4500.5)), -1);
  assert.equal(s.length, 701);

  s.drop(10_000);
  assert.equal(s.length, 0);
  assert.deepEqual(s.tail(5), []);
  s.add(1, 1);
  assert.deepEqual(all(s), [[1, 1]]);
});

test('a burst grows the ring; trimming back gives the room back', () => {
  const s = new Series();
  for (let t = 0; t < 5000; t++) s.add(t, t);
  const capacity = () => (s as unknown as { times: Float64Array }).times.length;
  assert.equal(capacity(), 8192);
  s.drop(5000 - 720);
  assert.ok(capacity() <= 2048, `still ${capacity()} slots for 720 readings`);
  assert.deepEqual([s.time(0), s.time(719), s.length], [4280, 4999, 720]);
});
