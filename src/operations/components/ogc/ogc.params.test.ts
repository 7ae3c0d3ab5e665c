import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../../platform/errors.ts';
import { checkParams, ITEMS_PARAMS, PAGE_CAP, parseBbox, parseDatetime, parseItemsParams, parseLimit } from './ogc.params.ts';

const refused = (fn: () => unknown, field: string, reason?: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof AppError && e.code === 'FIELD_INVALID' && e.field === field && (!reason || reason.test(e.message)));

test('datetime: instants, dates, offsets and (half-)bounded intervals become inclusive millisecond bounds', () => {
  const t = Date.UTC(2026, 2, 1, 8, 30, 0);
  assert.deepEqual(parseDatetime('2026-03-01T08:30:00Z'), { from: t, to: t });
  assert.deepEqual(parseDatetime('2026-03-01t16:30:00.250+08:00'), { from: t + 250, to: t + 250 }, 'lower-case t, fraction, offset');
  assert.deepEqual(parseDatetime('2026-03-01T16:30:00 08:00'), { from: t, to: t }, 'an unencoded + arrives as a space');
  assert.deepEqual(parseDatetime('2026-03-01'), { from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 2, 2) - 1 }, 'a date is its whole UTC day');
  assert.deepEqual(parseDatetime('2026-03-01T08:30:00Z/..'), { from: t, to: null });
  assert.deepEqual(parseDatetime('../2026-03-01'), { from: null, to: Date.UTC(2026, 2, 2) - 1 });
  assert.deepEqual(parseDatetime('2026-03-01T08:30:00Z/'), { from: t, to: null });
  assert.deepEqual(parseDatetime('../..'), { from: null, to: null });
  assert.deepEqual(parseDatetime('2024-02-29/2024-03-01T00:00:00Z'), { from: Date.UTC(2024, 1, 29), to: Date.UTC(2024, 2, 1) });
  for (const bad of ['', 'now', '2026-02-29', '2026-03-01T24:00:00Z', '2026-03-01T08:30:00', '2026-03-01T08:30Z', '2026-03-01T08:30:00+25:00', '2026-03-02/2026-03-01', 'a/b/c', '1709280000000']) {
    refused(() => parseDatetime(bad), 'datetime');
  }
});

test('bbox: four or six numbers in CRS84; a box across the antimeridian becomes two', () => {
  assert.deepEqual(parseBbox('121.4, 31.1,121.6,31.3'), [[121.4, 31.1, 121.6, 31.3]]);
  assert.deepEqual(parseBbox('121.4,31.1,-10,121.6,31.3,100'), [[121.4, 31.1, 121.6, 31.3]], 'heights ignored');
  assert.deepEqual(parseBbox('170,-10,-170,10'), [[170, -10, 180, 10], [-180, -10, -170, 10]]);
  refused(() => parseBbox('1,2,3'), 'bbox', /four numbers/);
  refused(() => parseBbox('0x10,1,2,3'), 'bbox', /numbers only/);
  refused(() => parseBbox('1,,2,3'), 'bbox');
  refused(() => parseBbox('31.1,121.4,31.3,121.6'), 'bbox', /latitudes/);
  refused(() => parseBbox('121.4,31.3,121.6,31.1'), 'bbox', /southern edge/);
  refused(() => parseBbox('121.4,31.1,100,121.6,31.3,0'), 'bbox', /height/);
});

test('limit: a whole number from 1; above the page cap it is served as the cap, not refused', () => {
  assert.equal(parseLimit('1'), 1);
  assert.equal(parseLimit('10000'), 10000);
  const p = parseItemsParams({ limit: '50000' });
  assert.equal(p.limit, PAGE_CAP);
  assert.equal(p.requestedLimit, 50000);
  assert.equal(parseItemsParams({}).limit, 10, 'the standard default');
  for (const bad of ['0', '-1', '1.5', 'ten', '', '1e3']) refused(() => parseLimit(bad), 'limit');
});

test('unknown, repeated or non-JSON parameters are refused by name', () => {
  assert.deepEqual(checkParams({ limit: '5', f: 'json' }, ITEMS_PARAMS, ['json', 'geojson']), { limit: '5', f: 'json' });
  refused(() => checkParams({ filter: 'a=1' }, ITEMS_PARAMS), 'filter', /not a parameter/);
  refused(() => checkParams({ bbox: ['1,2,3,4', '1,2,3,4'] }, ITEMS_PARAMS), 'bbox', /once/);
  refused(() => checkParams({ f: 'html' }, ['f']), 'f');
  refused(() => parseItemsParams({ cursor: 'WyJ4Il0' }), 'cursor');
});
