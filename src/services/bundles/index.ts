import { AppError } from '../../platform/errors.ts';
import { FINAL, type AppStage } from '../applications/workflow.ts';
import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { BundleCatalogue } from './bundle.catalogue.ts';
import { bundleRoutes } from './bundle.routes.ts';
import { BundleService } from './bundle.service.ts';
import { BundleStore } from './bundle.store.ts';
import { RedesignReport } from './redesign.ts';
import { seedDemoBundles } from './demo.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** "One thing, one go" bundles (一件事一次办): definitions, and applications that fan out per item. */
    bundles: BundleService;
  }
}

/** 一件事一次办: bundles of items from several departments, one form, processed in parallel. */
export const bundlesModule: Module = {
  name: 'bundles',
  migrations: [m0001],

  init(ctx) {
    const apps = ctx.services.applications;
    const bundles = new BundleService(ctx, new BundleStore(), new BundleCatalogue(ctx, apps), apps, ctx.services.applicationActions);
    ctx.services.bundles = bundles;
    apps.approvalChecks.push((row) => bundles.gate(row));
  },

  routes(app, ctx) {
    const bundles = ctx.services.bundles;
    bundleRoutes(app, { ctx, catalogue: bundles.catalogue, bundles, apps: ctx.services.applications, queries: ctx.services.applicationQueries, redesign: new RedesignReport(ctx, bundles.catalogue, bundles.store, ctx.services.applications) });
  },

  async subscribe(ctx) {
    // The last item of a bundle decided: the applicant hears once, with the combined result.
    await ctx.bus.subscribe('services.application.moved', 'bundles.conclude', async (e) => {
      if (!e.payload.bundleId || !FINAL.has(e.payload.toStage as AppStage)) return;
      try {
        await ctx.transaction((tx) => ctx.services.bundles.concludeIfDone(tx, e.payload.bundleId!));
      } catch (err) {
        if (!(err instanceof AppError)) throw err; // the database or the bus: delivered again
        ctx.log.error({ err, bundleId: e.payload.bundleId }, 'bundles: could not conclude a bundle');
      }
    });
  },

  async seed(ctx, { demo, progress }) {
    if (!demo) return;
    const n = await seedDemoBundles(ctx, ctx.services.bundles, ctx.services.applications);
    progress('demo restaurant bundles', n, n);
  },

  start(ctx) {
    // After the catalogue has loaded its items (modules start in order).
    ctx.services.bundles.catalogue.load();
  },
};
