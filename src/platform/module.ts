import type { FastifyInstance, FastifyBaseLogger, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from './context.ts';
import type { Migration } from './db/migrator.ts';

/** The Fastify instance routes are written against: TypeBox schemas type the handlers. */
export type HttpApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Progress of a long step (seeding, imports): done so far out of total (total 0 = unknown). */
export type Progress = (label: string, done: number, total: number) => void;

export interface SeedOptions {
  progress: Progress;
  /** Demo city: also create demo accounts and sample records. */
  demo: boolean;
}

/**
 * A module's public face, declared in its index.ts: its migrations, how it builds its service,
 * its HTTP routes, what it subscribes to, and how it seeds its reference data.
 */
export interface Module {
  name: string;
  migrations: Migration[];
  /** Builds the module's service(s) and registers them in ctx.services. */
  init?(ctx: AppContext): void | Promise<void>;
  /** Registers HTTP routes; called under the `/api` prefix unless `rootRoutes` is set. */
  routes?(app: HttpApp, ctx: AppContext): void | Promise<void>;
  /** Routes outside /api (standard APIs such as /ogc, /ngsi-ld). */
  rootRoutes?(app: HttpApp, ctx: AppContext): void | Promise<void>;
  /** Subscribes to other modules' events. */
  subscribe?(ctx: AppContext): Promise<void>;
  /** Loads reference data (idempotent: a second run changes nothing). */
  seed?(ctx: AppContext, opts: SeedOptions): Promise<void>;
  /** Starts background work (timers); stopped by the returned function. */
  start?(ctx: AppContext): Promise<(() => Promise<void>) | void> | (() => Promise<void>) | void;
}
