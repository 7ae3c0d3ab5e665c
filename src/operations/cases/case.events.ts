/** The events the cases module publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** A case was opened (from any source). */
    'cases.case.reported': { v: 1; caseId: string; source: string; categoryCode: string; jurisdictionCode: string; point: [number, number]; stage: string; at: number };
    /** A case moved through the loop (accepted, filed, dispatched, handled, returned, verified, reopened, rejected, merged). */
    'cases.case.moved': { v: 1; caseId: string; action: string; fromStage: string; toStage: string; jurisdictionCode: string; departmentCode: string | null; at: number };
    /** A case ran past its stage's time limit and went up a level (street → district → city). */
    'cases.case.escalated': { v: 1; caseId: string; stage: string; level: number; jurisdictionCode: string; dueAt: number; at: number };
    /** A case was closed after a passed verification. */
    'cases.case.closed': { v: 1; caseId: string; categoryCode: string; jurisdictionCode: string; departmentCode: string | null; late: number; at: number };
  }
}

export {};
