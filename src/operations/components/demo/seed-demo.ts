import type { AppContext } from '../../../platform/context.ts';
import type { Progress } from '../../../platform/module.ts';
import { loadShanghaiDistricts } from '../../../jurisdictions/divisions.ts';
import { DEMO_CITY_SEED, demoRoads } from '../../../platform/geo/demo-city.ts';
import { BulkWriter } from '../component.bulk.ts';
import type { ComponentStore, NewComponent } from '../component.store.ts';
import { prepareComponent } from '../prepare.ts';
import { seedCatalogue } from '../types.ts';
import { estimateCount, generateDemoComponents, type DemoType } from './generate.ts';

/** Pudong gets the full density; the other districts this fraction of it. */
const OTHER_DISTRICTS = 0.04;
const BATCH = 5000;

/** The districts' outlines with the scale each gets. */
function plan(scale: number) {
  return loadShanghaiDistricts().map((d) => ({ ...d, scale: scale * (d.code === '310115' ? 1 : OTHER_DISTRICTS) }));
}

/**
 * Seeds the demo city's components: about a million along generated streets in 浦东新区 at scale 1,
 * lighter elsewhere. Codes follow generation order, so a re-run writes the same codes and the bulk
 * writer leaves them unchanged; a finished seed is recognised by its count and skipped.
 */
export async function seedDemoComponents(ctx: AppContext, store: ComponentStore, scale: number, progress: Progress): Promise<{ written: number; skipped: number }> {
  const svc = ctx.services.components;
  await svc.types.ready(ctx.db);
  const types: DemoType[] = seedCatalogue()
    .types.filter((t) => (t.demoDensity ?? 0) > 0 && svc.types.get(t.code))
    .map((t) => ({ code: t.code, geometry: t.geometry, kind: t.kind, demoDensity: t.demoDensity ?? 0, nameZh: t.nameZh, attributes: t.attributes }));
  const districts = plan(scale).map((d) => ({ ...d, roads: demoRoads(d.code, d.geometry) }));
  const expected = districts.reduce((n, d) => n + estimateCount({ districtCode: d.code, area: d.geometry, roads: d.roads, types, scale: d.scale }), 0);
  const existing = (await store.counts(ctx.db, '31')).reduce((n, r) => n + Number(r.n), 0);
  if (expected === 0 || existing >= expected * 0.97) {
    progress('demo components (already seeded)', existing, existing);
    return { written: 0, skipped: 0 };
  }

  const writer = new BulkWriter(ctx.database, store);
  const owners = new Map<string, string | null>();
  const now = ctx.clock.now();
  let done = 0;
  let skipped = 0;
  let batch: NewComponent[] = [];
  const flush = async () => {
    const rows = batch;
    batch = [];
    if (rows.length) await ctx.transaction((tx) => writer.write(tx, rows, null, now));
    progress('demo components', done, expected);
  };
  for (const d of districts) {
    const serials = new Map<string, number>();
    for (const c of generateDemoComponents({ districtCode: d.code, area: d.geometry, roads: d.roads, types, seed: DEMO_CITY_SEED, scale: d.scale })) {
      done++;
      const serial = (serials.get(c.typeCode) ?? 0) + 1;
      serials.set(c.typeCode, serial);
      let prepared;
      try {
        prepared = prepareComponent({ code: `${d.code}${c.typeCode}${String(serial).padStart(6, '0')}`, type: c.typeCode, geometry: c.geometry, status: c.status, attributes: c.attributes, address: c.address ?? null }, svc.types, svc.locate);
      } catch {
        // A point on the very edge may fall into the neighbouring district's cells: left out.
        skipped++;
        continue;
      }
      const sector = prepared.type.row.owner_sector;
      const ownerKey = `${sector}:${d.code}`;
      if (!owners.has(ownerKey)) owners.set(ownerKey, await svc.defaultOwner(sector, d.code));
      batch.push({ ...prepared.row, owner_dept: owners.get(ownerKey) ?? null, source: 'seed', version: 1, created_at: now, updated_at: now, updated_by: null });
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
  progress('demo components', expected, expected);
  return { written: done - skipped, skipped };
}
