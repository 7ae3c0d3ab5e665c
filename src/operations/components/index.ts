import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { m0002 } from './migrations/0002_box_page.ts';
import { m0003 } from './migrations/0003_box_page_filters.ts';
import { componentRoutes } from './component.routes.ts';
import { ogcRoutes } from './ogc/ogc.routes.ts';
import { ComponentService } from './component.service.ts';
import { ComponentStore } from './component.store.ts';
import { TypeService } from './type.service.ts';
import { TypeRegistry } from './types.ts';
import { BulkWriter } from './component.bulk.ts';
import { ImportService } from './import/import.service.ts';
import { importRoutes } from './import/import.routes.ts';
import { seedDemoComponents } from './demo/seed-demo.ts';
import './component.events.ts';

export type { ComponentService } from './component.service.ts';
export type { ComponentView, ComponentStatus } from './component.schema.ts';
export type { ImportService } from './import/import.service.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** City components (城市部件): registry, queries, counts. */
    components: ComponentService;
    /** Component types (GB/T 30428.2 classes and sub-classes, extensible). */
    componentTypes: TypeService;
    /** Imports of components from CSV, GeoJSON and NDJSON files (resumable jobs). */
    componentImports: ImportService;
  }
}

/** The component registry: types, components, queries, imports, OGC API – Features and map tiles. */
export const componentsModule: Module = {
  name: 'components',
  migrations: [m0001, m0002, m0003],

  init(ctx) {
    const store = new ComponentStore(ctx.dialect, ctx.database.sqlite);
    const registry = new TypeRegistry(store);
    ctx.services.components = new ComponentService(ctx, store, registry);
    ctx.services.componentTypes = new TypeService(ctx, store, registry);
    ctx.services.componentImports = new ImportService(ctx, ctx.services.components, new BulkWriter(ctx.database, store));
  },

  routes(app, ctx) {
    componentRoutes(app, ctx.services.components, ctx.services.componentTypes);
    importRoutes(app, ctx, ctx.services.componentImports);
  },

  rootRoutes(app, ctx) {
    ogcRoutes(app, ctx);
  },

  async subscribe(ctx) {
    await ctx.services.components.types.ready(ctx.db);
    // A type changed (perhaps in another process): every process reloads its list.
    await ctx.bus.listen('components.type.changed', async () => {
      await ctx.services.components.types.load(ctx.db);
    });
  },

  async start(ctx) {
    // An initial load cut short by a crash left its rows without index entries.
    await ctx.services.componentImports.recoverInitialLoads();
  },

  async seed(ctx, { progress, demo }) {
    const added = await ctx.services.componentTypes.seed();
    progress('component types', added, added);
    if (demo && ctx.config.demoScale > 0) await seedDemoComponents(ctx, new ComponentStore(ctx.dialect, ctx.database.sqlite), ctx.config.demoScale, progress);
  },
};
