import { pinyin } from 'pinyin-pro';

/**
 * Search over the service catalogue as people type: Chinese words and phrases, pinyin in full or
 * by initials (`kaifandian`, `kfd`), English, everyday words through synonyms and keywords, and
 * typos (one wrong character still shares most of the name's character pairs). A few thousand
 * items are held in memory with everything precomputed, so a query is a scan of small strings.
 */

export interface SearchDoc {
  code: string;
  nameZh: string;
  nameEn: string;
  sector: string;
  kind: string;
  online: string;
  lifeEvents: string[];
  enterpriseEvents: string[];
  keywords: string[];
}

export interface SearchFilters {
  sector?: string;
  kind?: string;
  event?: string;
  online?: string;
}

export interface SearchResult {
  total: number;
  hits: Array<{ doc: SearchDoc; score: number }>;
  facets: { sector: Record<string, number>; kind: Record<string, number>; event: Record<string, number>; online: Record<string, number> };
}

interface Field {
  text: string;
  weight: number;
  pairs: Set<string>;
  pinyin: string;
  initials: string;
}

/** What a query is, worked out once before the documents are scored. */
interface Plan {
  /** The Chinese part, without spaces, and its character pairs. */
  zh: string;
  zhPairs: Set<string>;
  terms: Array<{ text: string; weight: number }>;
  /** The Chinese part's pinyin, for sound-alike typos. */
  sound: string;
  /** The letters and digits part (pinyin, initials, English), and its words. */
  ascii: string;
  asciiCompact: string;
  words: string[];
  /** Each word with a space before it, as it appears at a word start in a document's joined words. */
  wordStarts: string[];
}

interface Prepared {
  doc: SearchDoc;
  zh: Field[];
  /** English keywords, whole: a query that is exactly one of them is what the item was tagged for. */
  enKeywords: Set<string>;
  /** English words of the name and the keywords, lower case. */
  en: string[];
  enText: string;
  /**
   * The fields' pinyin and initials joined (with a separator no query holds), the first letters of
   * their pinyin, and the English words joined after a space each: one test on these tells that a
   * document cannot score on letters at all, before any field is looked at.
   */
  pinyinAll: string;
  initialsAll: string;
  pinyinFirsts: Set<string>;
  enJoined: string;
}

