import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DIALECTS } from '../../platform/db/testing.ts';
import { ORG_TEST_MODULES } from '../../org/testing.ts';
import { startTestYiwang, type TestYiwang } from '../../platform/testing.ts';
import { catalogueModule } from './index.ts';
import { CatalogueStore } from './catalogue.store.ts';
import { toRow } from './catalogue.service.ts';
import { ensureJurisdictions } from '../../org/testing.ts';
import { orgModule } from '../../org/index.ts';

const QUERIES = JSON.parse(fs.readFileSync(new URL('../../../data/services/search-queries.json', import.meta.url), 'utf8')) as Array<{ q: string; expect: string[]; note?: string }>;

for (const dialect of DIALECTS) {
  describe(`service catalogue and search (${dialect})`, () => {
    let y: TestYiwang;
    before(async () => {
      y = await startTestYiwang(dialect, { modules: [...ORG_TEST_MODULES, catalogueModule] });
      await ensureJurisdictions(y.ctx);
      await orgModule.seed!(y.ctx, { demo: false, progress: () => {} });
      await catalogueModule.seed!(y.ctx, { demo: false, progress: () => {} });
    });
    after(async () => y?.close());
    const get = (url: string) => y.app.inject({ method: 'GET', url });
    const search = async (q: string, extra = '') => (await get(`/api/services/items?q=${encodeURIComponent(q)}${extra.includes('limit=') ? '' : '&limit=10'}${extra}`)).json() as { total: number; items: Array<{ code: string; nameZh: string; sector: string; departmentName: string }>; facets: Record<string, Record<string, number>> };

    test('the seed is a real catalogue: at least 150 items from at least 15 departments, with the fields a catalogue keeps', async () => {
      const all = await search('', '&limit=100');
      assert.ok(all.total >= 150, `${all.total} items`);
      assert.ok(Object.keys(all.facets.sector!).length >= 15, `${Object.keys(all.facets.sector!).length} departments`);
      const food = all.items.length ? (await search('食品经营许可')).items[0]! : null;
      assert.ok(food);
      const item = (await get(`/api/services/items/${encodeURIComponent(food.code)}`)).json();
      assert.equal(item.nameZh, '食品经营许可');
      assert.equal(item.kind, 'licensing');
      assert.ok(item.legalBasis.length > 0 && item.materials.length > 0);
      assert.ok(item.promisedDays <= item.legalDays);
      assert.ok(item.materials.some((m: { source: string; sourceName: string | null }) => m.source !== 'applicant' && m.sourceName), 'a material a department already issued is marked with that department');
      assert.equal((await get('/api/services/items/NOPE')).statusCode, 404);
      // A second seed changes nothing.
      await catalogueModule.seed!(y.ctx, { demo: false, progress: () => {} });
      assert.equal((await search('', '&limit=1')).total, all.total);
    });

    test(`search relevance: each of the ${QUERIES.length} real queries finds its items in the top three`, async () => {
      const misses: string[] = [];
      for (const { q, expect } of QUERIES) {
        const top = (await search(q)).items.slice(0, 3).map((i) => i.nameZh);
        for (const e of expect) if (!top.includes(e)) misses.push(`${q} → expected ${e}, got ${top.join(' | ') || '(nothing)'}`);
      }
      assert.ok(QUERIES.length >= 50);
      assert.deepEqual(misses, []);
    });

    test('an item written by another process (a CLI seed) is found once its event arrives', async () => {
      const item = { code: '310000-TEST-QT-0001', nameZh: '测试专用事项甲乙丙', nameEn: 'Test item', sector: 'dsj', kind: 'other', legalBasis: [], applicants: ['person'], conditionsZh: '', conditionsEn: '', materials: [], legalDays: 1, promisedDays: 1, fee: '不收费', feeEn: 'Free', online: 'full', trips: 0, inspections: 0, lifeEvents: [], enterpriseEvents: [], keywords: [] };
      const top = async () => (await search('测试专用事项甲乙丙')).items[0]?.nameZh;
      assert.notEqual(await top(), '测试专用事项甲乙丙');
      await y.ctx.transaction(async (tx) => {
        await new CatalogueStore().upsert(tx, [toRow(item, y.ctx.clock.now())]);
        await y.ctx.outbox.add(tx, 'services.catalogue.changed', { v: 1, items: 1 });
      });
      let found: string | undefined;
      for (let i = 0; i < 100 && found !== '测试专用事项甲乙丙'; i++) {
        await new Promise((r) => setTimeout(r, 30));
        found = await top();
      }
      assert.equal(found, '测试专用事项甲乙丙');
    });

    test('facets narrow the results; suggestions come as people type; bad facets name the field', async () => {
      const all = await search('许可');
      const sector = Object.keys(all.facets.sector!)[0]!;
      const narrowed = await search('许可', `&sector=${sector}`);
      assert.ok(narrowed.total > 0 && narrowed.items.every((i) => i.sector === sector));
      assert.ok(narrowed.total <= all.total);
      const online = await search('', '&online=full&limit=100');
      assert.ok(online.total > 0);
      const s = (await get(`/api/services/suggest?q=${encodeURIComponent('kfd')}`)).json().items as Array<{ nameZh: string }>;
      assert.ok(s.length > 0);
      const bad = await get('/api/services/items?kind=nonsense');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /kind/);
      assert.equal((await get('/api/services/items?sector=nope')).statusCode, 400);
    });
  });
}
