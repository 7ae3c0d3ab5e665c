import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DivisionFileSource, jurisdictionLookup, type JurisdictionInfo } from './jurisdiction-lookup.ts';

const node = (code: string, name: string, parentCode: string | null, level: JurisdictionInfo['level']): JurisdictionInfo => ({
  code,
  name,
  nameEn: name,
  level,
  kind: 'x',
  parentCode,
  special: false,
});

test('the division file knows 陆家嘴街道 (310115005) under 浦东新区', () => {
  const file = new DivisionFileSource();
  assert.deepEqual({ ...file.get('310115005') }, { code: '310115005', name: '陆家嘴街道', nameEn: 'Lujiazui Subdistrict', level: 'street', kind: 'subdistrict', parentCode: '310115', special: false });
  assert.ok(file.children('310115').some((n) => n.code === '310115005'));
  assert.equal(file.get('999999'), null);
});

test('the jurisdictions service is asked first, and the file for what it does not know', async () => {
  const grid = node('310115005001001', '网格一', '310115005001', 'grid');
  const service = { get: (code: string) => (code === grid.code ? grid : null), children: (code: string) => (code === '310115005001' ? [grid] : []) };
  const lookup = jurisdictionLookup({ services: { jurisdictions: service } as never });
  assert.equal((await lookup.get(grid.code))?.name, '网格一');
  assert.equal((await lookup.get('310115005'))?.name, '陆家嘴街道', 'from the file');
  assert.deepEqual((await lookup.children('310115005001')).map((n) => n.code), [grid.code]);
  assert.ok((await lookup.children('310000')).length >= 16, 'from the file');
  const names = await lookup.names(['310115005', grid.code, '000000']);
  assert.deepEqual([...names.entries()], [['310115005', '陆家嘴街道'], [grid.code, '网格一']]);
});

test('without a jurisdictions service the file answers alone', async () => {
  const lookup = jurisdictionLookup({ services: {} as never });
  assert.equal((await lookup.get('310101013'))?.name, '外滩街道');
});
