import type { AppContext } from '../../platform/context.ts';
import type { ItemDetail } from '../catalogue/catalogue.schema.ts';
import type { ApplicationRow } from './application.schema.ts';
import type { ApplicationService } from './application.service.ts';
import { issueResult } from './results.ts';

/**
 * The demo city's service history: some six weeks of applications that departments accepted and
 * decided — mostly within their promised limits, some late, a few denied — so the figures page and
 * the bundles' records have something real to count. People are synthetic (no accounts); what the
 * demo accounts apply for themselves is left to them. Runs once: a second seed adds nothing.
 */
const ITEMS: Array<[code: string, weight: number]> = [
  ['310000-GA-GG-0001', 9], // 居住证申领
  ['310000-GA-GG-0003', 6], // 无犯罪记录证明
  ['310000-RS-GG-0001', 5], // 社会保障卡申领
  ['310000-GA-XK-0003', 4], // 普通护照签发
  ['310000-SCJG-XK-0001', 6], // 营业执照
  ['310000-SCJG-XK-0006', 5], // 食品经营许可
  ['310000-SW-XK-0001', 3], // 排水许可
  ['310000-LHSR-QT-0001', 3], // 户外招牌
  ['310000-XF-XK-0001', 2], // 消防安全检查
  ['310000-GJJ-GG-0003', 4], // 租赁住房提取公积金
];
const DISTRICTS: Array<[code: string, weight: number]> = [['310115', 5], ['310101', 2], ['310104', 2], ['310106', 2], ['310112', 2]];
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '丽华', '建华', '志强', '晓燕'];
const SHOPS = ['申味小馆', '弄堂面馆', '阿婆馄饨', '沪上咖啡', '石库门茶室', '江南点心铺', '老城厢生煎', '浦江轻食'];
const DAY = 86_400_000;

/** A small deterministic generator, so two seeds of the demo city tell the same history. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function pick<T>(r: () => number, xs: Array<[T, number]>): T {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of xs) if ((x -= w) < 0) return v;
  return xs[xs.length - 1]![0];
}

export async function seedDemoApplications(ctx: AppContext, apps: ApplicationService, count: number): Promise<number> {
  const existing = await ctx.db.selectFrom('services_application').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  if (Number(existing?.n ?? 0) > 0) return 0;
  const r = random(20260301);
  const cal = apps.calendar;
  const now = ctx.clock.now();
  const items = ITEMS.map(([code, w]) => [apps.item(code), w] as [ItemDetail, number]);
  const planned: Array<{ row: ApplicationRow; item: ItemDetail; accepted: number; decided: number; outcome: 'approve' | 'deny' }> = [];
  for (let n = 0; n < count; n++) {
    const item = pick(r, items);
    const district = pick(r, DISTRICTS);
    const route = await apps.route(item, { 'premises.district': district });
    // Submitted on a working day of the last six weeks, during office hours.
    let submitted = now - Math.floor(5 + r() * 40) * DAY;
    submitted = cal.addWorkingMs(submitted - (submitted % DAY), Math.floor(r() * 6 * 3600_000));
    const accepted = cal.addWorkingMs(submitted, Math.floor(r() * 7 * 3600_000));
    const limit = Math.max(1, item.promisedDays);
    // Most within the promise, about one in eight late.
    const days = r() < 0.12 ? limit + 1 + Math.floor(r() * 3) : Math.max(0.2, limit * (0.25 + r() * 0.7));
    const decided = cal.addWorkingMs(accepted, Math.round(days * 7 * 3600_000));
    if (decided >= now) continue;
    const person = item.applicants.includes('person');
    const name = person ? `${SURNAMES[Math.floor(r() * SURNAMES.length)]}${GIVEN[Math.floor(r() * GIVEN.length)]}` : `上海${SHOPS[Math.floor(r() * SHOPS.length)]}餐饮有限公司`;
    const clock = apps.clockFor('review', item, accepted);
    const row: ApplicationRow = {
      ...apps.draftRow('', { accountId: 'demo-history', displayName: name }, item, { 'premises.district': district, ...(person ? { 'applicant.name': name } : { 'company.name': name }) }, {}),
      jurisdiction_code: route.jurisdictionCode,
      department_code: route.departmentCode,
      submitted_at: submitted,
      accepted_at: accepted,
      ...clock,
      created_at: submitted,
    };
    planned.push({ row, item, accepted, decided, outcome: r() < 0.06 ? 'deny' : 'approve' });
  }
  planned.sort((a, b) => a.row.created_at - b.row.created_at);
  const open = await openOnes(ctx, apps, r);
  await ctx.transaction(async (tx) => {
    for (const p of planned) {
      const steps = apps.stepsOf(p.row);
      const id = await apps.newId(tx);
      const late = p.decided > Number(p.row.due_at);
      const row: ApplicationRow = { ...p.row, id, step: steps.length - 1, stage_started_at: p.decided, updated_at: p.decided, decided_at: p.decided, closed_at: p.decided, late, due_at: null, yellow_at: null, version: 4 };
      row.result_id = await issueResult(tx, apps, row, p.item, p.outcome, p.decided);
      row.stage = row.outcome = p.outcome === 'approve' ? 'approved' : 'denied';
      if (p.outcome === 'deny') row.reasons = '经审查，申请材料反映的情况不符合法定条件。';
      await apps.store.insert(tx, row);
      const ev = (action: string, at: number, from: string | null, to: string) => ({ application_id: id, at, actor_id: null, actor_name: null, action, from_stage: from, to_stage: to, note: null, detail: null });
      await apps.store.insertEvents(tx, [ev('submit', Number(p.row.submitted_at), 'draft', 'submitted'), ev('accept', p.accepted, 'submitted', 'review'), ev(p.outcome, p.decided, 'review', row.stage)]);
    }
    for (const row of open) {
      row.id = await apps.newId(tx);
      await apps.store.insert(tx, row);
      const events = [{ application_id: row.id, at: Number(row.submitted_at), actor_id: null, actor_name: null, action: 'submit', from_stage: 'draft', to_stage: 'submitted', note: null, detail: null }];
      if (row.accepted_at !== null) events.push({ ...events[0]!, at: Number(row.accepted_at), action: 'accept', from_stage: 'submitted', to_stage: 'review' });
      await apps.store.insertEvents(tx, events);
    }
  });
  return planned.length + open.length;
}

/**
 * Applications still open in 浦东新区市场监督管理局's queue (the demo account pudong.scjg), their
 * clocks started some working days ago: some green, some yellow, some past their limit.
 */
