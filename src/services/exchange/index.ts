import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { ExchangeLog } from './exchange-log.ts';
import { exchangeRoutes } from './exchange.routes.ts';
import { ExchangeService } from './exchange.service.ts';
import { ExchangeStore } from './exchange.store.ts';
import { GrantService } from './grant.service.ts';
import { seedDemoGrants } from './demo.ts';
import './exchange.events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** The data exchange: catalogue, grants, checked and logged calls. */
    exchange: ExchangeService;
  }
}

/** 一网通办: data sharing between departments (数据共享交换), so people need not bring what government holds. */
export const exchangeModule: Module = {
  name: 'exchange',
  migrations: [m0001],

  init(ctx) {
    ctx.services.exchange = new ExchangeService(ctx, new GrantService(ctx, new ExchangeStore()), new ExchangeLog(ctx));
  },

  routes(app, ctx) {
    exchangeRoutes(app, ctx.services.exchange);
  },

  async subscribe(ctx) {
    // Another process decided, revoked or published: this one stops trusting what it cached.
    const svc = ctx.services.exchange;
    await ctx.bus.listen('exchange.request.decided', async (e) => svc.grants.forget(e.payload.requesterCode, e.payload.resourceCode));
    await ctx.bus.listen('exchange.grant.revoked', async (e) => svc.grants.forget(e.payload.requesterCode, e.payload.resourceCode));
    await ctx.bus.listen('exchange.resource.published', async () => svc.forget());
  },

  async seed(ctx, { demo, progress }) {
    const n = await ctx.services.exchange.grants.seed();
    progress('data resources', n, n);
    if (!demo) return;
    const g = await seedDemoGrants(ctx, ctx.services.exchange.grants);
    progress('standing grants (once-only)', g, g);
  },

  start(ctx) {
    // Calls waiting for their log entry are written before the database closes.
    return () => ctx.services.exchange.log.flushed();
  },
};
