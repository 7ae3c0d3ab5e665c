import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../../platform/db/testing.ts';
import { startTestYiwang, type TestYiwang } from '../../../platform/testing.ts';
import { ComponentStore, type Box, type NewComponent } from '../component.store.ts';
import { COMPONENT_TEST_MODULES } from '../testing.ts';
import { OgcStore, type ItemsQuery } from './ogc.store.ts';

// Every query plan (each index and sort, or the table walk in id order) must give the same pages:
// checked against a plain filter over the rows, with the SQLite walk threshold forced both ways.

const T0 = Date.UTC(2026, 2, 1);
const PLACES = ['310115005001001', '310115005002003', '310115007001001', '310101013001001'];

function rows(n: number): NewComponent[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, i) => {
    const type = i % 3 === 0 ? '0118' : '0101';
    const line = i % 10 === 0;
    const lon = 121.4 + rnd() * 0.2;
    const lat = 31.1 + rnd() * 0.2;
    const [lon2, lat2] = [lon + 0.01, lat + 0.005];
    const geometry = line ? { type: 'LineString', coordinates: [[lon, lat], [lon2, lat2]] } : { type: 'Point', coordinates: [lon, lat] };
    return {
      code: `31011501${type.slice(2)}${String(i).padStart(6, '0')}`,
      type_code: type,
      jurisdiction_code: PLACES[i % PLACES.length]!,
      geometry_kind: line ? 'line' : 'point',
      geometry: JSON.stringify(geometry),
      lon,
      lat,
      min_lon: lon,
      min_lat: lat,
      max_lon: line ? lon2 : lon,
      max_lat: line ? lat2 : lat,
      status: 'intact',
      name: null,
      address: null,
      owner_dept: null,
      maintainer_dept: null,
      attributes: {},
      photos: [],
      source: 'seed',
      version: 1,
      created_at: T0,
      updated_at: T0 + Math.floor(rnd() * 100) * 60_000,
      updated_by: null,
    } as NewComponent;
  });
}

const overlaps = (r: NewComponent, b: Box) => r.min_lon <= b[2] && r.max_lon >= b[0] && r.min_lat <= b[3] && r.max_lat >= b[1];

for (const dialect of DIALECTS) {
  describe(`OGC store (${dialect})`, () => {
    let y: TestYiwang;
    let all: Array<NewComponent & { id: number }>;

    before(async () => {
      y = await startTestYiwang(dialect, { modules: COMPONENT_TEST_MODULES });
      const data = rows(400);
      const ids = await y.ctx.transaction((tx) => new ComponentStore(dialect, y.ctx.database.sqlite).insert(tx, data));
      all = data.map((r, i) => ({ ...r, id: ids[i]! }));
    });
    after(async () => y?.close());

    test('pages in id order match a plain filter for every plan: type, updated_at, R*Tree, table walk', async () => {
      const queries: Array<Omit<ItemsQuery, 'afterId' | 'limit' | 'typeCount'>> = [
        { type: '0101', scopePrefix: '31', boxes: null, from: null, to: null },
        { type: '0101', scopePrefix: '310115005', boxes: null, from: null, to: null },
        { type: '0118', scopePrefix: '310115', boxes: [[121.45, 31.15, 121.55, 31.25]], from: null, to: null },
        { type: '0101', scopePrefix: '31', boxes: null, from: T0 + 20 * 60_000, to: T0 + 40 * 60_000 },
        { type: '0101', scopePrefix: '31', boxes: [[121.4, 31.1, 121.5, 31.3]], from: T0 + 50 * 60_000, to: null },
        { type: '0118', scopePrefix: '31', boxes: [[121.5, 31.1, 180, 31.2], [-180, 31.1, -170, 31.2]], from: null, to: T0 + 30 * 60_000 },
        { type: '0101', scopePrefix: '310101013', boxes: [[0, 0, 1, 1]], from: null, to: null },
      ];
      const component = new ComponentStore(dialect, y.ctx.database.sqlite);
      // Type estimates far above or below the others steer SQLite to each index in turn.
      const variants = [
        { sortCap: 50_000, typeCount: (n: number) => n },
        { sortCap: 50_000, typeCount: () => 10_000 },
        { sortCap: 1, typeCount: (n: number) => n },
      ];
      for (const q of queries) {
        const expected = all
          .filter((r) => r.type_code === q.type && r.jurisdiction_code.startsWith(q.scopePrefix))
          .filter((r) => (q.from === null || r.updated_at >= q.from) && (q.to === null || r.updated_at <= q.to))
          .filter((r) => !q.boxes || q.boxes.some((b) => overlaps(r, b)))
          .map((r) => r.id)
          .sort((a, b) => a - b);
        const typeTotal = all.filter((r) => r.type_code === q.type && r.jurisdiction_code.startsWith(q.scopePrefix)).length;
        for (const v of variants) {
          const store = new OgcStore(dialect, component, { sortCap: v.sortCap });
          const got: number[] = [];
          let afterId = 0;
          for (;;) {
            const page = await store.page(y.ctx.db, { ...q, afterId, limit: 7, typeCount: v.typeCount(typeTotal) });
            got.push(...page.map((r) => r.id));
            if (page.length < 7) break;
            afterId = page.at(-1)!.id;
          }
          assert.deepEqual(got, expected, `${JSON.stringify(q)} with ${JSON.stringify({ sortCap: v.sortCap, typeCount: v.typeCount(typeTotal) })}`);
        }
      }
    });

    test('matched sums the kept counts of a type under a place', async () => {
      const store = new OgcStore(dialect, new ComponentStore(dialect, y.ctx.database.sqlite));
      await y.ctx.transaction((tx) =>
        new ComponentStore(dialect, y.ctx.database.sqlite).applyCounts(tx, new Map([[`310115005001001\u00000101\u0000intact`, 5], [`310115007001001\u00000101\u0000damaged`, 2], [`310115005001001\u00000118\u0000intact`, 9]])),
      );
      assert.equal(await store.matched(y.ctx.db, '0101', '310115005'), 5);
      assert.equal(await store.matched(y.ctx.db, '0101', '31'), 7);
      assert.equal(await store.matched(y.ctx.db, '0190', '31'), 0);
    });
  });
}
