// The /verify page's check: the shared checkPresentation (the same code the server's POST /api/verify
// runs) with this browser's sources — issuer keys and status lists from the cache or the network,
// nonces remembered in localStorage — so it works with no connection once it has been online.
import { checkPresentation, type CheckResult } from '../../../../src/services/wallet/check.ts';
import { audienceOf, seenBefore, statusList, trustedIssuer } from './trust.ts';

/** Like the server: a key-binding proof older than two minutes is stale (wallets refresh every minute). */
const MAX_AGE_SECONDS = 120;

export interface VerifyOutcome {
  result: CheckResult;
  /** When the status list used was fetched, if it came from the cache because the network failed. */
  statusAsOf?: number;
  /** When the issuer keys used were fetched, if they came from the cache because the network failed. */
  keysAsOf?: number;
  checkedAt: number;
}

async function once(presentation: string, refreshKeys: boolean): Promise<VerifyOutcome> {
  const meta = await trustedIssuer({ refresh: refreshKeys });
  const issuer = meta.value.issuer;
  let listFetchedAt: number | undefined;
  let listOffline = false;
  const checkedAt = Date.now();
  const result = await checkPresentation(presentation, {
    issuer,
    keys: meta.value.jwks.keys,
    now: Math.floor(checkedAt / 1000),
    audience: audienceOf(issuer),
    maxAge: MAX_AGE_SECONDS,
    allowStaleStatus: true,
    statusList: async (uri) => {
      const list = await statusList(uri, issuer);
      listFetchedAt = list?.fetchedAt;
      listOffline = !!list?.offline;
      return list?.value ?? null;
    },
    seen: async (nonce, until) => seenBefore(nonce, until),
  });
  // Offline, or past the list's own expiry: say how old the revocation information is.
  const statusAsOf = listFetchedAt !== undefined && (listOffline || !navigator.onLine || result.statusStale) ? listFetchedAt : undefined;
  return { result, statusAsOf, keysAsOf: meta.offline || !navigator.onLine ? meta.fetchedAt : undefined, checkedAt };
}

/** Verifies a presentation (or a verify URL carrying one after #vp=). */
export async function verifyHere(presentation: string): Promise<VerifyOutcome> {
  const first = await once(presentation, false);
  // A key we do not know may be a new one (the issuer rotated): fetch the keys once more. A refusal
  // at that step comes before the nonce is remembered, so checking again is not a replay.
  if (!first.result.valid && first.result.reason === 'UNKNOWN_KEY' && navigator.onLine) return once(presentation, true);
  return first;
}
