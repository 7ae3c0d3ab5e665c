import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { DIALECTS } from '../../../platform/db/testing.ts';
import { PLACES, startComponentsYiwang, type ComponentsYiwang } from '../testing.ts';
import { safeFileName } from './import.routes.ts';

const USERS = ['lujiazui.operator', 'lujiazui.grid', 'waitan.operator'];

for (const dialect of DIALECTS) {
  describe(`component import API (${dialect})`, () => {
    let y: ComponentsYiwang;
    const call = (user: string, o: InjectOptions) => y.app.inject({ ...o, headers: { ...(o.headers ?? {}), ...y.as[user] } });
    const upload = (user: string, fileName: string, body: string, type = 'text/csv') =>
      call(user, { method: 'POST', url: `/api/components/imports?fileName=${encodeURIComponent(fileName)}`, headers: { 'content-type': type }, payload: body });
    const stamp = `${process.pid}${Date.now() % 100000}`;
    const csv = () => {
      const [lon, lat] = PLACES.lujiazui;
      return [
        // `attributes.status` is the survey's 部件状态 attribute; `status` is the component's own.
        'code,type,status,lon,lat,material,shape,diameter_mm,attributes.status',
        `3101150101200001,0101,完好,${lon},${lat},铸铁,圆形,700,其他`,
        `3101150101200002,0101,破损,${lon + 1e-5},${lat},铸铁,方形,600,破损`,
        `3101150101200003,0101,,${lat},${lon},铸铁,圆形,,`,
        `3101150101200004,0101,,${lon + 2e-5},${lat},铁皮,圆形,,`,
      ].join('\n');
    };
    async function finished(user: string, id: string) {
      for (let i = 0; i < 200; i++) {
        const res = await call(user, { url: `/api/components/imports/${id}` });
        assert.equal(res.statusCode, 200, res.body);
        if (res.json().status !== 'running') return res.json();
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`import ${id} did not finish`);
    }

    before(async () => {
      y = await startComponentsYiwang(dialect, USERS);
    });
    after(async () => y?.close());

    test('an operator uploads a CSV: 202 with the job, which finishes in the background; its refused rows download as CSV', async () => {
      const name = `陆家嘴 井盖 ${stamp}.csv`;
      const res = await upload('lujiazui.operator', name, csv());
      assert.equal(res.statusCode, 202, res.body);
      const job = res.json();
      assert.equal(job.fileName, name);
      assert.equal(job.format, 'csv');
      assert.equal(job.totalBytes, Buffer.byteLength(csv()));
      assert.equal(job.scopeCode, '310115005');

      const done = await finished('lujiazui.operator', job.id);
      assert.equal(done.status, 'done', done.message);
      assert.deepEqual([done.created, done.updated, done.unchanged, done.failed], [2, 0, 0, 2]);
      assert.equal(done.bytes, done.totalBytes);
      assert.equal(done.errorFileUrl, `/api/components/imports/${job.id}/errors`);

      const errors = await call('lujiazui.operator', { url: done.errorFileUrl });
      assert.equal(errors.statusCode, 200);
      assert.match(String(errors.headers['content-type']), /^text\/csv/);
      assert.match(String(errors.headers['content-disposition']), /^attachment; filename="/);
      const lines = errors.body.trim().split('\n');
      assert.equal(lines[0], 'line,field,reason,record');
      assert.match(lines[1]!, /^4,geometry\.coordinates,.*appear swapped/);
      assert.match(lines[2]!, /^5,attributes\.material,"must be one of/);

      const list = (await call('lujiazui.operator', { url: '/api/components/imports' })).json();
      assert.equal(list.items[0].id, job.id, 'newest first');
      const cover = (await call('lujiazui.operator', { url: '/api/components/3101150101200002' })).json();
      assert.equal(cover.status, 'damaged');
      assert.deepEqual([cover.attributes.status, cover.attributes.diameter_mm], ['破损', 600], 'the survey status attribute, and a number read as the schema says');
      const first = (await call('lujiazui.operator', { url: '/api/components/3101150101200001' })).json();
      assert.deepEqual([first.status, first.attributes.status], ['intact', '其他'], 'the two statuses apart');
      const left = fs.readdirSync(path.join(y.ctx.config.dataDir, 'imports')).filter((f) => f.endsWith(safeFileName(name)));
      assert.deepEqual(left, [], 'the uploaded copy is removed once the job is done');
    });

    test('GeoJSON and NDJSON uploads are told apart by name and content', async () => {
      const f = { type: 'Feature', geometry: { type: 'Point', coordinates: [PLACES.lujiazui[0] + 3e-5, PLACES.lujiazui[1]] }, properties: { code: '3101150101200010', material: '铸铁', shape: '圆形' } };
      const fc = await upload('lujiazui.operator', `fc-${stamp}.json`, JSON.stringify({ type: 'FeatureCollection', features: [f] }), 'application/geo+json');
      assert.equal(fc.statusCode, 202, fc.body);
      assert.equal(fc.json().format, 'geojson');
      assert.equal((await finished('lujiazui.operator', fc.json().id)).created, 1);
      const nd = await upload('lujiazui.operator', `nd-${stamp}.ndjson`, JSON.stringify(f) + '\n', 'application/x-ndjson');
      assert.equal(nd.json().format, 'ndjson');
      assert.equal((await finished('lujiazui.operator', nd.json().id)).unchanged, 1);
    });

    test('a grid worker may not import; another street cannot read the job or its errors; other content types are refused', async () => {
      const refused = await upload('lujiazui.grid', 'x.csv', csv());
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json().code, 'ROLE_FORBIDDEN');
      assert.equal((await call('lujiazui.grid', { url: '/api/components/imports' })).statusCode, 403);

      const job = (await upload('lujiazui.operator', `again-${stamp}.csv`, csv())).json();
      await finished('lujiazui.operator', job.id);
      assert.equal((await call('waitan.operator', { url: `/api/components/imports/${job.id}` })).statusCode, 404);
      assert.equal((await call('waitan.operator', { url: `/api/components/imports/${job.id}/errors` })).statusCode, 404);
      const theirs = (await call('waitan.operator', { url: '/api/components/imports' })).json();
      assert.equal(theirs.items.some((j: { id: string }) => j.id === job.id), false);

      const png = await upload('lujiazui.operator', 'x.png', 'not an image', 'image/png');
      assert.equal(png.statusCode, 415, png.body);
      const empty = await upload('lujiazui.operator', 'empty.csv', '');
      assert.equal(empty.statusCode, 400, empty.body);
      assert.equal(empty.json().field, 'file');
    });

    test('a file that is not what it claims fails its job with the reason', async () => {
      const res = await upload('lujiazui.operator', `bad-${stamp}.geojson`, JSON.stringify({ type: 'Topology', objects: {} }), 'application/geo+json');
      assert.equal(res.statusCode, 202, res.body);
      const done = await finished('lujiazui.operator', res.json().id);
      assert.equal(done.status, 'failed');
      assert.match(done.message, new RegExp(`^bad-${stamp}\\.geojson: `));
    });

    test('nearest-k stays exact in a dense cluster, wherever the rows lie in the table', async () => {
      // 600 covers (0110) 1.5 m apart in a 25 × 24 grid, all of them inside nearest-k's first 50 m
      // box (spatial-query.ts): every one must be ranked, not only those the database reads first.
      const [lon0, lat0] = PLACES.lujiazui;
      const mLon = 111_320 * Math.cos((lat0 * Math.PI) / 180);
      const mLat = 110_574;
      const at = (i: number): [number, number] => [lon0 + ((i % 25) * 1.5) / mLon, lat0 + (Math.floor(i / 25) * 1.5) / mLat];
      const lines = Array.from({ length: 600 }, (_, i) => {
        const code = `3101150110${String(300_000 + i).padStart(6, '0')}`;
        return JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: at(i) }, properties: { code, material: '铸铁', shape: '圆形' } });
      });
      const job = await upload('lujiazui.operator', `grid-${stamp}.ndjson`, lines.join('\n') + '\n', 'application/x-ndjson');
      assert.equal(job.statusCode, 202, job.body);
      assert.equal((await finished('lujiazui.operator', job.json().id)).created, 600);

      // Near the first and near the last rows imported (a database reading only some of the box
      // would miss one end), between grid points, so that the nearest are not ties.
      for (const [col, row] of [[12.3, 22.6], [3.4, 0.7], [20.6, 11.3]]) {
        const q: [number, number] = [lon0 + (col! * 1.5) / mLon, lat0 + (row! * 1.5) / mLat];
        const metres = (i: number) => Math.hypot((at(i)[0] - q[0]) * mLon, (at(i)[1] - q[1]) * mLat);
        const expected = Array.from({ length: 600 }, (_, i) => i).sort((a, b) => metres(a) - metres(b)).slice(0, 5);
        const res = await call('lujiazui.operator', { url: `/api/components?near=${q.join(',')}&k=5&type=0110` });
        assert.equal(res.statusCode, 200, res.body);
        const items = res.json().items as Array<{ code: string; distance: number }>;
        assert.deepEqual(items.map((i) => Number(i.code.slice(10)) - 300_000), expected, `near grid ${col}, ${row}`);
        items.forEach((item, n) => assert.ok(Math.abs(item.distance - metres(expected[n]!)) < 0.05, `${item.code}: ${item.distance} m`));
      }
    });
  });
}

test('upload names are kept readable but cannot leave the imports folder', () => {
  assert.equal(safeFileName('../../etc/passwd'), 'passwd');
  assert.equal(safeFileName('..\\..\\boot.ini'), 'boot.ini');
  assert.equal(safeFileName('陆家嘴 井盖 (2024).csv'), '陆家嘴_井盖_2024_.csv');
  assert.equal(safeFileName('.hidden'), '_hidden');
  assert.equal(safeFileName(''), 'upload');
});
