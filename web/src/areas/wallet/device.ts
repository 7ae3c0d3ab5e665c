// This browser's wallet, one per account: a device key (ECDSA P-256; the private key is created
// non-extractable, so script can sign with it but never read it out) and the credentials held here,
// both in IndexedDB so a licence can be shown with no network. The public key is what the issuer
// binds a credential to. Everything is keyed by account id, so on a shared browser one account never
// sees, nor signs with, what another added; signing out clears the held credentials (forgetWallet).
import type { CredentialView, Jwk } from '../../api/wallet.ts';

const DB_NAME = 'yiwang-wallet';
const DB_VERSION = 2;
const KEYS = 'keys';
/** Version 1's store (keyed by credential id alone): migrated into HELD, then dropped. */
const LEGACY_CREDENTIALS = 'credentials';
/** Held credentials, keyed by [accountId, id], with an index on accountId. */
const HELD = 'held';
const BY_ACCOUNT = 'accountId';
/** Version 1's single device key, shared by every account of the browser. */
const LEGACY_KEY = 'device';
const keyName = (accountId: string) => `device:${accountId}`;

/** A credential kept on this device: the SD-JWT itself and the server's view of it when stored. */
export interface HeldCredential {
  id: string;
  /** The account that added it (a shared browser keeps each account's credentials apart). */
  accountId: string;
  sdJwt: string;
  view: CredentialView;
  storedAt: number;
}

export interface DeviceKey {
  privateKey: CryptoKey;
  publicJwk: Jwk;
}

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(KEYS)) db.createObjectStore(KEYS);
      if (!db.objectStoreNames.contains(HELD)) db.createObjectStore(HELD, { keyPath: ['accountId', 'id'] }).createIndex(BY_ACCOUNT, 'accountId');
      if (db.objectStoreNames.contains(LEGACY_CREDENTIALS)) {
        const tx = req.transaction!;
        const all = tx.objectStore(LEGACY_CREDENTIALS).getAll();
        all.onsuccess = () => {
          const held = tx.objectStore(HELD);
          for (const c of all.result as HeldCredential[]) if (c && typeof c.accountId === 'string' && typeof c.id === 'string') held.put(c);
          db.deleteObjectStore(LEGACY_CREDENTIALS);
        };
      }
    };
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => {
        db.close();
        dbPromise = null;
      };
      resolve(db);
    };
    req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
  });
  dbPromise.catch(() => {
    dbPromise = null;
  });
  return dbPromise;
}

function run<T>(store: string, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const req = op(tx.objectStore(store));
        tx.oncomplete = () => resolve(req.result as T);
        tx.onerror = () => reject(tx.error ?? req.error);
        tx.onabort = () => reject(tx.error ?? new Error('aborted'));
      }),
  );
}

/** The x coordinate of the holder key a credential is bound to (cnf.jwk), read without checking. */
function boundX(sdJwt: string): string | undefined {
  try {
    const part = sdJwt.split('~')[0]!.split('.')[1]!;
    const payload = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { cnf?: { jwk?: Jwk } };
    return payload.cnf?.jwk?.x;
  } catch {
    return undefined;
  }
}

const keys = new Map<string, Promise<DeviceKey>>();

/**
 * The account's key pair on this device, created on first use. Version 1 kept one key for the whole
 * browser: an account whose held credentials are bound to that key takes a copy of it (so they stay
 * showable); any other account gets a key of its own.
 */
export function deviceKey(accountId: string): Promise<DeviceKey> {
  let p = keys.get(accountId);
  if (!p) {
    p = (async () => {
      const saved = await run<DeviceKey | undefined>(KEYS, 'readonly', (s) => s.get(keyName(accountId)));
      if (saved?.privateKey && saved.publicJwk) return saved;
      const legacy = await run<DeviceKey | undefined>(KEYS, 'readonly', (s) => s.get(LEGACY_KEY));
      let key: DeviceKey | undefined;
      if (legacy?.privateKey && legacy.publicJwk) {
        const mine = await heldCredentials(accountId);
        if (mine.some((c) => boundX(c.sdJwt) === legacy.publicJwk.x)) key = legacy;
      }
      if (!key) {
        const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
        const full = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
        key = { privateKey: pair.privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x: full.x, y: full.y } };
      }
      await run(KEYS, 'readwrite', (s) => s.put(key, keyName(accountId)));
      return key;
    })();
    keys.set(accountId, p);
    p.catch(() => keys.delete(accountId));
  }
  return p;
}

/** True when `jwk` is this device's public key. */
export function isThisDevice(jwk: Jwk | undefined | null, device: DeviceKey): boolean {
  return !!jwk && jwk.x === device.publicJwk.x && jwk.y === device.publicJwk.y;
}

/** A short, stable label for the device key (the start of its x coordinate), so a person can tell phones apart. */
export function deviceLabel(device: DeviceKey): string {
  return (device.publicJwk.x ?? '').slice(0, 8);
}

export async function heldCredentials(accountId: string): Promise<HeldCredential[]> {
  const mine = await run<HeldCredential[]>(HELD, 'readonly', (s) => s.index(BY_ACCOUNT).getAll(accountId));
  return mine.filter((c) => c.accountId === accountId).sort((a, b) => b.storedAt - a.storedAt);
}

export async function heldCredential(id: string, accountId: string): Promise<HeldCredential | null> {
  const c = await run<HeldCredential | undefined>(HELD, 'readonly', (s) => s.get([accountId, id]));
  return c && c.accountId === accountId ? c : null;
}

export async function keepCredential(c: Omit<HeldCredential, 'storedAt'>): Promise<void> {
  await run(HELD, 'readwrite', (s) => s.put({ ...c, storedAt: Date.now() }));
}

export async function dropCredential(id: string, accountId: string): Promise<void> {
  await run(HELD, 'readwrite', (s) => s.delete([accountId, id]));
}

/**
 * On sign-out: drops every credential held in this browser and forgets the keys loaded in memory.
 * The per-account keys stay (non-extractable, useless without the credentials, which only that
 * account's session can fetch again), so signing back in re-fetches the credentials bound to them
 * instead of asking for each licence to be added again. Never rejects.
 */
export async function forgetWallet(): Promise<void> {
  keys.clear();
  try {
    await run(HELD, 'readwrite', (s) => s.clear());
  } catch {
    // no IndexedDB (private mode): nothing was kept
  }
}
