import './platform/gc-tuning.ts'; // first: it sets how V8 collects garbage for the whole process
import type { Config } from './platform/config.ts';
import { createContext, closeContext, migrateAll, type ContextOptions } from './platform/runtime.ts';
import { createHttpApp, type HttpOptions } from './platform/http/app.ts';
import type { AppContext } from './platform/context.ts';
import type { HttpApp, Module, SeedOptions } from './platform/module.ts';
import { modules as allModules } from './modules.ts';

export interface Yiwang {
  ctx: AppContext;
  app: HttpApp;
  /** Starts background work (outbox relay, timers) and subscriptions. */
  start(): Promise<void>;
  seed(opts: SeedOptions): Promise<void>;
  close(): Promise<void>;
}

export interface BuildOptions extends ContextOptions, HttpOptions {
  /** Apply pending migrations before building (default true). */
  migrate?: boolean;
  modules?: Module[];
}

/** Composes every module into one context and one HTTP app. */
export async function buildYiwang(config: Config, opts: BuildOptions = {}): Promise<Yiwang> {
  const modules = opts.modules ?? allModules;
  const ctx = await createContext(config, modules, opts);
  const stops: Array<() => Promise<void>> = [];
  try {
    if (opts.migrate !== false) await migrateAll(ctx, modules);
    const app = await createHttpApp(ctx, modules, opts);
    return {
      ctx,
      app,
      async start() {
        for (const m of modules) if (m.subscribe) await m.subscribe(ctx);
        for (const m of modules) {
          const stop = await m.start?.(ctx);
          if (stop) stops.push(stop);
        }
      },
      async seed(seedOpts) {
        // Events the seed raised stay in the outbox for a started relay (this process's, if it
        // serves, or the server's): publishing them here would hand them to no subscriber.
        for (const m of modules) if (m.seed) await m.seed(ctx, seedOpts);
      },
      async close() {
        for (const stop of stops.reverse()) await stop();
        await app.close();
        await closeContext(ctx);
      },
    };
  } catch (err) {
    await closeContext(ctx).catch(() => {});
    throw err;
  }
}
