import type { AppContext } from '../../platform/context.ts';
import type { ApplicationRow } from '../applications/application.schema.ts';
import type { ApplicationService } from '../applications/application.service.ts';
import { issueResult } from '../applications/results.ts';
import type { BundleService } from './bundle.service.ts';
import type { Answers } from './definitions.ts';

const DAY = 86_400_000;
const SITUATIONS: Answers[] = [
  { hasLicence: true, area: 80, seats: 24, alcohol: false, kitchenExhaust: true, hasSign: true, renovation: false },
  { hasLicence: false, area: 150, seats: 60, alcohol: true, kitchenExhaust: true, hasSign: true, renovation: true },
  { hasLicence: false, area: 420, seats: 160, alcohol: true, kitchenExhaust: true, hasSign: true, renovation: true },
  { hasLicence: true, area: 45, seats: 12, alcohol: false, kitchenExhaust: false, hasSign: false, renovation: false },
];
const SHOPS = ['申味小馆', '弄堂面馆', '阿婆馄饨', '沪上咖啡', '石库门茶室', '江南点心铺'];

/**
 * The demo city's restaurant bundles of the last weeks, each item decided by its department in
 * parallel, so the redesign report has real records beside its definitions. Runs once.
 */
export async function seedDemoBundles(ctx: AppContext, bundles: BundleService, apps: ApplicationService): Promise<number> {
  const existing = await ctx.db.selectFrom('services_bundle_application').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  if (Number(existing?.n ?? 0) > 0) return 0;
  const b = bundles.catalogue.get('310000-YJS-0001');
  const cal = apps.calendar;
  const now = ctx.clock.now();
  let n = 0;
  for (let k = 0; k < 12; k++) {
    const answers = SITUATIONS[k % SITUATIONS.length]!;
    const plan = bundles.catalogue.plan(b, answers);
    const name = `上海${SHOPS[k % SHOPS.length]}餐饮管理有限公司`;
    const who = { accountId: 'demo-history', displayName: name };
    const submitted = cal.addWorkingMs(now - (40 - k * 2) * DAY, 3600_000 * (1 + (k % 5)));
    const routes = await Promise.all(plan.items.map((i) => apps.route(i, { 'premises.district': '310115' })));
    const decided = plan.items.map((i, m) => cal.addWorkingMs(submitted, Math.round(Math.max(1, i.promisedDays) * (0.4 + ((k + m) % 5) * 0.12) * 7 * 3600_000)));
    // An item that builds on another is approved no earlier than it (and a little after).
    const codes = plan.items.map((i) => i.code);
    for (let pass = 0; pass < codes.length; pass++) {
      for (const [m, code] of codes.entries()) {
        for (const dep of b.items.find((x) => x.code === code)?.after ?? []) {
          const d = codes.indexOf(dep);
          if (d >= 0 && decided[m]! <= decided[d]!) decided[m] = cal.addWorkingMs(decided[d]!, 30 * 60_000);
        }
      }
    }
    if (Math.max(...decided) >= now) continue;
    await ctx.transaction(async (tx) => {
      const id = `YJ${new Date(submitted + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '')}${String(await apps.store.nextNumber(tx, `BH${k}`)).padStart(2, '0')}${String(k).padStart(4, '0')}`;
      await bundles.store.insert(tx, { id, bundle_code: b.code, applicant_id: 'demo-history', applicant_name: name, stage: 'submitted', answers, form: { ...plan.prefill, 'premises.district': '310115', 'company.name': name }, materials: {}, items: plan.items.map((i) => i.code), submitted_at: submitted, created_at: submitted, updated_at: Math.max(...decided), version: 2 });
      for (const [m, item] of plan.items.entries()) {
        const accepted = cal.addWorkingMs(submitted, 3600_000);
        const row: ApplicationRow = {
          ...apps.draftRow(await apps.newId(tx), who, item, { 'premises.district': '310115', 'company.name': name }, {}, id),
          jurisdiction_code: routes[m]!.jurisdictionCode,
          department_code: routes[m]!.departmentCode,
          stage: 'approved',
          outcome: 'approved',
          submitted_at: submitted,
          accepted_at: accepted,
          decided_at: decided[m]!,
          closed_at: decided[m]!,
          stage_started_at: decided[m]!,
          created_at: submitted,
          updated_at: decided[m]!,
          late: false,
          version: 4,
        };
        row.step = apps.stepsOf(row).length - 1;
        row.result_id = await issueResult(tx, apps, row, item, 'approve', decided[m]!);
        await apps.store.insert(tx, row);
        const ev = (action: string, at: number, from: string, to: string) => ({ application_id: row.id, at, actor_id: null, actor_name: null, action, from_stage: from, to_stage: to, note: null, detail: { bundle: id } });
        await apps.store.insertEvents(tx, [ev('submit', submitted, 'draft', 'submitted'), ev('accept', accepted, 'submitted', 'review'), ev('approve', decided[m]!, 'review', 'approved')]);
      }
    });
    n++;
  }
  return n;
}
