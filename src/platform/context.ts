import type { FastifyRequest } from 'fastify';
import type { Config } from './config.ts';
import type { Database, Db, Dialect, Tx } from './db/database.ts';
import type { EventBus } from './bus/bus.ts';
import type { Outbox } from './bus/outbox.ts';
import type { AuditLog } from './audit/audit.ts';
import type { Principal } from './access.ts';
import type { Logger } from './logger.ts';

/**
 * The services every module exposes to the others, by name. Empty here; each module adds its own
 * in its index.ts by declaration merging (`interface Services { jurisdictions: JurisdictionService }`).
 * Modules meet only through these.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Services {}

export interface Clock {
  now(): number;
}

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  uuid(): string;
}

/** Turns a request's cookie or bearer token into a principal; provided by the org module. */
export interface Authenticator {
  authenticate(req: FastifyRequest): Promise<Principal | null>;
}

/** Everything a module needs, passed in rather than imported, so tests can replace any of it. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  dialect: Dialect;
  bus: EventBus;
  outbox: Outbox;
  audit: AuditLog;
  clock: Clock;
  random: Random;
  log: Logger;
  services: Services;
  authenticator: Authenticator | null;
  /**
   * Runs `fn` in one transaction; after it commits, the outbox relay publishes what `fn` added.
   * On a PostgreSQL deadlock or serialization failure the transaction is run again (up to four
   * times), so `fn` must do nothing but database work through `tx`.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}
