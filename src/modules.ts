import type { Module } from './platform/module.ts';
import { platformModule } from './platform/index.ts';
import { jurisdictionsModule } from './jurisdictions/index.ts';
import { orgModule } from './org/index.ts';
import { notifyModule } from './notify/index.ts';
import { componentsModule } from './operations/components/index.ts';
import { mapModule } from './operations/map/index.ts';
import { devicesModule } from './operations/devices/index.ts';
import { rulesModule } from './operations/rules/index.ts';
import { liveModule } from './operations/live/index.ts';
import { casesModule } from './operations/cases/index.ts';
import { catalogueModule } from './services/catalogue/index.ts';
import { applicationsModule } from './services/applications/index.ts';
import { bundlesModule } from './services/bundles/index.ts';
import { registriesModule } from './services/registries/index.ts';
import { exchangeModule } from './services/exchange/index.ts';
import { walletModule } from './services/wallet/index.ts';
import { certificatesModule } from './services/certificates/index.ts';

/**
 * Every module, in composition order: a module comes after the modules whose services it uses,
 * and migrations run in this order.
 */
export const modules: Module[] = [
  platformModule,
  jurisdictionsModule,
  orgModule,
  notifyModule,
  componentsModule,
  mapModule,
  devicesModule,
  rulesModule,
  liveModule,
  casesModule,
  catalogueModule,
  applicationsModule,
  bundlesModule,
  registriesModule,
  exchangeModule,
  walletModule,
  certificatesModule,
];
