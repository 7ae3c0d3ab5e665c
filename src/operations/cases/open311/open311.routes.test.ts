import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { DIALECTS } from '../../../platform/db/testing.ts';
import type { ComponentsYiwang } from '../../components/testing.ts';
import { PLACES, reportCase, startCasesYiwang, walkToClosure } from '../testing.ts';
import { gatewayToken } from '../../devices/testing.ts';

// The GeoReport v2 contract: every endpoint in JSON and XML, with the standard's field names.
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'error'].includes(name) });
const FIELDS = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];

for (const dialect of DIALECTS) {
  describe(`Open311 GeoReport v2 (${dialect})`, () => {
    let y: ComponentsYiwang;
    let apiKey: string;
    before(async () => {
      y = await startCasesYiwang(dialect, ['citizen', 'lujiazui.operator', 'lujiazui.grid', 'lujiazui.grid2']);
      // A 311 app's key: an API token of a system account (its users' contact details stay private).
      apiKey = (await gatewayToken(y, '310000')).authorization.replace('Bearer ', '');
    });
    after(async () => y?.close());
    const get = (url: string, headers: Record<string, string> = {}) => y.app.inject({ method: 'GET', url, headers });
    const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) => y.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(fields).toString() });
    const [lon, lat] = [0, 1];

    test('services.json and services.xml list the categories', async () => {
      const j = await get('/open311/v2/services.json');
      assert.equal(j.statusCode, 200);
      assert.match(String(j.headers['content-type']), /^application\/json/);
      const list = j.json() as Array<Record<string, unknown>>;
      const vending = list.find((s) => s.service_code === 'E0501')!;
      assert.deepEqual(Object.keys(vending).sort(), ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
      assert.equal(vending.service_name, '占道经营');
      assert.equal(vending.metadata, false);
      assert.equal(vending.type, 'realtime');
      assert.equal(list.find((s) => s.service_code === 'E0501' && s.group === '街面秩序')?.service_code, 'E0501');
      const en = (await get('/open311/v2/services.json', { 'accept-language': 'en-GB,en;q=0.9' })).json() as Array<Record<string, unknown>>;
      assert.equal(en.find((s) => s.service_code === 'E0501')!.service_name, 'Street vending blocking the way');

      const x = await get('/open311/v2/services.xml');
      assert.equal(x.statusCode, 200);
      assert.match(String(x.headers['content-type']), /^text\/xml; charset=utf-8/);
      assert.match(x.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
      const parsed = xml.parse(x.body).services.service as Array<Record<string, string>>;
      assert.equal(parsed.length, list.length);
      assert.equal(parsed.find((s) => s.service_code === 'E0501')!.service_name, '占道经营');
    });

    test('services/{code} gives the definition; an unknown code is a 404 in the standard\'s error shape', async () => {
      const j = (await get('/open311/v2/services/E0101.json')).json();
      assert.deepEqual(j, { service_code: 'E0101', attributes: [] });
      const x = xml.parse((await get('/open311/v2/services/E0101.xml')).body);
      assert.equal(x.service_definition.service_code, 'E0101');
      const missing = await get('/open311/v2/services/ZZZ.json');
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(Object.keys(missing.json()[0]).sort(), ['code', 'description']);
      assert.equal(missing.json()[0].code, 404);
      const missingXml = await get('/open311/v2/services/ZZZ.xml');
      assert.equal(xml.parse(missingXml.body).errors.error[0].code, '404');
    });

    test('POST requests.json (form-encoded, api_key) files a report; a signed-in citizen posting follows their own', async () => {
      const app = await form('/open311/v2/requests.json', { api_key: apiKey, service_code: 'E0101', lat: String(PLACES.lujiazui[lat]), long: String(PLACES.lujiazui[lon]), description: '垃圾', first_name: '伟', last_name: '张', phone: '13900001111' });
      assert.equal(app.statusCode, 201, app.body);
      assert.equal(app.json()[0].account_id, null, 'a 311 app\'s user has no account here');
      const res = await form('/open311/v2/requests.json', { service_code: 'E0501', lat: String(PLACES.lujiazui[lat]), long: String(PLACES.lujiazui[lon]), address_string: '东昌路 <b>12</b> 号', description: '早餐摊占道 <script>alert(1)</script>', email: 'zhang@example.cn', phone: '13900001111' }, y.as.citizen);
      assert.equal(res.statusCode, 201, res.body);
      const [created] = res.json() as Array<{ service_request_id: string; service_notice: string; account_id: string | null }>;
      assert.match(created!.service_request_id, /^\d{14}$/);
      assert.ok(created!.service_notice);
      const mine = (await y.app.inject({ method: 'GET', url: '/api/cases', headers: y.as.citizen })).json().items as Array<{ id: string; source: string }>;
      assert.equal(mine.find((c) => c.id === created!.service_request_id)?.source, 'open311', 'the report is the citizen\'s');

      const one = (await get(`/open311/v2/requests/${created!.service_request_id}.json`)).json() as Array<Record<string, unknown>>;
      assert.equal(one.length, 1);
      assert.deepEqual(Object.keys(one[0]!).sort(), [...FIELDS].sort());
      assert.equal(one[0]!.status, 'open');
      assert.equal(one[0]!.description, '早餐摊占道 <script>alert(1)</script>');
      assert.match(String(one[0]!.requested_datetime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      assert.equal(JSON.stringify(one[0]).includes('13900001111'), false, 'contact details stay private');
      assert.equal(JSON.stringify((await get(`/open311/v2/requests/${app.json()[0].service_request_id}.json`)).json()).includes('13900001111'), false);
      const x = await get(`/open311/v2/requests/${created!.service_request_id}.xml`);
      const req = xml.parse(x.body).service_requests.request[0];
      assert.equal(req.service_request_id, created!.service_request_id);
      assert.equal(req.description, '早餐摊占道 <script>alert(1)</script>', 'XML escapes markup');
      assert.ok(x.body.includes('&lt;script&gt;'));

      // Round the loop: the public status follows, with the handler's reply as status_notes.
      await walkToClosure(y, created!.service_request_id);
      const closed = (await get(`/open311/v2/requests/${created!.service_request_id}.json`)).json()[0];
      assert.equal(closed.status, 'closed');
      assert.equal(closed.status_notes, '已处置');
      assert.equal(closed.expected_datetime, null);
      const told = (await y.app.inject({ method: 'GET', url: '/api/messages?topic=case&limit=100', headers: y.as.citizen })).json().items as Array<{ subject: { id: string } | null; title: string }>;
      assert.ok(told.some((m) => m.subject?.id === created!.service_request_id && m.title === '您反映的问题已办结，欢迎评价'));

      const xmlPost = await form('/open311/v2/requests.xml', { api_key: apiKey, service_code: 'E0101', lat: String(PLACES.lujiazui[lat]), long: String(PLACES.lujiazui[lon]), description: '垃圾' });
      assert.equal(xmlPost.statusCode, 201);
      assert.match(xml.parse(xmlPost.body).service_requests.request[0].service_request_id, /^\d{14}$/);
    });

    test('POST refuses what it cannot file, naming the parameter', async () => {
      const base = { api_key: apiKey, service_code: 'E0501', lat: String(PLACES.lujiazui[lat]), long: String(PLACES.lujiazui[lon]), description: 'x' };
      const cases: Array<[Record<string, string>, number, RegExp]> = [
        [{ ...base, api_key: '' }, 401, /api_key/],
        [{ ...base, api_key: 'not-a-token' }, 401, /token/i],
        [{ ...base, service_code: 'NOPE' }, 400, /service_code/],
        [{ ...base, lat: '' }, 400, /lat/],
        [{ ...base, lat: '39.9', long: '116.4' }, 400, /outside Shanghai/],
        [{ ...base, description: '' }, 400, /description/],
        [{ ...base, media_url: 'javascript:alert(1)' }, 400, /media_url/],
        [{ ...base, lat: '91' }, 400, /^lat/],
        [{ ...base, long: 'east' }, 400, /^long/],
      ];
      for (const [fields, status, message] of cases) {
        const res = await form('/open311/v2/requests.json', fields);
        assert.equal(res.statusCode, status, `${JSON.stringify(fields)}: ${res.body}`);
        assert.match(res.json()[0].description, message);
      }
      const emoji = await form('/open311/v2/requests.json', { ...base, first_name: 'a' + '😀'.repeat(30), phone: '1', address_string: '😀'.repeat(200) });
      assert.equal(emoji.statusCode, 201, `long names are cut between characters: ${emoji.body}`);
      const x = await form('/open311/v2/requests.xml', { ...base, service_code: 'NOPE' });
      assert.equal(x.statusCode, 400);
      assert.match(xml.parse(x.body).errors.error[0].description, /service_code/);
    });

    test('GET requests filters by id, service, dates and status; closed cases show as closed; hotline calls never show', async () => {
      const a = await reportCase(y, 'citizen', { categoryCode: 'E0103', description: '路面油污' });
      const b = await reportCase(y, 'lujiazui.grid', { categoryCode: 'E0103', description: '路面油污 2' });
      const hotline = (await y.app.inject({ method: 'POST', url: '/api/cases', headers: y.as['lujiazui.operator'], payload: { categoryCode: 'E0103', description: '来电', point: PLACES.lujiazui, caller: { name: '王', phone: '13811112222' } } })).json();
      const byId = (await get(`/open311/v2/requests.json?service_request_id=${a.id},${b.id},${hotline.id}`)).json() as Array<{ service_request_id: string; agency_responsible: string | null }>;
      assert.deepEqual(byId.map((r) => r.service_request_id).sort(), [a.id, b.id].sort());
      assert.equal(byId.find((r) => r.service_request_id === b.id)!.agency_responsible, '浦东新区绿化和市容管理局', 'the worker\'s report was dispatched at once');
      const bySvc = (await get('/open311/v2/requests.json?service_code=E0103')).json() as Array<{ service_code: string }>;
      assert.ok(bySvc.length >= 2 && bySvc.every((r) => r.service_code === 'E0103'));
      const now = y.clock.now();
      const iso = (t: number) => new Date(t).toISOString();
      const inWindow = (await get(`/open311/v2/requests.json?start_date=${iso(now - 60_000)}&end_date=${iso(now + 60_000)}`)).json() as Array<{ service_request_id: string }>;
      assert.ok(inWindow.some((r) => r.service_request_id === a.id));
      const before = (await get(`/open311/v2/requests.json?end_date=${iso(now - 3_600_000)}`)).json() as Array<{ service_request_id: string }>;
      assert.ok(!before.some((r) => r.service_request_id === a.id));
      assert.equal((await get('/open311/v2/requests.json?status=closed&service_code=E0103')).json().length, 0);
      assert.ok((await get('/open311/v2/requests.json?status=open&service_code=E0103')).json().length >= 2);
      const bad = await get('/open311/v2/requests.json?status=pending');
      assert.equal(bad.statusCode, 400);
      assert.equal((await get('/open311/v2/requests.json?start_date=yesterday')).statusCode, 400);
      const listXml = xml.parse((await get(`/open311/v2/requests.xml?service_request_id=${a.id}`)).body).service_requests.request as Array<Record<string, string>>;
      assert.equal(listXml.length, 1);
      assert.deepEqual(Object.keys(listXml[0]!).sort(), [...FIELDS].sort());
      assert.equal((await get(`/open311/v2/requests/${hotline.id}.json`)).statusCode, 404, 'a hotline call is not a public request');
      assert.equal((await get('/open311/v2/nonsense.json')).statusCode, 404);
    });
  });
}
