import { authorize, hasPermission, isOfficial, readFilter, scopeChain, withinScope, type Principal, type Role, UNSCOPED } from '../platform/access.ts';
import type { AppContext } from '../platform/context.ts';
import type { Executor, Tx } from '../platform/db/database.ts';
import { AppError, invalid } from '../platform/errors.ts';
import type { AccountRecord, AccountStore } from './account.store.ts';
import { CITY_CODE } from './department.catalogue.ts';
import type { DepartmentStore } from './department.store.ts';
import type { JurisdictionLookup } from './jurisdiction-lookup.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts.ts';
import type { AccountKind, AccountListQuery, AccountPage, AccountView, CreateAccountBody, DemoAccount, Locale, UpdateAccountBody } from './org.schema.ts';
import { USERNAME_PATTERN } from './org.schema.ts';
import { checkPasswordPolicy, hashPassword } from './password.ts';
import type { SessionStore } from './session.store.ts';
import './org.events.ts';

/** Roles each kind of account may hold: the public hold their own role, staff only official roles. */
const ALLOWED_ROLES: Record<AccountKind, ReadonlySet<Role>> = {
  person: new Set(['citizen']),
  enterprise: new Set(['enterprise']),
  staff: new Set(['staff', 'grid_worker', 'operator', 'admin', 'system']),
};

/** What creating an account needs, whoever creates it (an administrator, the seed, a test). */
export interface NewAccount {
  username: string;
  displayName: string;
  kind: AccountKind;
  roles: Role[];
  /** Already hashed; null for token-only accounts. */
  passwordHash: string | null;
  departmentCode?: string | null;
  scopeCode?: string | null;
  locale?: Locale;
}

const encodeCursor = (username: string) => Buffer.from(username, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const username = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!new RegExp(USERNAME_PATTERN).test(username)) throw invalid('cursor', 'is not a cursor this list gave out');
  return username;
}

