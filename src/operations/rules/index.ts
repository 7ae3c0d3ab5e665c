import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { AlertService } from './alert.service.ts';
import { RuleEngine } from './engine.ts';
import { ruleRoutes } from './rule.routes.ts';
import { RuleService } from './rule.service.ts';
import { RuleStore } from './rule.store.ts';
import './rule.events.ts';

export type { RuleEngine } from './engine.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** Rules on device readings (data, per device type and jurisdiction; shipped packs). */
    rules: RuleService;
    /** Alerts raised by rules: lifecycle, acknowledgement. */
    alerts: AlertService;
    /** Evaluates rules as readings are accepted for storage and on a clock tick. */
    ruleEngine: RuleEngine;
  }
}

/** How often time-dependent conditions are re-evaluated. */
const TICK_MS = 5_000;

/** Rules and alerts on device telemetry (builds on the devices module). */
export const rulesModule: Module = {
  name: 'rules',
  migrations: [m0001],

  init(ctx) {
    const store = new RuleStore(ctx.dialect);
    ctx.services.rules = new RuleService(ctx, store);
    ctx.services.alerts = new AlertService(ctx, store);
    ctx.services.ruleEngine = new RuleEngine(ctx, ctx.services.rules, ctx.services.alerts, ctx.services.devices);
  },

  routes(app, ctx) {
    ruleRoutes(app, ctx.services.rules, ctx.services.alerts);
  },

  async subscribe(ctx) {
    // A rule changed in some process: every process reloads its rules.
    await ctx.bus.listen('rules.rule.changed', async () => ctx.services.rules.load());
  },

  async seed(ctx, { progress }) {
    const added = await ctx.services.rules.seedPacks();
    progress('rule packs', added, added);
  },

  async start(ctx) {
    const engine = ctx.services.ruleEngine;
    await engine.start();
    const timer = setInterval(() => void engine.tick(), TICK_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await engine.idle();
    };
  },
};
