import type { AppContext } from '../../platform/context.ts';
import type { ApplicationRow } from '../applications/application.schema.ts';
import type { ApplicationService } from '../applications/application.service.ts';
import { mean as avg, WORK_DAY_MS } from '../applications/figures.ts';
import type { BundleCatalogue } from './bundle.catalogue.ts';
import type { BundleStore } from './bundle.store.ts';
import type { Answers, Bundle } from './definitions.ts';


interface Records {
  submitted: number;
  concluded: number;
  avgDays: number | null;
  avgSequentialDays: number | null;
  perItem: Array<{ code: string; decided: number; avgDays: number | null }>;
}

export interface Measures {
  items: number;
  departments: number;
  forms: number;
  formFields: number;
  materials: number;
  trips: number;
  inspections: number;
  /** Promised working days: one after another before, the longest item after (parallel review). */
  days: number;
  legalDays: number;
}

/**
 * The redesign report of a bundle (流程再造): what it takes before — every item on its own, one after
 * another, nothing merged — and after — one questionnaire, one form, one set of materials, the
 * items reviewed in parallel — computed from the definitions, beside the real processing records.
 *
 * Definitions: before, materials count every item's list in full (duplicates and documents the
 * government already holds included), trips and inspections add up, and days add up. After,
 * materials are the distinct documents the applicant still submits; trips are the most any item
 * needs (one visit serves them all); inspections become one joint inspection when the bundle says
 * so; days are the critical path: items are reviewed in parallel and an item that builds on
 * another is issued no earlier than it, so the path is the longest chain of "no earlier than".
 */
export class RedesignReport {
  constructor(
    private readonly ctx: AppContext,
    private readonly catalogue: BundleCatalogue,
    private readonly store: BundleStore,
    private readonly apps: ApplicationService,
  ) {}

  async report(b: Bundle, answers?: Answers) {
    // For a situation, what its answers bring in; otherwise every item the bundle may include.
    const plan = this.catalogue.plan(b, answers ?? {}, answers ? undefined : b.items.map((i) => i.code));
    const codes = plan.items.map((i) => i.code);
    const items = plan.items.map((item) => {
      const materials = this.apps.materialsOf(item);
      return { code: item.code, nameZh: item.nameZh, nameEn: item.nameEn, sector: item.sector, departmentName: item.departmentName, departmentNameEn: item.departmentNameEn, materials: materials.length, toSubmit: materials.filter((m) => m.source === 'applicant').length, formFields: this.apps.formOf(item).fields.length, trips: item.trips, inspections: item.inspections, promisedDays: item.promisedDays, legalDays: item.legalDays, after: (b.items.find((i) => i.code === item.code)?.after ?? []).filter((c) => codes.includes(c)) };
    });
    const sum = (f: (i: (typeof items)[number]) => number) => items.reduce((s, i) => s + f(i), 0);
    const departments = new Set(items.map((i) => i.sector)).size;
    const inspections = sum((i) => i.inspections);
    const before: Measures = { items: items.length, departments, forms: items.length, formFields: sum((i) => i.formFields), materials: sum((i) => i.materials), trips: sum((i) => i.trips), inspections, days: sum((i) => i.promisedDays), legalDays: sum((i) => i.legalDays) };
    const after: Measures = {
      items: items.length,
      departments,
      forms: 1,
      formFields: plan.form.fields.length,
      materials: plan.materials.filter((m) => !m.notToSubmit).length,
      trips: Math.max(0, ...items.map((i) => i.trips)),
      inspections: b.jointInspection ? Math.min(1, inspections) : inspections,
      days: criticalPath(items, (i) => i.promisedDays),
      legalDays: criticalPath(items, (i) => i.legalDays),
    };
    // Once-only: of the documents the applicant no longer brings, those the data exchange supplies.
    const exchange = (this.ctx.services as { exchange?: { supplies(materialId: string): string | null } }).exchange;
    const shared = plan.materials.filter((m) => m.notToSubmit && m.source !== 'form').map((m) => ({ key: m.key, nameZh: m.nameZh, nameEn: m.nameEn, resource: exchange?.supplies(m.key) ?? null }));
    return {
      bundle: { code: b.code, nameZh: b.nameZh, nameEn: b.nameEn },
      answers: answers ?? null,
      items,
      before,
      after,
      /** Documents the government already holds, and the data resource that supplies each (null: not yet shared). */
      sharing: { held: shared.length, fromExchange: shared.filter((m) => m.resource).length, materials: shared },
      published: b.published ?? null,
      records: await this.records(b),
    };
  }