/** Accounts: who they are, who may see and change them, and the views every reply uses. */
export class AccountService {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: AccountStore,
    private readonly departments: DepartmentStore,
    private readonly sessions: SessionStore,
    private readonly jurisdictions: JurisdictionLookup,
  ) {}

  /** The reply shape for many accounts (one jurisdiction lookup per distinct scope). */
  async views(records: AccountRecord[]): Promise<AccountView[]> {
    const names = await this.jurisdictions.names(records.flatMap((r) => (r.scope_code ? [r.scope_code] : [])));
    return records.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      kind: r.kind,
      roles: r.roles,
      departmentCode: r.department_code,
      departmentName: r.department_name,
      scopeCode: r.scope_code,
      scopeName: r.scope_code ? (names.get(r.scope_code) ?? null) : null,
      jurisdictionCode: r.jurisdiction_code,
      locale: r.locale,
      disabled: r.disabled_at !== null,
    }));
  }

  async view(record: AccountRecord): Promise<AccountView> {
    return (await this.views([record]))[0]!;
  }

  /** The principal an account acts as. */
  principalOf(r: AccountRecord, via: Principal['via']): Principal {
    return { accountId: r.id, username: r.username, displayName: r.display_name, roles: r.roles, departmentCode: r.department_code, scopeCode: r.scope_code, via };
  }

  /** One account by id, without access checks (for other modules' services; not for replies). */
  async find(id: string, db: Executor = this.ctx.db): Promise<AccountView | null> {
    const r = await this.store.get(db, id);
    return r ? this.view(r) : null;
  }

  /** Accounts by username, in no particular order (other modules' demo seeds bind their records to demo accounts). */
  async findByUsernames(usernames: string[]): Promise<AccountView[]> {
    return this.views(await this.store.getManyByUsername(this.ctx.db, usernames));
  }

  /** Enabled staff whose scope covers `jurisdictionCode` (the place's own officials, then upwards). */
  async responsibleFor(jurisdictionCode: string, role?: Role): Promise<AccountView[]> {
    return this.views(await this.store.withScopeIn(this.ctx.db, scopeChain(jurisdictionCode), role));
  }

  /** Throws unless `p` may see this account: themselves, or an official whose scope holds it. */
  private assertCanRead(p: Principal, r: AccountRecord): void {
    if (r.id === p.accountId || !isOfficial(p)) return authorize(p, 'account.read_self', { ownerId: r.id });
    // Citizens' and companies' accounts are personal data: only administrators reach them.
    authorize(p, r.kind === 'staff' ? 'account.read' : 'account.manage', { jurisdictionCode: r.jurisdiction_code });
  }

  private async load(p: Principal | null, id: string): Promise<{ p: Principal; r: AccountRecord }> {
    authorize(p, 'account.read_self', UNSCOPED);
    const r = await this.store.get(this.ctx.db, id);
    if (!r) throw new AppError('ACCOUNT_NOT_FOUND', `No account with id ${id}`);
    return { p, r };
  }

  async get(principal: Principal | null, id: string): Promise<AccountView> {
    const { p, r } = await this.load(principal, id);
    this.assertCanRead(p, r);
    return this.view(r);
  }

  /** Accounts the caller may see: officials those inside their scope, everyone else only their own. */
  async list(p: Principal | null, query: AccountListQuery): Promise<AccountPage> {
    authorize(p, 'account.read_self', UNSCOPED);
    const limit = query.limit ?? 50;
    const filter = readFilter(p);
    const scoped = filter.kind === 'scope' && hasPermission(p, 'account.read');
    let kind = query.kind;
    if (scoped && !hasPermission(p, 'account.manage')) {
      if (kind && kind !== 'staff') return { items: [], nextCursor: null };
      kind = 'staff';
    }
    const rows = await this.store.list(this.ctx.db, {
      ...(scoped ? { jurisdictionPrefix: (filter as { prefix: string }).prefix } : { ownerId: p.accountId }),
      role: query.role,
      department: query.department,
      kind,
      q: query.q?.trim() || undefined,
      afterUsername: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { items: await this.views(page), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.username) : null };
  }

  /** An administrator creates a staff account inside their own scope. */
  async create(p: Principal | null, body: CreateAccountBody): Promise<AccountView> {
    authorize(p, 'account.manage', { jurisdictionCode: body.scopeCode });
    const department = await this.departments.get(this.ctx.db, body.departmentCode);
    if (!department) throw invalid('departmentCode', `names no department (${body.departmentCode})`);
    // The department itself must be the administrator's to staff: a street administrator cannot put
    // people into the municipal bureau, even with a street scope.
    try {
      authorize(p, 'account.manage', { jurisdictionCode: department.jurisdiction_code });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'SCOPE_FORBIDDEN') throw err;
      throw new AppError('SCOPE_FORBIDDEN', `${department.name} (${department.code}) serves ${department.jurisdiction_code}, outside your jurisdiction ${p.scopeCode ?? '(none)'}`, 'departmentCode');
    }
    if (!(await this.jurisdictions.get(body.scopeCode))) throw invalid('scopeCode', `names no jurisdiction (${body.scopeCode})`);
    if (!withinScope(department.jurisdiction_code, body.scopeCode)) {
      throw invalid('scopeCode', `must lie inside the jurisdiction of ${department.name} (${department.jurisdiction_code})`);
    }
    this.checkRoles('staff', body.roles);
    checkPasswordPolicy(body.password, 'password', body.username);
    if (await this.store.getByUsername(this.ctx.db, body.username)) throw new AppError('USERNAME_TAKEN', `The username ${body.username} is taken`, 'username');
    const passwordHash = await hashPassword(body.password);
    const id = await this.ctx.transaction((tx) =>
      this.insert(
        tx,
        { username: body.username, displayName: body.displayName, kind: 'staff', roles: body.roles, passwordHash, departmentCode: body.departmentCode, scopeCode: body.scopeCode, locale: body.locale },
        p.accountId,
      ),
    );
    return (await this.find(id))!;
  }

  /**
   * Writes a new account with its audit entry and event inside `tx` (used by `create`, the seed and
   * test factories, which have checked access already). Returns the new id.
   */
  async insert(tx: Tx, a: NewAccount, actorId: string | null): Promise<string> {
    const now = this.ctx.clock.now();
    const id = this.ctx.random.uuid();
    const scopeCode = a.kind === 'staff' ? (a.scopeCode ?? null) : null;
    const jurisdictionCode = scopeCode ?? CITY_CODE;
    try {
      await this.store.insert(
        tx,
        {
          id,
          username: a.username,
          display_name: a.displayName,
          kind: a.kind,
          department_code: a.kind === 'staff' ? (a.departmentCode ?? null) : null,
          scope_code: scopeCode,
          jurisdiction_code: jurisdictionCode,
          locale: a.locale ?? 'zh-CN',
          password_hash: a.passwordHash,
          disabled_at: null,
          created_at: now,
          updated_at: now,
          password_changed_at: a.passwordHash ? now : null,
        },
        a.roles,
      );
    } catch (err) {
      if (/unique|duplicate/i.test(String((err as Error)?.message))) throw new AppError('USERNAME_TAKEN', `The username ${a.username} is taken`, 'username');
      throw err;
    }
    const detail = { username: a.username, kind: a.kind, roles: a.roles, departmentCode: a.departmentCode ?? null, scopeCode };
    await this.ctx.audit.record(tx, { actorId, action: 'org.account.created', subjectType: 'account', subjectId: id, jurisdictionCode, detail });
    await this.ctx.outbox.add(tx, 'org.account.created', { v: 1, accountId: id, ...detail, by: actorId });
    return id;
  }

  private checkRoles(kind: AccountKind, roles: Role[]): void {
    const bad = roles.filter((r) => !ALLOWED_ROLES[kind].has(r));
    if (bad.length > 0) throw invalid('roles', `may not include ${bad.join(', ')} for a ${kind} account (allowed: ${[...ALLOWED_ROLES[kind]].join(', ')})`);
  }

  /**
   * Changes display name, locale, roles or the disabled flag. An account may change its own display
   * name and locale; everything else is for administrators whose scope holds the account.
   * Disabling revokes the account's sessions and API tokens in the same transaction. The row is read
   * again, locked, inside the transaction, so concurrent edits apply one after the other and each
   * audit entry's "from" is what the edit really replaced.
   */
  async update(principal: Principal | null, id: string, body: UpdateAccountBody): Promise<AccountView> {
    const { p, r: seen } = await this.load(principal, id);
    // Checked before the transaction for a quick answer, and again on the locked row inside it.
    this.checkUpdate(p, seen, body);
    await this.ctx.transaction(async (tx) => {
      const r = await this.store.getForUpdate(tx, id);
      if (!r) throw new AppError('ACCOUNT_NOT_FOUND', `No account with id ${id}`);
      this.checkUpdate(p, r, body);

      const patch: Record<string, unknown> = {};
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (body.displayName !== undefined && body.displayName !== r.display_name) {
        patch.display_name = body.displayName;
        changes.displayName = { from: r.display_name, to: body.displayName };
      }
      if (body.locale !== undefined && body.locale !== r.locale) {
        patch.locale = body.locale;
        changes.locale = { from: r.locale, to: body.locale };
      }
      const rolesChanged = body.roles !== undefined && !sameRoles(body.roles, r.roles);
      if (rolesChanged) changes.roles = { from: r.roles, to: body.roles };
      const disabling = body.disabled === true && r.disabled_at === null;
      const enabling = body.disabled === false && r.disabled_at !== null;
      if (Object.keys(changes).length === 0 && !disabling && !enabling) return;

      const now = this.ctx.clock.now();
      const roles = rolesChanged ? body.roles! : r.roles;
      const base = { actorId: p.accountId, subjectType: 'account', subjectId: r.id, jurisdictionCode: r.jurisdiction_code };
      await this.store.update(tx, r.id, { ...patch, ...(disabling ? { disabled_at: now } : enabling ? { disabled_at: null } : {}), updated_at: now });
      if (rolesChanged) await this.store.setRoles(tx, r.id, roles);
      if (Object.keys(changes).length > 0) {
        await this.ctx.audit.record(tx, { ...base, action: 'org.account.updated', detail: { changes } });
        await this.ctx.outbox.add(tx, 'org.account.updated', { v: 1, accountId: r.id, changed: Object.keys(changes), roles, by: p.accountId });
      }
      if (disabling) {
        const sessions = await this.sessions.revokeSessionsOf(tx, r.id, now);
        const tokens = await this.sessions.revokeTokensOf(tx, r.id, now);
        await this.ctx.audit.record(tx, { ...base, action: 'org.account.disabled', detail: { revokedSessions: sessions, revokedTokens: tokens } });
        await this.ctx.outbox.add(tx, 'org.account.disabled', { v: 1, accountId: r.id, by: p.accountId });
      }
      if (enabling) {
        await this.ctx.audit.record(tx, { ...base, action: 'org.account.enabled' });
        await this.ctx.outbox.add(tx, 'org.account.enabled', { v: 1, accountId: r.id, by: p.accountId });
      }
    });
    return (await this.find(id))!;
  }

  /** Throws unless `p` may make this change to `r`. */
  private checkUpdate(p: Principal, r: AccountRecord, body: UpdateAccountBody): void {
    const self = r.id === p.accountId;
    const adminFields = body.roles !== undefined || body.disabled !== undefined;
    this.assertCanRead(p, r);
    if (!self || adminFields) authorize(p, 'account.manage', { jurisdictionCode: r.jurisdiction_code });
    if (self && body.disabled === true) throw invalid('disabled', 'cannot be set on your own account');
    if (self && body.roles !== undefined && !sameRoles(body.roles, r.roles)) throw invalid('roles', 'cannot be changed on your own account');
    if (body.roles) this.checkRoles(r.kind, body.roles);
  }

  /**
   * The demo accounts the seed created and that are still enabled, with the published demo password,
   * for the demo city's login page. Only a server started as the demo city (`yiwang demo`,
   * YIWANG_DEMO=true) lists them: a real deployment that happens to have an account named `admin`
   * must never show a password.
   */
  async demoAccounts(): Promise<DemoAccount[]> {
    if (!this.ctx.config.demo) throw new AppError('NOT_FOUND', 'This server is not running the demo city');
    const present = await this.store.getManyByUsername(this.ctx.db, DEMO_ACCOUNTS.map((a) => a.username));
    const views = new Map((await this.views(present.filter((a) => a.disabled_at === null))).map((v) => [v.username, v]));
    return DEMO_ACCOUNTS.flatMap((a) => {
      const v = views.get(a.username);
      if (!v) return [];
      return [{ username: a.username, password: DEMO_PASSWORD, displayName: v.displayName, roles: v.roles, departmentName: v.departmentName, scopeName: v.scopeName, description: a.description, descriptionEn: a.descriptionEn }];
    });
  }
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}
