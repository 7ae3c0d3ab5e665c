import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Metric } from '../device.schema.ts';
import { decodePayload, MAX_READINGS, readMessage } from './reading.ts';

const METRICS: Metric[] = [
  { key: 'waterLevel', nameZh: '水位', nameEn: 'Water level', unit: 'm', min: -5, max: 15 },
  { key: 'doorOpen', nameZh: '门开', nameEn: 'Door open', unit: 'bool', min: 0, max: 1 },
];
const NOW = Date.UTC(2026, 6, 25, 3, 15);

describe('reading device messages', () => {
  test('one reading, a batch, or an array; ISO times with their zone; booleans for bool metrics', () => {
    assert.deepEqual(readMessage('d', METRICS, { ts: NOW - 1000, values: { waterLevel: 4.5 } }, NOW).readings, [{ deviceId: 'd', metric: 'waterLevel', at: NOW - 1000, value: 4.5 }]);
    const batch = readMessage('d', METRICS, { readings: [{ ts: '2026-07-25T11:14:00+08:00', values: { doorOpen: true } }, { values: { waterLevel: 1 } }] }, NOW);
    assert.deepEqual(batch.readings, [
      { deviceId: 'd', metric: 'doorOpen', at: NOW - 60_000, value: 1 },
      { deviceId: 'd', metric: 'waterLevel', at: NOW, value: 1 },
    ]);
    assert.equal(readMessage('d', METRICS, [{ values: { waterLevel: 2 } }], NOW).readings.length, 1);
  });

  test('each refusal names its field and reason; good values beside bad ones are kept', () => {
    const r = readMessage('d', METRICS, { readings: [{ ts: NOW / 1000, values: { waterLevel: 1 } }, { ts: 'yesterday', values: { waterLevel: 1 } }, { values: { waterLevel: 16, doorOpen: 1, rain: 2 } }, { values: {} }, 7] }, NOW);
    assert.deepEqual(r.refusals.map((x) => x.field), ['readings[0].ts', 'readings[1].ts', 'readings[2].values.waterLevel', 'readings[2].values.rain', 'readings[3].values', 'readings[4]']);
    assert.match(r.refusals[0]!.reason, /epoch seconds/);
    assert.match(r.refusals[2]!.reason, /16 is outside the valid range -5–15 m/);
    assert.match(r.refusals[3]!.reason, /not a metric.*waterLevel, doorOpen/);
    assert.deepEqual(r.readings.map((x) => x.metric), ['doorOpen']);
  });

  test('times too far ahead or too old, too many readings, and payloads that are not readings', () => {
    assert.match(readMessage('d', METRICS, { ts: NOW + 10 * 60_000, values: { waterLevel: 1 } }, NOW).refusals[0]!.reason, /10 minutes in the future/);
    assert.match(readMessage('d', METRICS, { ts: NOW - 8 * 86_400_000, values: { waterLevel: 1 } }, NOW).refusals[0]!.reason, /more than 7 days old/);
    const many = readMessage('d', METRICS, { readings: Array.from({ length: MAX_READINGS + 1 }, () => ({ values: { waterLevel: 1 } })) }, NOW);
    assert.equal(many.readings.length, 0);
    assert.match(many.refusals[0]!.reason, /at most 1000/);
    assert.equal(readMessage('d', METRICS, 'hello', NOW).refusals[0]!.field, 'payload');
    const bad = decodePayload(Buffer.from('{"values":'));
    assert.ok(!bad.ok && /is not JSON/.test(bad.refusal.reason));
    assert.ok(!decodePayload('  ').ok);
  });
});
