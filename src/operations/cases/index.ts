import { AppError } from '../../platform/errors.ts';
import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { CaseActions } from './case.actions.ts';
import { CaseQueries } from './case.queries.ts';
import { caseRoutes } from './case.routes.ts';
import { CaseService } from './case.service.ts';
import { CaseStore } from './case.store.ts';
import { DispatchTable } from './dispatch-table.ts';
import { CaseFigures } from './figures.ts';
import { AutomaticIntake } from './intake.ts';
import { open311Routes } from './open311/open311.routes.ts';
import { PhotoService } from './photos.ts';
import { seedDemoCases } from './demo.ts';
import { CaseSweeper } from './sweep.ts';
import './case.events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** Cases (城市管理案件): opening them from any source, the closed loop's writes. */
    cases: CaseService;
    /** Reading cases as each asker may see them. */
    caseQueries: CaseQueries;
    /** What people do to cases (accept, dispatch, handle, verify, …), checked. */
    caseActions: CaseActions;
    /** The time-limit sweep that escalates overdue cases. */
    caseSweeper: CaseSweeper;
  }
}

/** How often the time-limit sweep runs. */
const SWEEP_MS = 30_000;

/** Cases: the closed loop from report to closure, dispatch, time limits and escalation, Open311. */
export const casesModule: Module = {
  name: 'cases',
  migrations: [m0001],

  init(ctx) {
    const store = new CaseStore(ctx.dialect);
    const cases = new CaseService(ctx, store);
    ctx.services.cases = cases;
    ctx.services.caseQueries = new CaseQueries(ctx, cases);
    ctx.services.caseActions = new CaseActions(ctx, cases, ctx.services.caseQueries);
    ctx.services.caseSweeper = new CaseSweeper(ctx, cases);
  },

  routes(app, ctx) {
    const cases = ctx.services.cases;
    caseRoutes(app, {
      cases,
      queries: ctx.services.caseQueries,
      actions: ctx.services.caseActions,
      photos: new PhotoService(ctx, cases.store),
      table: new DispatchTable(ctx, cases),
      figures: new CaseFigures(ctx, cases),
    });
  },

  rootRoutes(app, ctx) {
    open311Routes(app, ctx, ctx.services.cases, ctx.services.caseQueries);
  },

  async subscribe(ctx) {
    const intake = new AutomaticIntake(ctx, ctx.services.cases);
    // One process of the group files each alert's case; a failure is retried by the bus.
    await ctx.bus.subscribe('operations.alert.raised', 'cases.intake', async (e) => {
      try {
        await intake.fromAlert(e.payload);
      } catch (err) {
        if (!(err instanceof AppError)) throw err; // the database or the bus: the bus delivers it again
        ctx.log.error({ err, alertId: e.payload.alertId }, 'cases: could not file a case for an alert');
      }
    });
    await ctx.bus.subscribe('components.component.changed', 'cases.intake', async (e) => {
      try {
        await intake.fromComponent(e.payload);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        ctx.log.error({ err, code: e.payload.code }, 'cases: could not file a case for a damaged component');
      }
    });
  },

  async seed(ctx, { demo, progress }) {
    if (!demo) return;
    const n = await seedDemoCases(ctx);
    progress('demo cases', n, n);
  },

  start(ctx) {
    const sweeper = ctx.services.caseSweeper;
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = sweeper.sweep().catch((err) => ctx.log.error({ err }, 'cases: the time-limit sweep failed'));
    }, SWEEP_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  },
};
