// Benchmark: the component registry at scale, on SQLite and on PostgreSQL/PostGIS.
//   npm run bench -- components [--n=1000000] [--full] [--db=sqlite,postgres] [--queries=1000] [--keep]
//   npm run bench -- components --on=DATABASE   (the queries again, on a PostgreSQL database --keep kept)
// 1. Generates N components along the demo city's streets (all 16 districts, density scaled to N)
//    into an NDJSON file. As the same-run baseline, inserts the same rows with plain batched
//    INSERTs into a table without any index (and drops it again); then imports the file through the
//    real import path (parse → check → locate → bulk write with every index).
// 2. Times queries on the imported registry: bbox (1,000 features) at street and district zoom,
//    nearest-10, filtered boxes (not intact, a rare type, a street's staff), nearest-10 of a rare
//    type, and map-tile generation (uncached) at z16 (features) and z12 (aggregates). Twice:
//    right after the import, and warm, after reading the database's files through once (as a
//    server that has answered queries for a while holds them), each pass with its own places.
// 3. Prints throughput, p50/p99 and resident memory. Targets at 15M (--full) are in docs/components.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Principal } from '../src/platform/access.ts';
import { loadShanghaiDistricts } from '../src/jurisdictions/divisions.ts';
import { mulberry32 } from '../src/jurisdictions/geo/random.ts';
import { estimateCount, generateDemoComponents, type DemoType } from '../src/operations/components/demo/generate.ts';
import { DEMO_CITY_SEED, demoRoads } from '../src/platform/geo/demo-city.ts';
import { seedCatalogue } from '../src/operations/components/types.ts';
import { lonLatToTile } from '../src/platform/geo/tiles/tile-math.ts';
import { progressPrinter } from '../src/cli/progress.ts';
import { startBenchYiwang } from './_pg.ts';
import { rawBaseline } from './_components-baseline.ts';
import { readThrough, registryFiles, residency } from './_page-cache.ts';
import { buildYiwang, type Yiwang } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { sql } from 'kysely';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const FULL = process.argv.includes('--full');
const N = Number(arg('n') ?? (FULL ? 15_000_000 : 1_000_000));
const DBS = (arg('db') ?? 'sqlite,postgres').split(',');
const QUERIES = Number(arg('queries') ?? 1000);
/** Keeps the generated file and the databases (the folder is printed) for looking into afterwards. */
const KEEP = process.argv.includes('--keep');
const CHECKERS = arg('checkers') === undefined ? undefined : Number(arg('checkers'));
/** Times the queries again on a PostgreSQL database an earlier `--keep` run kept (no generation, no import). */
const ON = arg('on');
const PG_URL = process.env.YIWANG_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const progress = progressPrinter();
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** A rare type for the filtered queries: 古树名木, old and famous trees (about 150 a million components). */
const RARE = '0401';

/** The city operator the queries run as (the whole city in scope). */
const CITY: Principal = { accountId: 'bench', username: 'bench', displayName: 'bench', roles: ['operator', 'system'], departmentCode: null, scopeCode: '310000', via: 'session' };

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-bench-'));
const file = path.join(work, 'components.ndjson');
/** A sample of generated positions: query centres land where the components are. */
const sample: Array<[number, number]> = [];

function generate(): number {
  const types: DemoType[] = seedCatalogue().types.filter((t) => (t.demoDensity ?? 0) > 0).map((t) => ({ code: t.code, geometry: t.geometry, kind: t.kind, demoDensity: t.demoDensity!, nameZh: t.nameZh, attributes: t.attributes }));
  const districts = loadShanghaiDistricts().map((d) => ({ ...d, roads: demoRoads(d.code, d.geometry) }));
  const atOne = districts.map((d) => estimateCount({ districtCode: d.code, area: d.geometry, roads: d.roads, types, scale: 1 }));
  const scale = N / atOne.reduce((a, b) => a + b, 0);
  const out = fs.openSync(file, 'w');
  const random = mulberry32(7);
  let n = 0;
  let buf: string[] = [];
  for (const d of districts) {
    const serials = new Map<string, number>();
    for (const c of generateDemoComponents({ districtCode: d.code, area: d.geometry, roads: d.roads, types, seed: DEMO_CITY_SEED, scale })) {
      const serial = (serials.get(c.typeCode) ?? 0) + 1;
      serials.set(c.typeCode, serial);
      const code = `${d.code}${c.typeCode}${String(serial).padStart(6, '0')}`;
      // Attributes nested, as Yiwang's own export writes them: most types have a survey `status`
      // (部件状态) attribute, which flat properties would take for the component's status.
      buf.push(JSON.stringify({ type: 'Feature', geometry: c.geometry, properties: { code, type: c.typeCode, status: c.status, address: c.address, attributes: c.attributes } }));
      if (c.geometry.type === 'Point' && random() < 0.01) sample.push(c.geometry.coordinates as [number, number]);
      if (++n % 20_000 === 0) {
        fs.writeSync(out, buf.join('\n') + '\n');
        buf = [];
        progress('generate', n, N);
      }
    }
  }
  if (buf.length) fs.writeSync(out, buf.join('\n') + '\n');
  fs.closeSync(out);
  progress('generate', n, n);
  return n;
}

