import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import { BulkWriter } from './component.bulk.ts';
import { ComponentStore, type NewComponent } from './component.store.ts';
import { prepareComponent } from './prepare.ts';
import { makeComponent, PLACES, startComponentsYiwang, type ComponentsYiwang } from './testing.ts';

for (const dialect of DIALECTS) {
  describe(`bulk writes (${dialect})`, () => {
    let y: ComponentsYiwang;
    before(async () => {
      y = await startComponentsYiwang(dialect, ['lujiazui.operator']);
    });
    after(async () => y?.close());

    const rows = (n: number, over: Partial<NewComponent> = {}): NewComponent[] => {
      const svc = y.ctx.services.components;
      return Array.from({ length: n }, (_, i) => {
        const p = prepareComponent({ ...makeComponent({ at: [PLACES.lujiazui[0] + i * 1e-5, PLACES.lujiazui[1]] }), name: `<script>alert(1)</script> 井盖 ${i}`, code: `31011501010${String(50_000 + i).padStart(5, '0')}` }, svc.types, svc.locate);
        return { ...p.row, source: 'import:test', version: 1, created_at: 1, updated_at: 1, updated_by: null, ...over };
      });
    };

    test('a batch inserts new codes, updates changed ones, leaves identical ones, and keeps counts, index and history in step', async () => {
      await y.ctx.services.components.types.ready(y.ctx.db);
      const writer = new BulkWriter(y.ctx.database, new ComponentStore(dialect, y.ctx.database.sqlite));
      const first = await y.ctx.transaction((tx) => writer.write(tx, rows(30), null, 1));
      assert.deepEqual({ ...first, bbox: undefined }, { created: 30, updated: 0, unchanged: 0, refused: [], bbox: undefined });
      assert.ok(first.bbox, 'where the batch wrote');
      const again = rows(30);
      again[3] = { ...again[3]!, status: 'damaged' };
      const second = await y.ctx.transaction((tx) => writer.write(tx, again, 'someone', 2));
      assert.deepEqual({ ...second, bbox: undefined }, { created: 0, updated: 1, unchanged: 29, refused: [], bbox: undefined });

      const as = y.as['lujiazui.operator']!;
      const counts = (await y.app.inject({ url: '/api/components/counts?jurisdiction=310115005&type=0101', headers: as })).json();
      assert.equal(counts.total, 30);
      assert.equal(counts.byStatus.damaged, 1);
      const near = (await y.app.inject({ url: `/api/components?near=${PLACES.lujiazui.join(',')}&k=5&type=0101`, headers: as })).json();
      assert.equal(near.items.length, 5, 'the spatial index has the bulk rows');
      const changed = again[3]!.code;
      const one = (await y.app.inject({ url: `/api/components/${changed}`, headers: as })).json();
      assert.equal(one.version, 2);
      const hist = (await y.app.inject({ url: `/api/components/${changed}/history`, headers: as })).json();
      assert.deepEqual(hist.items[0].changes.status, ['intact', 'damaged']);
    });

    test('a failing batch leaves nothing behind', async () => {
      const writer = new BulkWriter(y.ctx.database, new ComponentStore(dialect, y.ctx.database.sqlite));
      const batch = rows(5, { created_at: 3 }).map((r, i) => ({ ...r, code: `3101150101${String(600_000 + i).padStart(6, '0')}` }));
      await assert.rejects(
        y.ctx.transaction(async (tx) => {
          await writer.write(tx, batch, null, 3);
          throw new Error('the import died mid-batch');
        }),
      );
      const found = await y.ctx.db.selectFrom('components_item').select('code').where('code', 'in', batch.map((b) => b.code)).execute();
      assert.equal(found.length, 0);
    });
  });
}
