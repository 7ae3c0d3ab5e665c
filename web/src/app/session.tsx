// Who is signed in: loaded once from /api/auth/me, replaced on login, cleared on logout or on any 401.
import { flushSync } from 'react-dom';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as auth from '../api/auth.ts';
import { onUnauthorized } from '../api/client.ts';
import { forgetWallet } from '../areas/wallet/device.ts';
import type { Account } from '../api/types.ts';
import { navigate } from './router.tsx';

interface Session {
  /** undefined while the first /me call is in flight. */
  account: Account | null | undefined;
  signedIn(account: Account): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<Account | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    auth.me().then(
      (a) => live && setAccount(a),
      () => live && setAccount(null),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(
    () =>
      onUnauthorized(() => {
        setAccount(null);
        const here = window.location.pathname + window.location.search;
        if (!here.startsWith('/login')) navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
      }),
    [],
  );

  const signOut = useCallback(async () => {
    // The signed-in screens go first, at once: their effects abort what they were still fetching,
    // so no request of this account races the logout (and comes back 401) and nothing fetched
    // after this moment is kept in the wallet.
    flushSync(() => setAccount(null));
    await forgetWallet(); // a shared browser keeps no one's licences after they sign out
    try {
      await auth.logout();
    } finally {
      navigate('/login', { replace: true });
    }
  }, []);

  const value = useMemo<Session>(() => ({ account, signedIn: setAccount, signOut }), [account, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in account; only for components rendered inside an area (which requires one). */
export function useAccount(): Account {
  const { account } = useSession();
  if (!account) throw new Error('useAccount without a signed-in account');
  return account;
}
