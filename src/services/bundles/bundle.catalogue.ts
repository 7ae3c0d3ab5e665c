import type { AppContext } from '../../platform/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { ItemDetail } from '../catalogue/catalogue.schema.ts';
import { CatalogueIndex } from '../catalogue/search.ts';
import type { ApplicationService, ItemMaterial } from '../applications/application.service.ts';
import type { FormView, ItemForm } from '../applications/forms.ts';
import { applicable, loadBundles, type Answers, type Bundle } from './definitions.ts';

/** What applies for a set of answers: the items, the one merged form, the one merged materials list. */
export interface Plan {
  bundle: Bundle;
  items: ItemDetail[];
  form: ItemForm;
  formView: FormView;
  /** Form values the answers already give. */
  prefill: Record<string, unknown>;
  materials: Array<ItemMaterial & { notToSubmit: boolean; items: string[] }>;
}

/**
 * The bundles (一件事) as reference data: searchable like items ("开饭店" finds the restaurant
 * bundle), with their questionnaires, and the plan a set of answers leads to.
 */
export class BundleCatalogue {
  private bundles: Bundle[] = [];
  private byCode = new Map<string, Bundle>();
  private index: CatalogueIndex | null = null;
  private generation = -1;

  constructor(
    private readonly ctx: AppContext,
    private readonly apps: ApplicationService,
  ) {}

  /** Loads the definitions again when the catalogue's items have been reloaded since (a seed). */
  private fresh(): void {
    if (this.generation !== this.ctx.services.catalogue.generation) this.load();
  }

  /** Loads the definitions, checked against the catalogue's items (none yet: no bundles yet). */
  load(): void {
    this.generation = this.ctx.services.catalogue.generation;
    if (!this.ctx.services.catalogue.all().length) {
      this.bundles = [];
      this.byCode.clear();
      this.index = new CatalogueIndex([]);
      return;
    }
    const exists = (code: string) => {
      try {
        this.ctx.services.catalogue.get(code);
        return true;
      } catch {
        return false;
      }
    };
    this.bundles = loadBundles(exists);
    this.byCode = new Map(this.bundles.map((b) => [b.code, b]));
    this.index = new CatalogueIndex(
      this.bundles.map((b) => ({ code: b.code, nameZh: b.nameZh, nameEn: b.nameEn, sector: this.items(b)[0]?.sector ?? '', kind: 'bundle', online: 'full', lifeEvents: b.lifeEvents, enterpriseEvents: b.enterpriseEvents, keywords: b.keywords })),
    );
  }

  all(): Bundle[] {
    this.fresh();
    return this.bundles;
  }

  get(code: string, field = 'bundleCode'): Bundle {
    this.fresh();
    const b = this.byCode.get(code);
    if (!b) throw field === 'code' ? new AppError('BUNDLE_NOT_FOUND', `No bundle ${code.slice(0, 40)}`) : invalid(field, `${JSON.stringify(code.slice(0, 40))} is not a bundle (see GET /api/services/bundles)`);
    return b;
  }

  items(b: Bundle): ItemDetail[] {
    return b.items.map((i) => this.ctx.services.catalogue.get(i.code));
  }

  search(q: string, limit = 10): Array<{ bundle: Bundle; score: number }> {
    this.fresh();
    if (!this.index) throw new AppError('SERVICE_UNAVAILABLE', 'The bundles are still loading');
    if (!q.trim()) return this.bundles.slice(0, limit).map((bundle) => ({ bundle, score: 0 }));
    return this.index.search(q, {}, limit).hits.map((h) => ({ bundle: this.byCode.get(h.doc.code)!, score: h.score }));
  }

  /** Checks answers against the questions: known questions, the right type, within range. */
  checkAnswers(b: Bundle, answers: Answers, field = 'answers'): Answers {
    const out: Answers = {};
    for (const [id, v] of Object.entries(answers)) {
      const q = b.questions.find((x) => x.id === id);
      if (!q) throw invalid(`${field}.${id.slice(0, 40)}`, `is not a question of ${b.nameZh}`);
      const f = `${field}.${id}`;
      if (q.type === 'boolean' && typeof v !== 'boolean') throw invalid(f, `must be true or false (${q.zh})`);
      if (q.type === 'number') {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(f, `must be a number (${q.zh})`);
        if (q.min !== undefined && v < q.min) throw invalid(f, `must be at least ${q.min}`);
        if (q.max !== undefined && v > q.max) throw invalid(f, `must be at most ${q.max}`);
      }
      if (q.type === 'choice' && !(q.options ?? []).some((o) => o.value === v)) throw invalid(f, `must be one of ${(q.options ?? []).map((o) => o.value).join(', ')}`);
      // An answer that fills a form field must be a value that field takes (seats are whole).
      if (q.field) {
        try {
          this.apps.forms.checkValue(q.field, v);
        } catch (err) {
          throw invalid(f, `${String((err as Error).message).replace(/^form\.\S+ /, '')}`);
        }
      }
      out[id] = v;
    }
    return out;
  }

  /** The items, merged form and merged materials these answers lead to. */
  plan(b: Bundle, answers: Answers, fixedItems?: string[]): Plan {
    const codes = fixedItems ?? applicable(b, answers).map((i) => i.code);
    const items = codes.map((c) => this.ctx.services.catalogue.get(c));
    const form = this.apps.forms.merge(items.map((i) => this.apps.formOf(i)));
    const prefill: Record<string, unknown> = {};
    for (const q of b.questions) if (q.field && answers[q.id] !== undefined && form.fields.includes(q.field)) prefill[q.field] = answers[q.id];
    // The same document for several items is one entry; the strictest requirement wins.
    const merged = new Map<string, ItemMaterial & { notToSubmit: boolean; items: string[] }>();
    for (const item of items) {
      for (const m of this.apps.materialsOf(item)) {
        const seen = merged.get(m.key);
        if (seen) {
          seen.required ||= m.required;
          seen.items.push(item.code);
        } else merged.set(m.key, { ...m, notToSubmit: m.source !== 'applicant', items: [item.code] });
      }
    }
    return { bundle: b, items, form, formView: this.apps.forms.view(form), prefill, materials: [...merged.values()] };
  }
}
