/** The events the registries module publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** A resident or company reported a registry value as wrong; the department keeping it answers. */
    'registries.report.created': { v: 1; reportId: string; departmentCode: string; field: string };
  }
}

export {};
