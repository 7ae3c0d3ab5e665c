// Benchmark: cases created and dispatched automatically, and the time-limit sweep over a big backlog.
//   npm run bench -- cases [--db=sqlite|postgres] [--cases=20000] [--open=1000000] [--overdue=0.01] [--concurrency=4]
// 1. Creates --cases grid-worker reports at random places in the city through the case service:
//    each is located (jurisdiction lookup), filed and dispatched by the dispatch table or its
//    category, with its timeline, audit entry and event, one transaction per case. Prints cases/s
//    and p50/p99 per case, beside a same-run baseline: bare inserts of the same case rows, one
//    transaction each, into a table without indexes.
// 2. Loads --open open cases (bulk insert, not timed), a share --overdue of them past their due
//    time, and times the sweep that escalates the overdue ones; then times a second sweep with
//    nothing due (the cost of looking over the backlog every 30 seconds).
// Targets (issue 5): ≥ 2,000 cases/s created and dispatched on SQLite; the sweep of 1M open cases ≤ 5 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { progressPrinter } from '../src/cli/progress.ts';
import { startBenchYiwang } from './_pg.ts';
import type { CaseRow } from '../src/operations/cases/case.schema.ts';
import type { Category } from '../src/operations/cases/categories.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const DB = (arg('db') ?? 'sqlite') as 'sqlite' | 'postgres';
const CASES = Number(arg('cases') ?? 20_000);
const OPEN = Number(arg('open') ?? 1_000_000);
const OVERDUE = Number(arg('overdue') ?? 0.01);
const CONCURRENCY = Number(arg('concurrency') ?? 4);
const progress = progressPrinter();
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0;
};
const mem = () => `${fmt(process.memoryUsage().rss / 2 ** 20)} MiB resident`;

