import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { makeComponent, PLACES, startComponentsYiwang, type ComponentsYiwang } from '../src/operations/components/testing.ts';

// OGC API – Features as a GIS reads it: GDAL's OAPIF driver (what QGIS uses too) against a real
// server on a port, authenticated with an API token sent as a header on every request.

const OGRINFO = process.env.YIWANG_OGRINFO ?? '/usr/bin/ogrinfo';
const ROW = 23; // more than two of GDAL's pages (10 features each)

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs ogrinfo without blocking the event loop (the server answering it lives in this process). */
function ogrinfo(args: string[], token: string | null, debug = false): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', GDAL_HTTP_TIMEOUT: '30', CPL_DEBUG: debug ? 'ON' : 'OFF' };
  delete env.GDAL_HTTP_HEADERS;
  delete env.GDAL_HTTP_HEADER_FILE;
  // GDAL ≥ 3.6 adds these headers to every request it makes, beside its own Accept header.
  if (token) env.GDAL_HTTP_HEADERS = `Authorization: Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const p = spawn(OGRINFO, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 90_000);
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** The features ogrinfo printed: fid order, each with its fields and its geometry as WKT. */
function features(out: string, layer: string): Array<{ fields: Record<string, string>; wkt: string }> {
  const blocks = out.split(`OGRFeature(${layer}):`).slice(1);
  return blocks.map((b) => {
    const fields: Record<string, string> = {};
    for (const m of b.matchAll(/^ {2}(\w+) \(\w+\) = (.*)$/gm)) fields[m[1]!] = m[2]!;
    return { fields, wkt: /^ {2}((?:POINT|LINESTRING|POLYGON|MULTI\w+) .*)$/m.exec(b)?.[1] ?? '' };
  });
}

describe('OGC API – Features through GDAL (ogrinfo, OAPIF driver)', () => {
  let y: ComponentsYiwang;
  let base: string;
  let token: string;
  let waitanToken: string;
  const row: Array<{ code: string; at: [number, number] }> = [];
  let pipeline = '';

  const api = async (tok: string, method: string, url: string, body?: unknown) => {
    const res = await fetch(base + url, { method, headers: { authorization: `Bearer ${tok}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const json = await res.json();
    assert.ok(res.ok, `${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  before(async () => {
    assert.ok(fs.existsSync(OGRINFO), `${OGRINFO} is missing: install gdal-bin (npm test installs it where it can)`);
    y = await startComponentsYiwang('sqlite', ['lujiazui.operator', 'waitan.operator']);
    const mint = async (user: string) => {
      const res = await y.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: y.as[user], payload: { name: 'QGIS 桌面 / ogrinfo' } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().token as string;
    };
    token = await mint('lujiazui.operator');
    waitanToken = await mint('waitan.operator');
    await y.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(y.app.server.address() as AddressInfo).port}`;

    const [lon, lat] = PLACES.lujiazui;
    for (let i = 0; i < ROW; i++) {
      const at: [number, number] = [Math.round((lon + i * 0.00002) * 1e7) / 1e7, lat];
      row.push({ code: (await api(token, 'POST', '/api/components', makeComponent({ at }))).code, at });
    }
    const line = { type: '0190', geometry: { type: 'LineString', coordinates: [[lon, lat], [lon + 0.001, lat + 0.001]] }, attributes: { material: '球墨铸铁', diameter_mm: 300 } };
    pipeline = (await api(token, 'POST', '/api/components', line)).code;
  });

  after(async () => y?.close());

  test('ogrinfo opens the landing page with a token and lists one layer per component type', async () => {
    const r = await ogrinfo(['-ro', '-so', `OAPIF:${base}/ogc`], token);
    assert.equal(r.code, 0, r.err + r.out);
    const layers = [...r.out.matchAll(/^\d+: (\w+) \(title: ([^)]*)\)/gm)].map((m) => [m[1], m[2]]);
    const collections = (await api(token, 'GET', '/ogc/collections')).collections as Array<{ id: string }>;
    assert.deepEqual(layers.map(([id]) => id), collections.map((c) => c.id), 'every collection is a layer');
    assert.ok(layers.some(([id, title]) => id === '0101' && title === '上水井盖 Water supply manhole cover'), r.out.slice(0, 500));
    for (const id of ['0190', '0194', '0405', '0590', '0591', '0602']) assert.ok(layers.some(([l]) => l === id), `layer ${id}`);
  });

  test('ogrinfo reads every feature of a layer across pages: codes, attributes and point geometries', async () => {
    const r = await ogrinfo(['-ro', `OAPIF:${base}/ogc`, '0101'], token);
    assert.equal(r.code, 0, r.err + r.out.slice(0, 2000));
    assert.match(r.out, /^Geometry: Point$/m);
    assert.match(r.out, new RegExp(`^Feature Count: ${ROW}$`, 'm'), 'numberMatched');
    // Fields come from the collection's JSON Schema (describedby), not only from the first page.
    for (const f of ['code: String', 'statusLabel: String', 'updatedAt: DateTime', 'material: String', 'diameter_mm: Integer', 'load_class: String', 'attr_status: String']) assert.match(r.out, new RegExp(`^${f}`, 'm'), f);
    const got = features(r.out, '0101');
    assert.equal(got.length, ROW, 'all three pages were read');
    assert.deepEqual(got.map((f) => f.fields.code), row.map((c) => c.code), 'each once, in order');
    for (const [i, f] of got.entries()) {
      assert.equal(f.fields.id, row[i]!.code, 'the feature id is the code');
      assert.equal(f.fields.statusLabel, '完好');
      assert.equal(f.fields.material, '球墨铸铁');
      const m = /^POINT \(([\d.]+) ([\d.]+)\)$/.exec(f.wkt);
      assert.ok(m, `a point: ${f.wkt}`);
      assert.ok(Math.abs(Number(m[1]) - row[i]!.at[0]) < 1e-7 && Math.abs(Number(m[2]) - row[i]!.at[1]) < 1e-7, `${f.wkt} ≈ ${row[i]!.at.join(' ')}`);
    }
    assert.match(got[0]!.fields.name!, /^<script>alert\(1\)<\/script> 井盖/);
  });

  test('a spatial filter (-spat) goes to the server as bbox; lines come back as LINESTRING', async () => {
    const [lon, lat] = row[0]!.at;
    const r = await ogrinfo(['-ro', '-spat', String(lon - 0.00001), String(lat - 0.00001), String(row[4]!.at[0] + 0.00001), String(lat + 0.00001), `OAPIF:${base}/ogc`, '0101'], token, true);
    assert.equal(r.code, 0, r.err + r.out.slice(0, 2000));
    assert.match(r.err, /Fetch\(http:[^)]*\/collections\/0101\/items\?[^)]*bbox=/, 'GDAL asked the server for the box (its debug log names each URL)');
    assert.deepEqual(features(r.out, '0101').map((f) => f.fields.code), row.slice(0, 5).map((c) => c.code));

    const line = await ogrinfo(['-ro', `OAPIF:${base}/ogc`, '0190'], token);
    assert.equal(line.code, 0, line.err + line.out.slice(0, 2000));
    const [f] = features(line.out, '0190');
    assert.equal(f?.fields.code, pipeline);
    assert.match(f!.wkt, /^LINESTRING \([\d.]+ [\d.]+,[\d.]+ [\d.]+\)$/);
  });

  test('another street\'s token sees the layers but none of 陆家嘴\'s features; without a token GDAL gets a 401', async () => {
    const r = await ogrinfo(['-ro', '-so', `OAPIF:${base}/ogc`, '0101'], waitanToken);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /^Feature Count: 0$/m);
    const anon = await ogrinfo(['-ro', '-so', `OAPIF:${base}/ogc`], null);
    assert.notEqual(anon.code, 0);
    assert.match(anon.err + anon.out, /401/);
  });
});