  /**
   * What really happened to this bundle's submitted applications: how long a bundle took from
   * submission to its last decision (working days), against the sum of its items' own durations —
   * what the same decisions would have taken one after another.
   */
  private readonly recent = new Map<string, { until: number; value: Promise<Records> }>();

  /** The records, computed at most every 30 seconds per bundle: the report is public and reads many rows. */
  private records(b: Bundle): Promise<Records> {
    const now = this.ctx.clock.now();
    const hit = this.recent.get(b.code);
    if (hit && hit.until > now && hit.until - now <= 30_000) return hit.value;
    const value = this.compute(b);
    this.recent.set(b.code, { until: now + 30_000, value });
    value.catch(() => this.recent.delete(b.code));
    return value;
  }

  private async compute(b: Bundle): Promise<Records> {
    const submitted = await this.store.submitted(this.ctx.db, b.code);
    const apps = await this.apps.store.inBundles(this.ctx.db, submitted.map((s) => s.id));
    const byBundle = new Map<string, ApplicationRow[]>();
    for (const a of apps) byBundle.set(a.bundle_id!, [...(byBundle.get(a.bundle_id!) ?? []), a]);
    const cal = this.apps.calendar;
    const elapsed: number[] = [];
    const sequential: number[] = [];
    const perItem = new Map<string, number[]>();
    for (const s of submitted) {
      const list = byBundle.get(s.id) ?? [];
      const decided = list.filter((a) => a.decided_at !== null && a.submitted_at !== null);
      for (const a of decided) perItem.set(a.item_code, [...(perItem.get(a.item_code) ?? []), cal.workingMsBetween(Number(a.submitted_at), Number(a.decided_at)) / WORK_DAY_MS]);
      if (!list.length || decided.length < list.filter((a) => a.stage !== 'withdrawn').length || !decided.length) continue;
      const last = Math.max(...decided.map((a) => Number(a.decided_at)));
      elapsed.push(cal.workingMsBetween(Number(s.submitted_at), last) / WORK_DAY_MS);
      sequential.push(decided.reduce((sum, a) => sum + cal.workingMsBetween(Number(a.submitted_at), Number(a.decided_at)) / WORK_DAY_MS, 0));
    }
    return {
      submitted: submitted.length,
      concluded: elapsed.length,
      avgDays: avg(elapsed),
      avgSequentialDays: avg(sequential),
      perItem: [...perItem.entries()].map(([code, ds]) => ({ code, decided: ds.length, avgDays: avg(ds) })),
    };
  }
}

/** The longest chain when each item ends no earlier than its own length and no earlier than what it builds on. */
function criticalPath<T extends { code: string; after: string[] }>(items: T[], length: (i: T) => number): number {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const memo = new Map<string, number>();
  const finish = (i: T, seen: Set<string>): number => {
    const hit = memo.get(i.code);
    if (hit !== undefined) return hit;
    if (seen.has(i.code)) return length(i); // a cycle in the data: count the item alone
    seen.add(i.code);
    const deps = i.after.map((c) => byCode.get(c)).filter((x): x is T => x !== undefined);
    const f = Math.max(length(i), ...deps.map((d) => finish(d, seen)));
    memo.set(i.code, f);
    return f;
  };
  return Math.max(0, ...items.map((i) => finish(i, new Set())));
}
