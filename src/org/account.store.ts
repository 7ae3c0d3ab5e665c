import { sql } from 'kysely';
import { ROLES, type Role } from '../platform/access.ts';
import type { Dialect, Executor } from '../platform/db/database.ts';
import { likeEscape } from './department.store.ts';
import type { AccountKind, AccountRow } from './org.schema.ts';

/** An account row with its roles, as the service works with it. */
export interface AccountRecord extends AccountRow {
  roles: Role[];
  department_name: string | null;
}

export interface AccountFilter {
  /** Only accounts whose jurisdiction starts with this prefix. */
  jurisdictionPrefix?: string;
  /** Only this account (citizens and companies see themselves alone). */
  ownerId?: string;
  role?: Role;
  /** A department code; its sub-offices (`code.…`) are included. */
  department?: string;
  kind?: AccountKind;
  q?: string;
  afterUsername?: string;
  limit: number;
}

/** All SQL about accounts and their roles. */
export class AccountStore {
  constructor(private readonly dialect: Dialect) {}

  private base(db: Executor) {
    return db
      .selectFrom('org_account as a')
      .leftJoin('org_department as d', 'd.code', 'a.department_code')
      .selectAll('a')
      .select('d.name as department_name');
  }

  private async withRoles(db: Executor, rows: Array<AccountRow & { department_name: string | null }>): Promise<AccountRecord[]> {
    if (rows.length === 0) return [];
    const roles = await db
      .selectFrom('org_account_role')
      .select(['account_id', 'role'])
      .where('account_id', 'in', rows.map((r) => r.id))
      .execute();
    const byAccount = new Map<string, Role[]>();
    for (const r of roles) {
      const list = byAccount.get(r.account_id);
      if (list) list.push(r.role);
      else byAccount.set(r.account_id, [r.role]);
    }
    return rows.map((r) => ({
      ...r,
      created_at: Number(r.created_at),
      updated_at: Number(r.updated_at),
      disabled_at: r.disabled_at === null ? null : Number(r.disabled_at),
      password_changed_at: r.password_changed_at === null ? null : Number(r.password_changed_at),
      roles: (byAccount.get(r.id) ?? []).sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b)),
    }));
  }

  async get(db: Executor, id: string): Promise<AccountRecord | undefined> {
    const row = await this.base(db).where('a.id', '=', id).executeTakeFirst();
    return row ? (await this.withRoles(db, [row]))[0] : undefined;
  }

  /**
   * The account, read inside `tx` with its row locked until the transaction ends (PostgreSQL
   * `FOR UPDATE`; SQLite write transactions already hold the database's write lock), so a
   * read-check-write by one administrator cannot interleave with another's.
   */
  async getForUpdate(tx: Executor, id: string): Promise<AccountRecord | undefined> {
    if (this.dialect === 'postgres') {
      const locked = await tx.selectFrom('org_account').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
      if (!locked) return undefined;
    }
    return this.get(tx, id);
  }

  async getByUsername(db: Executor, username: string): Promise<AccountRecord | undefined> {
    const row = await this.base(db).where('a.username', '=', username).executeTakeFirst();
    return row ? (await this.withRoles(db, [row]))[0] : undefined;
  }

  async getManyByUsername(db: Executor, usernames: string[]): Promise<AccountRecord[]> {
    if (usernames.length === 0) return [];
    return this.withRoles(db, await this.base(db).where('a.username', 'in', usernames).execute());
  }

  /** One page in username order. */
  async list(db: Executor, f: AccountFilter): Promise<AccountRecord[]> {
    let q = this.base(db);
    if (f.ownerId !== undefined) q = q.where('a.id', '=', f.ownerId);
    if (f.jurisdictionPrefix !== undefined) q = q.where(sql<boolean>`a.jurisdiction_code like ${likeEscape(f.jurisdictionPrefix) + '%'} escape '\\'`);
    if (f.kind) q = q.where('a.kind', '=', f.kind);
    if (f.department) {
      const dep = f.department;
      q = q.where((eb) => eb.or([eb('a.department_code', '=', dep), eb('a.department_code', 'like', likeEscape(dep) + '.%')]));
    }
    if (f.role) {
      const role = f.role;
      q = q.where((eb) => eb.exists(eb.selectFrom('org_account_role as r').select('r.role').whereRef('r.account_id', '=', 'a.id').where('r.role', '=', role)));
    }
    if (f.q) {
      const pattern = '%' + likeEscape(f.q.toLowerCase()) + '%';
      q = q.where(sql<boolean>`(a.username like ${pattern} escape '\\' or lower(a.display_name) like ${pattern} escape '\\')`);
    }
    if (f.afterUsername !== undefined) q = q.where('a.username', '>', f.afterUsername);
    return this.withRoles(db, await q.orderBy('a.username').limit(f.limit).execute());
  }

  /** Staff accounts whose scope is one of these codes (the place itself and its ancestors). */
  async withScopeIn(db: Executor, scopes: string[], role?: Role): Promise<AccountRecord[]> {
    if (scopes.length === 0) return [];
    let q = this.base(db).where('a.scope_code', 'in', scopes).where('a.disabled_at', 'is', null);
    if (role) q = q.where((eb) => eb.exists(eb.selectFrom('org_account_role as r').select('r.role').whereRef('r.account_id', '=', 'a.id').where('r.role', '=', role)));
    return this.withRoles(db, await q.orderBy('a.username').limit(1000).execute());
  }

  async insert(db: Executor, row: AccountRow, roles: Role[]): Promise<void> {
    await db.insertInto('org_account').values(row).execute();
    await this.setRoles(db, row.id, roles);
  }

  async update(db: Executor, id: string, patch: Partial<Omit<AccountRow, 'id'>>): Promise<void> {
    await db.updateTable('org_account').set(patch).where('id', '=', id).execute();
  }

  async setRoles(db: Executor, id: string, roles: Role[]): Promise<void> {
    await db.deleteFrom('org_account_role').where('account_id', '=', id).execute();
    if (roles.length > 0) await db.insertInto('org_account_role').values(roles.map((role) => ({ account_id: id, role }))).execute();
  }
}
