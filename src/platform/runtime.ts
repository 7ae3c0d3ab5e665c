import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import { openDatabase, type Database, type Tx } from './db/database.ts';
import { withWriteTurn } from './db/write-turn.ts';
import { migrate } from './db/migrator.ts';
import type { EventBus } from './bus/bus.ts';
import { MemoryBus } from './bus/memory-bus.ts';
import { Outbox } from './bus/outbox.ts';
import { AuditLog } from './audit/audit.ts';
import type { AppContext, Clock, Random } from './context.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type { Module } from './module.ts';

export const systemClock: Clock = { now: () => Date.now() };
export const systemRandom: Random = { next: () => Math.random(), uuid: () => randomUUID() };

export interface ContextOptions {
  log?: Logger;
  clock?: Clock;
  random?: Random;
  /** Use this bus instead of the one the configuration names (tests). */
  bus?: EventBus;
  database?: Database;
}

/** Opens the bus the configuration names: in-process, or NATS JetStream for `nats://` URLs. */
export async function openBus(config: Config, log: Logger): Promise<EventBus> {
  if (!config.busUrl) return new MemoryBus((err, ev) => log.error({ err, event: ev.name }, 'event handler failed'));
  const { NatsBus } = await import('./bus/nats-bus.ts');
  return NatsBus.connect(config.busUrl, log);
}

/** Builds the context every module receives; the caller closes it with closeContext. */
export async function createContext(config: Config, modules: Module[], opts: ContextOptions = {}): Promise<AppContext> {
  const log = opts.log ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const database = opts.database ?? openDatabase(config.database, (msg) => log.warn(msg));
  const bus = opts.bus ?? (await openBus(config, log));
  const outbox = new Outbox(database.db, database.dialect, bus, () => clock.now(), (err) => log.error({ err }, 'outbox relay failed'), database.writeTurn);
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    dialect: database.dialect,
    bus,
    outbox,
    audit: new AuditLog(database.db, database.dialect, () => clock.now()),
    clock,
    random: opts.random ?? systemRandom,
    log,
    services: {} as AppContext['services'],
    authenticator: null,
    async transaction(fn) {
      // PostgreSQL may cancel one of two transactions that wait on each other (deadlock) or
      // conflict (serialization); the whole transaction is then safe to run again, so it is.
      for (let attempt = 1; ; attempt++) {
        try {
          let begun: Tx | null = null;
          // On SQLite the write turn first, then the connection (write-turn.ts).
          const result = await withWriteTurn(database.writeTurn, () =>
            database.db.transaction().execute((tx) => {
              begun = tx;
              outbox.begin(tx);
              return fn(tx);
            }),
          );
          outbox.committed(begun!);
          return result;
        } catch (err) {
          const code = (err as { code?: string })?.code;
          if (database.dialect !== 'postgres' || (code !== '40P01' && code !== '40001') || attempt >= 4) throw err;
          log.warn({ code, attempt }, 'transaction conflict; retrying');
          await new Promise((r) => setTimeout(r, 10 * attempt + Math.floor(Math.random() * 20)));
        }
      }
    },
  };
  try {
    for (const m of modules) await m.init?.(ctx);
  } catch (err) {
    await closeContext(ctx).catch(() => {});
    throw err;
  }
  return ctx;
}

/** Applies every module's pending migrations, reporting each step. */
export async function migrateAll(ctx: AppContext, modules: Module[], onStep?: (module: string, name: string) => void) {
  return migrate(
    ctx.database,
    modules.map((m) => ({ module: m.name, migrations: m.migrations })),
    onStep,
  );
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.outbox.stop();
  await ctx.bus.close();
  await ctx.database.close();
}
