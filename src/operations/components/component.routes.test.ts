import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { DIALECTS } from '../../platform/db/testing.ts';
import { makeComponent, PLACES, pointIn, startComponentsYiwang, type ComponentsYiwang } from './testing.ts';

const USERS = ['admin', 'lujiazui.operator', 'waitan.operator', 'pudong.operator', 'lujiazui.grid', 'pudong.scjg', 'citizen'];

function assertProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string; json(): any }, status: number, field?: string, code?: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  if (field) assert.equal(res.json().field, field, res.body);
  if (code) assert.equal(res.json().code, code, res.body);
}

for (const dialect of DIALECTS) {
  describe(`components API (${dialect})`, () => {
    let y: ComponentsYiwang;
    const call = (user: string, o: InjectOptions) => y.app.inject({ ...o, headers: { ...(o.headers ?? {}), ...y.as[user] } });
    const create = async (user: string, body: object) => call(user, { method: 'POST', url: '/api/components', payload: body });

    before(async () => {
      y = await startComponentsYiwang(dialect, USERS);
    });
    after(async () => y?.close());

    test('a street operator registers a manhole cover: code, grid cell, owner, history and audit follow from the geometry', async () => {
      const res = await create('lujiazui.operator', makeComponent());
      assert.equal(res.statusCode, 201, res.body);
      const c = res.json();
      assert.match(c.code, /^3101150101\d{6}$/);
      assert.equal(c.jurisdictionCode.length, 15, 'located down to a grid cell');
      assert.ok(c.jurisdictionCode.startsWith('310115005'), `in 陆家嘴: ${c.jurisdictionCode}`);
      assert.equal(c.ownerDept, 'sw.310115', 'owned by the district water authority by default');
      assert.equal(c.status, 'intact');
      assert.equal(c.version, 1);
      const second = (await create('lujiazui.operator', makeComponent())).json();
      assert.equal(Number(second.code.slice(10)), Number(c.code.slice(10)) + 1, 'serials count up per district and type');

      const got = await call('lujiazui.operator', { url: `/api/components/${c.code}` });
      assert.equal(got.json().name, c.name, 'script text is stored as text');
      const hist = (await call('lujiazui.operator', { url: `/api/components/${c.code}/history` })).json();
      assert.equal(hist.items[0].action, 'created');
      const audit = await y.ctx.db.selectFrom('platform_audit').select(['action', 'subject_id']).where('subject_id', '=', c.code).execute();
      assert.deepEqual(audit.map((a) => a.action), ['components.component.created']);
    });

    test('another street cannot see, change or place components in 陆家嘴; citizens cannot read the registry', async () => {
      const c = (await create('lujiazui.operator', makeComponent())).json();
      assertProblem(await call('waitan.operator', { url: `/api/components/${c.code}` }), 404);
      assertProblem(await call('waitan.operator', { method: 'PATCH', url: `/api/components/${c.code}`, payload: { version: 1, status: 'damaged' } }), 404);
      assertProblem(await create('waitan.operator', makeComponent()), 403, undefined, 'SCOPE_FORBIDDEN');
      assertProblem(await call('citizen', { url: '/api/components' }), 403, undefined, 'ROLE_FORBIDDEN');
      const waitanList = (await call('waitan.operator', { url: `/api/components?near=${PLACES.lujiazui.join(',')}&k=50` })).json();
      assert.equal(waitanList.items.filter((i: { code: string }) => i.code === c.code).length, 0, 'nearest never reaches outside the scope');
      assert.equal((await call('pudong.operator', { url: `/api/components/${c.code}` })).statusCode, 200, 'the district sees its streets');
    });

    test('a grid worker reports damage but cannot move the component; stale versions are refused', async () => {
      const c = (await create('lujiazui.operator', makeComponent())).json();
      const moved = await call('lujiazui.grid', { method: 'PATCH', url: `/api/components/${c.code}`, payload: { version: 1, geometry: { type: 'Point', coordinates: [PLACES.lujiazui[0] + 0.0001, PLACES.lujiazui[1]] } } });
      assertProblem(moved, 403, undefined, 'ROLE_FORBIDDEN');
      const damaged = await call('lujiazui.grid', { method: 'PATCH', url: `/api/components/${c.code}`, payload: { version: 1, status: 'damaged', photos: [{ url: '/files/photo-1.jpg', caption: '井盖破损' }] } });
      assert.equal(damaged.statusCode, 200, damaged.body);
      assert.equal(damaged.json().status, 'damaged');
      assert.equal(damaged.json().version, 2);
      assertProblem(await call('lujiazui.operator', { method: 'PATCH', url: `/api/components/${c.code}`, payload: { version: 1, status: 'intact' } }), 409, 'version', 'CONFLICT');
      const hist = (await call('lujiazui.operator', { url: `/api/components/${c.code}/history` })).json();
      assert.deepEqual(hist.items[0].changes.status, ['intact', 'damaged']);
      assert.ok(hist.items[0].actorId);
    });

    test('bad input is refused naming the field, and nothing is written', async () => {
      const before = (await call('admin', { url: '/api/components/counts?jurisdiction=310000' })).json().total;
      const [lx, ly] = PLACES.lujiazui;
      const cases: Array<[object, string, RegExp]> = [
        [makeComponent({ at: [PLACES.lujiazui[1], PLACES.lujiazui[0]] }), 'geometry.coordinates', /swapped/],
        [makeComponent({ at: [116.397, 39.908] }), 'geometry.coordinates', /outside Shanghai/],
        [makeComponent({ type: '9999' }), 'type', /not a known component type/],
        [makeComponent({ attributes: { material: '黄金', shape: '圆形' } }), 'attributes.material', /one of/],
        [makeComponent({ attributes: { material: '铸铁', shape: '圆形', colour: 'red' } }), 'attributes.colour', /not an attribute/],
        [makeComponent({ code: '3101010101000001' }), 'code', /district/],
        [makeComponent({ code: '3101150102000001' }), 'code', /type/],
        [{ ...makeComponent(), type: '0590', geometry: { type: 'Polygon', coordinates: [[[lx, ly], [lx + 0.001, ly + 0.001], [lx + 0.001, ly], [lx, ly + 0.001], [lx, ly]]] }, attributes: { name: '测试小区', housing_kind: '商品房' } }, 'geometry', /intersects itself/],
        [{ ...makeComponent(), geometry: { type: 'LineString', coordinates: [[lx, ly], [lx + 0.001, ly + 0.001]] } }, 'geometry.type', /must be Point/],
        [{ ...makeComponent(), type: '0590', geometry: { type: 'MultiPolygon', coordinates: [[[[lx, ly], [lx + 0.002, ly], [lx + 0.002, ly + 0.002], [lx, ly + 0.002], [lx, ly]]], [[[lx + 0.001, ly + 0.001], [lx + 0.003, ly + 0.001], [lx + 0.003, ly + 0.003], [lx + 0.001, ly + 0.003], [lx + 0.001, ly + 0.001]]]] }, attributes: { name: '测试小区', housing_kind: '商品房' } }, 'geometry.coordinates[1]', /polygon 1 touches or crosses polygon 0/],
      ];
      for (const [body, field, reason] of cases) {
        const res = await create('lujiazui.operator', body);
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.ok(String(res.json().field).startsWith(field), `${field} ≠ ${res.json().field} (${res.json().detail})`);
        assert.match(res.json().detail, reason);
      }
      const dup = (await create('lujiazui.operator', makeComponent())).json();
      assertProblem(await create('lujiazui.operator', makeComponent({ code: dup.code })), 409, 'code', 'CONFLICT');
      // One new code created five times at once (side by side on PostgreSQL's pool): one wins, the rest are told.
      const raced = await Promise.all(Array.from({ length: 5 }, () => create('lujiazui.operator', makeComponent({ code: '3101150101987654' }))));
      assert.deepEqual(raced.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409], raced.map((r) => r.body).join('\n'));
      for (const r of raced.filter((x) => x.statusCode === 409)) assertProblem(r, 409, 'code', 'CONFLICT');
      const after = (await call('admin', { url: '/api/components/counts?jurisdiction=310000' })).json().total;
      assert.equal(after, before + 2, 'only the good components were added');
    });

    test('queries: nearest k, within r, bbox, jurisdiction, type and status, with cursor pages', async () => {
      // A row of streetlights (0118) 20 m apart going east from a point in 陆家嘴.
      const [lon0, lat0] = PLACES.lujiazui;
      const mPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180);
      const codes: string[] = [];
      for (let i = 0; i < 12; i++) {
        // Every field differs from its neighbour's, so a column read into the wrong field shows.
        const res = await create('lujiazui.operator', {
          type: '0118',
          geometry: { type: 'Point', coordinates: [lon0 + (i * 20) / mPerDegLon, lat0] },
          attributes: { lamp_type: 'LED', pole_height_m: 8 + i },
          status: i % 4 === 0 ? 'damaged' : 'intact',
          name: `<script>路灯${i}</script>`,
          address: `银城中路${i * 2 + 1}号`,
          ...(i === 0 ? { ownerDept: 'cgzf', maintainerDept: 'zjw' } : {}),
        });
        assert.equal(res.statusCode, 201, res.body);
        codes.push(res.json().code);
      }
      const q = (s: string) => call('lujiazui.operator', { url: `/api/components?${s}` });
      const near = (await q(`near=${lon0},${lat0}&k=3&type=0118`)).json();
      assert.deepEqual(near.items.map((i: { code: string }) => i.code), codes.slice(0, 3));
      assert.ok(Math.abs(near.items[2].distance - 40) < 0.5, `third is 40 m away: ${near.items[2].distance}`);

      // Nearest in metres, not in degrees: east of here 0.0010° is about 95 m, north 0.0009° about
      // 100 m (a degree of longitude is shorter at Shanghai's latitude). PostgreSQL's index orders
      // by degrees, so it would name the northern one first.
      const p1: [number, number] = [lon0, lat0 + 0.0005];
      const cover = async (coordinates: [number, number]) => {
        const res = await create('lujiazui.operator', { type: '0110', geometry: { type: 'Point', coordinates }, attributes: { material: '球墨铸铁', shape: '圆形' } });
        assert.equal(res.statusCode, 201, res.body);
        return res.json().code as string;
      };
      const east = await cover([p1[0] + 0.001, p1[1]]);
      const north = await cover([p1[0], p1[1] + 0.0009]);
      const nearest1 = (await q(`near=${p1.join(',')}&k=1&type=0110`)).json();
      assert.deepEqual(nearest1.items.map((i: { code: string }) => i.code), [east]);
      assert.ok(Math.abs(nearest1.items[0].distance - 95.2) < 1, `about 95 m: ${nearest1.items[0].distance}`);
      const two = (await q(`near=${p1.join(',')}&k=2&type=0110`)).json();
      assert.deepEqual(two.items.map((i: { code: string }) => i.code), [east, north]);

      const within = (await q(`near=${lon0},${lat0}&radius=101&type=0118&limit=2`)).json();
      assert.equal(within.items.length, 2);
      const rest = (await q(`near=${lon0},${lat0}&radius=101&type=0118&limit=2&cursor=${within.nextCursor}`)).json();
      const all: string[] = [...within.items, ...rest.items].map((i: { code: string }) => i.code);
      let cursor = rest.nextCursor;
      while (cursor) {
        const page = (await q(`near=${lon0},${lat0}&radius=101&type=0118&limit=2&cursor=${cursor}`)).json();
        all.push(...page.items.map((i: { code: string }) => i.code));
        cursor = page.nextCursor;
      }
      assert.deepEqual(all, codes.slice(0, 6), 'within 101 m: the first six (0–100 m), nearest first, across pages');

      const box = `${lon0 - 0.0001},${lat0 - 0.0001},${lon0 + 110 / mPerDegLon},${lat0 + 0.0001}`;
      const inBox: string[] = [];
      let c: string | null = null;
      do {
        const page: { items: Array<{ code: string }>; nextCursor: string | null } = (await q(`bbox=${box}&type=0118&limit=4${c ? `&cursor=${c}` : ''}`)).json();
        inBox.push(...page.items.map((i) => i.code));
        c = page.nextCursor;
      } while (c);
      assert.deepEqual(inBox, codes.slice(0, 6), 'the box from 0 to 110 m holds six, in order, no repeats');

      // Box, nearest and radius answers read rows their own way (SQLite: as arrays); each item is
      // the component exactly as reading it by code gives it.
      const one = async (code: string) => (await call('lujiazui.operator', { url: `/api/components/${code}` })).json();
      const boxed = (await q(`bbox=${box}&type=0118&limit=10`)).json().items;
      const nearItems = (await q(`near=${lon0},${lat0}&k=2&type=0118`)).json().items;
      const radiusItems = (await q(`near=${lon0},${lat0}&radius=30&type=0118`)).json().items;
      for (const item of [...boxed, ...nearItems, ...radiusItems]) {
        const { distance: _d, ...rest } = item;
        assert.deepEqual(rest, await one(item.code));
      }
      assert.deepEqual(boxed[0], { ...(await one(codes[0]!)) }, 'including owner and maintainer');
      assert.equal(boxed[0].ownerDept, 'cgzf');
      assert.equal(boxed[1].attributes.pole_height_m, 9);

      const damaged = (await q('jurisdiction=310115005&type=0118&status=damaged&limit=1000')).json();
      assert.deepEqual(damaged.items.map((i: { code: string }) => i.code).sort(), [codes[0], codes[4], codes[8]].sort());
      const paged: string[] = [];
      let pc: string | null = null;
      do {
        const page: { items: Array<{ code: string }>; nextCursor: string | null } = (await q(`jurisdiction=310115005&type=0118&limit=5${pc ? `&cursor=${pc}` : ''}`)).json();
        paged.push(...page.items.map((i) => i.code));
        pc = page.nextCursor;
      } while (pc);
      assert.deepEqual([...paged].sort(), [...codes].sort(), 'pages by place cover every streetlight once');
      const cityWide = (await call('admin', { url: '/api/components?jurisdiction=310000&type=0118&status=damaged&limit=1000' })).json();
      const cityCodes = cityWide.items.map((i: { code: string }) => i.code);
      assert.ok(damaged.items.length > 0 && damaged.items.every((i: { code: string }) => cityCodes.includes(i.code)), 'the city as a place: every district');

      const counts = (await call('lujiazui.operator', { url: '/api/components/counts?jurisdiction=310115005&type=0118' })).json();
      assert.equal(counts.total, 12);
      assert.equal(counts.byType[0].byStatus.damaged, 3);
      assert.equal(counts.byChild.reduce((a: number, ch: { total: number }) => a + ch.total, 0), 12, 'per committee counts add up');
      assertProblem(await q('near=31.236,121.506&k=3'), 400, 'near');
      assertProblem(await q('bbox=1,2,3'), 400, 'bbox');
      const swappedBox = await q('bbox=31.23,121.50,31.24,121.51');
      assertProblem(swappedBox, 400, 'bbox');
      assert.match(swappedBox.json().detail, /looks like lat,lon/);
      assertProblem(await q(`near=${lon0},${lat0}&radius=101&cursor=${Buffer.from(JSON.stringify([-5])).toString('base64url')}`), 400, 'cursor');
      assertProblem(await call('lujiazui.operator', { url: '/api/components/counts?jurisdiction=310115005&type=0118,9999' }), 400, 'type');
      assertProblem(await q('status=broken'), 400, 'status');
      assertProblem(await q('cursor=nonsense'), 400, 'cursor');
      // Well-formed but forged box cursors: a cell no grid has, or a negative one.
      const forged = (v: unknown[]) => Buffer.from(JSON.stringify(v)).toString('base64url');
      for (const c of [[2 ** 40, 1], [-1, 0], [0, -5]]) assertProblem(await q(`bbox=121.50,31.23,121.51,31.24&cursor=${forged(c)}`), 400, 'cursor');
      assertProblem(await call('lujiazui.operator', { url: '/api/components/counts?jurisdiction=310101' }), 403, undefined, 'SCOPE_FORBIDDEN');
    });

    test('a wide box pages cell by cell: every component once, whatever the page size', async () => {
      const [lon0, lat0] = PLACES.lujiazui;
      const codes: string[] = [];
      // Lamps on a 5 × 5 lattice 2.2 km apart: a 10 km box cuts into 5 × 5 cells (15 × 15 on
      // PostgreSQL), so pages cross cells.
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 5; j++) {
          const at: [number, number] = [lon0 - 0.045 + i * 0.023, lat0 - 0.04 + j * 0.02];
          const res = await create('admin', { type: '0117', geometry: { type: 'Point', coordinates: at }, attributes: { pole_kind: '综合杆' } });
          if (res.statusCode === 201) codes.push(res.json().code);
          else assert.equal(res.statusCode, 400, res.body); // a lattice point off the land is refused, not a 500
        }
      }
      assert.ok(codes.length >= 15, `${codes.length} lamps placed`);
      const box = `${lon0 - 0.05},${lat0 - 0.045},${lon0 + 0.05},${lat0 + 0.045}`;
      for (const limit of [1, 4, 7, 1000]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: { items: Array<{ code: string }>; nextCursor: string | null } = (await call('admin', { url: `/api/components?bbox=${box}&type=0117&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}` })).json();
          assert.ok(page.items.length <= limit, `a page holds at most ${limit}`);
          assert.ok(page.items.length === limit || !page.nextCursor, 'only the last page is short');
          seen.push(...page.items.map((i) => i.code));
          cursor = page.nextCursor;
          assert.ok(++pages < 200, 'paging ends');
        } while (cursor);
        assert.deepEqual([...seen].sort(), [...codes].sort(), `limit ${limit}: each lamp exactly once`);
      }

      // Footbridges and an area whose lower-left corner lies beyond the box's west or south edge
      // belong to the outer cells; one wholly west of the box is not in it.
      const [w, s] = [lon0 - 0.05, lat0 - 0.045];
      const crossing: string[] = [];
      const add = async (type: string, geometry: object, inBox: boolean) => {
        const res = await create('admin', { type, geometry, attributes: {} });
        assert.equal(res.statusCode, 201, res.body);
        if (inBox) crossing.push(res.json().code);
      };
      await add('0205', { type: 'LineString', coordinates: [[w - 0.003, lat0 + 0.01], [w + 0.003, lat0 + 0.012]] }, true);
      await add('0205', { type: 'LineString', coordinates: [[lon0 + 0.01, s - 0.003], [lon0 + 0.012, s + 0.002]] }, true);
      await add('0205', { type: 'LineString', coordinates: [[w - 0.006, lat0], [w - 0.002, lat0 + 0.001]] }, false);
      await add('0207', { type: 'Polygon', coordinates: [[[w - 0.002, s - 0.002], [w + 0.002, s - 0.002], [w + 0.002, s + 0.002], [w - 0.002, s + 0.002], [w - 0.002, s - 0.002]]] }, true);
      for (const limit of [1, 3, 1000]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: Array<{ code: string }>; nextCursor: string | null } = (await call('admin', { url: `/api/components?bbox=${box}&type=0117,0205,0207&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}` })).json();
          seen.push(...page.items.map((i) => i.code));
          cursor = page.nextCursor;
        } while (cursor);
        assert.deepEqual([...seen].sort(), [...codes, ...crossing].sort(), `limit ${limit}: lamps and the crossing footbridges and area, each once`);
      }
    });

    test("a scoped box and nearest reach the scope's lines beyond its extent, and nothing else there", async () => {
      // Spatial queries of a street's staff ask the index only for what overlaps the street's
      // extent (JurisdictionService.extent). A water main belongs to 陆家嘴 by its halfway point
      // but runs east beyond that extent; a box out there must still find it, and only it.
      const ext = y.ctx.services.jurisdictions.extent('310115005')!;
      const [lon0, lat0] = PLACES.lujiazui;
      const east = ext[2] + 0.004;
      const reach = east - lon0;
      const main = await create('admin', { type: '0190', geometry: { type: 'LineString', coordinates: [[lon0 - reach - 0.002, lat0], [lon0, lat0], [east, lat0]] }, attributes: { material: '球墨铸铁' } });
      assert.equal(main.statusCode, 201, main.body);
      assert.ok(main.json().jurisdictionCode.startsWith('310115005'), `the main is 陆家嘴's: ${main.json().jurisdictionCode}`);
      const there = await create('admin', { type: '0118', geometry: { type: 'Point', coordinates: [east - 0.001, lat0 + 0.0005] }, attributes: { lamp_type: 'LED' } });
      assert.equal(there.statusCode, 201, there.body);
      assert.ok(!there.json().jurisdictionCode.startsWith('310115005'), 'the lamp out there is not 陆家嘴\'s');

      const box = `${east - 0.002},${lat0 - 0.001},${east - 0.0005},${lat0 + 0.001}`;
      const codes = async (user: string, query: string) => ((await call(user, { url: `/api/components?${query}` })).json().items as Array<{ code: string }>).map((i) => i.code).sort();
      assert.deepEqual(await codes('lujiazui.operator', `bbox=${box}`), [main.json().code], 'the street sees its main there, not the lamp');
      assert.deepEqual(await codes('lujiazui.operator', `bbox=${box}&type=0190,0118`), [main.json().code], 'also with a type filter');
      assert.deepEqual(await codes('pudong.operator', `bbox=${box}`), [main.json().code, there.json().code].sort(), 'the district sees both');
      assert.deepEqual(await codes('lujiazui.operator', `near=${east - 0.001},${lat0 + 0.0005}&k=1&type=0190,0118`), [main.json().code], "nearest: the street's main, not the nearer lamp");
      assert.deepEqual(await codes('lujiazui.operator', `near=${east - 0.001},${lat0 + 0.0005}&radius=200&type=0190,0118`), [main.json().code], 'within a radius likewise');
    });

    test('a status filter reads the index of components not intact, which follows every change of status, place and deletion', async () => {
      const [lon0, lat0] = pointIn(y.ctx, '310115007');
      const statuses = ['intact', 'damaged', 'missing', 'occupied', 'removed', 'intact'];
      const codes: string[] = [];
      for (const [i, status] of statuses.entries()) {
        const res = await create('admin', { type: '0117', status, geometry: { type: 'Point', coordinates: [lon0 + i * 0.0005, lat0] }, attributes: { pole_kind: '综合杆' } });
        assert.equal(res.statusCode, 201, res.body);
        codes.push(res.json().code);
      }
      const box = `${lon0 - 0.015},${lat0 - 0.015},${lon0 + 0.015},${lat0 + 0.015}`;
      const found = async (query: string) => ((await call('admin', { url: `/api/components?${query}` })).json().items as Array<{ code: string }>).map((i) => i.code).sort();
      const inBox = (status: string) => found(`bbox=${box}&status=${status}&limit=1000`);
      assert.deepEqual(await inBox('damaged,missing'), [codes[1], codes[2]].sort());
      assert.deepEqual(await inBox('intact,removed'), [codes[0], codes[4], codes[5]].sort(), 'with intact, the whole index');
      // All four statuses but intact are read from that index alone, without the rows: the same
      // answer as two filtered halves; all five, the same as no filter.
      const notIntact = async () => [...(await inBox('damaged,missing')), ...(await inBox('occupied,removed'))].sort();
      assert.deepEqual(await inBox('removed,damaged,occupied,missing'), await notIntact(), 'not intact, by the index alone');
      assert.ok((await notIntact()).includes(codes[4]!));
      assert.deepEqual(await inBox('intact,damaged,missing,occupied,removed'), await found(`bbox=${box}&limit=1000`), 'every status: no filter');
      const patch = (code: string, payload: object) => call('admin', { method: 'PATCH', url: `/api/components/${code}`, payload: { version: 1, ...payload } });
      assert.equal((await patch(codes[1]!, { status: 'intact' })).statusCode, 200, 'repaired');
      assert.equal((await patch(codes[5]!, { status: 'missing' })).statusCode, 200, 'stolen');
      assert.deepEqual(await inBox('damaged,missing'), [codes[2], codes[5]].sort());
      const away: [number, number] = [lon0 + 0.03, lat0];
      assert.equal((await patch(codes[2]!, { geometry: { type: 'Point', coordinates: away } })).statusCode, 200, 'moved out of the box');
      assert.deepEqual(await inBox('missing'), [codes[5]]);
      assert.deepEqual(await found(`near=${away.join(',')}&k=1&status=missing`), [codes[2]], 'nearest finds it where it went');
      assert.equal((await call('admin', { method: 'DELETE', url: `/api/components/${codes[3]}?version=1` })).statusCode, 204);
      assert.deepEqual(await inBox('occupied'), [], 'deleted');
      assert.deepEqual(await inBox('damaged,missing,occupied,removed'), await notIntact(), 'not intact, after the repair, the theft, the move and the deletion');
      assert.ok(!(await notIntact()).includes(codes[1]!) && (await notIntact()).includes(codes[5]!));
      assert.deepEqual(await found(`near=${lon0},${lat0}&radius=1000&status=removed`), [codes[4]]);
    });

    test('delete keeps the history; counts follow every write', async () => {
      const c = (await create('lujiazui.operator', makeComponent({ type: '0103', attributes: { material: '铸铁', shape: '方形' } }))).json();
      const count = async () => (await call('lujiazui.operator', { url: '/api/components/counts?jurisdiction=310115005&type=0103' })).json().total;
      const n = await count();
      assertProblem(await call('lujiazui.grid', { method: 'DELETE', url: `/api/components/${c.code}?version=1` }), 403);
      const del = await call('lujiazui.operator', { method: 'DELETE', url: `/api/components/${c.code}?version=1` });
      assert.equal(del.statusCode, 204, del.body);
      assert.equal(await count(), n - 1);
      assertProblem(await call('lujiazui.operator', { url: `/api/components/${c.code}` }), 404);
      const h = await y.ctx.db.selectFrom('components_history').selectAll().where('component_code', '=', c.code).orderBy('seq').execute();
      assert.deepEqual(h.map((r) => r.action), ['created', 'deleted']);
    });

    test('an administrator adds a type with a typed schema; others may not', async () => {
      const body = { code: '0395', nameZh: '智能垃圾分类箱', nameEn: 'Smart sorting bin', geometry: 'point', ownerSector: 'lhsr', attributes: { type: 'object', properties: { capacity_l: { type: 'integer', minimum: 60 } }, additionalProperties: false } };
      assertProblem(await call('lujiazui.operator', { method: 'POST', url: '/api/component-types', payload: body }), 403);
      assertProblem(await call('admin', { method: 'POST', url: '/api/component-types', payload: { ...body, attributes: { type: 'object', properties: { x: { type: 'integr' } } } } }), 400, 'attributes');
      assertProblem(await call('admin', { method: 'POST', url: '/api/component-types', payload: { ...body, kind: 'area' } }), 400, 'kind');
      assertProblem(await call('admin', { method: 'POST', url: '/api/component-types', payload: { ...body, ownerSector: 'lhsr.310115' } }), 400, 'ownerSector');
      const res = await call('admin', { method: 'POST', url: '/api/component-types', payload: body });
      assert.equal(res.statusCode, 201, res.body);
      assertProblem(await call('admin', { method: 'POST', url: '/api/component-types', payload: body }), 409, 'code');
      assertProblem(await create('lujiazui.operator', makeComponent({ type: '0395', attributes: { capacity_l: 10 } })), 400, 'attributes.capacity_l');
      const ok = await create('lujiazui.operator', makeComponent({ type: '0395', attributes: { capacity_l: 240 } }));
      assert.equal(ok.statusCode, 201, ok.body);
      assert.match(ok.json().code, /^3101150395/);
      const list = (await call('lujiazui.grid', { url: '/api/component-types' })).json();
      assert.ok(list.types.length >= 60);
      assert.equal(list.classes.length, 6);

      // The schema changes under a stored component: capacities now start at 500 litres.
      const schema = { type: 'object', properties: { capacity_l: { type: 'integer', minimum: 500 }, sensor: { type: 'boolean' } }, additionalProperties: false };
      assertProblem(await call('lujiazui.operator', { method: 'PATCH', url: '/api/component-types/0395', payload: { attributes: schema } }), 403);
      assertProblem(await call('admin', { method: 'PATCH', url: '/api/component-types/0395', payload: { ownerSector: 'no-such-sector' } }), 400, 'ownerSector');
      const changed = await call('admin', { method: 'PATCH', url: '/api/component-types/0395', payload: { nameEn: 'Smart sorting station', attributes: schema } });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal((await call('lujiazui.grid', { url: '/api/component-types/0395' })).json().nameEn, 'Smart sorting station');
      const code = ok.json().code;
      const patch = (user: string, payload: object) => call(user, { method: 'PATCH', url: `/api/components/${code}`, payload });
      // A grid worker's damage report does not trip over attributes it cannot edit, checked when they were written.
      const report = await patch('lujiazui.grid', { version: 1, status: 'damaged' });
      assert.equal(report.statusCode, 200, report.body);
      assert.deepEqual([report.json().status, report.json().attributes], ['damaged', { capacity_l: 240 }], 'the stored attributes stay as they were');
      // Whoever edits the attributes meets the new schema.
      assertProblem(await patch('lujiazui.operator', { version: 2, attributes: { capacity_l: 240, sensor: true } }), 400, 'attributes.capacity_l');
      assert.equal((await patch('lujiazui.operator', { version: 2, attributes: { capacity_l: 660, sensor: true } })).statusCode, 200);
    });
  });
}