const CJK = /[\u3400-\u9fff]/;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Lower case, half-width, no punctuation or spaces between Chinese characters. */
export function normalise(q: string): string {
  return q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[（）()【】\[\]《》<>“”"'‘’、，,。.：:；;！!？?·\-_/\\]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Adjacent character pairs: the unit of fuzzy matching for Chinese. */
function pairs(s: string): Set<string> {
  const chars = [...s.replace(/\s+/g, '')];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

function field(text: string, weight: number): Field {
  const t = normalise(text);
  const syllables = CJK.test(t) ? pinyin(t.replace(/[^\u3400-\u9fff]/g, ''), { toneType: 'none', type: 'array' }) : [];
  return { text: t, weight, pairs: pairs(t), pinyin: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
}

/**
 * True when a and b differ by at most one edit (insertion, deletion, substitution, or a swap of
 * neighbours), in one pass: the typo test runs on thousands of words per query.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    // One substitution, or two neighbours swapped.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export class CatalogueIndex {
  private readonly docs: Prepared[];
  private readonly synonyms: Array<[string, string[]]>;
  /** Which documents hold each Chinese character: a Chinese query scores only the documents sharing one. */
  private readonly byChar = new Map<string, number[]>();

  constructor(docs: SearchDoc[], synonyms: Record<string, string[]> = {}) {
    this.synonyms = Object.entries(synonyms).map(([k, v]) => [normalise(k), v.map(normalise)] as [string, string[]]).sort((a, b) => b[0].length - a[0].length);
    this.docs = docs.map((doc) => {
      const zhKeywords = doc.keywords.filter((k) => CJK.test(k));
      const enKeywords = doc.keywords.filter((k) => !CJK.test(k));
      const enText = normalise([doc.nameEn, ...enKeywords].join(' '));
      const zh = [field(doc.nameZh, 1), ...zhKeywords.map((k) => field(k, 0.8))];
      const en = enText.split(' ').filter(Boolean);
      return {
        doc, zh, enKeywords: new Set(enKeywords.map(normalise)), en, enText,
        pinyinAll: zh.map((f) => f.pinyin).join('|'), initialsAll: zh.map((f) => f.initials).join('|'),
        pinyinFirsts: new Set(zh.filter((f) => f.pinyin).map((f) => f.pinyin[0]!)), enJoined: ` ${en.join(' ')}`,
      };
    });
    this.indexChars();
  }

  private indexChars(): void {
    this.docs.forEach((p, n) => {
      const chars = new Set<string>();
      for (const f of p.zh) for (const ch of f.text) if (CJK.test(ch)) chars.add(ch);
      for (const ch of chars) {
        const list = this.byChar.get(ch);
        if (list) list.push(n);
        else this.byChar.set(ch, [n]);
      }
    });
  }

  /** The documents a Chinese query can match, marked 1: those sharing a character with it or with its expansions. */
  private candidates(q: string, terms: Array<{ text: string }>): Uint8Array {
    const seen = new Uint8Array(this.docs.length);
    for (const text of [q, ...terms.map((t) => t.text)]) for (const ch of text) for (const n of this.byChar.get(ch) ?? []) seen[n] = 1;
    return seen;
  }

  get size(): number {
    return this.docs.length;
  }

  search(query: string, filters: SearchFilters = {}, limit = 20): SearchResult {
    const q = normalise(query);
    const scored: Array<{ doc: SearchDoc; score: number }> = [];
    const plan = this.plan(q);
    // The Chinese part of a query can match only documents sharing a character with it (a sound-alike
    // typo keeps at least one right character): others are not scored on it at all. Pinyin and
    // English need every document, so a query with letters still walks them all, Chinese part aside.
    const zhMatch = plan.zh ? this.candidates(plan.zh, plan.terms) : null;
    for (let n = 0; n < this.docs.length; n++) {
      const p = this.docs[n]!;
      const zhHere = zhMatch !== null && zhMatch[n] === 1;
      if (zhMatch && !zhHere && !plan.ascii) continue;
      if (!this.passes(p.doc, filters)) continue;
      const score = q ? this.score(p, plan, zhHere) : 1;
      if (score > 0) scored.push({ doc: p.doc, score });
    }
    // Ties: the item that can be done fully online first, then the shorter (more general) name.
    scored.sort((a, b) => b.score - a.score || Number(b.doc.online === 'full') - Number(a.doc.online === 'full') || a.doc.nameZh.length - b.doc.nameZh.length || a.doc.code.localeCompare(b.doc.code));
    const facets: SearchResult['facets'] = { sector: {}, kind: {}, event: {}, online: {} };
    for (const { doc } of scored) {
      facets.sector[doc.sector] = (facets.sector[doc.sector] ?? 0) + 1;
      facets.kind[doc.kind] = (facets.kind[doc.kind] ?? 0) + 1;
      facets.online[doc.online] = (facets.online[doc.online] ?? 0) + 1;
      for (const e of [...doc.lifeEvents, ...doc.enterpriseEvents]) facets.event[e] = (facets.event[e] ?? 0) + 1;
    }
    return { total: scored.length, hits: scored.slice(0, limit), facets };
  }

  private passes(d: SearchDoc, f: SearchFilters): boolean {
    if (f.sector && d.sector !== f.sector) return false;
    if (f.kind && d.kind !== f.kind) return false;
    if (f.online && d.online !== f.online) return false;
    if (f.event && !d.lifeEvents.includes(f.event) && !d.enterpriseEvents.includes(f.event)) return false;
    return true;
  }

  private plan(q: string): Plan {
    const zh = q.replace(/[^\u3400-\u9fff]/g, '');
    const ascii = q.replace(/[^a-z0-9 ]/g, '').replace(/\s+/g, ' ').trim();
    return {
      zh,
      zhPairs: pairs(zh),
      terms: zh ? this.expand(zh) : [],
      sound: zh ? pinyin(zh, { toneType: 'none', type: 'array' }).join('') : '',
      ascii: ascii.length >= 2 ? ascii : '',
      asciiCompact: ascii.replace(/\s+/g, ''),
      words: ascii.split(' ').filter((w) => w.length >= 2),
      wordStarts: ascii.split(' ').filter((w) => w.length >= 2).map((w) => ` ${w}`),
    };
  }

  /** The query's parts: Chinese words (segmented), with the synonyms of any phrase it contains. */
  private expand(q: string): Array<{ text: string; weight: number }> {
    const out: Array<{ text: string; weight: number }> = [];
    const compact = q.replace(/\s+/g, '');
    for (const [k, vs] of this.synonyms) if (compact.includes(k)) for (const v of vs) out.push({ text: v, weight: 0.9 });
    if (CJK.test(q)) for (const s of segmenter.segment(compact)) if (s.isWordLike && [...s.segment].length >= 2) out.push({ text: s.segment, weight: 0.5 });
    return out;
  }

  private score(p: Prepared, plan: Plan, zhHere: boolean): number {
    let best = 0;
    const compact = plan.zh;
    if (compact && zhHere) {
      const qPairs = plan.zhPairs;
      for (const f of p.zh) {
        let s = 0;
        if (f.text === compact) s = 100;
        else if (f.text.startsWith(compact)) s = 80;
        else if (f.text.includes(compact)) s = 65;
        else if (compact.includes(f.text) && f.text.length >= 2) s = 55; // a keyword inside a longer question
        else if (qPairs.size >= 2) {
          // One or two wrong characters: most character pairs still match (Dice coefficient).
          let common = 0;
          for (const x of qPairs) if (f.pairs.has(x)) common++;
          const dice = (2 * common) / (qPairs.size + f.pairs.size);
          if (dice >= 0.45) s = 50 * dice;
        }
        best = Math.max(best, s * f.weight);
      }
      for (const t of plan.terms) for (const f of p.zh) if (f.text.includes(t.text)) best = Math.max(best, 60 * t.weight * f.weight);
      const sound = plan.sound;
      if (sound.length >= 4 && best < 58) {
        for (const f of p.zh) {
          if (!f.pinyin) continue;
          const s = f.pinyin === sound ? 58 : f.pinyin.startsWith(sound) ? 48 : f.pinyin.includes(sound) && sound.length >= 6 ? 40 : 0;
          best = Math.max(best, s * f.weight);
        }
      }
    }
    // A query mixing Chinese and letters ("新生儿 hukou") wants both: the parts' scores add up.
    if (plan.ascii) best = compact ? best + this.asciiScore(p, plan) : this.asciiScore(p, plan);
    return best;
  }

  /** Pinyin (full or initials) and English. */
  private asciiScore(p: Prepared, plan: Plan): number {
    let best = 0;
    const q = plan.ascii;
    const compact = plan.asciiCompact;
    // Every pinyin branch below needs compact inside a field's pinyin or initials, or (the typo)
    // a field whose pinyin starts with the same letter: without any of those, skip the fields.
    const pinyinMayMatch = p.pinyinAll.includes(compact) || p.initialsAll.includes(compact) || (compact.length >= 6 && p.pinyinFirsts.has(compact[0]!));
    if (pinyinMayMatch) for (const f of p.zh) {
      if (!f.pinyin) continue;
      let s = 0;
      if (f.pinyin === compact) s = 90;
      else if (f.pinyin.startsWith(compact) && compact.length >= 3) s = 75;
      else if (f.pinyin.includes(compact) && compact.length >= 4) s = 60;
      else if (f.initials === compact) s = 85;
      else if (f.initials.startsWith(compact) && compact.length >= 2) s = 65;
      else if (f.initials.includes(compact) && compact.length >= 3) s = 50;
      else if (compact.length >= 6 && f.pinyin[0] === compact[0] && withinOneEdit(compact, f.pinyin.slice(0, compact.length))) s = 45;
      best = Math.max(best, s * f.weight);
    }
    if (p.enKeywords.has(q)) best = Math.max(best, 90);
    // English: every word of the query starts a word of the name or keywords (a typo allowed in longer words).
    const words = plan.words;
    if (words.length) {
      let matched = 0;
      // A typo is looked for only in words that begin with the same letter: few typos hit the first one.
      // " w" in the joined words is "a word starts with w"; only a longer word goes on to the typo test.
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        if (p.enJoined.includes(plan.wordStarts[i]!) || (w.length >= 5 && p.en.some((e) => e[0] === w[0] && e.length >= w.length - 1 && withinOneEdit(w, e.slice(0, w.length))))) matched++;
      }
      // A name that begins with what was typed is the likelier one ("business licence" before "food business licence").
      const first = p.en[0] ?? '';
      const starts = first.startsWith(words[0]!) || (words[0]!.length >= 5 && withinOneEdit(words[0]!, first.slice(0, words[0]!.length)));
      if (matched === words.length) best = Math.max(best, (p.enText.includes(q) ? 80 : 60) + (starts ? 8 : 0));
      else if (matched > 0 && words.length > 1) best = Math.max(best, (40 * matched) / words.length);
    }
    return best;
  }

  /** Names that start with or contain what was typed, for the search box's suggestions. */
  suggest(query: string, limit = 8): SearchDoc[] {
    return this.search(query, {}, limit).hits.map((h) => h.doc);
  }
}
