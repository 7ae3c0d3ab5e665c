import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import { boxGridFor } from './box-grid.ts';
import { float32Down, float32Up } from './rare-types.ts';
import { pointIn, startComponentsYiwang, type ComponentsYiwang } from './testing.ts';

type Page = { items: Array<{ code: string; distance?: number }>; nextCursor: string | null };

for (const dialect of DIALECTS) {
  describe(`rare types are read by type, paged as the spatial index pages (${dialect})`, () => {
    let y: ComponentsYiwang;
    const get = async (url: string): Promise<Page> => {
      const res = await y.app.inject({ url, headers: y.as.admin });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    /** Every page of a query, as [codes, cursor] pairs. */
    const pages = async (query: string, limit: number, first: string | null = null) => {
      const out: Array<[string[], string | null]> = [];
      let cursor = first;
      do {
        const page = await get(`/api/components?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        out.push([page.items.map((i) => i.code), page.nextCursor]);
        cursor = page.nextCursor;
        assert.ok(out.length < 500, 'paging ends');
      } while (cursor);
      return out;
    };

    before(async () => {
      y = await startComponentsYiwang(dialect, ['admin']);
    });
    after(async () => y?.close());

    test('the same pages and cursors as the spatial path, with corners on and beside every cell edge', async () => {
      // A 10 km box in 崇明 (nothing else of the test city lies there), and this database's grid for it.
      const [lon0, lat0] = pointIn(y.ctx, '310151');
      const box: [number, number, number, number] = [lon0 - 0.05, lat0 - 0.045, lon0 + 0.05, lat0 + 0.045];
      const grid = boxGridFor(dialect, box);
      assert.ok(grid.n > 3, `the box is cut into ${grid.n} × ${grid.n} cells`);
      // A step smaller than a float32 step here (about 8e-6 degrees): the R*Tree stores both sides
      // of an edge as one number, and the type path must put them in the same cells as the R*Tree.
      const tiny = 1e-7;
      const at: Array<[number, number]> = [];
      for (const e of grid.lonEdges) for (const d of [-tiny, 0, tiny]) at.push([e + d, lat0 + 0.001]);
      for (const e of grid.latEdges) for (const d of [-tiny, 0, tiny]) at.push([lon0 + 0.002, e + d]);
      for (const d of [-tiny, 0, tiny]) at.push([box[0] + d, box[1] + d], [box[2] + d, box[3] + d]);
      let placed = 0;
      for (const coordinates of at) {
        const res = await y.app.inject({ method: 'POST', url: '/api/components', headers: y.as.admin, payload: { type: '0117', geometry: { type: 'Point', coordinates }, attributes: { pole_kind: '综合杆' } } });
        if (res.statusCode === 201) placed++;
        else assert.equal(res.statusCode, 400, res.body); // off the land: refused, not a 500
      }
      assert.ok(placed >= at.length * 0.8, `${placed} of ${at.length} poles placed`);
      // Footbridges reaching in across the west and south edges, one across a middle edge.
      for (const coordinates of [
        [[box[0] - 0.004, lat0], [box[0] + 0.002, lat0 + 0.002]],
        [[lon0, box[1] - 0.004], [lon0 + 0.003, box[1] + 0.002]],
        [[grid.lonEdges[1]! - 0.003, lat0 - 0.01], [grid.lonEdges[1]! + 0.003, lat0 - 0.009]],
      ]) {
        const res = await y.app.inject({ method: 'POST', url: '/api/components', headers: y.as.admin, payload: { type: '0205', geometry: { type: 'LineString', coordinates }, attributes: {} } });
        assert.equal(res.statusCode, 201, res.body);
      }

      const bbox = `bbox=${box.join(',')}`;
      for (const limit of [1, 3, 7, 1000]) {
        const spatial = await pages(bbox, limit); // no filter: the spatial index
        const byType = await pages(`${bbox}&type=0117,0205`, limit); // rare types: read by type
        assert.deepEqual(byType, spatial, `limit ${limit}: the same pages and cursors`);
        if (spatial.length > 2) {
          // A cursor from one path pages on in the other.
          const [firstCodes, cursor] = spatial[0]!;
          const rest = await pages(`${bbox}&type=0117,0205`, limit, cursor);
          assert.deepEqual([firstCodes, ...rest.map((p) => p[0])].flat(), spatial.flatMap((p) => p[0]), `limit ${limit}: spatial first page, then by type`);
        }
      }
      const all = (await pages(bbox, 1000)).flatMap((p) => p[0]);
      assert.ok(all.length >= placed - 6, `the box holds the poles inside it (${all.length})`);
    });

    test('nearest-k of a rare type: the nearest by exact distance, lines by their nearest part', async () => {
      const [lon0, lat0] = pointIn(y.ctx, '310151');
      const q = [lon0 + 0.0301, lat0 + 0.0003];
      const near = await get(`/api/components?near=${q.join(',')}&k=4&type=0117,0205`);
      const whole = await get(`/api/components?near=${q.join(',')}&k=4`); // the growing box, unfiltered
      assert.deepEqual(near.items.map((i) => i.code), whole.items.map((i) => i.code));
      assert.deepEqual(near.items.map((i) => Math.round(i.distance! * 100)), whole.items.map((i) => Math.round(i.distance! * 100)));
    });
  });
}

test("the R*Tree's float32 bounds, repeated: never inside the value, at most two float32 steps away", () => {
  for (const x of [121.4737, 31.2304, 121.50000000000001, 0, -1e-9, 1e-9, 31 + 1e-7, 121 - 3e-7]) {
    const lo = float32Down(x);
    const hi = float32Up(x);
    assert.ok(lo <= x && hi >= x, `${x}: ${lo} ≤ x ≤ ${hi}`);
    assert.equal(Math.fround(lo), lo);
    assert.equal(Math.fround(hi), hi);
    assert.ok(hi - lo <= 4 * Math.abs(Math.fround(x) - Math.fround(x * (1 + 2 ** -23))) + Number.EPSILON, `${x}: within a few steps`);
  }
});
