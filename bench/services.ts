// Benchmark: searching the service catalogue as people type.
//   npm run bench -- services [--queries=2000]
// Builds a 3,500-item catalogue the way a city's is shaped: the seed's municipal items plus each
// district's own implementation of them (the same item, the district's department). Runs the
// relevance query set and a mix of typed prefixes through the search index, and through the HTTP
// API, and prints p50/p99 beside a baseline in the same run: a plain substring scan of the names
// (what a LIKE '%q%' would do, with none of the pinyin, synonyms, typos or ranking).
// Then submits applications through the API (POST /api/services/applications/{id}/submit: the form
// and materials checked, routed, the row, timeline, audit, outbox and message written in one
// transaction) and prints submissions/s beside a baseline of bare inserts of the same rows.
// Targets (issue 6): search p99 ≤ 10 ms; ≥ 500 submissions/s on SQLite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildYiwang } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { SeedItem } from '../src/services/catalogue/catalogue.schema.ts';
import { CatalogueIndex, normalise } from '../src/services/catalogue/search.ts';
import { progressPrinter } from '../src/cli/progress.ts';
import { orgModule } from '../src/org/index.ts';
import { benchSubmissions } from './_submissions.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const QUERIES = Number(arg('queries') ?? 2000);
const SUBMISSIONS = Number(arg('submissions') ?? 3000);
const DATA = path.resolve(import.meta.dirname, '../data/services');
const seed = JSON.parse(fs.readFileSync(path.join(DATA, 'catalogue.json'), 'utf8')) as { items: SeedItem[] };
const synonyms = (JSON.parse(fs.readFileSync(path.join(DATA, 'synonyms.json'), 'utf8')) as { synonyms: Record<string, string[]> }).synonyms;
const set = JSON.parse(fs.readFileSync(path.join(DATA, 'search-queries.json'), 'utf8')) as Array<{ q: string }>;
const progress = progressPrinter();
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;

const DISTRICTS = ['黄浦区', '徐汇区', '长宁区', '静安区', '普陀区', '虹口区', '杨浦区', '闵行区', '宝山区', '嘉定区', '浦东新区', '金山区', '松江区', '青浦区', '奉贤区', '崇明区'];
const DISTRICT_CODES = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113', '310114', '310115', '310116', '310117', '310118', '310120', '310151'];

/** The seed plus district implementations until 3,500 items. */
function catalogue(): SeedItem[] {
  const out = [...seed.items];
  for (let d = 0; out.length < 3500; d = (d + 1) % DISTRICTS.length) {
    for (const i of seed.items) {
      if (out.length >= 3500) break;
      out.push({ ...i, code: `${DISTRICT_CODES[d]}-${i.code.split('-').slice(1).join('-')}-${out.length}`, nameZh: `${i.nameZh}（${DISTRICTS[d]}）`, sector: i.sector });
    }
  }
  return out;
}

const items = catalogue();
const docs = items.map((i) => ({ code: i.code, nameZh: i.nameZh, nameEn: i.nameEn, sector: i.sector, kind: i.kind, online: i.online, lifeEvents: i.lifeEvents, enterpriseEvents: i.enterpriseEvents, keywords: i.keywords }));
console.log(`services benchmark — ${fmt(items.length)} items (${seed.items.length} in the seed), ${QUERIES} queries, node ${process.version}, ${os.cpus().length} cores`);

// What people type: the query set, and every prefix of it as typed character by character.
const typed: string[] = [];
for (const { q } of set) for (let k = 1; k <= [...q].length; k++) typed.push([...q].slice(0, k).join(''));
const queries = Array.from({ length: QUERIES }, (_, i) => typed[i % typed.length]!);

const t0 = performance.now();
const index = new CatalogueIndex(docs, synonyms);
const buildMs = performance.now() - t0;

function time(label: string, fn: (q: string) => unknown): number[] {
  const out: number[] = [];
  for (const [i, q] of queries.entries()) {
    const s = performance.now();
    fn(q);
    out.push(performance.now() - s);
    if (i % 500 === 0) progress(label, i, queries.length);
  }
  progress(label, queries.length, queries.length);
  return out;
}

const names = docs.map((d) => normalise(d.nameZh));
const baseline = time('baseline: substring scan', (q) => {
  const n = normalise(q);
  return names.filter((x) => x.includes(n)).length;
});
const direct = time('search index', (q) => index.search(q, {}, 20));

// Through the HTTP API (routing, validation, serialisation), on a throw-away embedded server.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-bench-services-'));
const y = await buildYiwang(loadConfig({ YIWANG_DATA_DIR: work, YIWANG_LOG_LEVEL: 'warn', YIWANG_MQTT_PORT: '0' }));
try {
  await y.seed({ demo: false, progress });
  await y.ctx.services.catalogue.seed(items.slice(seed.items.length));
  const http: number[] = [];
  for (const [i, q] of queries.entries()) {
    const s = performance.now();
    const res = await y.app.inject({ method: 'GET', url: `/api/services/items?q=${encodeURIComponent(q)}&limit=20` });
    http.push(performance.now() - s);
    if (res.statusCode !== 200) throw new Error(`${q}: ${res.statusCode} ${res.body}`);
    if (i % 500 === 0) progress('search over HTTP', i, queries.length);
  }
  progress('search over HTTP', queries.length, queries.length);
  const line = (label: string, xs: number[]) => console.log(`  ${label.padEnd(44)} p50 ${pct(xs, 0.5).toFixed(3).padStart(7)} ms   p99 ${pct(xs, 0.99).toFixed(3).padStart(7)} ms`);
  console.log(`\nindex built in ${buildMs.toFixed(0)} ms for ${fmt(items.length)} items`);
  line('baseline: substring scan of the names', baseline);
  line('search (pinyin, synonyms, typos, ranking)', direct);
  line('search through GET /api/services/items', http);
  console.log(`  ${fmt(process.memoryUsage().rss / 2 ** 20)} MiB resident`);
  console.log('\ntarget: search p99 ≤ 10 ms');

  await orgModule.seed!(y.ctx, { demo: true, progress });
  const sub = await benchSubmissions(y, SUBMISSIONS, progress);
  console.log(`\napplication submissions on SQLite (${fmt(SUBMISSIONS)}, ${sub.concurrency} in flight, through app.inject)`);
  console.log(`  ${'baseline: bare inserts of the same rows'.padEnd(44)} ${fmt(sub.baselinePerS).padStart(7)} rows/s`);
  console.log(`  ${'drafts created (POST /applications)'.padEnd(44)} ${fmt(sub.draftsPerS).padStart(7)} /s   p50 ${sub.draftP50.toFixed(2)} ms   p99 ${sub.draftP99.toFixed(2)} ms`);
  console.log(`  ${'submissions (POST /applications/{id}/submit)'.padEnd(44)} ${fmt(sub.submitsPerS).padStart(7)} /s   p50 ${sub.submitP50.toFixed(2)} ms   p99 ${sub.submitP99.toFixed(2)} ms`);
  console.log(`  ${fmt(process.memoryUsage().rss / 2 ** 20)} MiB resident`);
  console.log('\ntarget: ≥ 500 submissions/s on SQLite');
} finally {
  await y.close();
  fs.rmSync(work, { recursive: true, force: true });
}
