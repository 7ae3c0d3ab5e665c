/** The events the catalogue module publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** Items were added or changed (a seed, an import): every process rebuilds its search index. */
    'services.catalogue.changed': { v: 1; items: number };
  }
}

export {};
