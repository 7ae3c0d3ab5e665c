import type { Role } from '../platform/access.ts';
import type { AppContext, Clock } from '../platform/context.ts';
import type { HttpApp, Module } from '../platform/module.ts';
import { platformModule } from '../platform/index.ts';
import { jurisdictionsModule } from '../jurisdictions/index.ts';
import type { Dialect } from '../platform/db/database.ts';
import { startTestYiwang, type TestYiwang } from '../platform/testing.ts';
import { fromJson } from '../platform/db/dialect.ts';
import { orgModule } from './index.ts';
import type { AccountKind, Locale } from './org.schema.ts';
import { hashPassword } from './password.ts';
import { SESSION_COOKIE } from './session.service.ts';

/** Free text made by factories: every screen showing it proves nothing is injected. */
export const XSS = '<script>alert(1)</script>';
/** The password factory-made accounts get unless told otherwise. */
export const TEST_PASSWORD = 'Test-Passw0rd!';

/** A clock a test moves by hand. */
export interface TestClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function testClock(start = Date.UTC(2026, 2, 1, 1, 0, 0)): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}

/** The modules org tests compose: the platform, the jurisdiction tree org checks scopes against, and org. */
export const ORG_TEST_MODULES: Module[] = [platformModule, jurisdictionsModule, orgModule];

const treeSeeded = new WeakMap<AppContext, Promise<void>>();

/** Seeds the jurisdiction tree once per context, through the jurisdictions module itself. */
export function ensureJurisdictions(ctx: AppContext): Promise<void> {
  let p = treeSeeded.get(ctx);
  if (!p) {
    p = jurisdictionsModule.seed!(ctx, { demo: false, progress: () => {} });
    treeSeeded.set(ctx, p);
  }
  return p;
}

/** A test Yiwang with jurisdictions and org, a hand-moved clock, and the tree, departments (and demo accounts) seeded. */
export async function startOrgYiwang(
  dialect: Dialect,
  opts: { demo?: boolean; clock?: TestClock; env?: Record<string, string> } = {},
): Promise<TestYiwang & { clock: TestClock }> {
  const clock = opts.clock ?? testClock();
  const y = await startTestYiwang(dialect, { clock, modules: ORG_TEST_MODULES, env: opts.env });
  try {
    await ensureJurisdictions(y.ctx);
    await orgModule.seed!(y.ctx, { demo: opts.demo ?? true, progress: () => {} });
  } catch (err) {
    await y.close();
    throw err;
  }
  return { ...y, clock };
}

export interface MakeAccount {
  username?: string;
  displayName?: string;
  kind?: AccountKind;
  roles?: Role[];
  departmentCode?: string | null;
  scopeCode?: string | null;
  password?: string;
  locale?: Locale;
}

let seq = 0;
const hashes = new Map<string, Promise<string>>();
const seeded = new WeakMap<AppContext, Promise<void>>();

/**
 * Loads the department catalogue once per context, seeding the jurisdiction tree first if need be
 * (other modules' tests need it for staff accounts; their context must compose jurisdictionsModule).
 */
export function ensureDepartments(ctx: AppContext): Promise<void> {
  let p = seeded.get(ctx);
  if (!p) {
    p = ensureJurisdictions(ctx).then(() => orgModule.seed!(ctx, { demo: false, progress: () => {} }));
    seeded.set(ctx, p);
  }
  return p;
}

/**
 * Creates an account directly (audited like any other), by default a staff member of
 * 陆家嘴街道城运中心 whose display name carries a script tag. Loads the departments first if need be.
 * Returns its id, username and password.
 */
export async function makeAccount(ctx: AppContext, a: MakeAccount = {}): Promise<{ id: string; username: string; password: string }> {
  const username = a.username ?? `user${process.pid}.${++seq}`;
  const password = a.password ?? TEST_PASSWORD;
  // One hash per distinct password keeps factories fast; salts are unique where it matters (real accounts).
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  const kind = a.kind ?? 'staff';
  const staff = kind === 'staff';
  if (staff) await ensureDepartments(ctx);
  const id = await ctx.transaction(async (tx) =>
    ctx.services.accounts.insert(
      tx,
      {
        username,
        displayName: a.displayName ?? `测试用户 ${XSS}`,
        kind,
        roles: a.roles ?? (staff ? ['staff'] : kind === 'person' ? ['citizen'] : ['enterprise']),
        passwordHash: await hashes.get(password)!,
        departmentCode: staff ? (a.departmentCode === undefined ? 'cyzx.310115005' : a.departmentCode) : null,
        scopeCode: staff ? (a.scopeCode === undefined ? '310115005' : a.scopeCode) : null,
        locale: a.locale,
      },
      null,
    ),
  );
  return { id, username, password };
}

let ipSeq = 0;
/** A fresh client address, so the per-address login limit of one test does not reach the next. */
export function freshIp(): string {
  ipSeq++;
  return `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
}

/** Signs in through the API and returns the Cookie header to send with later requests. */
export async function login(app: HttpApp, username: string, password: string = TEST_PASSWORD): Promise<{ cookie: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: freshIp() });
  if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
  if (!c) throw new Error('login set no session cookie');
  return { cookie: `${SESSION_COOKIE}=${c.value}` };
}

/** The outbox events of one name whose payload mentions this account. */
export async function outboxEvents(ctx: AppContext, name: string, accountId: string): Promise<Array<Record<string, unknown>>> {
  const rows = await ctx.db.selectFrom('platform_outbox').select(['name', 'payload']).where('name', '=', name).orderBy('seq').execute();
  return rows.map((r) => fromJson<Record<string, unknown>>(r.payload)).filter((p) => p.accountId === accountId);
}
