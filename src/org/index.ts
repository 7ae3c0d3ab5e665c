import type { AppContext } from '../platform/context.ts';
import type { Module } from '../platform/module.ts';
import { AccountService } from './account.service.ts';
import { AccountStore } from './account.store.ts';
import { accountRoutes } from './account.routes.ts';
import { DepartmentService } from './department.service.ts';
import { DepartmentStore } from './department.store.ts';
import { departmentRoutes } from './department.routes.ts';
import { jurisdictionLookup, type JurisdictionLookup } from './jurisdiction-lookup.ts';
import { LoginGuard } from './login-guard.ts';
import { m0001 } from './migrations/0001_init.ts';
import { seedOrg } from './org.seed.ts';
import { authRoutes } from './session.routes.ts';
import { SessionService } from './session.service.ts';
import { SessionStore } from './session.store.ts';
import { TokenService } from './token.service.ts';
import './org.events.ts';

export type { AccountService } from './account.service.ts';
export type { DepartmentService } from './department.service.ts';
export type { SessionService } from './session.service.ts';
export type { AccountView, DepartmentView } from './org.schema.ts';
export { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts.ts';

declare module '../platform/context.ts' {
  interface Services {
    /** Accounts: `find(id)`, `responsibleFor(jurisdictionCode, role?)`, and the access-checked API. */
    accounts: AccountService;
    /** Departments: `find(code)`, `at(jurisdictionCode)`, and the access-checked API. */
    departments: DepartmentService;
    /** Sign-in, sessions and password changes; also ctx.authenticator. */
    sessions: SessionService;
    /** API tokens for systems and devices. */
    tokens: TokenService;
  }
}

interface OrgParts {
  accountStore: AccountStore;
  departmentStore: DepartmentStore;
  lookup: JurisdictionLookup;
}

// The stores are stateless; one set per context is kept here so routes and seed share them.
const parts = new WeakMap<AppContext, OrgParts>();

function partsOf(ctx: AppContext): OrgParts {
  const p = parts.get(ctx);
  if (!p) throw new Error('org module used before init');
  return p;
}

/** Departments, accounts, roles and scopes, sessions and API tokens; provides ctx.authenticator. */
export const orgModule: Module = {
  name: 'org',
  migrations: [m0001],

  init(ctx) {
    // Scopes and department jurisdictions are checked against the live tree only.
    if (!(ctx.services as { jurisdictions?: unknown }).jurisdictions) {
      throw new Error('the org module needs the jurisdictions module: compose jurisdictionsModule before orgModule (see src/modules.ts)');
    }
    const accountStore = new AccountStore(ctx.dialect);
    const departmentStore = new DepartmentStore();
    const sessionStore = new SessionStore();
    const lookup = jurisdictionLookup(ctx);
    const accounts = new AccountService(ctx, accountStore, departmentStore, sessionStore, lookup);
    const tokens = new TokenService(ctx, sessionStore, accountStore, accounts);
    const guard = new LoginGuard(ctx.db, sessionStore, () => ctx.clock.now());
    const sessions = new SessionService(ctx, sessionStore, accountStore, accounts, tokens, guard);
    ctx.services.accounts = accounts;
    ctx.services.departments = new DepartmentService(ctx, departmentStore);
    ctx.services.sessions = sessions;
    ctx.services.tokens = tokens;
    ctx.authenticator = sessions;
    parts.set(ctx, { accountStore, departmentStore, lookup });
  },

  routes(app, ctx) {
    const { accounts, sessions, tokens, departments } = ctx.services;
    authRoutes(app, ctx, { sessions, tokens, accounts });
    accountRoutes(app, ctx, accounts, sessions);
    departmentRoutes(app, departments);
  },

  async seed(ctx, opts) {
    const { accountStore, departmentStore, lookup } = partsOf(ctx);
    await seedOrg(ctx, { jurisdictions: lookup, departments: departmentStore, accountStore, accounts: ctx.services.accounts }, opts);
  },

  start(ctx) {
    // Ended sessions and stale login counters are cleaned up hourly.
    const prune = () => void ctx.services.sessions.prune().catch((err) => ctx.log.warn({ err }, 'org: pruning sessions failed'));
    const timer = setInterval(prune, 3600_000);
    timer.unref();
    return async () => clearInterval(timer);
  },
};
