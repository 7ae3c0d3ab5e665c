import { authorize, readFilter, UNSCOPED, type Principal } from '../../platform/access.ts';
import { shanghaiDate, WORK_HOURS_PER_DAY } from '../../platform/calendar/working-calendar.ts';
import type { AppContext } from '../../platform/context.ts';
import { toBool } from '../../platform/db/dialect.ts';
import { invalid } from '../../platform/errors.ts';
import type { ApplicationService } from './application.service.ts';

const DAY_MS = 86_400_000;
/** Office time of one working day, to express working time in days. */
export const WORK_DAY_MS = WORK_HOURS_PER_DAY * 3600_000;

interface Tally {
  code: string;
  nameZh: string;
  nameEn: string;
  submitted: number;
  decided: number;
  onTime: number;
  /** Working days from acceptance to decision, less the time waiting for corrections. */
  days: number[];
  promisedDays: number | null;
  legalDays: number | null;
}

export const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const share = (a: number, b: number) => (b ? round(a / b, 3) : null);
/** The mean to two decimals, or null for no values. */
export const mean = (xs: number[]) => (xs.length ? round(xs.reduce((s, x) => s + x, 0) / xs.length, 2) : null);

/**
 * The service network's figures (一网通办 运行指标): the catalogue (items, share fully online, share
 * needing at most one trip, materials the government already holds) and the applications of a
 * period in the asker's scope (per day, on-time rate, average working days against the promised
 * and legal limits per item and department — the 双减半 "halve the time, halve the materials" view).
 */
export class ServiceFigures {
  constructor(
    private readonly ctx: AppContext,
    private readonly apps: ApplicationService,
  ) {}

  async figures(p: Principal | null, q: { from?: number; to?: number }) {
    authorize(p, 'services.figures.read', UNSCOPED);
    const to = q.to ?? this.ctx.clock.now();
    const from = q.from ?? to - 30 * DAY_MS;
    if (!(from < to)) throw invalid('from', 'must be before to');
    if (to - from > 366 * DAY_MS) throw invalid('from', 'the period is at most a year');
    const filter = readFilter(p);
    const prefix = filter.kind === 'scope' ? filter.prefix : '\u0000none';

    const items = this.ctx.services.catalogue.all();
    let materials = 0;
    let toSubmit = 0;
    for (const i of items) {
      const ms = this.apps.materialsOf(this.ctx.services.catalogue.get(i.code));
      materials += ms.length;
      toSubmit += ms.filter((m) => m.source === 'applicant').length;
    }
    const catalogue = {
      items: items.length,
      fullyOnline: share(items.filter((i) => i.online === 'full').length, items.length),
      atMostOneTrip: share(items.filter((i) => i.trips <= 1).length, items.length),
      promisedDaysAvg: round(items.reduce((s, i) => s + i.promisedDays, 0) / Math.max(1, items.length)),
      legalDaysAvg: round(items.reduce((s, i) => s + i.legalDays, 0) / Math.max(1, items.length)),
      materials,
      materialsToSubmit: toSubmit,
    };

    const rows = await this.apps.store.submittedBetween(this.ctx.db, from, to, prefix);
    const byItem = new Map<string, Tally>();
    const byDept = new Map<string, Tally>();
    const tally = (m: Map<string, Tally>, code: string, init: () => Omit<Tally, 'submitted' | 'decided' | 'onTime' | 'days'>) => {
      let t = m.get(code);
      if (!t) m.set(code, (t = { ...init(), submitted: 0, decided: 0, onTime: 0, days: [] }));
      return t;
    };
    let decided = 0;
    let onTime = 0;
    const daily = new Map<string, { date: string; submitted: number; decided: number }>();
    for (let t = from; t < to + DAY_MS; t += DAY_MS) {
      const date = shanghaiDate(Math.min(t, to - 1));
      if (!daily.has(date)) daily.set(date, { date, submitted: 0, decided: 0 });
    }
    for (const r of rows) {
      const day = daily.get(shanghaiDate(Number(r.submitted_at)));
      if (day) day.submitted++;
      if (r.decided_at !== null) {
        const d = daily.get(shanghaiDate(Number(r.decided_at)));
        if (d) d.decided++;
      }
      const item = this.ctx.services.catalogue.get(r.item_code);
      await this.apps.rememberDepartment(r.department_code);
      const dept = r.department_code ?? item.sector;
      const ts = [
        tally(byItem, r.item_code, () => ({ code: r.item_code, nameZh: item.nameZh, nameEn: item.nameEn, promisedDays: item.promisedDays, legalDays: item.legalDays })),
        tally(byDept, dept, () => ({ code: dept, nameZh: this.apps.departmentName(dept) ?? dept, nameEn: this.apps.departmentName(dept, 'en') ?? dept, promisedDays: null, legalDays: null })),
      ];
      for (const t of ts) t.submitted++;
      if ((r.stage === 'approved' || r.stage === 'denied') && r.accepted_at !== null && r.decided_at !== null) {
        const ms = this.apps.calendar.workingMsBetween(Number(r.accepted_at), Number(r.decided_at)) - Number(r.paused_ms);
        const days = Math.max(0, ms) / WORK_DAY_MS;
        const late = toBool(r.late);
        decided++;
        if (!late) onTime++;
        for (const t of ts) {
          t.decided++;
          if (!late) t.onTime++;
          t.days.push(days);
        }
      }
    }
    const out = (t: Tally) => {
      const avg = mean(t.days);
      return { code: t.code, nameZh: t.nameZh, nameEn: t.nameEn, submitted: t.submitted, decided: t.decided, onTimeRate: share(t.onTime, t.decided), avgDays: avg, promisedDays: t.promisedDays, legalDays: t.legalDays, ofLegal: avg !== null && t.legalDays ? round(avg / t.legalDays, 2) : null };
    };
    const days = Math.max(1, Math.round((to - from) / DAY_MS));
    return {
      from,
      to,
      scope: p.scopeCode,
      catalogue,
      applications: { submitted: rows.length, perDay: round(rows.length / days, 2), decided, onTimeRate: share(onTime, decided), inBundles: rows.filter((r) => r.bundle_id).length },
      /** Per Shanghai day of the period: applications submitted, and those of them decided that day. */
      daily: [...daily.values()],
      byItem: [...byItem.values()].map(out).sort((a, b) => b.submitted - a.submitted),
      byDepartment: [...byDept.values()].map(out).sort((a, b) => b.submitted - a.submitted),
    };
  }
}
