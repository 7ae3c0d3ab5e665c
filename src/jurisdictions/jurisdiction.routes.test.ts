import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../platform/db/testing.ts';
import { startTestYiwang, type TestYiwang } from '../platform/testing.ts';
import { JurisdictionStore } from './jurisdiction.store.ts';
import { mulberry32 } from './geo/random.ts';

const LUJIAZUI = '310115005';

for (const dialect of DIALECTS) {
  describe(`jurisdictions API (${dialect})`, () => {
    let y: TestYiwang;
    before(async () => {
      y = await startTestYiwang(dialect);
      await y.seed({ demo: false, progress: () => {} });
    });
    after(async () => y?.close());

    test('the tree has the city, its 16 districts and their streets and towns', async () => {
      const res = await y.app.inject('/api/jurisdictions/tree?depth=2');
      assert.equal(res.statusCode, 200);
      const root = res.json().root;
      assert.equal(root.code, '310000');
      assert.equal(root.name, '上海市');
      assert.equal(root.children.length, 16);
      const streets = root.children.flatMap((d: any) => d.children);
      assert.equal(streets.filter((s: any) => !s.special).length, 215);
      const zhangjiang = streets.find((s: any) => s.name === '张江高科技园区');
      assert.equal(zhangjiang.special, true);
      assert.equal(zhangjiang.kind, 'special');
    });

    test('a street shows its ancestors and its real residents\' committees, with synthetic shapes marked', async () => {
      const res = await y.app.inject(`/api/jurisdictions/${LUJIAZUI}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.node.name, '陆家嘴街道');
      assert.deepEqual(body.ancestors.map((a: any) => a.code), ['310000', '310115']);
      assert.ok(body.children.length > 20);
      assert.ok(body.children.every((c: any) => c.code.startsWith(LUJIAZUI) && c.level === 'committee' && c.synthetic === true));
      assert.ok(body.children.some((c: any) => c.name === '梅园一村居委会'));
      assert.equal(body.node.synthetic, true);
      const district = (await y.app.inject('/api/jurisdictions/310115')).json();
      assert.equal(district.node.synthetic, false, 'district outlines are real data');
    });

    test('locate returns the grid cell containing a point, and its ancestors up to the city', async () => {
      const street = (await y.app.inject(`/api/jurisdictions/${LUJIAZUI}`)).json().node;
      const [lon, lat] = street.centroid;
      const res = await y.app.inject(`/api/jurisdictions/locate?lon=${lon}&lat=${lat}`);
      assert.equal(res.statusCode, 200);
      const { node, ancestors } = res.json();
      assert.equal(node.level, 'grid');
      assert.equal(node.code.length, 15);
      assert.deepEqual(ancestors.map((a: any) => a.level), ['city', 'district', 'street', 'committee']);
      assert.ok(ancestors.every((a: any) => node.code.startsWith(a.code === '310000' ? '31' : a.code)));
    });

    test('locate outside Shanghai is a 404 problem, and a bad coordinate a 400 naming the field', async () => {
      const outside = await y.app.inject('/api/jurisdictions/locate?lon=116.4&lat=39.9');
      assert.equal(outside.statusCode, 404);
      assert.equal(outside.json().code, 'JURISDICTION_NOT_FOUND');
      const bad = await y.app.inject('/api/jurisdictions/locate?lon=east&lat=31');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().field, 'lon');
      const range = await y.app.inject('/api/jurisdictions/locate?lon=121.5&lat=95');
      assert.equal(range.statusCode, 400);
      assert.equal(range.json().field, 'lat');
      const missing = await y.app.inject('/api/jurisdictions/locate?lon=121.5');
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().field, 'lat');
    });

    test('an unknown code is a 404 and a malformed one a 400', async () => {
      assert.equal((await y.app.inject('/api/jurisdictions/310199999')).json().code, 'JURISDICTION_NOT_FOUND');
      const bad = await y.app.inject('/api/jurisdictions/abc');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().field, 'code');
    });

    test('children come as GeoJSON with the synthetic flag, for maps', async () => {
      const res = await y.app.inject(`/api/jurisdictions/${LUJIAZUI}/children.geojson`);
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /application\/geo\+json/);
      const fc = res.json();
      assert.equal(fc.type, 'FeatureCollection');
      assert.ok(fc.features.every((f: any) => f.properties.synthetic === true && f.geometry.type === 'MultiPolygon'));
    });

    test('search finds streets by Chinese and English name', async () => {
      const zh = (await y.app.inject(`/api/jurisdictions/search?q=${encodeURIComponent('陆家嘴')}`)).json();
      assert.equal(zh.items[0].code, LUJIAZUI);
      const en = (await y.app.inject('/api/jurisdictions/search?q=lujiazui&level=street')).json();
      assert.equal(en.items[0].code, LUJIAZUI);
    });

    test('seeding again changes nothing', async () => {
      const before = y.ctx.services.jurisdictions.size();
      await y.seed({ demo: false, progress: () => {} });
      assert.equal(y.ctx.services.jurisdictions.size(), before);
      assert.equal(await new JurisdictionStore(y.ctx.db, y.ctx.dialect).count(), before);
    });

    if (dialect === 'postgres') {
      test('the in-memory locate agrees with PostGIS ST_Contains on random points', async () => {
        const store = new JurisdictionStore(y.ctx.db, y.ctx.dialect);
        const rnd = mulberry32(7);
        let inside = 0;
        for (let i = 0; i < 150; i++) {
          const lon = 121.1 + rnd() * 0.8;
          const lat = 30.8 + rnd() * 0.6;
          const mine = y.ctx.services.jurisdictions.locate(lon, lat)?.code ?? null;
          const theirs = await store.locateWithPostgis(lon, lat);
          assert.equal(mine, theirs, `(${lon}, ${lat})`);
          if (mine) inside++;
        }
        assert.ok(inside > 50, 'most sample points fall inside Shanghai');
      });
    }
  });
}
