import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Option } from '../applications/forms.ts';

/**
 * Bundles (一件事一次办) as data: data/services/bundles.json. A bundle is a life or business event
 * made of items of several departments; a few plain questions (情形引导) decide which items apply.
 */

/** A condition on the answers: a comparison, or all/any/not of conditions. */
export type Condition =
  | { q: string; eq?: unknown; ne?: unknown; gt?: number; gte?: number; lt?: number; lte?: number }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface Question {
  id: string;
  zh: string;
  en: string;
  type: 'boolean' | 'number' | 'choice';
  options?: Option[];
  unit?: string;
  unitEn?: string;
  min?: number;
  max?: number;
  /** The form field the answer fills in (asked once: in the questionnaire). */
  field?: string;
  helpZh?: string;
  helpEn?: string;
}

export interface BundleItem {
  code: string;
  when?: Condition;
  /** Items whose result this one builds on: it is decided only after they are approved. */
  after?: string[];
}

export interface Figures {
  trips: number;
  materials: number;
  inspections: number;
  days: number;
}

export interface Bundle {
  code: string;
  nameZh: string;
  nameEn: string;
  summaryZh: string;
  summaryEn: string;
  lifeEvents: string[];
  enterpriseEvents: string[];
  keywords: string[];
  applicants: string[];
  questions: Question[];
  items: BundleItem[];
  /** One joint on-site inspection (联合踏勘) for all the items that inspect the premises. */
  jointInspection?: boolean;
  /** Figures the city published for this event, before and after the redesign. */
  published?: { zh: string; en: string; before: Figures; after: Figures };
}

export type Answers = Record<string, string | number | boolean>;

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/services/bundles.json');
let cached: Bundle[] | null = null;

/** The bundles of the release, read once and checked against themselves and the item codes given. */
export function loadBundles(itemExists: (code: string) => boolean): Bundle[] {
  cached ??= (JSON.parse(fs.readFileSync(FILE, 'utf8')) as { bundles: Bundle[] }).bundles;
  for (const b of cached) {
    const bad = (why: string) => new Error(`data/services/bundles.json: bundle ${b.code} ${why}`);
    const questions = new Set(b.questions.map((q) => q.id));
    const codes = new Set(b.items.map((i) => i.code));
    for (const i of b.items) {
      if (!itemExists(i.code)) throw bad(`has unknown item ${i.code}`);
      if (i.when) for (const q of conditionQuestions(i.when)) if (!questions.has(q)) throw bad(`item ${i.code} depends on unknown question ${q}`);
      for (const a of i.after ?? []) if (!codes.has(a)) throw bad(`item ${i.code} comes after ${a}, which is not in the bundle`);
    }
  }
  return cached;
}

function conditionQuestions(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(conditionQuestions);
  if ('any' in c) return c.any.flatMap(conditionQuestions);
  if ('not' in c) return conditionQuestions(c.not);
  return [c.q];
}

/** True when the answers meet the condition; an unanswered question meets nothing. */
export function holds(c: Condition | undefined, a: Answers): boolean {
  if (!c) return true;
  if ('all' in c) return c.all.every((x) => holds(x, a));
  if ('any' in c) return c.any.some((x) => holds(x, a));
  if ('not' in c) return !holds(c.not, a);
  const v = a[c.q];
  if (v === undefined || v === null) return false;
  if ('eq' in c && c.eq !== undefined) return v === c.eq;
  if ('ne' in c && c.ne !== undefined) return v !== c.ne;
  const n = Number(v);
  if (c.gt !== undefined) return n > c.gt;
  if (c.gte !== undefined) return n >= c.gte;
  if (c.lt !== undefined) return n < c.lt;
  if (c.lte !== undefined) return n <= c.lte;
  return false;
}

/** The items that apply for these answers, in the bundle's order. */
export function applicable(b: Bundle, a: Answers): BundleItem[] {
  return b.items.filter((i) => holds(i.when, a));
}
