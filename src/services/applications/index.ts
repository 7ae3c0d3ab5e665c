import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { m0002 } from './migrations/0002_exchanged.ts';
import { ApplicationActions } from './application.actions.ts';
import { ApplicationQueries } from './application.queries.ts';
import { applicationRoutes } from './application.routes.ts';
import { ApplicationService } from './application.service.ts';
import { ApplicationStore } from './application.store.ts';
import { MaterialFiles } from './files.ts';
import { ServiceFigures } from './figures.ts';
import { ApplicationSweeper } from './sweep.ts';
import { seedDemoApplications } from './demo.ts';
import './application.events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** Applications (办件): drafting, routing, and the writes of their life. */
    applications: ApplicationService;
    /** What applicants and department staff do to applications, checked. */
    applicationActions: ApplicationActions;
    /** Reading applications as each asker may. */
    applicationQueries: ApplicationQueries;
    /** The overdue sweep. */
    applicationSweeper: ApplicationSweeper;
  }
}

/** How often the overdue sweep runs. */
const SWEEP_MS = 60_000;

/** 一网通办: applications for service items, processed by departments within their time limits. */
export const applicationsModule: Module = {
  name: 'applications',
  migrations: [m0001, m0002],

  init(ctx) {
    const apps = new ApplicationService(ctx, new ApplicationStore(ctx.dialect));
    ctx.services.applications = apps;
    ctx.services.applicationQueries = new ApplicationQueries(ctx, apps);
    ctx.services.applicationActions = new ApplicationActions(ctx, apps, ctx.services.applicationQueries);
    ctx.services.applicationSweeper = new ApplicationSweeper(ctx, apps);
  },

  routes(app, ctx) {
    const apps = ctx.services.applications;
    applicationRoutes(app, { apps, actions: ctx.services.applicationActions, queries: ctx.services.applicationQueries, files: new MaterialFiles(ctx, apps.store), figures: new ServiceFigures(ctx, apps) });
  },

  async seed(ctx, { demo, progress }) {
    if (!demo) return;
    const n = await seedDemoApplications(ctx, ctx.services.applications, Math.max(20, Math.round(300 * Math.min(1, ctx.config.demoScale * 50))));
    progress('demo applications (six weeks of history)', n, n);
  },

  start(ctx) {
    const sweeper = ctx.services.applicationSweeper;
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = sweeper.sweep().catch((err) => ctx.log.error({ err }, 'applications: the overdue sweep failed'));
    }, SWEEP_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  },
};
