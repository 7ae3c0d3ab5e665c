import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../platform/context.ts';
import { fromJson } from '../../platform/db/dialect.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { KINDS, ONLINE, type ItemDetail, type ItemRow, type ItemSummary, type Material, type SearchQuery, type SeedItem } from './catalogue.schema.ts';
import type { CatalogueStore } from './catalogue.store.ts';
import { CatalogueIndex, type SearchDoc } from './search.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/services');

export interface EventLabel {
  code: string;
  zh: string;
  en: string;
}

interface SeedFile {
  extraSectors?: Array<{ code: string; name: string; nameEn: string }>;
  lifeEvents: EventLabel[];
  enterpriseEvents: EventLabel[];
  items: SeedItem[];
}

let seedFile: SeedFile | null = null;
let synonymsFile: Record<string, string[]> | null = null;

/** The seed and the synonyms are files of the release: read once, not on every reload. */
function readSeed(): SeedFile {
  seedFile ??= JSON.parse(fs.readFileSync(path.join(DATA, 'catalogue.json'), 'utf8')) as SeedFile;
  return seedFile;
}

function readSynonyms(): Record<string, string[]> {
  synonymsFile ??= (JSON.parse(fs.readFileSync(path.join(DATA, 'synonyms.json'), 'utf8')) as { synonyms: Record<string, string[]> }).synonyms;
  return synonymsFile;
}

/**
 * The catalogue of service items (政务服务事项): reference data anyone may read, held in memory as a
 * search index and rebuilt when the items change. Items are seeded from data/services/catalogue.json.
 */
export class CatalogueService {
  private index: CatalogueIndex | null = null;
  /** Goes up with every load, so what is built on the items (bundles) knows to rebuild. */
  generation = 0;
  private rows = new Map<string, ItemRow>();
  private readonly sectors = new Map<string, { zh: string; en: string }>();
  private events: { life: EventLabel[]; enterprise: EventLabel[] } = { life: [], enterprise: [] };

  constructor(
    private readonly ctx: AppContext,
    private readonly store: CatalogueStore,
  ) {}

  /** Loads the items into the search index (at start, and after a seed). */
  async load(): Promise<number> {
    const rows = await this.store.all(this.ctx.db);
    this.rows = new Map(rows.map((r) => [r.code, r]));
    const seed = readSeed();
    this.events = { life: seed.lifeEvents, enterprise: seed.enterpriseEvents };
    // Names come from the department catalogue; the seed's own list covers a sector it lacks.
    const extra = new Map((seed.extraSectors ?? []).map((s) => [s.code, { zh: s.name, en: s.nameEn }]));
    const materialSources = rows.flatMap((r) => fromJson<Material[]>(r.materials).map((m) => m.source)).filter((s) => s !== 'applicant');
    for (const sector of new Set([...rows.map((r) => r.sector), ...materialSources])) {
      const d = await this.ctx.services.departments.find(sector);
      this.sectors.set(sector, d ? { zh: d.name, en: d.nameEn } : (extra.get(sector) ?? { zh: sector, en: sector }));
    }
    // Cleared after the department names are in, so no detail is cached with old names meanwhile.
    this.details.clear();
    this.index = new CatalogueIndex(rows.map(toDoc), readSynonyms());
    this.generation++;
    return rows.length;
  }

  /** Loads (or refreshes) the seed items. Idempotent. */
  async seed(extra: SeedItem[] = []): Promise<number> {
    const items = [...readSeed().items, ...extra];
    const now = this.ctx.clock.now();
    await this.ctx.transaction(async (tx) => {
      await this.store.upsert(tx, items.map((i) => toRow(i, now)));
      // A seed run from the CLI beside a running server: the server rebuilds its index too.
      await this.ctx.outbox.add(tx, 'services.catalogue.changed', { v: 1, items: items.length });
    });
    await this.load();
    return items.length;
  }

  private ready(): CatalogueIndex {
    if (!this.index) throw new AppError('SERVICE_UNAVAILABLE', 'The catalogue is still loading');
    return this.index;
  }

