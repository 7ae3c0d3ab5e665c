import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { detectFormat, readRecords, resumeOptions, type ImportFormat, type RawRecord, type ReadOptions } from './readers.ts';

/** A seeded PRNG, so a failing chunking can be reproduced. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunked(buf: Buffer, size: () => number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; ) {
    const n = Math.max(1, size());
    chunks.push(buf.subarray(i, i + n));
    i += n;
  }
  return Readable.from(chunks);
}
const whole = (buf: Buffer) => Readable.from([buf]);
const bytewise = (buf: Buffer) => chunked(buf, () => 1);
const randomly = (buf: Buffer, seed: number) => {
  const r = rng(seed);
  return chunked(buf, () => 1 + Math.floor(r() * 23));
};

async function read(input: Readable, format: ImportFormat, opts?: ReadOptions): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of readRecords(input, format, opts)) out.push(r);
  return out;
}

/** The same records whether the bytes arrive whole, one at a time or in random pieces. */
async function readEveryWay(buf: Buffer, format: ImportFormat, opts?: ReadOptions): Promise<RawRecord[]> {
  const expected = await read(whole(buf), format, opts);
  assert.deepEqual(await read(bytewise(buf), format, opts), expected, '1-byte chunks');
  for (const seed of [1, 2, 3, 42]) assert.deepEqual(await read(randomly(buf, seed), format, opts), expected, `random chunks, seed ${seed}`);
  return expected;
}

/** Resuming after each record in turn yields exactly the records after it. */
async function assertResumes(buf: Buffer, format: ImportFormat, records: RawRecord[], csv?: { csvHeader: string[]; csvDelimiter?: ',' | ';' | '\t' }) {
  assert.ok(records.length > 1);
  for (let k = 0; k < records.length; k++) {
    const opts = resumeOptions(records[k], csv);
    const rest = await read(randomly(buf.subarray(opts.startOffset), k), format, opts);
    assert.deepEqual(rest, records.slice(k + 1), `resuming after record ${k}`);
  }
}

const point = (x: number, y: number) => ({ type: 'Point', coordinates: [x, y] });
const omit = (r: RawRecord) => {
  const { endOffset: _o, endLine: _l, ...rest } = r;
  return rest;
};

const FC = Buffer.from(
  '\uFEFF{\n' +
    '  "name": "上海 {components}",\n' +
    '  "crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:OGC:1.3:CRS84", "odd": "\\"}]\\\\" } },\n' +
    '  "features": [\n' +
    '    { "type": "Feature", "id": "a1", "properties": { "name": "陆家嘴街道", "note": "brace } and \\" quote [" },\n' +
    '      "geometry": { "type": "Point", "coordinates": [121.5, 31.2] } },\n' +
    '    {"type":"Feature","properties":null,"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}},' +
    '{"type":"Feature","properties":{"路":"南京东路"},"geometry":null},\n' +
    '    { "type": "Feature", "properties": { "x": 1, }, "geometry": {"type": "Point", "coordinates": [0, 0]} },\n' +
    '    { "type": "Polygon", "coordinates": [] },\n' +
    '    42,\n' +
    '    {"type":"Feature","properties":{"emoji":"🏙️ 黄浦江","esc":"tab\\t","esc2":"\\n\\u0022}\\\\"},"geometry":{"type":"Point","coordinates":[121.49,31.24]}}\n' +
    '  ],\n' +
    '  "type": "FeatureCollection",\n' +
    '  "bbox": [120, 30, 122, 32]\n' +
    '}\n',
);

test('a FeatureCollection gives the same records in whole, 1-byte and random chunks, with lines and errors', async () => {
  const records = await readEveryWay(FC, 'geojson');
  const reasons = records.map((r) => (r.ok ? '' : r.reason));
  assert.match(reasons[3], /^invalid JSON: /);
  assert.match(reasons[4], /bare Polygon geometry/);
  assert.deepEqual(records.map(omit), [
    { line: 5, ordinal: 0, ok: true, id: 'a1', properties: { name: '陆家嘴街道', note: 'brace } and " quote [' }, geometry: point(121.5, 31.2) },
    { line: 7, ordinal: 1, ok: true, properties: {}, geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] } },
    { line: 7, ordinal: 2, ok: false, field: 'geometry', reason: 'missing geometry' },
    { line: 8, ordinal: 3, ok: false, field: 'feature', reason: reasons[3] },
    { line: 9, ordinal: 4, ok: false, field: 'type', reason: reasons[4] },
    { line: 10, ordinal: 5, ok: false, field: 'type', reason: 'expected a GeoJSON Feature object, found a number' },
    { line: 11, ordinal: 6, ok: true, properties: { emoji: '🏙️ 黄浦江', esc: 'tab\t', esc2: '\n"}\\' }, geometry: point(121.49, 31.24) },
  ]);
  // endOffset counts bytes (BOM and 3-byte Chinese characters included): each ends just after its element.
  for (const r of records) assert.match(FC.subarray(0, r.endOffset).toString().slice(-1), /[}2]/);
  assert.equal(FC.subarray(0, records[1].endOffset).toString().endsWith('[3,4]]}}'), true);
});

