/** The events the certificates module publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** A certificate was issued to a resident or company (before the wallet signed it). */
    'certificates.certificate.issued': { v: 1; certificateId: string; type: string; accountId: string };
  }
}

export {};
