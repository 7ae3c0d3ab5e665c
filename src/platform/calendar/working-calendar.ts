import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The working calendar time limits are counted on (cases, applications): Monday to Friday, minus the
 * public holidays, plus the weekends the State Council moves work to (调休), in Shanghai time. Years
 * without a published notice fall back to Monday–Friday, which is what a clerk would assume too.
 */

/** How a time limit is counted: clock hours (emergencies run round the clock), working hours, or working days. */
export type LimitUnit = 'hours' | 'work_hours' | 'work_days';

export interface Limit {
  amount: number;
  unit: LimitUnit;
}

export interface HolidayYear {
  /** [first day, last day, name zh, name en], both days off. */
  off: Array<[string, string, string, string]>;
  /** Weekend days that are working days. */
  work: string[];
}

export interface HolidayData {
  years: Record<string, HolidayYear>;
}

/** Shanghai has no daylight saving: local time is UTC+8 all year. */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3600_000;
/** Office hours in minutes after local midnight: 09:00–12:00 and 13:00–17:00 (seven working hours a day). */
export const OFFICE_HOURS: ReadonlyArray<readonly [number, number]> = [
  [9 * 60, 12 * 60],
  [13 * 60, 17 * 60],
];
export const WORK_HOURS_PER_DAY = OFFICE_HOURS.reduce((s, [a, b]) => s + (b - a), 0) / 60;
/** Limits are never searched further than this: ten years of days. */
const MAX_DAYS = 3660;

/** The local day number (days since 1970-01-01 in Shanghai) of an instant. */
const localDay = (t: number) => Math.floor((t + OFFSET_MS) / DAY_MS);
/** The instant a local day starts. */
const dayStart = (day: number) => day * DAY_MS - OFFSET_MS;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/** The Shanghai date of an instant, `YYYY-MM-DD`. */
export const shanghaiDate = (t: number): string => isoDay(localDay(t));

/** An instant as ISO 8601 in Shanghai time with its offset, to the second (`2026-11-29T09:30:00+08:00`). */
export const shanghaiIso = (t: number): string => new Date(t + OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, '+08:00');

export class WorkingCalendar {
  private readonly off = new Map<number, string>();
  private readonly work = new Set<number>();
  private readonly years = new Set<number>();

  constructor(data: HolidayData) {
    for (const [year, y] of Object.entries(data.years)) {
      this.years.add(Number(year));
      for (const [from, to, zh] of y.off) for (let d = dayOf(from); d <= dayOf(to); d++) this.off.set(d, zh);
      for (const w of y.work) this.work.add(dayOf(w));
    }
  }

