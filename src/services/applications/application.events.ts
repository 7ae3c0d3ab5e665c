/** The events the applications module publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** An application moved: submitted, accepted, sent for correction, resubmitted, passed a step, decided, withdrawn. */
    'services.application.moved': { v: 1; applicationId: string; bundleId: string | null; itemCode: string; action: string; fromStage: string; toStage: string; departmentCode: string | null; applicantId: string; at: number };
    /** An application ran past its time limit (pre-check or promised) and its department's superiors were told. */
    'services.application.escalated': { v: 1; applicationId: string; stage: string; departmentCode: string | null; dueAt: number; at: number };
  }
}

export {};