/** A deterministic generator, so runs compare. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

console.log(`cases benchmark — ${DB}, ${fmt(CASES)} cases created, ${fmt(OPEN)} open for the sweep (${(OVERDUE * 100).toFixed(1)} % overdue), node ${process.version}, ${os.cpus().length} cores`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-bench-cases-'));
const bench = await startBenchYiwang(DB, 'cases', work, progress);
try {
  const { ctx } = bench.y;
  const cases = ctx.services.cases;
  const j = ctx.services.jurisdictions;
  j.warm();
  const rand = rng(20261129);

  // Places: random points in the built-up city that locate into a grid cell.
  const points: Array<[number, number]> = [];
  while (points.length < Math.max(CASES, 10_000)) {
    const p: [number, number] = [Number((121.25 + rand() * 0.6).toFixed(6)), Number((30.95 + rand() * 0.45).toFixed(6))];
    if (j.locate(p[0], p[1])) points.push(p);
  }
  const events: Category[] = cases.catalogue.all().filter((c) => c.kind === 'event' && c.code !== 'E0901');
  // A dispatch table as a district would keep it: its streets' squadrons for street order.
  const streets = j.children('310115').map((s) => s.code);
  for (const s of streets) for (const c of ['E0501', 'E0502', 'E0504']) await cases.store.putDispatchRule(ctx.db, { category_code: c, jurisdiction_code: s, department_code: `cgzf.${s}`, team: '第一中队', updated_by: null, updated_at: ctx.clock.now() });
  console.log(`${fmt(points.length)} places found; ${fmt(streets.length * 3)} dispatch-table rows`);

  // —— 1. create and dispatch ——
  const latencies: number[] = [];
  let next = 0;
  let dispatched = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= CASES) return;
        const category = events[i % events.length]!;
        const s = performance.now();
        const row = await cases.open({ source: 'worker', category, severity: 'normal', description: `巡查发现${category.nameZh}`, point: points[i]! });
        latencies.push(performance.now() - s);
        if (row.stage === 'disposal') dispatched++;
        if (i % 500 === 0) progress('create and dispatch', i, CASES);
      }
    }),
  );
  const createS = (performance.now() - t0) / 1000;
  progress('create and dispatch', CASES, CASES);

  // Baseline: the same rows, bare, one transaction each, into a table with no index.
  await sql`create table bench_cases_raw as select * from cases_case where 1 = 0`.execute(ctx.db);
  const rows = await ctx.db.selectFrom('cases_case').selectAll().limit(CASES).execute();
  const b0 = performance.now();
  for (const [i, r] of rows.entries()) {
    await ctx.transaction(async (tx) => {
      await tx.insertInto('bench_cases_raw' as never).values({ ...r, id: `b${r.id}` } as never).execute();
    });
    if (i % 2000 === 0) progress('baseline inserts', i, rows.length);
  }
  const baseS = (performance.now() - b0) / 1000;
  progress('baseline inserts', rows.length, rows.length);

  console.log('\ncreated and dispatched');
  console.log(`  cases created (locate, file, dispatch, timeline, audit, event) ${fmt(CASES / createS).padStart(8)} cases/s   p50 ${pct(latencies, 0.5).toFixed(2)} ms   p99 ${pct(latencies, 0.99).toFixed(2)} ms   ${fmt(dispatched)} dispatched at once`);
  console.log(`  baseline: bare insert of the same rows, one transaction each   ${fmt(rows.length / baseS).padStart(8)} rows/s   (cases = ${((CASES / createS / (rows.length / baseS)) * 100).toFixed(0)} % of it)`);
  console.log(`  ${mem()}`);

  // —— 2. the sweep over a backlog ——
  const now = ctx.clock.now();
  const template = rows[0]!;
  const overdue = Math.round(OPEN * OVERDUE);
  const BATCH = 400;
  for (let done = 0; done < OPEN; ) {
    const n = Math.min(BATCH, OPEN - done);
    const batch: CaseRow[] = [];
    for (let k = 0; k < n; k++) {
      const i = done + k;
      const p = points[i % points.length]!;
      // The overdue ones ran out in the last hour; the rest are due over the next week.
      const due = i < overdue ? now - 60_000 - Math.floor(rand() * 3_540_000) : now + 3_600_000 + Math.floor(rand() * 7 * 86_400_000);
      batch.push({ ...template, id: `9${String(i).padStart(13, '0')}`, lon: p[0], lat: p[1], stage: 'disposal', yellow_at: due - 3_600_000, due_at: due, escalate_at: due, level: 0, photos: '[]', caller: null } as CaseRow);
    }
    await ctx.transaction(async (tx) => {
      await tx.insertInto('cases_case').values(batch.map((r) => ({ ...r, supervised: DB === 'postgres' ? false : 0 })) as never).execute();
    });
    done += n;
    if (done % 20_000 < BATCH) progress('loading open cases', done, OPEN);
  }
  progress('loading open cases', OPEN, OPEN);
  const openNow = Number((await ctx.db.selectFrom('cases_case').select(ctx.db.fn.countAll<number>().as('n')).where('stage', 'in', ['intake', 'filing', 'dispatch', 'disposal', 'verification']).executeTakeFirstOrThrow()).n);

  const s0 = performance.now();
  const swept = await ctx.services.caseSweeper.sweep();
  const sweepS = (performance.now() - s0) / 1000;
  const i0 = performance.now();
  const idle = await ctx.services.caseSweeper.sweep();
  const idleMs = performance.now() - i0;

  console.log('\ntime-limit sweep');
  console.log(`  open cases                                   ${fmt(openNow)}`);
  console.log(`  sweep with ${fmt(overdue)} overdue                ${sweepS.toFixed(2).padStart(8)} s   ${fmt(swept.escalated)} escalated (${((sweepS * 1e6) / Math.max(1, swept.escalated)).toFixed(0)} µs each: update, timeline, audit, event)`);
  console.log(`  sweep with nothing due                       ${idleMs.toFixed(1).padStart(8)} ms  ${fmt(idle.escalated)} escalated`);
  console.log(`  ${mem()}`);
  console.log('\ntargets: ≥ 2,000 cases/s created and dispatched on SQLite; the sweep of 1M open cases ≤ 5 s');
} finally {
  await bench.close();
  fs.rmSync(work, { recursive: true, force: true });
}
