import type { Module } from '../../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { certificateRoutes } from './certificate.routes.ts';
import { CertificateService } from './certificate.service.ts';
import { CertificateStore } from './certificate.store.ts';
import './certificate.events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    /** Instant certificates (即时开具证明) from registry data, as credentials and printable PDFs. */
    certificates: CertificateService;
  }
}

/** 一网通办: instant certificates — issued at once from the registries, signed by the wallet, printed with a QR. */
export const certificatesModule: Module = {
  name: 'certificates',
  migrations: [m0001],

  init(ctx) {
    ctx.services.certificates = new CertificateService(ctx, new CertificateStore());
  },

  routes(app, ctx) {
    certificateRoutes(app, ctx.services.certificates);
  },

  async subscribe(ctx) {
    // A withdrawn credential withdraws the certificate it carries (and a reinstated one restores it).
    await ctx.bus.listen('wallet.credential.status', async (e) => ctx.services.certificates.credentialStatusChanged(e.payload.credentialId, e.payload.status));
  },
};
