import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaleLimit, type Limit } from '../../platform/calendar/working-calendar.ts';

/**
 * Case categories (GB/T 30428.2 events and components): who is responsible and how long each stage
 * may take. Data in data/cases/categories.json; the dispatch table can override the department per
 * place, but a category's limits are the city's service standard.
 */

/** The stages with a time limit, in order. */
export const STAGES = ['intake', 'filing', 'dispatch', 'disposal', 'verification'] as const;
export type Stage = (typeof STAGES)[number];

/** 一般 normal, 紧急 urgent, 特急 critical: a more severe case gets a fraction of the time. */
export const SEVERITIES = ['normal', 'urgent', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
const SEVERITY_FACTOR: Record<Severity, number> = { normal: 1, urgent: 0.5, critical: 0.25 };

/** Which branch of the sector handles it: the street office, the district bureau or the city. */
export type Level = 'street' | 'district' | 'city';

export interface Category {
  code: string;
  groupCode: string;
  groupZh: string;
  groupEn: string;
  nameZh: string;
  nameEn: string;
  kind: 'event' | 'component';
  /** Department sector (`cgzf`, `sw`, …) whose branch at `level` is responsible. */
  sector: string;
  level: Level;
  team: string | null;
  /** Emergencies: limits in clock hours, round the clock. */
  urgent: boolean;
  limits: Record<Stage, Limit>;
  keywords: string[];
}

interface RawCategory {
  code: string;
  zh: string;
  en: string;
  sector: string;
  level: Level;
  team?: string;
  urgent?: boolean;
  disposal: Limit;
  keywords?: string[];
  componentTypes?: string[];
  rules?: string[];
}

interface RawFile {
  stageDefaults: Record<Exclude<Stage, 'disposal'>, Limit>;
  urgentStages: Record<Exclude<Stage, 'disposal'>, Limit>;
  groups: Array<{ code: string; zh: string; en: string }>;
  categories: RawCategory[];
}

/** The fallback when nothing more specific fits an alert. */
const OTHER_EVENT = 'E0901';

export class CategoryCatalogue {
  private readonly byCode = new Map<string, Category>();
  private readonly componentPrefixes: Array<[string, string]> = [];
  private readonly exactRules = new Map<string, string>();
  private readonly rulePrefixes: Array<[string, string]> = [];
  private readonly ruleSuffixes: Array<[string, string]> = [];

  constructor(raw: RawFile) {
    const groups = new Map(raw.groups.map((g) => [g.code, g]));
    for (const c of raw.categories) {
      const group = groups.get(c.code.slice(0, 3));
      if (!group) throw new Error(`category ${c.code}: no group ${c.code.slice(0, 3)}`);
      const others = c.urgent ? raw.urgentStages : raw.stageDefaults;
      this.byCode.set(c.code, {
        code: c.code,
        groupCode: group.code,
        groupZh: group.zh,
        groupEn: group.en,
        nameZh: c.zh,
        nameEn: c.en,
        kind: c.code.startsWith('P') ? 'component' : 'event',
        sector: c.sector,
        level: c.level,
        team: c.team ?? null,
        urgent: Boolean(c.urgent),
        limits: { ...others, disposal: c.disposal },
        keywords: c.keywords ?? [],
      });
      for (const t of c.componentTypes ?? []) this.componentPrefixes.push([t, c.code]);
      for (const r of c.rules ?? []) {
        if (r.startsWith('_')) this.ruleSuffixes.push([r, c.code]);
        else if (r.endsWith('.') || r.endsWith('_')) this.rulePrefixes.push([r, c.code]);
        else this.exactRules.set(r, c.code);
      }
    }
    // The longest prefix wins: 0101 (a manhole cover) before '' (any component).
    this.componentPrefixes.sort((a, b) => b[0].length - a[0].length);
    this.rulePrefixes.sort((a, b) => b[0].length - a[0].length);
  }

  all(): Category[] {
    return [...this.byCode.values()];
  }

  get(code: string): Category | undefined {
    return this.byCode.get(code);
  }

  /** The category a rule's alert files under: the rule named, else its pack, else a device fault, else "other". */
  forRule(ruleId: string): Category {
    const code =
      this.exactRules.get(ruleId) ??
      this.rulePrefixes.find(([p]) => ruleId.startsWith(p))?.[1] ??
      this.ruleSuffixes.find(([s]) => ruleId.endsWith(s))?.[1] ??
      OTHER_EVENT;
    return this.byCode.get(code)!;
  }

  /** The category a damaged or missing component of this type files under. */
  forComponentType(typeCode: string): Category {
    const hit = this.componentPrefixes.find(([p]) => typeCode.startsWith(p));
    return this.byCode.get(hit?.[1] ?? 'P0901')!;
  }

  /** The limit of one stage for a case of this severity. */
  limit(category: Category, stage: Stage, severity: Severity): Limit {
    return scaleLimit(category.limits[stage], SEVERITY_FACTOR[severity]);
  }
}

let shared: CategoryCatalogue | null = null;

/** The city's catalogue from data/cases/categories.json, loaded once. */
export function categoryCatalogue(): CategoryCatalogue {
  if (!shared) {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/cases/categories.json');
    shared = new CategoryCatalogue(JSON.parse(fs.readFileSync(file, 'utf8')) as RawFile);
  }
  return shared;
}
