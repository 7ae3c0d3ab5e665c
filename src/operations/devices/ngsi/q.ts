// The NGSI-LD query language, the part that matters for sensors: `q=waterLevel>4.5;online==true|
// pm25>=75` — comparisons (== != > >= < <=) of an attribute with a number, true/false or a quoted
// string, joined by `;` (and) and `|` (or, binding looser). Parsed once, then tested per entity.
import { invalid } from '../../../platform/errors.ts';

type Op = '==' | '!=' | '>' | '>=' | '<' | '<=';
interface Term {
  attr: string;
  op: Op;
  value: number | string | boolean;
}
/** OR of ANDs. */
export type Query = Term[][];

const TERM = /^([A-Za-z_][A-Za-z0-9_]*)(==|!=|>=|<=|>|<)(.+)$/;

export function parseQ(q: string): Query {
  if (/[()]/.test(q)) throw invalid('q', 'parentheses are not supported; write the condition as ors of ands (a;b|c)');
  return q.split('|').map((group) =>
    group.split(';').map((raw) => {
      const m = TERM.exec(raw.trim());
      if (!m) throw invalid('q', `${JSON.stringify(raw)} is not a comparison such as waterLevel>4.5`);
      return { attr: m[1]!, op: m[2] as Op, value: literal(m[3]!.trim()) };
    }),
  );
}

function literal(text: string): number | string | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^".*"$/.test(text)) return text.slice(1, -1);
  const n = Number(text);
  if (text !== '' && Number.isFinite(n)) return n;
  throw invalid('q', `${text} is not a number, true/false or a "quoted string"`);
}

/** Whether an entity's attribute values satisfy the query (a missing attribute fails its term). */
export function matches(q: Query, value: (attr: string) => unknown): boolean {
  return q.some((group) => group.every((t) => test(value(t.attr), t)));
}

function test(v: unknown, t: Term): boolean {
  if (v === undefined || v === null) return false;
  switch (t.op) {
    case '==':
      return v === t.value;
    case '!=':
      return v !== t.value;
  }
  if (typeof v !== typeof t.value) return false;
  const a = v as number | string;
  const b = t.value as number | string;
  return t.op === '>' ? a > b : t.op === '>=' ? a >= b : t.op === '<' ? a < b : a <= b;
}
