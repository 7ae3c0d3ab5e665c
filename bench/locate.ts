// Benchmark: locate(lon, lat) over the whole Shanghai tree (real districts, synthetic streets,
// committees and ~26k grid cells) against a same-run brute-force baseline that tests the point
// against every leaf polygon. Run: npx tsx bench/locate.ts [--points=200000] [--baseline=2000] [--seed=N]
import { buildShanghaiAreas, DEFAULT_GEOMETRY_SEED } from '../src/jurisdictions/build-tree.ts';
import { LocateIndex, leavesOf } from '../src/jurisdictions/geo/locate-index.ts';
import { bbox, pointInMultiPolygon, type MultiPolygon } from '../src/jurisdictions/geo/polygon.ts';
import { mulberry32 } from '../src/jurisdictions/geo/random.ts';

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split('=')[1]) : fallback;
}

const POINTS = option('points', 200_000);
const BASELINE_POINTS = option('baseline', 1_000);
const SEED = option('seed', DEFAULT_GEOMETRY_SEED);
const BATCH = 64; // lookups per timed batch: one hrtime call per lookup would cost as much as the lookup

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
const memory = () => {
  const m = process.memoryUsage();
  return `rss ${mib(m.rss)}, heap ${mib(m.heapUsed)}`;
};

interface Timing {
  perSecond: number;
  p50: number;
  p99: number;
  hits: number;
  answers: (string | null)[];
}

/** Times `lookup` over the points in batches; latencies are per lookup, in nanoseconds. */
function time(points: Float64Array, lookup: (x: number, y: number) => string | null, keepAnswers: boolean): Timing {
  const n = points.length / 2;
  const perLookup: number[] = [];
  const answers: (string | null)[] = [];
  let hits = 0;
  const start = process.hrtime.bigint();
  for (let from = 0; from < n; from += BATCH) {
    const to = Math.min(n, from + BATCH);
    const t0 = process.hrtime.bigint();
    for (let i = from; i < to; i++) {
      const code = lookup(points[2 * i]!, points[2 * i + 1]!);
      if (code !== null) hits++;
      if (keepAnswers) answers.push(code);
    }
    perLookup.push(Number(process.hrtime.bigint() - t0) / (to - from));
  }
  const total = Number(process.hrtime.bigint() - start);
  perLookup.sort((a, b) => a - b);
  const pct = (q: number) => perLookup[Math.min(perLookup.length - 1, Math.floor(q * perLookup.length))]!;
  return { perSecond: (n / total) * 1e9, p50: pct(0.5), p99: pct(0.99), hits, answers };
}

function randomPoints(n: number, box: [number, number, number, number], seed: number): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = box[0] + random() * (box[2] - box[0]);
    out[2 * i + 1] = box[1] + random() * (box[3] - box[1]);
  }
  return out;
}

const report = (label: string, t: Timing, n: number) =>
  console.log(
    `${label.padEnd(24)} ${Math.round(t.perSecond).toLocaleString('en').padStart(12)} lookups/s   ` +
      `p50 ${(t.p50 / 1000).toFixed(2)} µs   p99 ${(t.p99 / 1000).toFixed(2)} µs   ` +
      `(${n.toLocaleString('en')} points, ${((100 * t.hits) / n).toFixed(1)}% inside Shanghai)`,
  );

console.log(`locate benchmark — seed ${SEED}, node ${process.version}`);
console.log(`before build: ${memory()}`);
let t0 = performance.now();
const tree = buildShanghaiAreas({
  seed: SEED,
  onProgress: (p) => {
    if (p.done === p.total || p.stage === 'grids') console.log(`  ${p.stage} ${p.done}/${p.total}`);
  },
});
const leaves = leavesOf(tree.features);
const buildTreeMs = performance.now() - t0;
t0 = performance.now();
const index = new LocateIndex(leaves);
const buildIndexMs = performance.now() - t0;
const shanghaiBox = bbox(tree.features.filter((f) => f.level === 'district').flatMap((f) => f.geometry));
console.log(
  `tree: ${tree.rows.length.toLocaleString('en')} rows, ${leaves.length.toLocaleString('en')} leaf polygons ` +
    `in ${(buildTreeMs / 1000).toFixed(1)} s; index built in ${buildIndexMs.toFixed(0)} ms ` +
    `(${mib(index.byteSize())} packed); ${memory()}`,
);
console.log(`bbox ${shanghaiBox.map((v) => v.toFixed(3)).join(', ')}`);

const points = randomPoints(POINTS, shanghaiBox, SEED + 1);
time(randomPoints(20_000, shanghaiBox, SEED + 2), (x, y) => index.locate(x, y), false); // JIT warm-up
const indexed = time(points, (x, y) => index.locate(x, y), false);
report('LocateIndex (flatbush)', indexed, POINTS);

// The baseline a first version would write: every leaf polygon, exact test, first hit wins.
const geometries: MultiPolygon[] = leaves.map((l) => l.geometry);
const bruteLocate = (x: number, y: number): string | null => {
  for (let i = 0; i < geometries.length; i++) if (pointInMultiPolygon(x, y, geometries[i]!)) return leaves[i]!.code;
  return null;
};
const basePoints = points.subarray(0, BASELINE_POINTS * 2);
const brute = time(basePoints, bruteLocate, true);
report('brute force (all leaves)', brute, BASELINE_POINTS);

// A stronger baseline: the same linear scan with a bounding-box test first, to show what the
// tree adds over the cheap fix.
const boxes = new Float64Array(leaves.length * 4);
geometries.forEach((g, i) => boxes.set(bbox(g), 4 * i));
const boxedLocate = (x: number, y: number): string | null => {
  for (let i = 0, b = 0; i < geometries.length; i++, b += 4) {
    if (x < boxes[b]! || y < boxes[b + 1]! || x > boxes[b + 2]! || y > boxes[b + 3]!) continue;
    if (pointInMultiPolygon(x, y, geometries[i]!)) return leaves[i]!.code;
  }
  return null;
};
const boxedPoints = points.subarray(0, BASELINE_POINTS * 20 * 2);
const boxed = time(boxedPoints, boxedLocate, false);
report('linear scan + bbox', boxed, boxedPoints.length / 2);
const check = time(basePoints, (x, y) => index.locate(x, y), true);
const disagreements = brute.answers.filter((a, i) => a !== check.answers[i]).length;

console.log(
  `speed-up ${(indexed.perSecond / brute.perSecond).toFixed(0)}× over brute force, ` +
    `${(indexed.perSecond / boxed.perSecond).toFixed(0)}× over the bbox scan; ` +
    `answers differ on ${disagreements} of ${BASELINE_POINTS} baseline points`,
);
console.log(`after: ${memory()}`);
if (disagreements > 0) process.exitCode = 1;
