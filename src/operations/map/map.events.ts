/** The events the map module publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** The base map's stored layers were replaced (demo seed, data load): every process drops its base-map tiles. */
    'map.basemap.replaced': { v: 1; layers: string[]; count: number };
  }
}

export {};