function percentiles(ms: number[]): { p50: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)]!, p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]! };
}

async function timed(label: string, n: number, fn: (i: number) => Promise<number>): Promise<void> {
  const ms: number[] = [];
  let returned = 0;
  for (let i = 0; i < Math.min(20, n); i++) await fn(i); // warm-up
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    returned += await fn(i);
    ms.push(performance.now() - t);
  }
  const { p50, p99 } = percentiles(ms);
  console.log(`  ${label.padEnd(34)} p50 ${p50.toFixed(2).padStart(7)} ms   p99 ${p99.toFixed(2).padStart(7)} ms   (${n} queries, ${fmt(returned / n)} results each)`);
}

/** A box of `metres` around a sampled component position. */
function boxAround(i: number, metres: number): string {
  const [lon, lat] = sample[(i * 7919) % sample.length]!;
  const dLat = metres / 2 / 111_320;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat].map((v) => v.toFixed(6)).join(',');
}

/** The query timings of one pass; `offset` moves every query elsewhere, so no pass reuses another's boxes. */
async function queries(y: Yiwang, pass: string, offset: number): Promise<void> {
  console.log(`  queries, ${pass}:`);
  const svc = y.ctx.services.components;
  await timed('bbox street zoom (1 km, ≤1000)', QUERIES, async (i) => (await svc.query(CITY, { bbox: boxAround(i + offset, 1000), limit: 1000 })).items.length);
  await timed('bbox district zoom (20 km, ≤1000)', QUERIES, async (i) => (await svc.query(CITY, { bbox: boxAround(i + offset, 20_000), limit: 1000 })).items.length);
  await timed('nearest-10', QUERIES, async (i) => {
    const [lon, lat] = sample[((i + offset) * 104729) % sample.length]!;
    return (await svc.query(CITY, { near: `${lon + 0.0003},${lat - 0.0002}`, k: 10 })).items.length;
  });
  // Filtered boxes take other paths (docs/components.md, "Queries"): the index of components not
  // intact, the type index for a rare type, and a street's extent for a street's staff.
  const some = Math.min(QUERIES, 300);
  await timed('bbox district zoom, not intact', some, async (i) => (await svc.query(CITY, { bbox: boxAround(i + offset, 20_000), limit: 1000, status: 'damaged,missing,occupied,removed' })).items.length);
  await timed(`bbox district zoom, type ${RARE}`, some, async (i) => (await svc.query(CITY, { bbox: boxAround(i + offset, 20_000), limit: 1000, type: RARE })).items.length);
  await timed(`nearest-10, type ${RARE}`, some, async (i) => {
    const [lon, lat] = sample[((i + offset) * 104729) % sample.length]!;
    return (await svc.query(CITY, { near: `${lon},${lat}`, k: 10, type: RARE })).items.length;
  });
  await timed('bbox district zoom, as a street', some, async (i) => {
    const [lon, lat] = sample[((i + offset) * 7919) % sample.length]!;
    const street = y.ctx.services.jurisdictions.locate(lon, lat)?.code.slice(0, 9) ?? '310000';
    return (await svc.query({ ...CITY, roles: ['operator'], scopeCode: street }, { bbox: boxAround(i + offset, 20_000), limit: 1000 })).items.length;
  });
  const map = y.ctx.services.map;
  for (const z of [16, 12]) {
    await timed(`tile z${z} (uncached${z < 15 ? ', aggregates' : ''})`, Math.min(QUERIES, 300), async (i) => {
      const [lon, lat] = sample[((i + offset) * 15485863) % sample.length]!;
      const t = lonLatToTile(lon, lat, z);
      return (await map.componentTile(CITY, z, t.x, t.y, undefined, { tileCache: false })).byteLength / 1024;
    });
  }
  console.log(`  (tile "results" are KiB per tile)`);
}

