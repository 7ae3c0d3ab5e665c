import type { Module } from './module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { m0002 } from './migrations/0002_outbox_parked.ts';

/** The platform's own tables (outbox, audit); always the first module to migrate. */
export const platformModule: Module = {
  name: 'platform',
  migrations: [m0001, m0002],
  start(ctx) {
    ctx.outbox.start(1000);
    // Published events are kept a week for inspection, then pruned.
    const prune = setInterval(() => void ctx.outbox.prune(7 * 24 * 3600_000).catch(() => 0), 3600_000);
    prune.unref();
    return async () => clearInterval(prune);
  },
};
