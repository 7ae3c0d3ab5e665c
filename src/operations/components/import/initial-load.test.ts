import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { DIALECTS } from '../../../platform/db/testing.ts';
import { PLACES, startComponentsYiwang, type ComponentsYiwang } from '../testing.ts';
import { componentsModule } from '../index.ts';
import { BulkWriter } from '../component.bulk.ts';
import { ComponentStore } from '../component.store.ts';
import { deferIndexes } from './initial-load.ts';

const operator: Principal = { accountId: 'lujiazui-operator-test', username: 'lujiazui.operator', displayName: '陆家嘴值班员', roles: ['operator'], departmentCode: null, scopeCode: '310115005', via: 'session' };
const code = (serial: number) => `3101150101${String(serial).padStart(6, '0')}`;

/** The registry table's indexes as the database describes them (name → definition). */
async function indexes(ctx: AppContext): Promise<Record<string, string>> {
  const rows =
    ctx.dialect === 'postgres'
      ? (await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes where tablename = 'components_item'`.execute(ctx.db)).rows
      : (await sql<{ name: string; def: string | null }>`select name, sql as def from sqlite_master where type = 'index' and tbl_name = 'components_item'`.execute(ctx.db)).rows;
  return Object.fromEntries(rows.map((r) => [r.name, r.def ?? '(automatic)']));
}

/** Manhole covers in a row east of 陆家嘴's centre; `status` per serial. */
function ndjson(serials: number[], status: (serial: number) => string = () => 'intact'): string {
  return serials
    .map((s) => JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [Math.round((PLACES.lujiazui[0] + (s % 500) * 1e-5) * 1e7) / 1e7, PLACES.lujiazui[1]] }, properties: { code: code(s), status: status(s), material: '铸铁', shape: '圆形' } }))
    .join('\n') + '\n';
}

for (const dialect of DIALECTS) {
  describe(`initial loads: indexes built at the end (${dialect})`, () => {
    let y: ComponentsYiwang;
    let dir: string;
    let migrated: Record<string, string>;
    const write = (name: string, text: string) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      return f;
    };
    const inBox = async () => {
      const [lon, lat] = PLACES.lujiazui;
      const r = await y.app.inject({ url: `/api/components?bbox=${lon - 0.001},${lat - 0.001},${lon + 0.01},${lat + 0.001}&limit=1000`, headers: y.as['lujiazui.operator'] });
      assert.equal(r.statusCode, 200, r.body);
      return (r.json().items as Array<{ code: string }>).map((c) => c.code).sort();
    };
    const counted = async () => (await y.app.inject({ url: '/api/components/counts?jurisdiction=310115005', headers: y.as['lujiazui.operator'] })).json().total as number;

    before(async () => {
      y = await startComponentsYiwang(dialect, ['lujiazui.operator']);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-initial-load-'));
      migrated = await indexes(y.ctx);
    });
    after(async () => {
      await y?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('a crash mid-load (indexes dropped, rows unindexed, its process gone): the next start builds them, and the job resumes normally', async () => {
      // The state a kill -9 leaves, made by hand: the registry's first 30 rows written by an
      // initial load whose process has exited.
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      const jobId = '00000000-0000-4000-8000-00000000c0de';
      const now = y.clock.now();
      const file = write('crashed.ndjson', ndjson(Array.from({ length: 30 }, (_, i) => 900 + i)));
      const job = { id: jobId, file_name: 'crashed.ndjson', fingerprint: 'crashed', format: 'ndjson', status: 'running', total_bytes: fs.statSync(file).size, offset_bytes: 1, next_line: 31, next_ordinal: 30, resume_state: JSON.stringify({ errorBytes: 0, owner: { host: os.hostname(), pid: dead }, initialLoad: true }), created_count: 30, updated_count: 0, unchanged_count: 0, failed_count: 0, error_file: null, message: null, scope_code: '310115005', started_by: operator.accountId, created_at: now, updated_at: now, finished_at: null };
      assert.ok(await deferIndexes(y.ctx, async (tx) => void (await tx.insertInto('components_import').values(job as never).execute())));
      const writer = new BulkWriter(y.ctx.database, new ComponentStore(dialect, y.ctx.database.sqlite));
      const rows = Array.from({ length: 30 }, (_, i) => {
        const [lon, lat] = [Math.round((PLACES.lujiazui[0] + (900 + i) * 1e-5) * 1e7) / 1e7, PLACES.lujiazui[1]];
        const j = y.ctx.services.jurisdictions.locate(lon, lat)!.code;
        return { code: code(900 + i), type_code: '0101', jurisdiction_code: j, geometry_kind: 'point' as const, geometry: JSON.stringify({ type: 'Point', coordinates: [lon, lat] }), lon, lat, min_lon: lon, min_lat: lat, max_lon: lon, max_lat: lat, status: 'intact' as const, name: null, address: null, owner_dept: null, maintainer_dept: null, attributes: { material: '铸铁', shape: '圆形' }, photos: [], source: `import:${jobId}`, version: 1, created_at: now, updated_at: now, updated_by: operator.accountId };
      });
      await y.ctx.transaction((tx) => writer.write(tx, rows, operator.accountId, now, { initialLoad: true }));
      assert.notDeepEqual(await indexes(y.ctx), migrated, 'the load dropped the indexes');
      if (dialect === 'sqlite') assert.deepEqual(await inBox(), [], 'rows not in the R*Tree are not found by place');

      await componentsModule.start!(y.ctx);

      assert.deepEqual(await indexes(y.ctx), migrated, 'the same indexes as migrated');
      assert.deepEqual(await inBox(), rows.map((r) => r.code).sort());
      assert.equal(await counted(), 30, 'counted afresh');
      const after = await y.ctx.services.componentImports.get(operator, jobId);
      assert.equal(after.status, 'running', 'the job is still there to resume');
      const state = (await y.ctx.db.selectFrom('components_import').select('resume_state').where('id', '=', jobId).executeTakeFirstOrThrow()).resume_state;
      assert.equal((typeof state === 'string' ? JSON.parse(state) : state).initialLoad, false, 'and resumes without deferring');
      // Clean up for the next test: the registry must be empty again.
      await y.ctx.db.deleteFrom('components_item').execute();
      await y.ctx.db.deleteFrom('components_count').execute();
      if (dialect === 'sqlite') await sql`delete from components_rtree`.execute(y.ctx.db);
      await y.ctx.db.deleteFrom('components_import').execute();
    });

    test('an import into the empty registry leaves the indexes out while it runs and builds the same ones at its end; a code twice is one component, updated', async () => {
      // 120 covers; cover 7 again (damaged now) in the last batch; a row without geometry.
      const file = write('first.ndjson', ndjson(Array.from({ length: 120 }, (_, i) => i + 1)) + ndjson([7], () => 'damaged') + `{"type":"Feature","geometry":null,"properties":{"code":"${code(999)}"}}\n`);
      let during: Promise<Record<string, string>> | null = null;
      const job = await y.ctx.services.componentImports.run(operator, file, { batchSize: 25, worker: false, initialLoad: true, onProgress: () => void (during ??= indexes(y.ctx)) });
      assert.equal(job.status, 'done', job.message ?? '');
      assert.deepEqual([job.created, job.updated, job.failed], [120, 1, 1]);
      assert.ok(during);
      const mid = await during;
      assert.ok(!('components_item_place' in mid) && !('components_item_type_place' in mid), `no place indexes during the load: ${Object.keys(mid).join(', ')}`);
      assert.deepEqual(await indexes(y.ctx), migrated);
      assert.equal((await inBox()).length, 120);
      assert.equal(await counted(), 120);
      const r = await y.app.inject({ url: `/api/components/${code(7)}/history`, headers: y.as['lujiazui.operator'] });
      assert.deepEqual((r.json().items as Array<{ version: number; action: string }>).map((h) => [h.version, h.action]), [[2, 'imported'], [1, 'imported']], 'the update, then the creation told from the row');
      const seven = await y.app.inject({ url: `/api/components/${code(7)}`, headers: y.as['lujiazui.operator'] });
      assert.equal(seven.json().status, 'damaged');
    });

    test('into a registry that holds components the indexes stay in place (initialLoad asks, it does not force)', async () => {
      const file = write('second.ndjson', ndjson(Array.from({ length: 60 }, (_, i) => 300 + i)));
      let during: Promise<Record<string, string>> | null = null;
      const job = await y.ctx.services.componentImports.run(operator, file, { batchSize: 20, worker: false, initialLoad: true, onProgress: () => void (during ??= indexes(y.ctx)) });
      assert.equal(job.created, 60);
      assert.deepEqual(await during, migrated);
      assert.equal((await inBox()).length, 180);
      assert.equal(await counted(), 180);
    });
  });
}
