import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriteTurn } from './write-turn.ts';

test('writers take turns in the order they asked; ending a turn twice hands it on once', async () => {
  const turn = new WriteTurn();
  const order: string[] = [];
  const first = await turn.acquire();
  const waiting = ['b', 'c'].map((name) =>
    turn.acquire().then((release) => {
      order.push(name);
      return release;
    }),
  );
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, [], 'nobody goes while the first holds the turn');
  first();
  first();
  const b = await waiting[0]!;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['b'], 'a second end of the first turn did not let c in beside b');
  b();
  (await waiting[1]!)();
  assert.deepEqual(order, ['b', 'c']);
  // Free again: taken at once.
  (await turn.acquire())();
});