  search(q: SearchQuery): { total: number; items: ItemSummary[]; facets: ReturnType<CatalogueIndex['search']>['facets']; tookMs: number } {
    const t0 = performance.now();
    if (q.sector !== undefined && !this.sectors.has(q.sector)) throw invalid('sector', `${q.sector} has no items in the catalogue`);
    const r = this.ready().search(q.q ?? '', { sector: q.sector, kind: q.kind, event: q.event, online: q.online }, q.limit ?? 20);
    const items = r.hits.map((h) => ({ ...this.summary(this.rows.get(h.doc.code)!), score: Math.round(h.score * 10) / 10 }));
    return { total: r.total, items, facets: r.facets, tookMs: Math.round((performance.now() - t0) * 1000) / 1000 };
  }

  suggest(q: string): Array<{ code: string; nameZh: string; nameEn: string }> {
    if (!q.trim()) return [];
    return this.ready().suggest(q, 8).map((d) => ({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn }));
  }

  get(code: string): ItemDetail {
    const hit = this.details.get(code);
    if (hit) return hit;
    const detail = this.detail(code);
    this.details.set(code, detail);
    return detail;
  }

  /** Items are read on every application request: each is built once per load. */
  private readonly details = new Map<string, ItemDetail>();

  private detail(code: string): ItemDetail {
    const r = this.rows.get(code);
    if (!r) throw new AppError('NOT_FOUND', `No service item ${code.slice(0, 40)}`);
    const materials = fromJson<Material[]>(r.materials).map((m) => ({ ...m, sourceName: m.source === 'applicant' ? null : (this.sectors.get(m.source)?.zh ?? m.source), sourceNameEn: m.source === 'applicant' ? null : (this.sectors.get(m.source)?.en ?? m.source) }));
    return {
      ...this.summary(r),
      applicants: fromJson(r.applicants),
      legalBasis: fromJson(r.legal_basis),
      conditionsZh: r.conditions_zh,
      conditionsEn: r.conditions_en,
      materials,
      feeZh: r.fee_zh,
      feeEn: r.fee_en,
      inspections: r.inspections,
      lifeEvents: fromJson(r.life_events),
      enterpriseEvents: fromJson(r.enterprise_events),
      keywords: fromJson(r.keywords),
    };
  }

  /** Every item, as a list shows it (for the service network's figures). */
  all(): ItemSummary[] {
    return [...this.rows.values()].map((r) => this.summary(r));
  }

  eventLabels(): { life: EventLabel[]; enterprise: EventLabel[] } {
    return this.events;
  }

  sectorNames(): Record<string, { zh: string; en: string }> {
    return Object.fromEntries(this.sectors);
  }

  private summary(r: ItemRow): ItemSummary {
    const s = this.sectors.get(r.sector);
    return { code: r.code, nameZh: r.name_zh, nameEn: r.name_en, sector: r.sector, departmentName: s?.zh ?? r.sector, departmentNameEn: s?.en ?? r.sector, kind: r.kind, online: r.online, promisedDays: r.promised_days, legalDays: r.legal_days, trips: r.trips };
  }
}

function toDoc(r: ItemRow): SearchDoc {
  return { code: r.code, nameZh: r.name_zh, nameEn: r.name_en, sector: r.sector, kind: r.kind, online: r.online, lifeEvents: fromJson(r.life_events), enterpriseEvents: fromJson(r.enterprise_events), keywords: fromJson(r.keywords) };
}

/** A seed item as a row; a seed that breaks the catalogue's own rules stops the seed with the item named. */
export function toRow(i: SeedItem, now: number): ItemRow {
  const bad = (why: string) => new Error(`data/services/catalogue.json: item ${i.code} ${why}`);
  if (!(KINDS as readonly string[]).includes(i.kind)) throw bad(`has kind ${i.kind}`);
  if (!(ONLINE as readonly string[]).includes(i.online)) throw bad(`has online ${i.online}`);
  if (!(i.promisedDays <= i.legalDays)) throw bad(`promises ${i.promisedDays} days, more than its legal ${i.legalDays}`);
  return {
    code: i.code,
    name_zh: i.nameZh,
    name_en: i.nameEn,
    sector: i.sector,
    kind: i.kind,
    applicants: i.applicants,
    legal_basis: i.legalBasis,
    conditions_zh: i.conditionsZh,
    conditions_en: i.conditionsEn,
    materials: i.materials,
    legal_days: i.legalDays,
    promised_days: i.promisedDays,
    fee_zh: i.fee,
    fee_en: i.feeEn,
    online: i.online,
    trips: i.trips,
    inspections: i.inspections,
    life_events: i.lifeEvents,
    enterprise_events: i.enterpriseEvents,
    keywords: i.keywords,
    updated_at: now,
  };
}
