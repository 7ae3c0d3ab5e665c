import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import { AppError } from '../../platform/errors.ts';
import type { Category, CategoryCatalogue, Severity, Stage } from './categories.ts';

/**
 * The closed loop (GB/T 30428): 受理 intake → 立案 filing → 派遣 dispatch → 处置 disposal → 核查
 * verification → 结案 closed. Disposal may be returned (退回) to dispatch; a failed verification
 * reopens disposal. Intake may reject a report or merge it into an open case. Pure: the service
 * decides who may act, this file only which move is legal and how long the next stage may take.
 */
export type CaseStage = Stage | 'closed' | 'rejected' | 'merged';
export const OPEN_STAGES: readonly Stage[] = ['intake', 'filing', 'dispatch', 'disposal', 'verification'];
export const isOpen = (s: CaseStage): s is Stage => (OPEN_STAGES as readonly string[]).includes(s);

export type CaseAction = 'accept' | 'reject' | 'merge' | 'file' | 'dispatch' | 'handle' | 'return' | 'verify_pass' | 'verify_fail';

const MOVES: Record<CaseAction, { from: readonly CaseStage[]; to: CaseStage }> = {
  accept: { from: ['intake'], to: 'filing' },
  reject: { from: ['intake'], to: 'rejected' },
  merge: { from: ['intake', 'filing'], to: 'merged' },
  file: { from: ['filing'], to: 'dispatch' },
  dispatch: { from: ['dispatch'], to: 'disposal' },
  handle: { from: ['disposal'], to: 'verification' },
  return: { from: ['disposal'], to: 'dispatch' },
  verify_pass: { from: ['verification'], to: 'closed' },
  verify_fail: { from: ['verification'], to: 'disposal' },
};

const STAGE_ZH: Record<CaseStage, string> = { intake: '待受理', filing: '待立案', dispatch: '待派遣', disposal: '处置中', verification: '待核查', closed: '已结案', rejected: '不予受理', merged: '已合并' };

/** Chinese stage names, for messages. */
export const stageZh = (s: CaseStage): string => STAGE_ZH[s];

/** The stage an action leads to, or CASE_TRANSITION_INVALID naming the stage the case is at. */
export function nextStage(from: CaseStage, action: CaseAction): CaseStage {
  const move = MOVES[action];
  if (!move.from.includes(from)) {
    throw new AppError('CASE_TRANSITION_INVALID', `A case at ${from} (${STAGE_ZH[from]}) cannot ${action.replace('_', ' ')}; that needs ${move.from.join(' or ')}`, 'stage');
  }
  return move.to;
}

/** A stage's clock: when it started, when 80 % is used (yellow) and when it runs out (red). */
export interface StageClock {
  startedAt: number;
  yellowAt: number;
  dueAt: number;
}

export type Colour = 'green' | 'yellow' | 'red';

/** Green until 80 % of the limit is used, yellow until it runs out, red after. */
export function colourAt(now: number, clock: { yellowAt: number | null; dueAt: number | null }): Colour | null {
  if (clock.dueAt === null || clock.yellowAt === null) return null;
  return now >= clock.dueAt ? 'red' : now >= clock.yellowAt ? 'yellow' : 'green';
}

export function stageClock(cal: WorkingCalendar, catalogue: CategoryCatalogue, category: Category, severity: Severity, stage: Stage, start: number): StageClock {
  const limit = catalogue.limit(category, stage, severity);
  const dueAt = cal.due(start, limit);
  return { startedAt: start, yellowAt: cal.pointAt(start, dueAt, limit.unit, 0.8), dueAt };
}

/** Escalation: 0 the street's centre, 1 the district's, 2 the city's. */
export const MAX_LEVEL = 2;
export const LEVEL_NAMES = ['street', 'district', 'city'] as const;

/**
 * When an open case next escalates: a new stage at its due time; after an escalation, once more a
 * full limit later if the stage is still overdue; nothing beyond the city.
 */
export function nextEscalation(cal: WorkingCalendar, catalogue: CategoryCatalogue, category: Category, severity: Severity, stage: Stage, level: number, from: number, afterEscalation: boolean): number | null {
  if (level >= MAX_LEVEL) return null;
  return afterEscalation ? cal.due(from, catalogue.limit(category, stage, severity)) : from;
}
