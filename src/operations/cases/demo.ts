import type { AppContext } from '../../platform/context.ts';
import { DEMO_PLACES } from '../../org/demo-accounts.ts';
import { actorOf } from './case.service.ts';
import type { Severity } from './categories.ts';

/**
 * The demo city's cases: a dispatch table for 陆家嘴 (so dispatch by place can be seen at work) and
 * a few dozen reports around 陆家嘴 and 外滩 at every stage of the loop. Runs once: a second seed
 * finds cases and adds nothing.
 */
const RULES: Array<[string, string, string, string]> = [
  ['E0101', DEMO_PLACES.lujiazui, `lhsr.${DEMO_PLACES.pudong}`, '陆家嘴环卫所'],
  ['E0103', DEMO_PLACES.lujiazui, `lhsr.${DEMO_PLACES.pudong}`, '陆家嘴环卫所'],
  ['E0501', DEMO_PLACES.lujiazui, `cgzf.${DEMO_PLACES.lujiazui}`, '第一中队'],
  ['E0504', DEMO_PLACES.lujiazui, `cgzf.${DEMO_PLACES.lujiazui}`, '第二中队'],
];

const REPORTS: Array<{ who: string; at: keyof typeof DEMO_PLACES; category: string; text: string; address: string; severity?: Severity }> = [
  { who: 'citizen', at: 'lujiazui', category: 'E0101', text: '花园石桥路人行道旁有一堆生活垃圾，已经放了一上午，有异味。', address: '浦东新区花园石桥路近东泰路' },
  { who: 'citizen', at: 'lujiazui', category: 'E0504', text: '地铁站出口共享单车堆了几十辆，挡住了盲道。', address: '浦东新区陆家嘴环路地铁2号线陆家嘴站1号口' },
  { who: 'lujiazui.grid', at: 'lujiazui', category: 'E0501', text: '早餐摊占用人行道经营，行人只能走机动车道。', address: '浦东新区东昌路近浦东南路' },
  { who: 'lujiazui.grid', at: 'lujiazui', category: 'E0201', text: '小区围墙上贴满了疏通管道小广告。', address: '浦东新区崂山路' },
  { who: 'citizen', at: 'lujiazui', category: 'P0102', text: '晚上这段路的路灯连续三盏不亮，很暗。', address: '浦东新区银城中路' },
  { who: 'lujiazui.grid2', at: 'lujiazui', category: 'E0103', text: '路面有大片油污，雨天容易打滑。', address: '浦东新区世纪大道近东方路' },
  { who: 'citizen', at: 'waitan', category: 'E0503', text: '有车辆长时间停在消防通道上。', address: '黄浦区北京东路' },
  { who: 'citizen', at: 'waitan', category: 'E0405', text: '下雨后路口积水很深，快没过脚踝了。', address: '黄浦区四川中路近汉口路', severity: 'urgent' },
];

export async function seedDemoCases(ctx: AppContext): Promise<number> {
  const svc = ctx.services.cases;
  const existing = await ctx.db.selectFrom('cases_case').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  if (Number(existing?.n ?? 0) > 0) return 0;
  const now = ctx.clock.now();
  for (const [category, jurisdiction, department, team] of RULES) {
    await svc.store.putDispatchRule(ctx.db, { category_code: category, jurisdiction_code: jurisdiction, department_code: department, team, updated_by: null, updated_at: now });
  }
  const j = ctx.services.jurisdictions;
  let n = 0;
  for (const [i, r] of REPORTS.entries()) {
    const account = await ctx.db.selectFrom('org_account').select(['id', 'display_name']).where('username', '=', r.who).executeTakeFirst();
    if (!account) continue;
    // Spread the reports over the committees of the street, each at a point that locates inside it.
    const kids = j.children(DEMO_PLACES[r.at]);
    const spot = kids[(i * 3) % Math.max(1, kids.length)] ?? j.require(DEMO_PLACES[r.at]);
    const point: [number, number] = [Math.round(spot.centroid[0] * 1e6) / 1e6, Math.round(spot.centroid[1] * 1e6) / 1e6];
    if (!j.locate(point[0], point[1])?.code.startsWith(DEMO_PLACES[r.at])) continue;
    const category = svc.category(r.category);
    const source = r.who === 'citizen' ? 'citizen' : 'worker';
    await svc.open({ source, category, severity: r.severity ?? (category.urgent ? 'urgent' : 'normal'), description: r.text, point, address: r.address, reporter: actorOf({ accountId: account.id, displayName: account.display_name } as never) });
    n++;
  }
  return n;
}
