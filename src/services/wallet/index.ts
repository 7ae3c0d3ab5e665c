import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { m0002 } from './migrations/0002_secret.ts';
import { IssuerKeys } from './keys.ts';
import { StatusLists } from './status-list.ts';
import { walletRootRoutes, walletRoutes } from './wallet.routes.ts';
import { WalletService } from './wallet.service.ts';
import './wallet.events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** The e-licence wallet: verifiable credentials, their status, verification. */
    wallet: WalletService;
  }
}

/** Nonces of accepted presentations are swept this often once they cannot be replayed anyway… */
const SWEEP_MS = 10 * 60_000;
/** …and the signing key is rotated when it is this old (the retired key stays published while it vouches). */
export const KEY_MAX_AGE_DAYS = 90;
/** Verification records are kept this long: a holder sees a year of who checked their licences. */
export const VERIFICATIONS_KEPT_DAYS = 400;

/** 一网通办: the e-licence wallet (电子证照 亮证) — SD-JWT VC credentials, status lists, verification. */
export const walletModule: Module = {
  name: 'wallet',
  migrations: [m0001, m0002],

  init(ctx) {
    const keys = new IssuerKeys(ctx);
    ctx.services.wallet = new WalletService(ctx, keys, new StatusLists(ctx, keys));
  },

  routes(app, ctx) {
    walletRoutes(app, ctx.services.wallet, () => ctx.clock.now());
  },

  rootRoutes(app, ctx) {
    walletRootRoutes(app, ctx.services.wallet);
  },

  async subscribe(ctx) {
    // Another process rotated keys or changed a status: stop serving what was cached.
    const svc = ctx.services.wallet;
    await ctx.bus.listen('wallet.keys.rotated', async () => {
      svc.keys.forget();
      svc.lists.forget();
    });
    await ctx.bus.listen('wallet.credential.status', async () => svc.lists.forget());
  },

  async seed(ctx, { progress }) {
    // The first signing key exists before anyone asks for the issuer's metadata.
    await ctx.services.wallet.keys.active();
    progress('issuer signing key', 1, 1);
  },

  start(ctx) {
    const svc = ctx.services.wallet;
    const tick = () => {
      void svc.store.forgetNonces(ctx.db, Math.floor(ctx.clock.now() / 1000)).catch((err) => ctx.log.warn({ err }, 'wallet: sweeping nonces failed'));
      void svc.store.forgetVerifications(ctx.db, ctx.clock.now() - VERIFICATIONS_KEPT_DAYS * 86_400_000).catch((err) => ctx.log.warn({ err }, 'wallet: sweeping verifications failed'));
      void svc
        .rotateIfDue(KEY_MAX_AGE_DAYS)
        .then((kid) => kid && ctx.log.info({ kid }, 'wallet: issuer key rotated (scheduled)'))
        .catch((err) => ctx.log.warn({ err }, 'wallet: scheduled key rotation failed'));
    };
    const timer = setInterval(tick, SWEEP_MS);
    timer.unref();
    return async () => clearInterval(timer);
  },
};
