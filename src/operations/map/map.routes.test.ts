import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { DIALECTS } from '../../platform/db/testing.ts';
import type { ComponentsYiwang } from '../components/testing.ts';
import { tileBBox } from '../../platform/geo/tiles/tile-math.ts';
import { decodeTile, makeComponent, makeRoad, makeWater, PLACES, startMapYiwang, tileOf, type DecodedFeature } from './testing.ts';

const USERS = ['admin', 'lujiazui.operator', 'waitan.operator', 'pudong.operator', 'citizen'];
const MVT = 'application/vnd.mapbox-vector-tile';

type Res = Awaited<ReturnType<ComponentsYiwang['app']['inject']>>;

function assertProblem(res: Res, status: number, field?: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  if (field) assert.equal(res.json().field, field, res.body);
}

const codes = (features: DecodedFeature[] | undefined) => (features ?? []).map((f) => String(f.properties.code));

for (const dialect of DIALECTS) {
  describe(`map tiles (${dialect})`, () => {
    let y: ComponentsYiwang;
    const call = (user: string | null, o: InjectOptions) => y.app.inject({ ...o, headers: { ...(o.headers ?? {}), ...(user ? y.as[user] : {}) } });
    const componentTile = async (user: string | null, t: { z: number; x: number; y: number }, query = '') => {
      const res = await call(user, { url: `/tiles/components/${t.z}/${t.x}/${t.y}.mvt${query}` });
      return { res, layers: res.statusCode === 200 ? decodeTile(res.rawPayload) : {} };
    };
    const settle = () => y.ctx.outbox.drain();

    before(async () => {
      y = await startMapYiwang(dialect, USERS);
    });
    after(async () => y?.close());

    test('the base map at zoom 9 over Shanghai holds 浦东新区 with its names, outlines and label; it is public and cacheable', async () => {
      const pudong = y.ctx.services.jurisdictions.require('310115');
      const t = tileOf(pudong.centroid, 9);
      const res = await y.app.inject({ url: `/tiles/basemap/9/${t.x}/${t.y}.mvt` });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], MVT);
      assert.equal(res.headers['cache-control'], 'public, max-age=3600');
      assert.match(String(res.headers.etag), /^"[\w-]+"$/);
      assert.ok(res.rawPayload.length < 200_000, `a zoom-9 tile stays small: ${res.rawPayload.length} bytes`);
      const layers = decodeTile(res.rawPayload);
      const land = layers.land?.find((f) => f.properties.code === '310115');
      assert.ok(land, `land holds Pudong: ${codes(layers.land)}`);
      assert.equal(land.type, 'Polygon');
      assert.equal(land.properties.name, '浦东新区');
      assert.equal(land.properties.nameEn, 'Pudong New Area');
      assert.ok(codes(layers.boundary_district).includes('310115'), 'district outlines are lines');
      assert.equal(layers.boundary_district![0]!.type, 'LineString');
      const label = layers.label?.find((f) => f.properties.code === '310115');
      assert.equal(label?.properties.name, '浦东新区');
      assert.equal(label?.properties.level, 'district');
      assert.equal(layers.boundary_street, undefined, 'no street outlines below zoom 11');
      assert.equal(layers.grid, undefined, 'no grid cells below zoom 15');

      const again = await y.app.inject({ url: `/tiles/basemap/9/${t.x}/${t.y}.mvt`, headers: { 'if-none-match': String(res.headers.etag) } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.rawPayload.length, 0);
      assert.equal(again.headers.etag, res.headers.etag);
    });

    test('deeper base-map tiles add street, committee and grid outlines and their labels by zoom', async () => {
      const at = async (z: number) => {
        const t = tileOf(PLACES.lujiazui, z);
        return decodeTile((await y.app.inject({ url: `/tiles/basemap/${z}/${t.x}/${t.y}.mvt` })).rawPayload);
      };
      const z11 = await at(11);
      assert.ok(codes(z11.boundary_street).some((c) => c.startsWith('310115')), 'street outlines from 11');
      assert.equal(z11.boundary_committee, undefined);
      assert.ok((z11.label ?? []).length > 0 && z11.label!.every((f) => f.properties.level === 'street'), 'street labels at 11');
      const z13 = await at(13);
      assert.ok((z13.boundary_committee ?? []).length > 0, 'committee outlines from 13');
      assert.equal(z13.grid, undefined);
      assert.deepEqual([...new Set((z13.label ?? []).map((f) => f.properties.level))].sort(), ['committee', 'street'], 'streets and committees labelled at 13');
      const z15 = await at(15);
      assert.ok((z15.grid ?? []).length > 0, 'grid cells from 15');
      assert.ok((z15.label ?? []).every((f) => f.properties.level === 'committee'));
      assert.ok(codes(z15.land).includes('310115'), 'land at every zoom');
    });

    test('bad tile addresses are refused naming z, x or y; bad classes naming classes', async () => {
      assertProblem(await y.app.inject({ url: '/tiles/basemap/23/0/0.mvt' }), 400, 'z');
      assertProblem(await y.app.inject({ url: '/tiles/basemap/3/8/0.mvt' }), 400, 'x');
      assertProblem(await y.app.inject({ url: '/tiles/basemap/3/0/-1.mvt' }), 400, 'y');
      assertProblem(await y.app.inject({ url: '/tiles/basemap/3/0/abc.mvt' }), 400, 'y');
      assertProblem(await y.app.inject({ url: '/tiles/basemap/1.5/0/0.mvt' }), 400, 'z');
      assertProblem(await call('lujiazui.operator', { url: '/tiles/components/16/70000/0.mvt' }), 400, 'x');
      assertProblem(await call('lujiazui.operator', { url: '/tiles/components/16/0/0.mvt?classes=99' }), 400, 'classes');
      assertProblem(await call('lujiazui.operator', { url: '/tiles/components/16/0/0.mvt?classes=1' }), 400, 'classes');
    });

    test('component tiles need a signed-in official', async () => {
      assertProblem(await y.app.inject({ url: '/tiles/components/12/3425/1673.mvt' }), 401);
      assertProblem(await call('citizen', { url: '/tiles/components/12/3425/1673.mvt' }), 403);
    });

    test('a new component shows in its zoom-16 tile; a status change and a deletion reach the cached tile; other streets never see it', async () => {
      const created = await call('lujiazui.operator', { method: 'POST', url: '/api/components', payload: makeComponent() });
      assert.equal(created.statusCode, 201, created.body);
      const c = created.json();
      await settle();
      const t = tileOf(c.point, 16);

      const first = await componentTile('lujiazui.operator', t);
      assert.equal(first.res.statusCode, 200, first.res.body);
      assert.equal(first.res.headers['content-type'], MVT);
      assert.equal(first.res.headers['cache-control'], 'private, max-age=5');
      const f = first.layers.components?.find((x) => x.properties.code === c.code);
      assert.ok(f, `the tile holds ${c.code}: ${codes(first.layers.components)}`);
      assert.deepEqual(
        { type: f.properties.type, class: f.properties.class, kind: f.properties.kind, status: f.properties.status, name: f.properties.name },
        { type: '0101', class: '01', kind: 'component', status: 'intact', name: c.name },
      );
      assert.equal(f.type, 'Point');

      const hits = y.ctx.services.map.cacheStats().hits;
      const cached = await componentTile('lujiazui.operator', t);
      assert.equal(y.ctx.services.map.cacheStats().hits, hits + 1, 'the second request is answered from the cache');
      assert.equal(cached.res.headers.etag, first.res.headers.etag);
      const notModified = await call('lujiazui.operator', { url: `/tiles/components/16/${t.x}/${t.y}.mvt`, headers: { 'if-none-match': String(first.res.headers.etag) } });
      assert.equal(notModified.statusCode, 304);

      const other = await componentTile('waitan.operator', t);
      assert.equal(other.res.statusCode, 200);
      assert.ok(!codes(other.layers.components).includes(c.code), 'another street gets the tile without it');
      assert.ok(codes((await componentTile('pudong.operator', t)).layers.components).includes(c.code), 'the district sees it');
      assert.ok(!codes((await componentTile('lujiazui.operator', t, '?classes=02,03')).layers.components).includes(c.code), 'other classes leave it out');
      assert.ok(codes((await componentTile('lujiazui.operator', t, '?classes=01')).layers.components).includes(c.code));

      const patched = await call('lujiazui.operator', { method: 'PATCH', url: `/api/components/${c.code}`, payload: { version: 1, status: 'damaged' } });
      assert.equal(patched.statusCode, 200, patched.body);
      await settle();
      const after = await componentTile('lujiazui.operator', t);
      assert.notEqual(after.res.headers.etag, first.res.headers.etag);
      assert.equal(after.layers.components?.find((x) => x.properties.code === c.code)?.properties.status, 'damaged');
      assert.equal((await call('lujiazui.operator', { url: `/tiles/components/16/${t.x}/${t.y}.mvt`, headers: { 'if-none-match': String(first.res.headers.etag) } })).statusCode, 200, 'the old ETag no longer matches');

      const del = await call('lujiazui.operator', { method: 'DELETE', url: `/api/components/${c.code}?version=2` });
      assert.equal(del.statusCode, 204, del.body);
      await settle();
      assert.ok(!codes((await componentTile('lujiazui.operator', t)).layers.components).includes(c.code), 'gone after deletion');
    });

    test('a moved component leaves its old tile and appears in the new one', async () => {
      const c = (await call('lujiazui.operator', { method: 'POST', url: '/api/components', payload: makeComponent() })).json();
      await settle();
      const t = tileOf(c.point, 16);
      assert.ok(codes((await componentTile('lujiazui.operator', t)).layers.components).includes(c.code));
      // Just across an edge of the tile, still in 陆家嘴.
      const [w, s, e, n] = tileBBox(16, t.x, t.y);
      const j = y.ctx.services.jurisdictions;
      const to = ([[e + 0.0002, c.point[1]], [w - 0.0002, c.point[1]], [c.point[0], n + 0.0002], [c.point[0], s - 0.0002]] as Array<[number, number]>).find(
        ([lon, lat]) => j.locate(lon, lat)?.code.startsWith('310115005'),
      );
      assert.ok(to, 'a neighbouring tile inside 陆家嘴');
      const moved = await call('lujiazui.operator', { method: 'PATCH', url: `/api/components/${c.code}`, payload: { version: 1, geometry: { type: 'Point', coordinates: to } } });
      assert.equal(moved.statusCode, 200, moved.body);
      await settle();
      assert.ok(!codes((await componentTile('lujiazui.operator', t)).layers.components).includes(c.code), 'left the old tile');
      assert.ok(codes((await componentTile('lujiazui.operator', tileOf(to, 16))).layers.components).includes(c.code), 'in the new tile');
    });

    test("an import's committed batches reach cached tiles, also when the import is interrupted", async () => {
      const c = (await call('lujiazui.operator', { method: 'POST', url: '/api/components', payload: makeComponent() })).json();
      await settle();
      const t = tileOf(c.point, 16);
      assert.ok(codes((await componentTile('lujiazui.operator', t)).layers.components).includes(c.code), 'the tile is cached');
      // A CSV that damages the cover, then adds one beside it, in batches of one; stopped after the first.
      const lines = ['code,type,status,lon,lat,material,shape', `${c.code},0101,破损,${c.point.join(',')},球墨铸铁,圆形`, `${c.code.slice(0, 10)}${String(Number(c.code.slice(10)) + 500).padStart(6, '0')},0101,完好,${c.point.join(',')},铸铁,圆形`];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-map-import-'));
      try {
        const file = path.join(dir, 'survey.csv');
        fs.writeFileSync(file, lines.join('\n') + '\n');
        const p = { accountId: 'lujiazui-operator-test', username: 'lujiazui.operator', displayName: '陆家嘴值班员', roles: ['operator' as const], departmentCode: null, scopeCode: '310115005', via: 'session' as const };
        const abort = new AbortController();
        const job = await y.ctx.services.componentImports.run(p, file, { batchSize: 1, signal: abort.signal, onProgress: () => abort.abort() });
        assert.deepEqual([job.status, job.updated], ['interrupted', 1]);
        await settle();
        const tile = await componentTile('lujiazui.operator', t);
        assert.equal(tile.layers.components?.find((x) => x.properties.code === c.code)?.properties.status, 'damaged', 'the committed batch reached the cached tile');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('zoomed out, tiles count components per committee at the committee centre, and follow changes', async () => {
      const c = (await call('lujiazui.operator', { method: 'POST', url: '/api/components', payload: makeComponent({ type: '0118', attributes: { lamp_type: 'LED' } }) })).json();
      await settle();
      const committee = y.ctx.services.jurisdictions.require(c.jurisdictionCode.slice(0, 12));
      const t = tileOf(committee.centroid, 12);
      const aggregate = async (user: string, query = '') => {
        const { res, layers } = await componentTile(user, t, query);
        assert.equal(res.statusCode, 200, res.body);
        return layers.aggregates?.find((f) => f.properties.code === committee.code);
      };
      const before = await aggregate('lujiazui.operator');
      assert.ok(before, 'the committee has an aggregate point');
      assert.equal(before.type, 'Point');
      assert.equal(before.properties.name, committee.name);
      assert.ok(Number(before.properties.total) >= 1);
      const total = Number(before.properties.total);
      const damaged = Number(before.properties.damaged);
      assert.equal(total, ['intact', 'damaged', 'missing', 'occupied', 'removed'].reduce((a, s) => a + Number(before.properties[s]), 0));

      const patched = await call('lujiazui.operator', { method: 'PATCH', url: `/api/components/${c.code}`, payload: { version: 1, status: 'damaged' } });
      assert.equal(patched.statusCode, 200, patched.body);
      await settle();
      const after = await aggregate('lujiazui.operator');
      assert.equal(Number(after?.properties.damaged), damaged + 1, 'the change reached the cached counts');
      assert.equal(Number(after?.properties.total), total);

      const lamps = await aggregate('lujiazui.operator', '?classes=01');
      assert.ok(lamps && Number(lamps.properties.total) >= 1);
      assert.equal(await aggregate('waitan.operator'), undefined, 'another street sees no count for 陆家嘴');
      const street = y.ctx.services.jurisdictions.require('310115005');
      const z10 = tileOf(street.centroid, 10);
      const streets = (await componentTile('lujiazui.operator', z10)).layers.aggregates;
      assert.ok(codes(streets).includes('310115005'), 'below zoom 11 counts are per street');
    });

    test('base-map roads and water come from replaceBasemap, by zoom; a second run replaces, it does not add', async () => {
      const map = y.ctx.services.map;
      const [lon, lat] = PLACES.lujiazui;
      const features = [makeRoad(), makeRoad({ kind: 'local', from: [lon, lat + 0.0005] }), makeWater([lon + 0.001, lat - 0.003])];
      assert.deepEqual(await map.replaceBasemap(features), { road: 2, water: 1 });
      assert.deepEqual(await map.replaceBasemap(features), { road: 2, water: 1 });
      assert.deepEqual(await map.featureCounts(), { road: 2, water: 1 });
      const at = async (z: number) => {
        const t = tileOf([lon + 0.002, lat], z);
        return decodeTile((await y.app.inject({ url: `/tiles/basemap/${z}/${t.x}/${t.y}.mvt` })).rawPayload);
      };
      const z14 = await at(14);
      assert.deepEqual(z14.road?.map((f) => f.properties.kind).sort(), ['arterial', 'local']);
      assert.equal(z14.road![0]!.type, 'LineString');
      assert.equal(z14.road?.find((f) => f.properties.kind === 'arterial')?.properties.name, features[0]!.nameZh);
      assert.equal(z14.water?.[0]?.properties.kind, 'lake');
      assert.equal(z14.water?.[0]?.type, 'Polygon');
      assert.deepEqual((await at(13)).road?.map((f) => f.properties.kind), ['arterial'], 'local roads from 14');
      assert.deepEqual((await at(9)).road?.map((f) => f.properties.kind), ['arterial'], 'arterials from 9');
      assert.equal((await at(8)).road, undefined);

      await map.replaceBasemap([], () => {}, { layers: ['road'] });
      assert.equal((await at(14)).road, undefined, 'the cached tile was dropped when roads were replaced');
      assert.equal((await at(14)).water?.length, 1, 'water was left alone');
      await assert.rejects(map.replaceBasemap([{ ...makeRoad(), geometry: makeWater().geometry }]), (e: { field?: string }) => e.field === 'features[0].geometry.type');
      assert.deepEqual(await map.featureCounts(), { water: 1 }, 'a refused replacement changes nothing');
    });

    test('the style uses our two tile sources with absolute URLs, no glyphs, and the agreed colours', async () => {
      const res = await y.app.inject({ url: '/api/map/style.json', headers: { host: 'yiwang.example:8080' } });
      assert.equal(res.statusCode, 200, res.body);
      const style = res.json();
      assert.equal(style.version, 8);
      assert.deepEqual(style.sources.basemap.tiles, ['http://yiwang.example:8080/tiles/basemap/{z}/{x}/{y}.mvt']);
      assert.deepEqual(style.sources.components.tiles, ['http://yiwang.example:8080/tiles/components/{z}/{x}/{y}.mvt']);
      assert.equal(style.glyphs, undefined);
      assert.ok(!style.layers.some((l: { type: string }) => l.type === 'symbol'), 'no text layers without glyphs');
      const layer = (id: string) => style.layers.find((l: { id: string }) => l.id === id);
      assert.equal(layer('land').paint['fill-color'], '#f2efe9');
      assert.equal(layer('water').paint['fill-color'], '#a0c8f0');
      assert.ok(JSON.stringify(layer('components').paint['circle-color']).includes('#c62828'));
    });
  });
}
