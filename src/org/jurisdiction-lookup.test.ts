import { test } from 'node:test';
import assert from 'node:assert/strict';
import { platformModule } from '../platform/index.ts';
import { startTestYiwang } from '../platform/testing.ts';
import { jurisdictionsModule } from '../jurisdictions/index.ts';
import { orgModule } from './index.ts';
import { jurisdictionLookup, type JurisdictionInfo } from './jurisdiction-lookup.ts';

const node = (code: string, name: string, parentCode: string | null, level: JurisdictionInfo['level']): JurisdictionInfo => ({
  code,
  name,
  nameEn: name,
  level,
  kind: 'x',
  parentCode,
  special: false,
});

test('jurisdictions are looked up in the live jurisdictions service and nowhere else', async () => {
  const grid = node('310115005001001', '网格一', '310115005001', 'grid');
  const service = { get: (code: string) => (code === grid.code ? grid : null), children: (code: string) => (code === '310115005001' ? [grid] : []) };
  const lookup = jurisdictionLookup({ services: { jurisdictions: service } as never });
  assert.equal((await lookup.get(grid.code))?.name, '网格一');
  assert.deepEqual((await lookup.children('310115005001')).map((n) => n.code), [grid.code]);
  // 陆家嘴街道 is in data/divisions, but not in this tree: it does not exist for org.
  assert.equal(await lookup.get('310115005'), null);
  assert.deepEqual(await lookup.children('310000'), []);
  const names = await lookup.names(['310115005', grid.code]);
  assert.deepEqual([...names.entries()], [[grid.code, '网格一']]);
});

test('without a jurisdictions service the lookup fails, naming the module to compose', async () => {
  const lookup = jurisdictionLookup({ services: {} as never });
  await assert.rejects(lookup.get('310101013'), /jurisdictionsModule/);
});

test('the org module refuses to start without the jurisdictions module', async () => {
  await assert.rejects(startTestYiwang('sqlite', { modules: [platformModule, orgModule] }), /needs the jurisdictions module/);
});

test('seeding org before the jurisdiction tree fails with a clear message and writes no departments', async () => {
  const y = await startTestYiwang('sqlite', { modules: [platformModule, jurisdictionsModule, orgModule] });
  try {
    await assert.rejects(orgModule.seed!(y.ctx, { demo: true, progress: () => {} }), /seed the jurisdictions module first/);
    assert.equal((await y.ctx.db.selectFrom('org_department').select('code').execute()).length, 0);
  } finally {
    await y.close();
  }
});
