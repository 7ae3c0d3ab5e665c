import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { styleRoutes, tileRoutes } from './map.routes.ts';
import { MapService, type MapOptions } from './map.service.ts';
import { MapStore } from './map.store.ts';
import { seedDemoBasemap } from './demo-basemap.ts';
import './map.events.ts';

export type { MapService, MapOptions, TileOptions } from './map.service.ts';
export type { BasemapFeatureInput, FeatureLayer } from './map.schema.ts';
export { STATUS_COLOURS } from './style.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** Vector tiles of the command map (base map and components) and its MapLibre style. */
    map: MapService;
  }
}

/** The command map's tiles, built on the fly from the store and cached (options: cache size, counts TTL). */
export function createMapModule(opts: MapOptions = {}): Module {
  return {
    name: 'map',
    migrations: [m0001],

    init(ctx) {
      ctx.services.map = new MapService(ctx, new MapStore(ctx.dialect), opts);
    },

    routes(app, ctx) {
      styleRoutes(app, ctx.services.map);
    },

    rootRoutes(app, ctx) {
      tileRoutes(app, ctx.services.map);
    },

    async seed(ctx, { progress, demo }) {
      if (demo) await seedDemoBasemap(ctx.services.map, progress);
    },

    async subscribe(ctx) {
      // Every process keeps its own tile cache, so every process hears every change.
      const map = ctx.services.map;
      await ctx.bus.listen('components.component.changed', (e) => map.componentChanged(e.payload));
      // An import's batches as they commit (a long import, or one interrupted, must not leave old tiles behind); its end resets the counts it deferred.
      await ctx.bus.listen('components.import.progressed', (e) => map.componentsChangedIn(e.payload.bbox));
      await ctx.bus.listen('components.import.finished', () => map.componentsReset());
      await ctx.bus.listen('map.basemap.replaced', () => map.basemapReplaced());
    },
  };
}

/** The command map module with default options. */
export const mapModule: Module = createMapModule();
