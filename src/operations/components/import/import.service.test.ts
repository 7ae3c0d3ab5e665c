import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Principal } from '../../../platform/access.ts';
import { AppError } from '../../../platform/errors.ts';
import { DIALECTS } from '../../../platform/db/testing.ts';
import { PLACES, pointIn, startComponentsYiwang, XSS, type ComponentsYiwang } from '../testing.ts';
import type { ImportProgress } from './import.schema.ts';

const operator: Principal = { accountId: 'lujiazui-operator-test', username: 'lujiazui.operator', displayName: '陆家嘴值班员', roles: ['operator'], departmentCode: null, scopeCode: '310115005', via: 'session' };

/** A 上水井盖 code in Pudong with this serial. */
const code = (serial: number, type = '0101', district = '310115') => `${district}${type}${String(serial).padStart(6, '0')}`;
const near = (i: number): [number, number] => [Math.round((PLACES.lujiazui[0] + i * 1e-5) * 1e7) / 1e7, PLACES.lujiazui[1]];

/** Error-file lines after the header, split into [line, field, rest]. */
function errorLines(file: string): string[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  assert.equal(lines[0], 'line,field,reason,record');
  return lines.slice(1);
}

for (const dialect of DIALECTS) {
  describe(`component imports (${dialect})`, () => {
    let y: ComponentsYiwang;
    let dir: string;
    const write = (name: string, text: string) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      return f;
    };
    const total = async () => (await y.app.inject({ url: '/api/components/counts?jurisdiction=310115005', headers: y.as['lujiazui.operator'] })).json().total as number;
    const svc = () => y.ctx.services.componentImports;

    before(async () => {
      y = await startComponentsYiwang(dialect, ['lujiazui.operator']);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-import-'));
    });
    after(async () => {
      await y?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('a CSV with good and bad rows: good rows are written, each bad one is named by line, field and reason; a re-run changes nothing', async () => {
      const [lon, lat] = near(1);
      const header = 'code,type,status,name,lon,lat,material,shape,diameter_mm,anti_fall_net,lamp_type,power_w,smart_control';
      const rows = [
        `${code(100001)},0101,完好,"${XSS.replace(/"/g, '""')} 井盖",${lon},${lat},球墨铸铁,圆形,700,true,,,`, // 2 ok
        `${code(100002, '0118')},0118,,路灯 1,${near(2).join(',')},,,,,LED,120,是`, // 3 ok (a street lamp)
        `${code(100003)},0101,,,${lat},${lon},铸铁,圆形,,,,,`, // 4 swapped
        `${code(100004, '9999')},9999,,,${near(4).join(',')},铸铁,圆形,,,,,`, // 5 unknown type
        `${code(100005)},0101,,,${near(5).join(',')},木头,圆形,,,,,`, // 6 attribute enum
        `,0101,,,${near(6).join(',')},铸铁,圆形,,,,,`, // 7 no code
        `${code(100007)},0101,,,${near(7).join(',')},铸铁,圆形,,,,`, // 8 a column short
        `${code(100008, '0101', '310101')},0101,,外滩,${PLACES.waitan.join(',')},铸铁,圆形,,,,,`, // 9 another street
        `${code(100009)},0101,damaged,,${near(9).join(',')},混凝土,方形,800,0,,,`, // 10 ok
      ];
      const file = write('lujiazui.csv', [header, ...rows].join('\n') + '\n');
      const before = await total();
      const progress: ImportProgress[] = [];
      const job = await svc().run(operator, file, { batchSize: 4, onProgress: (p) => progress.push(p) });
      assert.equal(job.status, 'done', job.message ?? '');
      assert.deepEqual([job.created, job.updated, job.unchanged, job.failed], [3, 0, 0, 6]);
      assert.equal(job.bytes, fs.statSync(file).size);
      assert.equal(job.errorFileUrl, `/api/components/imports/${job.id}/errors`);
      assert.deepEqual(progress.map((p) => p.rows), [4, 8, 9], 'progress after each committed batch');
      assert.equal(await total(), before + 3);

      const lines = errorLines(svc().errorFilePath(job.id));
      assert.equal(lines.length, 6);
      assert.match(lines[0]!, /^4,geometry\.coordinates,.*latitude and longitude appear swapped/);
      assert.match(lines[1]!, /^5,type,"""9999"" is not a known component type"/);
      assert.match(lines[2]!, /^6,attributes\.material,"must be one of 铸铁, 球墨铸铁/);
      assert.match(lines[3]!, /^7,code,is required for imports: re-runs are matched by code,/);
      assert.match(lines[4]!, /^8,row,"expected 13 columns, found 12",$/);
      assert.match(lines[5]!, /^9,geometry,"lies in 外滩街道 310101013 \(grid cell 310101013\d{6}\), outside your jurisdiction 陆家嘴街道 310115005"/);
      assert.match(lines[3]!, /"\{""type"":""0101""/, 'the record is kept as JSON');

      const lamp = (await y.app.inject({ url: `/api/components/${code(100002, '0118')}`, headers: y.as['lujiazui.operator'] })).json();
      assert.deepEqual(lamp.attributes, { lamp_type: 'LED', power_w: 120, smart_control: true }, 'numbers and booleans read where the schema says so');
      const cover = (await y.app.inject({ url: `/api/components/${code(100001)}`, headers: y.as['lujiazui.operator'] })).json();
      assert.equal(cover.name, `${XSS} 井盖`);
      assert.equal(cover.status, 'intact');
      assert.equal(cover.ownerDept, 'sw.310115', 'owned by the district water authority by default');
      assert.equal(cover.source, `import:${job.id}`);
      assert.deepEqual(cover.attributes, { material: '球墨铸铁', shape: '圆形', diameter_mm: 700, anti_fall_net: true });

      const again = await svc().run(operator, file, { batchSize: 4 });
      assert.notEqual(again.id, job.id, 'a finished import is not resumed: the re-run is a new job');
      assert.deepEqual([again.created, again.updated, again.unchanged, again.failed], [0, 0, 3, 6]);
      assert.equal(await total(), before + 3, 'no duplicates');

      const audit = await y.ctx.db.selectFrom('platform_audit').select(['action', 'detail']).where('subject_id', '=', job.id).execute();
      assert.deepEqual(audit.map((a) => a.action), ['components.import.finished']);
      const events = await y.ctx.db.selectFrom('platform_outbox').select('payload').where('name', '=', 'components.import.finished').execute();
      assert.ok(events.some((e) => JSON.parse(String(typeof e.payload === 'string' ? e.payload : JSON.stringify(e.payload))).importId === job.id));
    });

    test('CSV with WKT (semicolons, a line type) and a broken WKT', async () => {
      const p = (i: number) => near(20 + i).join(' ');
      const text = [
        'code;type;wkt;material;shape',
        `${code(100020)};0101;POINT(${p(0)});铸铁;圆形`,
        `${code(100021)};0101;"SRID=4326;POINT (${p(1)})";铸铁;方形`,
        `${code(100022)};0101;POINT(${p(2)};铸铁;圆形`,
        `${code(100023)};0101;LINESTRING(${p(3)}, ${p(4)});铸铁;圆形`,
      ].join('\r\n');
      const job = await svc().run(operator, write('wkt.csv', text));
      assert.deepEqual([job.created, job.failed], [2, 2], job.message ?? '');
      const lines = errorLines(svc().errorFilePath(job.id));
      assert.match(lines[0]!, /^4,wkt,expected '\)' but found end of input,/);
      assert.match(lines[1]!, /^5,geometry\.type,"must be Point for 上水井盖 \(0101\), not LineString/);
    });

    test('a GeoJSON FeatureCollection and the same features as NDJSON: values keep their JSON types, nested attributes are read', async () => {
      const feature = (serial: number, i: number, props: Record<string, unknown>) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: near(i) }, properties: { code: code(serial), type: '0101', ...props } });
      const features = [
        feature(100030, 30, { status: '破损', material: '铸铁', shape: '圆形', diameter_mm: 600, anti_fall_net: false, owner_dept: 'sw.310115' }),
        { type: 'Feature', id: code(100031), geometry: { type: 'Point', coordinates: near(31) }, properties: { attributes: { material: '复合材料', shape: '方形', status: '占用' } } },
        feature(100032, 32, { material: '铸铁', shape: '圆形', diameter_mm: '700' }),
        feature(100033, 33, { material: '铸铁', shape: '圆形', ownerDept: 'no.such.dept' }),
      ];
      const fc = await svc().run(operator, write('covers.geojson', JSON.stringify({ type: 'FeatureCollection', features }, null, 1)), { batchSize: 2 });
      assert.equal(fc.format, 'geojson');
      assert.deepEqual([fc.created, fc.updated, fc.unchanged, fc.failed], [2, 0, 0, 2], fc.message ?? '');
      const lines = errorLines(svc().errorFilePath(fc.id));
      assert.match(lines[0]!, /^\d+,attributes\.diameter_mm,must be integer/, 'GeoJSON text stays text');
      assert.match(lines[1]!, /^\d+,ownerDept,no\.such\.dept is not a known department/);
      const damaged = (await y.app.inject({ url: `/api/components/${code(100030)}`, headers: y.as['lujiazui.operator'] })).json();
      assert.equal(damaged.status, 'damaged', '破损 is damaged');
      const byId = (await y.app.inject({ url: `/api/components/${code(100031)}`, headers: y.as['lujiazui.operator'] })).json();
      assert.deepEqual(byId.attributes, { material: '复合材料', shape: '方形', status: '占用' }, 'the Feature id serves as the code');

      (features[0]!.properties as Record<string, unknown>).status = 'intact';
      const nd = await svc().run(operator, write('covers.ndjson', features.map((f) => JSON.stringify(f)).join('\n') + '\n'));
      assert.equal(nd.format, 'ndjson');
      assert.deepEqual([nd.created, nd.updated, nd.unchanged, nd.failed], [0, 1, 1, 2]);
      assert.deepEqual(errorLines(svc().errorFilePath(nd.id)).map((l) => l.split(',')[0]), ['3', '4'], 'NDJSON errors carry their line');
    });

    test('a code twice in one batch: the later row wins and the earlier counts as updated', async () => {
      const text = ['code,type,lon,lat,material,shape', `${code(100040)},0101,${near(40).join(',')},铸铁,圆形`, `${code(100040)},0101,${near(41).join(',')},铸铁,方形`].join('\n');
      const job = await svc().run(operator, write('dup.csv', text));
      assert.deepEqual([job.created, job.updated, job.failed], [1, 1, 0]);
      const c = (await y.app.inject({ url: `/api/components/${code(100040)}`, headers: y.as['lujiazui.operator'] })).json();
      assert.equal(c.attributes.shape, '方形');
    });

    test('an interrupted import resumes from its checkpoint: totals equal a clean import, no error line twice', async () => {
      const csv = (base: number) => {
        const rows: string[] = ['code,type,lon,lat,material,shape'];
        for (let i = 0; i < 28; i++) {
          const bad = i === 1 || i === 12 || i === 20;
          rows.push(`${code(base + i)},0101,${near(i).join(',')},${bad ? '木头' : '铸铁'},圆形`);
        }
        return rows.join('\n') + '\n';
      };
      const file = write('resume.csv', csv(100100));
      const before = await total();
      const abort = new AbortController();
      const first = await svc().run(operator, file, { batchSize: 5, signal: abort.signal, onProgress: (p) => p.rows > 0 && abort.abort() });
      assert.equal(first.status, 'interrupted');
      assert.match(first.message ?? '', /Interrupted at line 7 after 5 rows; run the same import again to resume/);
      assert.deepEqual([first.created, first.failed], [4, 1]);
      // Lines a crashed process appended but never committed are cut off on resume.
      fs.appendFileSync(svc().errorFilePath(first.id), '9,junk,from a batch that never committed,\n');

      const resumed = await svc().start(operator, file, { batchSize: 5 });
      assert.equal(resumed.job.id, first.id);
      assert.deepEqual(resumed.resumedFrom, { line: 7, rows: 5 });
      const done = await resumed.done;
      assert.equal(done.status, 'done');

      const clean = await svc().run(operator, write('resume-clean.csv', csv(100200)), { batchSize: 28 });
      assert.deepEqual([done.created, done.updated, done.unchanged, done.failed], [clean.created, clean.updated, clean.unchanged, clean.failed]);
      assert.deepEqual([done.created, done.failed], [25, 3]);
      assert.deepEqual(errorLines(svc().errorFilePath(done.id)).map((l) => l.split(',')[0]), ['3', '14', '22']);
      assert.equal(await total(), before + 50);
    });

    test('checked in worker threads (big files; one, or three taking turns by batch), rows, refusals and resume are exactly as when checked in this one', async () => {
      const csv = (base: number) => {
        const rows: string[] = ['code;type;lon;lat;material;shape;owner_dept'];
        for (let i = 0; i < 23; i++) {
          const [lon, lat] = i === 9 ? PLACES.waitan : near(80 + i);
          rows.push([code(base + i, '0101', i === 9 ? '310101' : '310115'), '0101', lon, lat, i === 3 ? '木头' : '铸铁', '圆形', i === 15 ? 'no.such.dept' : ''].join(';'));
        }
        return rows.join('\n') + '\n';
      };
      const refused = (id: string) => errorLines(svc().errorFilePath(id)).map((l) => l.replace(/\d{16}/g, 'CODE'));
      const here = await svc().run(operator, write('here.csv', csv(100400)), { batchSize: 5, worker: false });
      for (const checkers of [1, 3]) {
        const file = write(`worker-${checkers}.csv`, csv(100500 + checkers * 100));
        const abort = new AbortController();
        const first = await svc().run(operator, file, { batchSize: 5, worker: true, checkers, signal: abort.signal, onProgress: (p) => p.rows >= 10 && abort.abort() });
        assert.equal(first.status, 'interrupted', first.message ?? '');
        const resumed = await svc().start(operator, file, { batchSize: 5, worker: true, checkers });
        assert.ok(resumed.resumedFrom, 'the worker run resumes from its checkpoint (the CSV header kept)');
        const done = await resumed.done;
        assert.equal(done.status, 'done', done.message ?? '');
        assert.deepEqual([done.created, done.updated, done.unchanged, done.failed], [here.created, here.updated, here.unchanged, here.failed]);
        assert.deepEqual([done.created, done.failed], [20, 3]);
        assert.deepEqual(refused(done.id), refused(here.id), `${checkers} checker(s)`);
        assert.deepEqual(refused(done.id).map((l) => l.split(',').slice(0, 2).join(',')), ['5,attributes.material', '11,geometry', '17,ownerDept']);
        assert.match(refused(done.id)[1]!, /lies in 外滩街道 310101013 .*outside your jurisdiction 陆家嘴街道 310115005/, 'place names reach the worker');
      }
      // A FeatureCollection shared by two checkers: each reads past the other's features unparsed.
      const features = Array.from({ length: 13 }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: near(120 + i) }, properties: { code: code(100900 + i), material: i === 6 ? '木头' : '铸铁', shape: '圆形' } }));
      const fc = await svc().run(operator, write('shared.geojson', JSON.stringify({ type: 'FeatureCollection', features }, null, 1)), { batchSize: 3, worker: true, checkers: 2 });
      assert.deepEqual([fc.status, fc.created, fc.failed], ['done', 12, 1]);
      assert.match(errorLines(svc().errorFilePath(fc.id))[0]!, /^\d+,attributes\.material,/);
    });

    test('workers hand a big batch over in parts: every row once, refusals in file order, across a resume', async () => {
      // 2,700 rows in batches of 2,500: each batch is joined from three parts, taken in turn from
      // two workers, and the last batch is a single short part.
      const rows = ['code;type;lon;lat;material;shape'];
      for (let i = 0; i < 2700; i++) {
        const [lon, lat] = near(i % 60);
        rows.push([code(110000 + i), '0101', lon, lat + Math.floor(i / 60) * 1e-5, [901, 1702, 2650].includes(i) ? '木头' : '铸铁', '圆形'].join(';'));
      }
      const file = write('parts.csv', rows.join('\n') + '\n');
      const abort = new AbortController();
      const opts = { batchSize: 2500, worker: true, checkers: 2 };
      const first = await svc().run(operator, file, { ...opts, signal: abort.signal, onProgress: () => abort.abort() });
      assert.equal(first.status, 'interrupted', first.message ?? '');
      assert.equal(first.created + first.failed, 2500, 'one whole batch was written');
      const done = await (await svc().start(operator, file, opts)).done;
      assert.equal(done.status, 'done', done.message ?? '');
      assert.deepEqual([done.created, done.failed], [2697, 3]);
      assert.deepEqual(errorLines(svc().errorFilePath(done.id)).map((l) => l.split(',')[0]), ['903', '1704', '2652']);
    });

    test('refused rows reach the error file in file order, whichever check refused them, even on one line', async () => {
      // A minified FeatureCollection: every feature starts on line 1. The first is refused for its
      // department (checked when written), the second by the checker.
      const features = [
        { type: 'Feature', geometry: { type: 'Point', coordinates: near(200) }, properties: { code: code(113000), material: '铸铁', shape: '圆形', owner_dept: 'no.such.dept' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: near(201) }, properties: { code: code(113001), material: '木头', shape: '圆形' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: near(202) }, properties: { code: code(113002), material: '铸铁', shape: '圆形' } },
      ];
      const job = await svc().run(operator, write('one-line.geojson', JSON.stringify({ type: 'FeatureCollection', features })), { batchSize: 10 });
      assert.deepEqual([job.status, job.created, job.failed], ['done', 1, 2]);
      assert.deepEqual(errorLines(svc().errorFilePath(job.id)).map((l) => l.split(',').slice(0, 2).join(',')), ['1,ownerDept', '1,attributes.material']);
    });

    test("a code taken by a component in another street is refused, not taken over: the row would move it into the importer's street", async () => {
      const system: Principal = { ...operator, accountId: 'system-test', username: 'system', roles: ['system'], scopeCode: '310000' };
      const [wlon, wlat] = pointIn(y.ctx, '310115004'); // 潍坊新村街道, beside 陆家嘴
      const theirs = await y.ctx.services.components.create(system, { code: code(114000), type: '0101', geometry: { type: 'Point', coordinates: [wlon, wlat] }, status: 'damaged', attributes: { material: '铸铁', shape: '圆形' } });
      assert.match(theirs.jurisdictionCode, /^310115004/);
      const header = 'code,type,status,lon,lat,material,shape';
      const file = write('take-over.csv', [
        header,
        `${code(114001)},0101,完好,${near(300).join(',')},铸铁,圆形`, // 2: new, ours
        `${code(114000)},0101,完好,${near(301).join(',')},铸铁,圆形`, // 3: 潍坊's cover, "moved" here and "repaired"
        `${code(114002)},0101,完好,${near(302).join(',')},木头,圆形`, // 4: refused by the checker
        `${code(114001)},0101,破损,${near(300).join(',')},铸铁,圆形`, // 5: ours, changed
      ].join('\n') + '\n');
      for (const batchSize of [2, 10]) {
        const job = await svc().run(operator, file, { batchSize });
        assert.equal(job.status, 'done', job.message ?? '');
        assert.deepEqual(errorLines(svc().errorFilePath(job.id)).map((l) => l.split(',').slice(0, 3).join(',')), ['3,code,is taken by a component outside your jurisdiction', '4,attributes.material,"must be one of 铸铁'], `batches of ${batchSize}: in file order`);
        assert.equal(job.failed, 2);
      }
      const after = await y.ctx.services.components.get(system, code(114000));
      assert.deepEqual([after.jurisdictionCode, after.status, after.version, after.geometry], [theirs.jurisdictionCode, 'damaged', 1, theirs.geometry], 'left as it was');
      const ours = (await y.app.inject({ url: `/api/components/${code(114001)}`, headers: y.as['lujiazui.operator'] })).json();
      assert.equal(ours.status, 'damaged', 'a code in the scope is still updated');
    });

    test('a re-import keeps what its rows leave blank: a field report, photos and an owner set since survive; what the file gives wins', async () => {
      const header = 'code,type,status,name,owner_dept,lon,lat,material,shape';
      const file = write('survey.csv', [header, `${code(115000)},0101,,,,${near(400).join(',')},铸铁,圆形`, `${code(115001)},0101,,,,${near(401).join(',')},铸铁,圆形`].join('\n') + '\n');
      const first = await svc().run(operator, file, { batchSize: 10 });
      assert.deepEqual([first.created, first.failed], [2, 0]);
      const get = async (c: string) => (await y.app.inject({ url: `/api/components/${c}`, headers: y.as['lujiazui.operator'] })).json();
      assert.equal((await get(code(115000))).status, 'intact', 'a new component takes the default');
      // A grid worker's report, with a photo, and a new owner, after the survey.
      const report = await y.app.inject({ method: 'PATCH', url: `/api/components/${code(115000)}`, headers: y.as['lujiazui.operator'], payload: { version: 1, status: 'damaged', photos: [{ url: '/photos/cover-115000.jpg', caption: '井盖破损' }], ownerDept: 'cgzf' } });
      assert.equal(report.statusCode, 200, report.body);

      for (const worker of [false, true]) {
        const again = await svc().run(operator, file, { batchSize: 10, worker });
        assert.deepEqual([again.created, again.updated, again.unchanged, again.failed], [0, 0, 2, 0], `nothing the file says differs (checked ${worker ? 'in a worker' : 'here'})`);
      }
      const kept = await get(code(115000));
      assert.deepEqual([kept.status, kept.photos.length, kept.ownerDept, kept.version], ['damaged', 1, 'cgzf', 2]);

      // The file now gives a status and a material: those win, the rest stays.
      const fixed = write('survey-2.csv', [header, `${code(115000)},0101,完好,,,${near(400).join(',')},球墨铸铁,圆形`].join('\n') + '\n');
      const third = await svc().run(operator, fixed, { batchSize: 10 });
      assert.deepEqual([third.updated, third.failed], [1, 0]);
      const now = await get(code(115000));
      assert.deepEqual([now.status, now.attributes.material, now.photos.length, now.ownerDept], ['intact', '球墨铸铁', 1, 'cgzf']);

      // The history tells the import that created it, though imports write no history row for a creation.
      const history = (await y.app.inject({ url: `/api/components/${code(115000)}/history`, headers: y.as['lujiazui.operator'] })).json().items as Array<{ version: number; action: string; actorId: string | null; at: number }>;
      assert.deepEqual(history.map((h) => [h.version, h.action]), [[3, 'imported'], [2, 'updated'], [1, 'imported']]);
      assert.equal(history[2]!.actorId, operator.accountId, 'who started the import that created it');
      assert.equal(history[2]!.at, now.createdAt);
      const untouched = (await y.app.inject({ url: `/api/components/${code(115001)}/history`, headers: y.as['lujiazui.operator'] })).json().items;
      assert.deepEqual(untouched.map((h: { version: number; action: string; actorId: string }) => [h.version, h.action, h.actorId]), [[1, 'imported', operator.accountId]]);
    });

    test('a code twice in a file: the later row updates the earlier, whatever the batches; the creation is credited to the first import', async () => {
      const header = 'code,type,status,lon,lat,material,shape';
      const lines = [header, `${code(116000)},0101,破损,${near(500).join(',')},铸铁,圆形`, `${code(116000)},0101,,${near(500).join(',')},铸铁,方形`];
      const file = write('twice.csv', lines.join('\n') + '\n');
      const get = async (c: string) => (await y.app.inject({ url: `/api/components/${c}`, headers: y.as['lujiazui.operator'] })).json();
      const first = await svc().run(operator, file, { batchSize: 10 });
      assert.deepEqual([first.created, first.updated], [1, 1], 'in one batch');
      assert.deepEqual([(await get(code(116000))).status, (await get(code(116000))).attributes.shape], ['damaged', '方形'], 'the blank status keeps the earlier row\'s');
      const other = write('twice-split.csv', lines.join('\n').replaceAll(code(116000), code(116001)) + '\n');
      await svc().run(operator, other, { batchSize: 1 });
      assert.deepEqual([(await get(code(116001))).status, (await get(code(116001))).attributes.shape], ['damaged', '方形'], 'in two batches, the same');

      // Another account re-imports with a change: the creation stays the first importer's.
      const system: Principal = { ...operator, accountId: 'system-test', username: 'system', roles: ['system'], scopeCode: '310000' };
      await svc().run(system, write('twice-2.csv', [header, `${code(116000)},0101,丢失,${near(500).join(',')},铸铁,方形`].join('\n') + '\n'), { batchSize: 10 });
      const history = (await y.app.inject({ url: `/api/components/${code(116000)}/history`, headers: y.as['lujiazui.operator'] })).json().items as Array<{ version: number; action: string; actorId: string }>;
      assert.deepEqual(history.map((h) => [h.version, h.action, h.actorId]), [[2, 'imported', 'system-test'], [1, 'imported', operator.accountId]]);

      // Deleted and imported again: the history is the new component's, not the old one's.
      const c = (await get(code(116001)));
      assert.equal((await y.app.inject({ method: 'DELETE', url: `/api/components/${code(116001)}?version=${c.version}`, headers: y.as['lujiazui.operator'] })).statusCode, 204);
      await svc().run(operator, write('again.csv', [header, `${code(116001)},0101,,${near(501).join(',')},铸铁,圆形`].join('\n') + '\n'), { batchSize: 10 });
      const fresh = (await y.app.inject({ url: `/api/components/${code(116001)}/history`, headers: y.as['lujiazui.operator'] })).json().items as Array<{ version: number; action: string }>;
      assert.deepEqual(fresh.map((h) => [h.version, h.action]), [[1, 'imported']]);
    });

    test('a GeoJSON FeatureCollection resumes inside its features array', async () => {
      const features = Array.from({ length: 12 }, (_, i) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: near(50 + i) },
        properties: { code: code(100300 + i), material: i === 7 ? '木头' : '铸铁', shape: '圆形' },
      }));
      const file = write('resume.geojson', JSON.stringify({ type: 'FeatureCollection', name: '陆家嘴', features }, null, 2));
      const abort = new AbortController();
      const first = await svc().run(operator, file, { batchSize: 5, signal: abort.signal, onProgress: () => abort.abort() });
      assert.equal(first.status, 'interrupted');
      assert.equal(first.created, 5);
      const resumed = await svc().start(operator, file, { batchSize: 5 });
      assert.ok(resumed.resumedFrom && resumed.resumedFrom.line > 5 && resumed.resumedFrom.rows === 5, JSON.stringify(resumed.resumedFrom));
      const done = await resumed.done;
      assert.deepEqual([done.status, done.created, done.failed], ['done', 11, 1]);
      assert.equal(errorLines(svc().errorFilePath(done.id)).length, 1);
    });

    test('a file that cannot be imported fails the job with a message naming the problem', async () => {
      const file = write('no-geometry.csv', 'code,type,name\n3101150101100200,0101,x\n');
      await assert.rejects(svc().run(operator, file), (err: AppError) => {
        assert.equal(err.code, 'FIELD_INVALID');
        assert.equal(err.field, 'file');
        assert.match(err.message, /^no-geometry\.csv: CSV: no geometry column/);
        return true;
      });
      const jobs = await svc().list(operator);
      const failed = jobs.items.find((j) => j.fileName === 'no-geometry.csv')!;
      assert.equal(failed.status, 'failed');
      assert.match(failed.message ?? '', /no geometry column/);
      await assert.rejects(svc().run(operator, path.join(dir, 'missing.csv')), (err: AppError) => err.field === 'file' && /cannot be read \(ENOENT\)/.test(err.message));
      const notFc = write('not-fc.geojson', JSON.stringify({ type: 'Feature', geometry: null, properties: {} }, null, 2));
      await assert.rejects(svc().run(operator, notFc), (err: AppError) => err.field === 'file');
    });

    test('roles without component.import are refused before anything is read', async () => {
      const grid: Principal = { ...operator, roles: ['grid_worker'] };
      await assert.rejects(svc().run(grid, path.join(dir, 'whatever.csv')), (err: AppError) => err.code === 'ROLE_FORBIDDEN');
    });
  });
}
