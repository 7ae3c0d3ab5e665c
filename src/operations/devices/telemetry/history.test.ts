import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../../platform/db/testing.ts';
import type { ComponentsYiwang } from '../../components/testing.ts';
import { gatewayToken, registerDevice, startDevicesYiwang } from '../testing.ts';
import { applyRetention } from './retention.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

for (const dialect of DIALECTS) {
  describe(`telemetry history, rollups and retention (${dialect})`, () => {
    let y: ComponentsYiwang;
    let token: { authorization: string };
    before(async () => {
      y = await startDevicesYiwang(dialect, ['lujiazui.operator', 'waitan.operator']);
      token = await gatewayToken(y, '310115');
    });
    after(async () => y?.close());
    const post = (readings: unknown[]) => y.app.inject({ method: 'POST', url: '/api/telemetry', headers: token, payload: { readings } });
    const history = async (id: string, q: string, who = 'lujiazui.operator') => y.app.inject({ url: `/api/devices/${id}/history?${q}`, headers: y.as[who] });

    test('raw points, and count/avg/min/max per minute, hour and Shanghai day from the rollups; a re-sent reading is counted once', async () => {
      const d = await registerDevice(y, 'lujiazui.operator');
      const now = y.clock.now();
      const t0 = Math.floor((now - 2 * HOUR) / HOUR) * HOUR; // on an hour boundary, two hours back
      const readings = [
        { deviceId: d.id, ts: t0 + 1000, values: { waterLevel: 2 } },
        { deviceId: d.id, ts: t0 + 2000, values: { waterLevel: 4 } },
        { deviceId: d.id, ts: t0 + MIN + 5000, values: { waterLevel: 3 } },
        { deviceId: d.id, ts: t0 + HOUR + 10, values: { waterLevel: 5 } },
      ];
      assert.equal((await post(readings)).json().accepted, 4);
      assert.equal((await post(readings.slice(0, 2))).json().accepted, 2, 'accepted again (idempotent)…');

      const raw = (await history(d.id, `metric=waterLevel&from=${t0}&to=${t0 + 2 * HOUR}&bucket=raw`)).json();
      assert.deepEqual(raw.points.map((p: { value: number }) => p.value), [2, 4, 3, 5], '…but stored once');
      const minutes = (await history(d.id, `metric=waterLevel&from=${t0}&to=${t0 + 2 * HOUR}&bucket=1m`)).json();
      assert.deepEqual(minutes.buckets, [
        { start: t0, n: 2, avg: 3, min: 2, max: 4 },
        { start: t0 + MIN, n: 1, avg: 3, min: 3, max: 3 },
        { start: t0 + HOUR, n: 1, avg: 5, min: 5, max: 5 },
      ]);
      const hours = (await history(d.id, `metric=waterLevel&from=${t0}&to=${t0 + 2 * HOUR}&bucket=1h`)).json();
      assert.deepEqual(hours.buckets.map((b: { n: number; avg: number }) => [b.n, b.avg]), [[3, 3], [1, 5]]);
      const days = (await history(d.id, `metric=waterLevel&from=${t0 - DAY}&to=${t0 + DAY}&bucket=1d`)).json();
      const sum = days.buckets.reduce((a: number, b: { n: number }) => a + b.n, 0);
      assert.equal(sum, 4);
      for (const b of days.buckets) assert.equal((b.start + 8 * HOUR) % DAY, 0, 'days begin at midnight Shanghai time');
      const auto = (await history(d.id, 'metric=waterLevel')).json();
      assert.deepEqual([auto.to - auto.from, auto.bucket], [DAY, '1m'], 'the last 24 h in minutes by default');
    });

    test('history names a wrong metric or span, and is scoped', async () => {
      const d = await registerDevice(y, 'lujiazui.operator');
      const bad = await history(d.id, 'metric=temperature');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /metric.*not a metric of 水位计/);
      assert.equal((await history(d.id, 'metric=waterLevel&from=10&to=5')).statusCode, 400);
      assert.equal((await history(d.id, `metric=waterLevel&from=0&to=${y.clock.now()}&bucket=1m`)).statusCode, 400);
      assert.equal((await history(d.id, 'metric=waterLevel', 'waitan.operator')).statusCode, 404);
    });

    test('retention drops raw readings after the type\'s retention and old rollups, and keeps the rest', async () => {
      const d = await registerDevice(y, 'lujiazui.operator');
      const now = y.clock.now();
      await post([{ deviceId: d.id, ts: now - 3 * DAY, values: { waterLevel: 1 } }, { deviceId: d.id, ts: now - HOUR, values: { waterLevel: 2 } }]);
      const keepDays = y.ctx.services.devices.types.get('water_level')!.view.retentionDays;
      // A year and more later (the clock moved): the first reading is past retention, the second not yet.
      const later = now - 3 * DAY + keepDays * DAY + HOUR;
      const r = await applyRetention(y.ctx, y.ctx.services.devices.types, later);
      assert.ok(r.readings >= 1);
      const left = await y.ctx.db.selectFrom('devices_reading_all').select('value').where('device_id', '=', d.id).execute();
      assert.deepEqual(left.map((x) => Number(x.value)), [2]);
      const minuteRollups = await y.ctx.db.selectFrom('devices_rollup_all').select('bucket').where('device_id', '=', d.id).where('size_ms', '=', MIN).execute();
      assert.equal(minuteRollups.length, 0, 'minute rollups are kept 90 days');
      const hourRollups = await y.ctx.db.selectFrom('devices_rollup_all').select('bucket').where('device_id', '=', d.id).where('size_ms', '=', HOUR).execute();
      assert.equal(hourRollups.length, 2, 'hourly rollups stay for years');
      const refused = await post([{ deviceId: d.id, values: { waterLevel: 99 } }]);
      assert.equal(refused.json().refused.length, 1);
      await applyRetention(y.ctx, y.ctx.services.devices.types, y.clock.now() + 91 * DAY);
      const letters = await y.ctx.db.selectFrom('devices_dead_letter').select('id').where('device_id', '=', d.id).execute();
      assert.equal(letters.length, 0, 'dead letters go after 90 days');
    });
  });
}