test('resuming a FeatureCollection after any record gives exactly the rest, with lines and ordinals', async () => {
  await assertResumes(FC, 'geojson', await read(whole(FC), 'geojson'));
});

test('a FeatureCollection with its features first, and one with nothing but features, are read', async () => {
  const f = (n: number) => ({ type: 'Feature', properties: { n }, geometry: point(n, n) });
  const first = Buffer.from(JSON.stringify({ features: [f(1), f(2)], type: 'FeatureCollection', crs: { type: 'name' } }));
  assert.deepEqual((await readEveryWay(first, 'geojson')).map((r) => (r.ok ? r.properties.n : r.reason)), [1, 2]);
  const bare = Buffer.from('{"features":[]}');
  assert.deepEqual(await readEveryWay(bare, 'geojson'), []);
});

test('a file that is not a FeatureCollection throws a clear error', async () => {
  const fails = async (text: string, message: RegExp) => {
    await assert.rejects(read(bytewise(Buffer.from(text)), 'geojson'), message);
    await assert.rejects(read(whole(Buffer.from(text)), 'geojson'), message);
  };
  await fails('{"type":"Feature","properties":{},"geometry":null}', /not a FeatureCollection: "type" is "Feature"/);
  await fails('{"features":[],"type":"Topology"}', /not a FeatureCollection: "type" is "Topology"/);
  await fails('{"type":"FeatureCollection"}', /no "features" array/);
  await fails('{"type":"FeatureCollection","features":{}}', /"features" must be an array/);
  await fails('[{"type":"Feature"}]', /JSON array, not a FeatureCollection/);
  await fails('', /empty/);
  await fails('  \n', /empty/);
  await fails('<html>', /expected a FeatureCollection object/);
  await fails('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point"', /end of file inside the feature starting at line 1/);
  await fails('{"type":"FeatureCollection","features":[{"type":"Feature"},\n', /end of file inside the "features" array \(line 2\)/);
  await fails('{"type":"FeatureCollection","features":[]', /not closed/);
  await fails('{"type":"FeatureCollection","features":[]} {}', /after the end of the FeatureCollection/);
  await fails('{"type":"FeatureCollection","features":[{} {}]}', /expected ',' or '\]' after a feature/);
});

test('a record larger than maxRecordBytes throws instead of filling memory', async () => {
  await assert.rejects(read(randomly(FC, 5), 'geojson', { maxRecordBytes: 100 }), /the value starting at line 5 is larger than 100 bytes/);
  await assert.rejects(read(randomly(ND, 5), 'ndjson', { maxRecordBytes: 50 }), /line 1 is longer than 50 bytes/);
  await assert.rejects(read(randomly(CSV, 5), 'csv', { maxRecordBytes: 20 }), /row starting at line 2 is larger than 20 bytes/);
});

test('skip reads past records without yielding them', async () => {
  const all = await read(whole(FC), 'geojson');
  assert.deepEqual(await read(bytewise(FC), 'geojson', { skip: 3 }), all.slice(3));
  assert.deepEqual(await read(whole(FC), 'geojson', { skip: 100 }), []);
});

const ND = Buffer.from(
  '\uFEFF{"type":"Feature","properties":{"name":"人民广场"},"geometry":{"type":"Point","coordinates":[121.47,31.23]}}\r\n' +
    '\n' +
    '{"type":"Feature","properties":{"name":"broken",\n' +
    '{"type":"Point","coordinates":[1,2]}\n' +
    '   \n' +
    '{"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[1,2]}}\n' +
    '\u001e{"type":"Feature","properties":{"末":"行"},"geometry":{"type":"Point","coordinates":[3,4]}}',
);