  /** True for a working day, given as `YYYY-MM-DD` or a local day number. */
  isWorkingDay(day: string | number): boolean {
    const d = typeof day === 'string' ? dayOf(day) : day;
    if (this.work.has(d)) return true;
    if (this.off.has(d)) return false;
    const weekday = (d + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday !== 0 && weekday !== 6;
  }

  /** The holiday's name when the day is a public holiday, else null. */
  holiday(day: string): string | null {
    return this.off.get(dayOf(day)) ?? null;
  }

  /** Whether the calendar knows this year's holidays (otherwise it counts Monday–Friday). */
  knowsYear(year: number): boolean {
    return this.years.has(year);
  }

  /** The instant `ms` of office time after `start` (office hours on working days only). */
  addWorkingMs(start: number, ms: number): number {
    let left = Math.max(0, ms);
    let day = localDay(start);
    for (let i = 0; i < MAX_DAYS; i++, day++) {
      if (!this.isWorkingDay(day)) continue;
      const base = dayStart(day);
      for (const [a, b] of OFFICE_HOURS) {
        const from = Math.max(start, base + a * 60_000);
        const to = base + b * 60_000;
        if (from >= to) continue;
        if (left <= to - from) return from + left;
        left -= to - from;
      }
    }
    throw new RangeError('time limit beyond the calendar');
  }

  /** The instant `ms` of office time before `end` (the mirror of addWorkingMs: an overdue clock resumed). */
  subtractWorkingMs(end: number, ms: number): number {
    let left = Math.max(0, ms);
    let day = localDay(end);
    for (let i = 0; i < MAX_DAYS; i++, day--) {
      if (!this.isWorkingDay(day)) continue;
      const base = dayStart(day);
      for (const [a, b] of [...OFFICE_HOURS].reverse()) {
        const to = Math.min(end, base + b * 60_000);
        const from = base + a * 60_000;
        if (to <= from) continue;
        if (left <= to - from) return to - left;
        left -= to - from;
      }
    }
    throw new RangeError('time limit beyond the calendar');
  }

  /** Office time from `start` to `end`, negative when `end` is before `start` (time left, or how far overdue). */
  signedWorkingMs(start: number, end: number): number {
    return end >= start ? this.workingMsBetween(start, end) : -this.workingMsBetween(end, start);
  }

  /** The instant `ms` of office time after `start`, or before it when `ms` is negative. */
  shiftWorkingMs(start: number, ms: number): number {
    return ms >= 0 ? this.addWorkingMs(start, ms) : this.subtractWorkingMs(start, -ms);
  }

  /** Office time between two instants (0 when `end` is not after `start`). */
  workingMsBetween(start: number, end: number): number {
    let total = 0;
    for (let day = localDay(start); dayStart(day) < end && day - localDay(start) < MAX_DAYS; day++) {
      if (!this.isWorkingDay(day)) continue;
      const base = dayStart(day);
      for (const [a, b] of OFFICE_HOURS) {
        const from = Math.max(start, base + a * 60_000);
        const to = Math.min(end, base + b * 60_000);
        if (to > from) total += to - from;
      }
    }
    return total;
  }

  /**
   * When a limit started at `start` runs out. Working days count from the next working day, as
   * Chinese administrative time limits do, and end at the close of office on the last one.
   */
  due(start: number, limit: Limit): number {
    if (limit.unit === 'hours') return start + limit.amount * HOUR_MS;
    if (limit.unit === 'work_hours') return this.addWorkingMs(start, limit.amount * HOUR_MS);
    let day = localDay(start);
    let left = Math.max(1, Math.round(limit.amount));
    for (let i = 0; i < MAX_DAYS; i++) {
      day++;
      if (this.isWorkingDay(day) && --left === 0) return dayStart(day) + OFFICE_HOURS[OFFICE_HOURS.length - 1]![1] * 60_000;
    }
    throw new RangeError('time limit beyond the calendar');
  }

  /** The instant at which `fraction` of the limit from `start` to `due` is used, counted the limit's way. */
  pointAt(start: number, due: number, unit: LimitUnit, fraction: number): number {
    if (unit === 'hours') return start + Math.round((due - start) * fraction);
    return this.addWorkingMs(start, Math.round(this.workingMsBetween(start, due) * fraction));
  }

  /** Days in `YYYY-MM-DD` between two dates (inclusive) that are not working days, with the holiday name where there is one. */
  daysOff(from: string, to: string): Array<{ date: string; holiday: string | null }> {
    const out: Array<{ date: string; holiday: string | null }> = [];
    for (let d = dayOf(from); d <= dayOf(to) && out.length < 400; d++) if (!this.isWorkingDay(d)) out.push({ date: isoDay(d), holiday: this.off.get(d) ?? null });
    return out;
  }
}

/** Scales a limit (a severe case gets less time); working days become working hours so a half day is possible. */
export function scaleLimit(limit: Limit, factor: number): Limit {
  if (factor === 1) return limit;
  if (limit.unit === 'work_days') return { amount: limit.amount * WORK_HOURS_PER_DAY * factor, unit: 'work_hours' };
  return { amount: limit.amount * factor, unit: limit.unit };
}

let shared: WorkingCalendar | null = null;

/** Mainland China's calendar from data/calendar/cn-holidays.json, loaded once. */
export function chinaCalendar(): WorkingCalendar {
  if (!shared) {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/calendar/cn-holidays.json');
    shared = new WorkingCalendar(JSON.parse(fs.readFileSync(file, 'utf8')) as HolidayData);
  }
  return shared;
}