/** The first pass as the files are, then the warm pass after reading them through, at other places. */
async function twoPasses(y: Yiwang, files: string[], first: string): Promise<void> {
  await queries(y, `${first} (${residency(files) ?? 'cache state unknown'})`, 0);
  try {
    readThrough(files, progress);
    await queries(y, `warm, as on a server that has been answering for a while (${residency(files) ?? 'cache state unknown'})`, QUERIES + 20);
  } catch (err) {
    console.log(`  (no warm pass: the database files cannot be read here: ${(err as Error).message})`);
  }
}

async function runOn(dialect: 'sqlite' | 'postgres', rows: number): Promise<void> {
  console.log(`\n== ${dialect} ==`);
  const bench = await startBenchYiwang(dialect, 'components', path.join(work, dialect), progress);
  const y = bench.y;
  try {
    const imports = y.ctx.services.componentImports;
    // The baseline first: run after the import, its gigabytes of writes pushed the registry's pages
    // out of the page cache, and the "right after the import" pass then measured the baseline's
    // leftovers (until 30 Nov). It leaves the database as it found it (rawBaseline).
    const base = await rawBaseline(y.ctx, file, progress, rows);
    const t0 = performance.now();
    const job = await imports.run(CITY, file, { batchSize: 5000, checkers: CHECKERS, onProgress: (p) => progress(`import (${dialect})`, p.rows, rows), onIndexing: (step, done, total) => progress(`building indexes (${dialect})`, done, total, { note: step }) });
    const importS = (performance.now() - t0) / 1000;
    const imported = job.created + job.updated + job.unchanged;
    console.log(`  import (parse, check, locate, index) ${fmt(imported / importS).padStart(9)} rows/s  (${fmt(imported)} rows in ${importS.toFixed(1)} s, ${job.failed} refused)`);
    console.log(`  baseline: raw batched INSERT, no index ${fmt(base.rowsPerSecond).padStart(8)} rows/s  (same rows; import = ${((100 * imported) / importS / base.rowsPerSecond).toFixed(0)}% of it)`);

    await twoPasses(y, await registryFiles(dialect, y.ctx.db, path.join(work, dialect, 'yiwang.sqlite')), 'first pass, right after the import');
    console.log(`  resident memory ${mib(process.memoryUsage().rss)}, heap ${mib(process.memoryUsage().heapUsed)}`);
  } finally {
    if (KEEP && bench.database) console.log(`kept the PostgreSQL database ${bench.database}`);
    await bench.close({ keep: KEEP });
  }
}

/** `--on=DATABASE`: the query passes only, on a kept PostgreSQL database, at positions of its own points. */
async function rerunOn(database: string): Promise<void> {
  const u = new URL(PG_URL);
  u.pathname = `/${database}`;
  const y = await buildYiwang(loadConfig({ YIWANG_DATA_DIR: path.join(work, 'on'), YIWANG_LOG_LEVEL: 'warn', YIWANG_MQTT_PORT: '0', YIWANG_DATABASE_URL: u.toString() }));
  try {
    await y.ctx.services.jurisdictions.load(); // a server's start loads the tree (aggregate tiles place counts by it)
    // About 1 % of the points, as the generator samples them; the same ones on every run.
    const r = await sql<{ lon: number; lat: number }>`select lon, lat from components_item where geometry_kind = 'point' and id % 97 = 0 order by id`.execute(y.ctx.db);
    for (const x of r.rows) sample.push([x.lon, x.lat]);
    console.log(`\n== postgres, database ${database}: ${fmt(sample.length)} sample positions ==`);
    await twoPasses(y, await registryFiles('postgres', y.ctx.db, ''), 'as found');
  } finally {
    await y.close();
  }
}

console.log(`components benchmark — ${ON ? `the queries on ${ON}` : `N ${fmt(N)}${FULL ? ' (--full)' : ''}`}, node ${process.version}, ${os.cpus().length} cores`);
if (ON) {
  await rerunOn(ON);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(0);
}
try {
  const rows = generate();
  console.log(`generated ${fmt(rows)} components (${mib(fs.statSync(file).size)} NDJSON); ${sample.length} sample positions`);
  for (const d of DBS) await runOn(d as 'sqlite' | 'postgres', rows);
} finally {
  if (KEEP) console.log(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