test('NDJSON: one Feature per line, a broken line in the middle does not stop the rest', async () => {
  const records = await readEveryWay(ND, 'ndjson');
  const reasons = records.map((r) => (r.ok ? '' : r.reason));
  assert.match(reasons[1], /^invalid JSON: /);
  assert.match(reasons[2], /bare Point geometry/);
  assert.deepEqual(records.map(omit), [
    { line: 1, ordinal: 0, ok: true, properties: { name: '人民广场' }, geometry: point(121.47, 31.23) },
    { line: 3, ordinal: 1, ok: false, field: 'line', reason: reasons[1] },
    { line: 4, ordinal: 2, ok: false, field: 'type', reason: reasons[2] },
    { line: 6, ordinal: 3, ok: true, id: 7, properties: {}, geometry: point(1, 2) },
    { line: 7, ordinal: 4, ok: true, properties: { 末: '行' }, geometry: point(3, 4) },
  ]);
  // byte offsets: after the line break, or the end of a file without a final one
  assert.deepEqual(records.slice(-2).map((r) => [r.endOffset, r.endLine]), [[ND.indexOf('\u001e'), 7], [ND.length, 7]]);
  assert.deepEqual(await read(bytewise(ND), 'ndjson', { skip: 2 }), records.slice(2));
  await assertResumes(ND, 'ndjson', records);
});

const CSV = Buffer.from(
  '\uFEFFname,WKT,note,district,\r\n' +
    '"Nanjing Road, East",POINT(121.48 31.24),"said ""hi""",黄浦区,\r\n' +
    '外滩,"POINT(121.49 31.24)","two\r\nline\nnote",,\r\n' +
    '\r\n' +
    'short,POINT(1 2)\r\n' +
    'no geometry,,x,,\r\n' +
    '"bad"quote,POINT(1 2),,,\r\n' +
    'last,POINT(3 4),"末尾",静安区,',
);

test('CSV: quoted delimiters, doubled quotes, newlines inside quotes and line numbers', async () => {
  let header: [string[], string] | undefined;
  const records = await readEveryWay(CSV, 'csv', { onCsvHeader: (h, d) => (header = [h, d]) });
  assert.deepEqual(header, [['name', 'WKT', 'note', 'district', ''], ',']);
  assert.deepEqual(records.map(omit), [
    { line: 2, ordinal: 0, ok: true, properties: { name: 'Nanjing Road, East', note: 'said "hi"', district: '黄浦区' }, geometry: { wkt: 'POINT(121.48 31.24)' } },
    { line: 3, ordinal: 1, ok: true, properties: { name: '外滩', note: 'two\r\nline\nnote' }, geometry: { wkt: 'POINT(121.49 31.24)' } },
    { line: 7, ordinal: 2, ok: false, field: 'row', reason: 'expected 5 columns, found 2' },
    { line: 8, ordinal: 3, ok: false, field: 'WKT', reason: 'missing geometry' },
    { line: 9, ordinal: 4, ok: false, field: 'row', reason: 'unexpected text after the closing quote of column 1' },
    { line: 10, ordinal: 5, ok: true, properties: { name: 'last', note: '末尾', district: '静安区' }, geometry: { wkt: 'POINT(3 4)' } },
  ]);
  assert.deepEqual(await read(randomly(CSV, 7), 'csv', { skip: 4 }), records.slice(4));
  await assertResumes(CSV, 'csv', records, { csvHeader: header![0] });
});

test('CSV: semicolon and tab delimiters are detected; lon/lat columns give raw strings', async () => {
  const semi = Buffer.from('id;lng;lat;名称\n1;121,47;31,23;人民广场\n2;121.5;;x\n');
  let delimiter: string | undefined;
  const records = await readEveryWay(semi, 'csv', { onCsvHeader: (_h, d) => (delimiter = d) });
  assert.equal(delimiter, ';');
  assert.deepEqual(records.map(omit), [
    { line: 2, ordinal: 0, ok: true, properties: { id: '1', 名称: '人民广场' }, geometry: { lon: '121,47', lat: '31,23' } },
    { line: 3, ordinal: 1, ok: false, field: 'lat', reason: 'missing latitude' },
  ]);
  await assertResumes(semi, 'csv', records, { csvHeader: ['id', 'lng', 'lat', '名称'], csvDelimiter: ';' });
  const tab = Buffer.from('X\tY\tname, full\r-1.5\t2\ta, b\r3\t4\t\r');
  assert.deepEqual((await readEveryWay(tab, 'csv')).map(omit), [
    { line: 2, ordinal: 0, ok: true, properties: { 'name, full': 'a, b' }, geometry: { lon: '-1.5', lat: '2' } },
    { line: 3, ordinal: 1, ok: true, properties: {}, geometry: { lon: '3', lat: '4' } },
  ]);
});

