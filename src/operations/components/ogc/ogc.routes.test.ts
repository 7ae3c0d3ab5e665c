import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { DIALECTS } from '../../../platform/db/testing.ts';
import { makeComponent, PLACES, startComponentsYiwang, type ComponentsYiwang } from '../testing.ts';

const USERS = ['admin', 'lujiazui.operator', 'waitan.operator', 'pudong.operator', 'citizen'];

type Res = { statusCode: number; headers: Record<string, unknown>; body: string; json(): any };

function assertProblem(res: Res, status: number, field?: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  if (field) assert.equal(res.json().field, field, res.body);
}

const pathOf = (href: string) => {
  const u = new URL(href);
  return u.pathname + u.search;
};
const codes = (fc: { features: Array<{ id: string }> }) => fc.features.map((f) => f.id);

for (const dialect of DIALECTS) {
  describe(`OGC API – Features (${dialect})`, () => {
    let y: ComponentsYiwang;
    const call = (user: string | null, o: InjectOptions | string) => {
      const opts = typeof o === 'string' ? { url: o } : o;
      return y.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...(user ? y.as[user] : {}) } }) as Promise<Res>;
    };
    const create = async (user: string, body: object): Promise<{ code: string; version: number }> => {
      const res = await call(user, { method: 'POST', url: '/api/components', payload: body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    /** Every feature the items URL yields, following next links; also checks each page. */
    const all = async (user: string, url: string): Promise<{ ids: string[]; pages: number }> => {
      const ids: string[] = [];
      let next: string | null = url;
      let pages = 0;
      while (next) {
        const res = await call(user, next);
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /^application\/geo\+json/);
        const fc = res.json();
        assert.equal(fc.type, 'FeatureCollection');
        assert.equal(fc.numberReturned, fc.features.length);
        ids.push(...codes(fc));
        const link = fc.links.find((l: { rel: string }) => l.rel === 'next');
        next = link ? pathOf(link.href) : null;
        if (++pages > 100) assert.fail('paging does not end');
      }
      return { ids, pages };
    };

    before(async () => {
      y = await startComponentsYiwang(dialect, USERS);
    });
    after(async () => y?.close());

    test('the landing page and conformance are public and link the API definition, conformance and collections', async () => {
      const landing = await call(null, '/ogc');
      assert.equal(landing.statusCode, 200, landing.body);
      assert.match(String(landing.headers['content-type']), /^application\/json/);
      const rels = Object.fromEntries(landing.json().links.map((l: { rel: string; href: string; type: string }) => [l.rel, l]));
      for (const rel of ['self', 'service-desc', 'conformance', 'data']) assert.ok(rels[rel], `landing page links ${rel}`);
      assert.equal(rels.data.href, 'http://localhost:80/ogc/collections', 'links are absolute');
      assert.equal(rels['service-desc'].type, 'application/vnd.oai.openapi+json;version=3.0');

      assert.deepEqual((await call(null, '/ogc/')).json(), landing.json(), 'with a trailing slash too');

      const conf = await call(null, '/ogc/conformance?f=json');
      assert.equal(conf.statusCode, 200, conf.body);
      for (const c of ['core', 'geojson', 'oas30']) assert.ok(conf.json().conformsTo.includes(`http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`), c);

      const api = await call('lujiazui.operator', pathOf(rels['service-desc'].href));
      assert.equal(api.statusCode, 200, api.body);
      assert.match(String(api.headers['content-type']), /^application\/vnd\.oai\.openapi\+json;version=3\.0/);
      const items = api.json().paths['/collections/{collectionId}/items'].get;
      assert.match(api.json().openapi, /^3\.0\./);
      assert.ok(items.parameters.some((p: { $ref: string }) => p.$ref.endsWith('/limit')));
    });

    test('collections: one per component type, areas and pipelines included, with extent, items and schema links', async () => {
      const res = await call('lujiazui.operator', '/ogc/collections');
      assert.equal(res.statusCode, 200, res.body);
      const list = res.json().collections as Array<any>;
      const ids = list.map((c) => c.id);
      for (const id of ['0101', '0118', '0405', '0590', '0591', '0602', '0190', '0191', '0192', '0193', '0194']) assert.ok(ids.includes(id), `collection ${id}`);
      const c = list.find((x) => x.id === '0101');
      assert.equal(c.title, '上水井盖 Water supply manhole cover');
      assert.match(c.description, /公用设施/);
      assert.equal(c.itemType, 'feature');
      assert.equal(c.extent.spatial.crs, 'http://www.opengis.net/def/crs/OGC/1.3/CRS84');
      assert.equal(c.extent.spatial.bbox[0].length, 4);
      const items = c.links.find((l: { rel: string }) => l.rel === 'items');
      assert.equal(items.type, 'application/geo+json');
      assert.equal(items.href, 'http://localhost:80/ogc/collections/0101/items');
      const described = c.links.find((l: { rel: string }) => l.rel === 'describedby');
      assert.equal(described.type, 'application/schema+json');

      const one = await call('lujiazui.operator', '/ogc/collections/0101');
      assert.deepEqual(one.json(), c);

      const schema = await call('lujiazui.operator', pathOf(described.href));
      assert.equal(schema.statusCode, 200, schema.body);
      assert.match(String(schema.headers['content-type']), /^application\/schema\+json/);
      const props = schema.json().properties.properties.properties;
      assert.equal(props.updatedAt.format, 'date-time');
      assert.ok(props.material.enum.includes('球墨铸铁'), 'the type\'s attributes are described');
      assert.ok(props.attr_status, 'an attribute named like a core property is published as attr_<name>');
      const area = (await call('lujiazui.operator', '/ogc/collections/0590/schema')).json();
      assert.ok(area.properties.properties.properties.attr_name && area.properties.properties.properties.housing_kind);
      assert.deepEqual(area.properties.geometry.properties.type.enum, ['Polygon', 'MultiPolygon']);
    });

    test('items: bbox and limit pages follow next links over every feature once, in a stable order', async () => {
      const [lon, lat] = PLACES.lujiazui;
      const mine: string[] = [];
      for (let i = 0; i < 7; i++) mine.push((await create('lujiazui.operator', makeComponent({ at: [lon + i * 0.00005, lat] }))).code);
      const bbox = `${lon - 0.0001},${lat - 0.0001},${lon + 0.0004},${lat + 0.0001}`;

      const first = await call('lujiazui.operator', `/ogc/collections/0101/items?bbox=${bbox}&limit=3`);
      const fc = first.json();
      assert.equal(fc.features.length, 3);
      assert.equal(fc.numberMatched, undefined, 'not counted with a bbox (not cheap)');
      assert.ok(!Number.isNaN(Date.parse(fc.timeStamp)));
      const self = fc.links.find((l: { rel: string }) => l.rel === 'self');
      assert.equal(self.href, `http://localhost:80/ogc/collections/0101/items?limit=3&bbox=${bbox}`);
      const next = new URL(fc.links.find((l: { rel: string }) => l.rel === 'next').href);
      assert.equal(next.searchParams.get('bbox'), bbox);
      assert.equal(next.searchParams.get('limit'), '3');
      assert.ok(next.searchParams.get('cursor'));

      const paged = await all('lujiazui.operator', `/ogc/collections/0101/items?bbox=${bbox}&limit=3`);
      const whole = codes((await call('lujiazui.operator', `/ogc/collections/0101/items?bbox=${bbox}&limit=1000`)).json());
      assert.deepEqual(paged.ids, whole, 'pages of 3 give what one page of 1000 gives, in the same order');
      assert.equal(new Set(paged.ids).size, paged.ids.length, 'no feature twice');
      for (const c of mine) assert.ok(paged.ids.includes(c), `${c} is in the box`);
      assert.ok(paged.pages >= 3);

      const f = fc.features.find((x: { id: string }) => x.id === mine[0]) ?? (await call('lujiazui.operator', `/ogc/collections/0101/items/${mine[0]}`)).json();
      assert.deepEqual(f.geometry, { type: 'Point', coordinates: [lon, lat] });
      assert.equal(f.properties.code, mine[0]);
      assert.equal(f.properties.type, '0101');
      assert.equal(f.properties.typeName, '上水井盖');
      assert.equal(f.properties.status, 'intact');
      assert.equal(f.properties.statusLabel, '完好');
      assert.match(f.properties.name, /^<script>alert\(1\)<\/script> 井盖/, 'text stays text');
      assert.equal(f.properties.material, '球墨铸铁');
      assert.match(f.properties.jurisdictionCode, /^310115005/);
      assert.match(f.properties.updatedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);

      const everything = await all('lujiazui.operator', '/ogc/collections/0101/items?limit=1000');
      const counted = (await call('lujiazui.operator', '/ogc/collections/0101/items')).json();
      assert.equal(counted.numberMatched, everything.ids.length, 'numberMatched without filters is exact');
      assert.equal(counted.features.length, Math.min(10, everything.ids.length), 'the default limit is 10');

      const outside = await call('lujiazui.operator', `/ogc/collections/0101/items?bbox=170,-10,-170,10`);
      assert.deepEqual(codes(outside.json()), [], 'a box across the antimeridian near the equator holds nothing of Shanghai');
      const across = await call('lujiazui.operator', `/ogc/collections/0101/items?bbox=${lon - 0.0001},${lat - 0.0001},-179,${lat + 0.0001}&limit=1000`);
      const acrossIds = codes(across.json());
      assert.ok(whole.every((c) => acrossIds.includes(c)), 'a box from Shanghai east across the antimeridian');
      assert.ok(across.json().features.every((x: { geometry: { coordinates: number[] } }) => x.geometry.coordinates[0]! >= lon - 0.0001));
      const big = await call('lujiazui.operator', '/ogc/collections/0101/items?limit=20000');
      assert.equal(big.statusCode, 200, 'a limit above the maximum is served, not refused');
    });

    test('items of lines are refined by their shape, not only their bounding box', async () => {
      const [lon, lat] = PLACES.lujiazui;
      const pipe = await create('admin', { type: '0190', geometry: { type: 'LineString', coordinates: [[lon, lat], [lon + 0.002, lat + 0.002]] }, attributes: { material: '球墨铸铁' } });
      const corner = await call('admin', `/ogc/collections/0190/items?bbox=${lon + 0.0015},${lat},${lon + 0.002},${lat + 0.0005}`);
      assert.ok(!codes(corner.json()).includes(pipe.code), 'the box meets the bounding box but not the line');
      const middle = await call('admin', `/ogc/collections/0190/items?bbox=${lon + 0.0009},${lat + 0.0009},${lon + 0.0011},${lat + 0.0011}`);
      const f = middle.json().features.find((x: { id: string }) => x.id === pipe.code);
      assert.ok(f, 'the box the line crosses');
      assert.equal(f.geometry.type, 'LineString');
    });

    test('datetime filters on updatedAt: instants, dates, bounded and half-bounded intervals', async () => {
      const iso = (ms: number) => new Date(ms).toISOString();
      // Minutes apart, after everything earlier tests made (sessions last hours, so no jumps of days).
      const t1 = y.clock.now() + 60_000;
      y.clock.set(t1);
      const a = await create('lujiazui.operator', makeComponent());
      y.clock.set(t1 + 60_000);
      const b = await create('lujiazui.operator', makeComponent());
      y.clock.set(t1 + 120_000);
      const patched = await call('lujiazui.operator', { method: 'PATCH', url: `/api/components/${a.code}`, payload: { version: a.version, status: 'damaged' } });
      assert.equal(patched.statusCode, 200, patched.body);
      const t2 = iso(t1 + 60_000);
      const t3 = iso(t1 + 120_000);
      const inShanghai = new Date(t1 + 60_000 + 8 * 3600_000).toISOString().replace('Z', '+08:00');
      const q = async (dt: string) => {
        const res = await call('lujiazui.operator', `/ogc/collections/0101/items?limit=1000&datetime=${dt}`);
        assert.equal(res.statusCode, 200, `${dt}: ${res.body}`);
        assert.equal(res.json().numberMatched, undefined);
        return codes(res.json()).sort();
      };
      assert.deepEqual(await q(t2), [b.code], 'an instant');
      assert.deepEqual(await q(encodeURIComponent(inShanghai)), [b.code], 'an instant with an offset');
      assert.deepEqual(await q(inShanghai), [b.code], 'an unencoded + (read as a space) is still an offset');
      assert.deepEqual(await q(`${t2}/..`), [a.code, b.code].sort(), 'half-bounded: from t2 on (a changed at t3)');
      assert.deepEqual(await q(`${iso(t1)}/${t2}`), [b.code], 'bounded, ends inclusive: a no longer changed in it');
      assert.deepEqual(await q(`${t3}/`), [a.code], 'an empty end is open too');
      const before = await q(`../${t2}`);
      assert.ok(before.includes(b.code) && !before.includes(a.code));
      const day = await q(t2.slice(0, 10));
      assert.ok(day.includes(a.code) && day.includes(b.code), 'a date is that whole UTC day');
      assert.deepEqual(await q(iso(t1 + 86_400_000).slice(0, 10)), [], 'the next day holds nothing yet');
      const f = (await call('lujiazui.operator', `/ogc/collections/0101/items/${a.code}`)).json();
      assert.equal(f.properties.updatedAt, t3);
      assert.equal(f.properties.statusLabel, '破损');
      for (const bad of ['yesterday', '2026-13-01', '2026-02-30T00:00:00Z', `${t3}/${t2}`, '2026-06-01T10:00:00', 'a/b/c']) {
        assertProblem(await call('lujiazui.operator', `/ogc/collections/0101/items?datetime=${encodeURIComponent(bad)}`), 400, 'datetime');
      }
    });

    test('one feature by its code; another type\'s code, an unknown code or collection is a 404 naming the parameter', async () => {
      const c = await create('lujiazui.operator', makeComponent());
      const res = await call('lujiazui.operator', `/ogc/collections/0101/items/${c.code}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^application\/geo\+json/);
      const f = res.json();
      assert.equal(f.type, 'Feature');
      assert.equal(f.id, c.code);
      assert.equal(f.links.find((l: { rel: string }) => l.rel === 'self').href, `http://localhost:80/ogc/collections/0101/items/${c.code}`);
      assertProblem(await call('lujiazui.operator', `/ogc/collections/0118/items/${c.code}`), 404, 'featureId');
      assertProblem(await call('lujiazui.operator', '/ogc/collections/0101/items/3101150101999999'), 404, 'featureId');
      assertProblem(await call('lujiazui.operator', '/ogc/collections/0101/items/not-a-code'), 404, 'featureId');
      assertProblem(await call('lujiazui.operator', '/ogc/collections/9999'), 404, 'collectionId');
      assertProblem(await call('lujiazui.operator', '/ogc/collections/9999/items'), 404, 'collectionId');
    });

    test('another street sees none of 陆家嘴\'s features and gets a 404 for one; the district sees them', async () => {
      const c = await create('lujiazui.operator', makeComponent());
      const waitan = await all('waitan.operator', '/ogc/collections/0101/items?limit=1000');
      assert.ok(!waitan.ids.includes(c.code));
      const [lon, lat] = PLACES.lujiazui;
      const boxed = await call('waitan.operator', `/ogc/collections/0101/items?bbox=${lon - 0.001},${lat - 0.001},${lon + 0.001},${lat + 0.001}`);
      assert.deepEqual(codes(boxed.json()), [], 'a box over 陆家嘴 is empty for 外滩');
      assert.equal((await call('waitan.operator', '/ogc/collections/0101/items')).json().numberMatched, waitan.ids.length, 'the count is narrowed too');
      assertProblem(await call('waitan.operator', `/ogc/collections/0101/items/${c.code}`), 404, 'featureId');
      assert.equal((await call('pudong.operator', `/ogc/collections/0101/items/${c.code}`)).statusCode, 200);
      assert.ok((await all('pudong.operator', '/ogc/collections/0101/items?limit=1000')).ids.includes(c.code));
    });

    test('without an account everything but the landing page and conformance is a 401; citizens may not read', async () => {
      const c = await create('lujiazui.operator', makeComponent());
      for (const url of ['/ogc/api', '/ogc/collections', '/ogc/collections/0101', '/ogc/collections/0101/schema', '/ogc/collections/0101/items', `/ogc/collections/0101/items/${c.code}`, '/ogc/collections/0101/items?bbox=x']) {
        assertProblem(await call(null, url), 401);
        assertProblem(await call('citizen', url), 403);
      }
      assertProblem(await call(null, { url: '/ogc/collections', headers: { authorization: 'Bearer yw_notarealtoken' } }), 401);
    });

    test('bad or unknown parameters are a 400 naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['bbox=1,2,3', 'bbox'],
        ['bbox=a,b,c,d', 'bbox'],
        ['bbox=121.5,31.3,121.6,31.2', 'bbox'],
        ['bbox=31.2,121.5,31.3,121.6', 'bbox'],
        ['bbox=', 'bbox'],
        ['bbox=1,2,3,4&bbox=1,2,3,4', 'bbox'],
        ['limit=0', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=1.5', 'limit'],
        ['limit=-3', 'limit'],
        ['datetime=', 'datetime'],
        ['cursor=garbage', 'cursor'],
        ['f=html', 'f'],
        ['type=0101', 'type'],
        ['bbox-crs=EPSG:4326', 'bbox-crs'],
      ];
      for (const [qs, field] of cases) assertProblem(await call('lujiazui.operator', `/ogc/collections/0101/items?${qs}`), 400, field);
      assertProblem(await call('lujiazui.operator', '/ogc/collections?limit=10'), 400, 'limit');
      assertProblem(await call(null, '/ogc?foo=1'), 400, 'foo');
      assert.equal((await call('lujiazui.operator', '/ogc/collections/0101/items?f=json&limit=2')).statusCode, 200);
      assert.equal((await call('lujiazui.operator', '/ogc/collections/0101/items?bbox=121,31,0,122,32,100')).statusCode, 200, 'six numbers: heights ignored');
    });
  });
}
