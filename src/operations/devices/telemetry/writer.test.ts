// The group commit's listeners: the rules follow readings as they are accepted (decision 0008),
// the live map and NGSI-LD subscriptions once they are committed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppContext } from '../../../platform/context.ts';
import { silentLogger } from '../../../platform/logger.ts';
import type { Reading } from './reading.ts';
import type { TelemetryStore } from './telemetry.store.ts';
import { TelemetryWriter } from './writer.ts';

test('accepted readings reach their listeners before the commit (one call per turn of the event loop); committed ones after it', async () => {
  let commit!: () => void;
  let fail!: (err: Error) => void;
  const commits: number[] = [];
  const store = {
    commit: (_ctx: AppContext, b: { readings: Reading[] }) => {
      commits.push(b.readings.length);
      return new Promise<void>((resolve, reject) => {
        commit = resolve;
        fail = reject;
      });
    },
    fail: (err: Error) => fail(err),
  } as unknown as TelemetryStore;
  const ctx = { clock: { now: () => 1_800_000_000_000 }, log: silentLogger } as unknown as AppContext;
  const writer = new TelemetryWriter(ctx, store);
  const accepted: number[][] = [];
  const committed: number[][] = [];
  const commitsWhenAccepted: number[] = [];
  writer.onAccepted((rs) => {
    accepted.push(rs.map((r) => r.value));
    commitsWhenAccepted.push(commits.length);
  });
  writer.onCommitted((rs) => committed.push(rs.map((r) => r.value)));
  const reading = (value: number): Reading => ({ deviceId: 'gauge-1', metric: 'waterLevel', at: 1_800_000_000_000 + value, value });

  let acked = 0;
  const a = writer.write([reading(1)], [], ['gauge-1']).then(() => acked++);
  const b = writer.write([reading(2), reading(3)], [], ['gauge-1']).then(() => acked++);
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(accepted, [[1, 2, 3]], 'both messages of that turn, together, before any commit ended');
  assert.deepEqual(commitsWhenAccepted, [1], 'an idle writer had started the commit before the rules got the readings');
  assert.deepEqual(commits, [3]);
  assert.deepEqual([acked, committed.length], [0, 0], 'nothing acknowledged or committed yet');

  commit();
  await Promise.all([a, b]);
  assert.deepEqual(committed, [[1, 2, 3]]);
  assert.equal(acked, 2);
  assert.deepEqual(accepted, [[1, 2, 3]], 'each reading handed over once');

  // A commit that fails: its writer is refused (no PUBACK, the device sends it again); the rules
  // have seen the reading, the committed listeners never do.
  const failing = writer.write([reading(4)], [], ['gauge-1']);
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(accepted, [[1, 2, 3], [4]]);
  const rejected = assert.rejects(failing, /disk full/);
  (store as unknown as { fail(err: Error): void }).fail(new Error('disk full'));
  await rejected;
  assert.deepEqual(committed, [[1, 2, 3]]);
});
