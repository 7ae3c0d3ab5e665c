import websocket from '@fastify/websocket';
import type { AppContext } from '../../platform/context.ts';
import type { Module } from '../../platform/module.ts';
import { liveRoutes } from './live.routes.ts';
import { LiveService } from './live.service.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** The command map's live device layer and feed. */
    live: LiveService;
  }
}

/** How often viewers get what changed: "a map that updates every second". */
const TICK_MS = 1000;
const feeds = new WeakMap<AppContext, { tick(): Promise<void> }>();

/** Live devices on the command map (builds on devices and rules). */
export const liveModule: Module = {
  name: 'live',
  migrations: [],

  init(ctx) {
    ctx.services.live = new LiveService(ctx);
  },

  async routes(app, ctx) {
    await app.register(websocket);
    feeds.set(ctx, liveRoutes(app, ctx.services.live, ctx.config.allowedOrigins));
  },

  async start(ctx) {
    await ctx.services.live.start();
    const timer = setInterval(() => void feeds.get(ctx)?.tick().catch((err) => ctx.log.error({ err }, 'live: a tick failed')), TICK_MS);
    timer.unref();
    return async () => clearInterval(timer);
  },
};
