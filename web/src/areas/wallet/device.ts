// This browser's wallet: one device key (ECDSA P-256; the private key is created non-extractable, so
// script can sign with it but never read it out) and the credentials held here, both in IndexedDB so
// a licence can be shown with no network. The public key is what the issuer binds a credential to.
import type { CredentialView, Jwk } from '../../api/wallet.ts';

const DB_NAME = 'yiwang-wallet';
const KEYS = 'keys';
const CREDENTIALS = 'credentials';

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
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(KEYS)) db.createObjectStore(KEYS);
      if (!db.objectStoreNames.contains(CREDENTIALS)) db.createObjectStore(CREDENTIALS, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
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

let keyPromise: Promise<DeviceKey> | null = null;

/** This device's key pair, created on first use. */
export function deviceKey(): Promise<DeviceKey> {
  keyPromise ??= (async () => {
    const saved = await run<DeviceKey | undefined>(KEYS, 'readonly', (s) => s.get('device'));
    if (saved?.privateKey && saved.publicJwk) return saved;
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const full = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
    const key: DeviceKey = { privateKey: pair.privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x: full.x, y: full.y } };
    await run(KEYS, 'readwrite', (s) => s.put(key, 'device'));
    return key;
  })();
  keyPromise.catch(() => {
    keyPromise = null;
  });
  return keyPromise;
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
  const all = await run<HeldCredential[]>(CREDENTIALS, 'readonly', (s) => s.getAll());
  return all.filter((c) => c.accountId === accountId).sort((a, b) => b.storedAt - a.storedAt);
}

export async function heldCredential(id: string, accountId: string): Promise<HeldCredential | null> {
  const c = await run<HeldCredential | undefined>(CREDENTIALS, 'readonly', (s) => s.get(id));
  return c && c.accountId === accountId ? c : null;
}

export async function keepCredential(c: Omit<HeldCredential, 'storedAt'>): Promise<void> {
  await run(CREDENTIALS, 'readwrite', (s) => s.put({ ...c, storedAt: Date.now() }));
}

export async function dropCredential(id: string): Promise<void> {
  await run(CREDENTIALS, 'readwrite', (s) => s.delete(id));
}
