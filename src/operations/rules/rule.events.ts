/** The events the rules module publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** A rule fired for a device: an alert is now active (cases pick these up). */
    'operations.alert.raised': {
      v: 1;
      alertId: string;
      ruleId: string;
      severity: string;
      subjectType: 'device';
      subjectId: string;
      deviceType: string;
      jurisdictionCode: string;
      point: [number, number];
      message: string;
      raisedAt: number;
    };
    /** The condition stopped holding (for the rule's clear time): the alert is cleared. */
    'operations.alert.cleared': { v: 1; alertId: string; ruleId: string; subjectId: string; jurisdictionCode: string; clearedAt: number };
    /** An operator acknowledged an alert. */
    'operations.alert.acknowledged': { v: 1; alertId: string; by: string; at: number };
    /** A rule was added, changed or deleted: every process reloads its rules. */
    'rules.rule.changed': { v: 1; id: string };
  }
}

export {};