test('CSV: a header without geometry columns, no header, or an unterminated quote', async () => {
  await assert.rejects(read(whole(Buffer.from('name,lon\na,1\n')), 'csv'), /expected a WKT column named "wkt", "geometry" or "geom".*"lat".*found "name", "lon"/);
  await assert.rejects(read(whole(Buffer.from('\n\n')), 'csv'), /header row is required/);
  await assert.rejects(read(whole(Buffer.from('a,a,wkt\n')), 'csv'), /column "a" twice/);
  const records = await readEveryWay(Buffer.from('geom,n\nPOINT(1 2),"open\nstill open\n'), 'csv');
  assert.deepEqual(records.map(omit), [{ line: 2, ordinal: 0, ok: false, field: 'row', reason: 'unterminated quoted field starting on line 2' }]);
});

test('resuming from a real file with createReadStream({ start }) continues at the right record', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readers-'));
  try {
    for (const [format, buf] of [['geojson', FC], ['ndjson', ND], ['csv', CSV]] as const) {
      const file = path.join(dir, `f.${format}`);
      fs.writeFileSync(file, buf);
      let csv: { csvHeader: string[] } | undefined;
      const all = await read(fs.createReadStream(file, { highWaterMark: 16 }), format, { onCsvHeader: (h) => (csv = { csvHeader: h }) });
      const done: RawRecord[] = [];
      for await (const r of readRecords(fs.createReadStream(file), format)) {
        done.push(r);
        if (done.length === 2) break; // interrupted
      }
      const opts = resumeOptions(done[1], csv);
      const rest = await read(fs.createReadStream(file, { start: opts.startOffset }), format, opts);
      assert.deepEqual([...done, ...rest], all, format);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('resuming needs the context a byte offset cannot give', async () => {
  await assert.rejects(readRecords(whole(FC), 'geojson', { startOffset: 10 }).next(), /insideFeatures/);
  await assert.rejects(readRecords(whole(CSV), 'csv', { startOffset: 10 }).next(), /csvHeader/);
});

test('a consumer that stops early releases the stream', async () => {
  const input = whole(ND);
  for await (const _ of readRecords(input, 'ndjson')) break;
  assert.equal(input.destroyed, true);
});

test('detectFormat', () => {
  const feature = '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}';
  assert.equal(detectFormat('a.geojson', '{"type":"FeatureCollection","features":[' + feature.slice(0, 20)), 'geojson');
  assert.equal(detectFormat('a.geojson', '\uFEFF{\n  "type": "FeatureCollection",\n'), 'geojson');
  assert.equal(detectFormat('a.json', `  ${feature}\n${feature}\n`), 'ndjson');
  assert.equal(detectFormat('a.json', `{"type":"FeatureCollection","features":[]}\n`), 'geojson');
  assert.equal(detectFormat('A.JSON', feature.slice(0, 30)), 'ndjson'); // a first line longer than the sample
  assert.equal(detectFormat('a.json', '{\n "type": "Feature",\n'), 'geojson'); // a pretty single Feature: the reader explains
  assert.equal(detectFormat('x.ndjson', '{'), 'ndjson');
  assert.equal(detectFormat('x.geojsonl', ''), 'ndjson');
  assert.equal(detectFormat('x.jsonl', ''), 'ndjson');
  assert.equal(detectFormat('x.csv', '{"type":"Feature"'), 'csv');
  assert.equal(detectFormat('upload', 'name,wkt\n'), 'csv');
  assert.equal(detectFormat('upload', '\u001e' + feature), 'ndjson');
});

test('200k features stream through a PassThrough in bounded memory', async () => {
  const N = 200_000;
  const input = new PassThrough({ highWaterMark: 64 * 1024 });
  const produce = async () => {
    const write = (s: string) => (input.write(s) ? Promise.resolve() : new Promise<void>((res) => input.once('drain', () => res())));
    await write('{"type":"FeatureCollection","name":"生成","features":[\n');
    for (let i = 0; i < N; i++) {
      const f = `{"type":"Feature","properties":{"i":${i},"名":"部件${i}"},"geometry":{"type":"Point","coordinates":[${121 + i / N},31.2]}}`;
      await write(i + 1 < N ? f + ',\n' : f + '\n');
    }
    input.end(']}\n');
  };
  const producing = produce();
  let count = 0;
  let last: RawRecord | undefined;
  for await (const r of readRecords(input, 'geojson')) {
    assert.equal(r.ok, true);
    count++;
    last = r;
  }
  await producing;
  assert.equal(count, N);
  assert.equal(last?.ordinal, N - 1);
  assert.equal(last?.line, N + 1);
  assert.deepEqual(last?.ok && last.properties, { i: N - 1, 名: `部件${N - 1}` });
});
