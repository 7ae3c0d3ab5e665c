// The wallet's state: this device's key, the server's list (credentials and licences not yet added)
// and the credentials held on this device. Credentials of mine that are not here yet are fetched and
// kept when they are bound to this device's key (or to none); bound to another device's key, they are
// marked `elsewhere` and can be added again to this phone. Offline, the held copies are all there is.
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { credential as fetchCredential, myWallet } from '../../api/wallet.ts';
import { useAsync } from '../../ui/useAsync.ts';
import { decodeCredential } from './credential.ts';
import { deviceKey, dropCredential, heldCredentials, isThisDevice, keepCredential } from './device.ts';

export function useWallet(accountId: string) {
  const device = useAsync(() => deviceKey(accountId), [accountId]);
  // The list remembers when it was asked for: a credential kept on this phone after that moment
  // (just added) is missing from it because it is newer, not because it was retired.
  const server = useAsync(async (signal) => {
    const askedAt = Date.now();
    return { ...(await myWallet(signal)), askedAt };
  }, []);
  const held = useAsync(() => heldCredentials(accountId), [accountId]);
  const [elsewhere, setElsewhere] = useState<ReadonlySet<string>>(new Set());
  const offline = server.error instanceof ApiError && server.error.status === 0;

  useEffect(() => {
    const key = device.data;
    const list = server.data;
    const mine = held.data;
    if (!key || !list || !mine) return;
    // Aborted when the screen goes (signing out unmounts it first): no request of this account is
    // made after that, and nothing more is kept on the device.
    const ctrl = new AbortController();
    const gone = () => ctrl.signal.aborted;
    (async () => {
      const here = new Set(mine.map((c) => c.id));
      const listed = new Set(list.items.map((c) => c.id));
      const away = new Set<string>();
      let changed = false;
      for (const c of mine) {
        if (gone()) return;
        const now = list.items.find((i) => i.id === c.id);
        if (!listed.has(c.id)) {
          if (c.storedAt >= list.askedAt) continue;
          await dropCredential(c.id, accountId); // retired (added again elsewhere) or gone
          changed = true;
        } else if (now && now.status !== c.view.status) {
          await keepCredential({ ...c, view: now });
          changed = true;
        }
      }
      for (const item of list.items) {
        if (here.has(item.id) || (item.status !== 'valid' && item.status !== 'suspended')) continue;
        const issued = await fetchCredential(item.id, ctrl.signal).catch(() => null);
        if (gone()) return;
        if (!issued) continue;
        const { cnf } = await decodeCredential(issued.sdJwt);
        if (gone()) return;
        if (!cnf || isThisDevice(cnf, key)) {
          await keepCredential({ id: item.id, accountId, sdJwt: issued.sdJwt, view: issued.credential });
          changed = true;
        } else away.add(item.id);
      }
      if (gone()) return;
      setElsewhere(away);
      if (changed) held.reload();
    })().catch(() => {});
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [device.data, server.data, held.data, accountId]);

  return {
    device,
    server,
    held,
    elsewhere,
    offline,
    reload() {
      server.reload();
      held.reload();
    },
  };
}
