import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { catalogueRoutes } from './catalogue.routes.ts';
import { CatalogueService } from './catalogue.service.ts';
import { CatalogueStore } from './catalogue.store.ts';
import './catalogue.events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** The service catalogue (政务服务事项) and its search. */
    catalogue: CatalogueService;
  }
}

/** 一网通办: the catalogue of service items and its search. */
export const catalogueModule: Module = {
  name: 'catalogue',
  migrations: [m0001],

  init(ctx) {
    ctx.services.catalogue = new CatalogueService(ctx, new CatalogueStore());
  },

  routes(app, ctx) {
    catalogueRoutes(app, ctx.services.catalogue);
  },

  async subscribe(ctx) {
    // Items changed in some process: every process reloads its index.
    await ctx.bus.listen('services.catalogue.changed', async () => {
      await ctx.services.catalogue.load();
    });
  },

  async seed(ctx, { progress }) {
    const n = await ctx.services.catalogue.seed();
    progress('service items', n, n);
  },

  async start(ctx) {
    await ctx.services.catalogue.load();
  },
};
