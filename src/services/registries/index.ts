import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { m0002 } from './migrations/0002_reports.ts';
import { m0003 } from './migrations/0003_records.ts';
import { registryRoutes } from './registry.routes.ts';
import { RegistryService } from './registry.service.ts';
import { RegistryStore } from './registry.store.ts';
import { seedDemoRegistries } from './demo.ts';
import './registry.events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** The base registries: population, legal entities, addresses, e-licences; read by the exchange. */
    registries: RegistryService;
  }
}

/** 一网通办: the base registries (基础库) that data sharing draws on. */
export const registriesModule: Module = {
  name: 'registries',
  migrations: [m0001, m0002, m0003],

  init(ctx) {
    ctx.services.registries = new RegistryService(ctx, new RegistryStore());
  },

  routes(app, ctx) {
    registryRoutes(app, ctx.services.registries);
  },

  async seed(ctx, { demo, progress }) {
    // Outside the demo the registries hold what departments load; nothing is invented.
    if (!demo) return;
    await seedDemoRegistries(ctx, ctx.services.registries, ctx.config.demoScale, progress);
  },
};
