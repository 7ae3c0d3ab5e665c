// Writes data/divisions/shanghai-districts.geojson (WGS84) from the district outlines that
// ECharts 4.9 ships (GCJ-02, compressed). Run: npx tsx scripts/extract-boundaries.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decodeEchartsMap, type EchartsMapFile } from '../src/jurisdictions/geo/echarts-geo.ts';
import { cleanTiling } from '../src/jurisdictions/geo/district-cleanup.ts';
import { distanceMetres, gcj02ToWgs84 } from '../src/jurisdictions/geo/gcj02.ts';
import { bbox, multiPolygonArea, rewind, squareDegreesToKm2, type MultiPolygon } from '../src/jurisdictions/geo/polygon.ts';
import { divisionsDataPath, loadShanghaiDivisions } from '../src/jurisdictions/divisions.ts';

const require = createRequire(import.meta.url);
const echartsVersion = (JSON.parse(readFileSync(require.resolve('echarts/package.json'), 'utf8')) as { version: string }).version;
const file = JSON.parse(readFileSync(require.resolve('echarts/map/json/province/shanghai.json'), 'utf8')) as EchartsMapFile;

const districts = loadShanghaiDivisions().filter((r) => r.level === 'district');
const codeByName = new Map(districts.map((d) => [d.name, d.code]));

let maxShift = 0;
let minShift = Infinity;
const toWgs = (mp: MultiPolygon): MultiPolygon =>
  mp.map((p) =>
    p.map((ring) =>
      ring.map(([x, y]) => {
        const w = gcj02ToWgs84(x, y);
        const shift = distanceMetres(x, y, w[0], w[1]);
        maxShift = Math.max(maxShift, shift);
        minShift = Math.min(minShift, shift);
        return w;
      }),
    ),
  );

const decoded = decodeEchartsMap(file).map((f) => {
  const code = codeByName.get(f.name);
  if (!code) throw new Error(`ECharts region ${f.name} is not a current district`);
  if (f.id && f.id !== code) throw new Error(`ECharts id ${f.id} for ${f.name}, statistical code is ${code}`);
  return { code, name: f.name, geometry: toWgs(f.geometry) };
});
const missing = districts.filter((d) => !decoded.some((f) => f.code === d.code));
if (missing.length) throw new Error(`no outline for ${missing.map((d) => d.name).join(', ')}`);

decoded.sort((a, b) => a.code.localeCompare(b.code));
const { areas, report } = cleanTiling(decoded);

const round = (v: number) => Math.round(v * 1e7) / 1e7;
const features = areas.map((a) => {
  const geometry = rewind(a.geometry).map((p) => p.map((r) => r.map(([x, y]) => [round(x), round(y)])));
  return {
    type: 'Feature',
    properties: { code: a.code, name: decoded.find((d) => d.code === a.code)!.name },
    geometry: geometry.length === 1 ? { type: 'Polygon', coordinates: geometry[0] } : { type: 'MultiPolygon', coordinates: geometry },
  };
});
const out = divisionsDataPath('shanghai-districts.geojson');
writeFileSync(
  out,
  `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`,
);

const all = areas.map((a) => a.geometry);
const total = all.reduce((s, g) => s + multiPolygonArea(g), 0);
const [, minY, , maxY] = bbox(all.flat());
const km2 = (deg2: number) => squareDegreesToKm2(deg2, (minY + maxY) / 2);
console.log(`echarts ${echartsVersion}: ${features.length} districts, ${km2(total).toFixed(0)} km² -> ${out}`);
console.log(`GCJ-02 -> WGS84 shift: ${minShift.toFixed(0)}–${maxShift.toFixed(0)} m`);
console.log(
  `clean-up: ${km2(report.overlapRemoved).toFixed(2)} km² of overlap removed, ` +
    `${report.gapsFilled} gaps (${km2(report.gapAreaFilled).toFixed(2)} km²) filled`,
);
for (const a of areas) console.log(`  ${a.code} ${km2(multiPolygonArea(a.geometry)).toFixed(1)} km², ${a.geometry.length} part(s)`);