async function openOnes(ctx: AppContext, apps: ApplicationService, r: () => number): Promise<ApplicationRow[]> {
  const cal = apps.calendar;
  const now = ctx.clock.now();
  const out: ApplicationRow[] = [];
  for (const [k, [code, hoursAgo, stage]] of ([['310000-SCJG-XK-0006', 3, 'submitted'], ['310000-SCJG-XK-0001', 5, 'submitted'], ['310000-SCJG-XK-0006', 12, 'review'], ['310000-SCJG-XK-0006', 19, 'review'], ['310000-SCJG-XK-0012', 30, 'review'], ['310000-SCJG-XK-0002', 2, 'review']] as const).entries()) {
    const item = apps.item(code);
    // Started `hoursAgo` office hours ago (working backwards over evenings and weekends).
    let start = now;
    for (let left = hoursAgo; left > 0; ) {
      start -= 3600_000;
      if (cal.workingMsBetween(start, start + 3600_000) > 0) left--;
    }
    const route = await apps.route(item, { 'premises.district': '310115' });
    const person = item.applicants.includes('person') && !item.applicants.includes('enterprise');
    const name = `上海${SHOPS[(k + Math.floor(r() * SHOPS.length)) % SHOPS.length]}餐饮有限公司`;
    out.push({
      ...apps.draftRow('', { accountId: 'demo-history', displayName: name }, item, { 'premises.district': '310115', ...(person ? {} : { 'company.name': name }), 'premises.address': '浦东新区张杨路500号' }, {}),
      stage,
      jurisdiction_code: route.jurisdictionCode,
      department_code: route.departmentCode,
      submitted_at: stage === 'submitted' ? start : start - 3600_000,
      accepted_at: stage === 'review' ? start : null,
      stage_started_at: start,
      ...apps.clockFor(stage, item, start),
      created_at: start,
      updated_at: start,
    });
  }
  return out;
}
