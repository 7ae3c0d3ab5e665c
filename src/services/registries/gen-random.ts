// Sampling and calendar helpers for the registry generator. Dates are ISO calendar dates handled as
// whole UTC days, so no time zone or clock enters the output: the same seed and reference date give
// the same registries on every machine.

import type { Random } from '../../jurisdictions/geo/random.ts';

export type { Random };
export { randomFor } from '../../jurisdictions/geo/random.ts';

/** A uniform integer in [lo, hi]. */
export function int(rnd: Random, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

/** A uniform element of a non-empty list. */
export function pick<T>(rnd: Random, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** True with probability p. */
export function chance(rnd: Random, p: number): boolean {
  return rnd() < p;
}

/** A sampler drawing items in proportion to their weights (binary search over the cumulative sums). */
export function weighted<T>(items: ReadonlyArray<readonly [T, number]>): (rnd: Random) => T {
  const cum: number[] = [];
  let total = 0;
  for (const [, w] of items) cum.push((total += w));
  return (rnd) => {
    const x = rnd() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]![0];
  };
}

/** `n` digits, each uniform. */
export function digits(rnd: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rnd() * 10));
  return s;
}

// ---- calendar dates ----
// Plain arithmetic on the proleptic Gregorian calendar (H. Hinnant's days-from-civil): the
// generator does a few million date steps, and Date objects with toISOString cost ten times more.

// Digits read by char code: no substrings to allocate on the hot path.
const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const yearOf = (iso: string): number => digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
const monthDayOf = (iso: string): number => digit(iso, 5) * 1000 + digit(iso, 6) * 100 + digit(iso, 8) * 10 + digit(iso, 9);

/** Days since 1970-01-01 of an ISO date. */
export function dayOf(iso: string): number {
  let y = yearOf(iso);
  const m = digit(iso, 5) * 10 + digit(iso, 6);
  const d = digit(iso, 8) * 10 + digit(iso, 9);
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The ISO date `day` days after 1970-01-01. */
export function isoOf(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** The date `days` later (earlier when negative). */
export function addDays(iso: string, days: number): string {
  return isoOf(dayOf(iso) + days);
}

/** The same calendar date `years` later; 29 February rolls to 1 March, as a date printed on a card would. */
export function addYears(iso: string, years: number): string {
  const y = yearOf(iso) + years;
  if (monthDayOf(iso) === 229 && !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return `${y}-03-01`;
  return `${y}${iso.slice(4)}`;
}

/** Completed years of age on a date. */
export function ageOn(birth: string, on: string): number {
  const years = yearOf(on) - yearOf(birth);
  return monthDayOf(on) < monthDayOf(birth) ? years - 1 : years;
}

/** A uniform date in [from, to]. */
export function dateBetween(rnd: Random, from: string, to: string): string {
  const a = dayOf(from);
  const b = dayOf(to);
  return isoOf(b <= a ? a : int(rnd, a, b));
}

/** The later of two ISO dates. */
export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** The earlier of two ISO dates. */
export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
