import { call, ApiError } from './client.ts';
import type { Account, DemoAccount } from './types.ts';

/** Signs in; the server sets an HttpOnly session cookie. */
export async function login(username: string, password: string): Promise<Account> {
  const r = await call<{ account: Account }>('POST', '/auth/login', { body: { username, password }, quiet401: true });
  return r.account;
}

export async function logout(): Promise<void> {
  await call<void>('POST', '/auth/logout', { quiet401: true });
}

/** The signed-in account, or null when there is no valid session. */
export async function me(): Promise<Account | null> {
  try {
    const r = await call<{ account: Account }>('GET', '/auth/me', { quiet401: true });
    return r.account;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Demo accounts (demo mode only); an empty list when the server does not offer them. */
export async function demoAccounts(): Promise<DemoAccount[]> {
  try {
    const r = await call<unknown>('GET', '/auth/demo-accounts', { quiet401: true });
    const list = Array.isArray(r) ? r : ((r as { items?: unknown; accounts?: unknown })?.items ?? (r as { accounts?: unknown })?.accounts);
    return Array.isArray(list) ? (list as DemoAccount[]).filter((a) => a && typeof a.username === 'string') : [];
  } catch {
    return [];
  }
}
