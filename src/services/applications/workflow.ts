/**
 * An application's life (办件流程), as data: the stages, what each action does, and who may do it.
 *
 *   draft ──submit──▶ submitted (预审) ──accept──▶ review (审查, step 1…n) ──approve──▶ approved
 *                       │   │                         │  │  └──pass──▶ next review step
 *                       │   └─reject──▶ rejected      │  └─deny──▶ denied
 *                       └─correct──▶ correction ◀─correct─┘
 *                                    └─resubmit──▶ back where it was asked
 *   withdraw: from draft, submitted, correction or review (before a decision) ──▶ withdrawn
 */
export const STAGES = ['draft', 'submitted', 'correction', 'review', 'approved', 'denied', 'rejected', 'withdrawn'] as const;
export type AppStage = (typeof STAGES)[number];

export const ACTIONS = ['submit', 'accept', 'correct', 'resubmit', 'reject', 'pass', 'approve', 'deny', 'withdraw'] as const;
export type AppAction = (typeof ACTIONS)[number];

/** Who takes an action: the applicant, or the department's staff. */
export const ACTOR: Record<AppAction, 'applicant' | 'staff'> = {
  submit: 'applicant',
  resubmit: 'applicant',
  withdraw: 'applicant',
  accept: 'staff',
  correct: 'staff',
  reject: 'staff',
  pass: 'staff',
  approve: 'staff',
  deny: 'staff',
};

const FROM: Record<AppAction, readonly AppStage[]> = {
  submit: ['draft'],
  accept: ['submitted'],
  correct: ['submitted', 'review'],
  resubmit: ['correction'],
  reject: ['submitted'],
  pass: ['review'],
  approve: ['review'],
  deny: ['review'],
  withdraw: ['draft', 'submitted', 'correction', 'review'],
};

export const FINAL: ReadonlySet<AppStage> = new Set(['approved', 'denied', 'rejected', 'withdrawn']);

/** True when `action` may be taken at `stage`. */
export function allowed(stage: AppStage, action: AppAction): boolean {
  return FROM[action].includes(stage);
}

/** The stages an action may be taken from (for the error message). */
export function allowedFrom(action: AppAction): readonly AppStage[] {
  return FROM[action];
}

/** Stages whose clock runs: pre-check (预审) counts against its own short limit, review against the item's. */
export const CLOCKED: ReadonlySet<AppStage> = new Set(['submitted', 'review']);

/** Working days the department has to decide whether to accept a submitted application (预审). */
export const PRECHECK_DAYS = 2;

/** A limit turns yellow when this share of it is used. */
export const YELLOW_AT = 0.8;

export const STAGE_ZH: Record<AppStage, string> = {
  draft: '草稿',
  submitted: '待预审',
  correction: '待补正',
  review: '审查中',
  approved: '已办结（准予）',
  denied: '已办结（不予许可）',
  rejected: '不予受理',
  withdrawn: '已撤回',
};

/** The time-limit colour at read time: paused while the applicant corrects, none once decided. */
export type Colour = 'green' | 'yellow' | 'red' | 'paused' | 'none';

export function colourOf(r: { stage: string; yellow_at: unknown; due_at: unknown }, now: number): Colour {
  if (r.stage === 'correction') return 'paused';
  if (!CLOCKED.has(r.stage as AppStage) || r.due_at === null) return 'none';
  if (now > Number(r.due_at)) return 'red';
  if (r.yellow_at !== null && now > Number(r.yellow_at)) return 'yellow';
  return 'green';
}
