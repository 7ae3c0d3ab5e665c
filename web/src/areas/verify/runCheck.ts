// The /verify page's check: the shared checkPresentation (the same code the server's POST /api/verify
// runs) with this browser's sources — issuer keys and status lists from the cache or the network,
// nonces remembered in localStorage — so it works with no connection once it has been online.
import { checkPresentation, type CheckResult } from '../../../../src/services/wallet/check.ts';
import { audienceOf, seenBefore, statusList, trustedIssuer, type ListResult } from './trust.ts';

/** Like the server: a key-binding proof older than two minutes is stale (wallets refresh every minute). */
const MAX_AGE_SECONDS = 120;

export interface VerifyOutcome {
  result: CheckResult;
  /** When the status list used was fetched, if it came from the cache because the network failed. */
  statusAsOf?: number;
  /** When the only status list to hand was fetched, if it was too old to rely on (status unknown). */
  statusTooOld?: number;
  /** When the issuer keys used were fetched, if they came from the cache because the network failed. */
  keysAsOf?: number;
  checkedAt: number;
}

async function once(presentation: string, refresh: boolean): Promise<VerifyOutcome & { listKeyUnknown: boolean }> {
  const meta = await trustedIssuer({ refresh });
  const issuer = meta.value.issuer;
  let list: ListResult | undefined;
  const checkedAt = Date.now();
  const result = await checkPresentation(presentation, {
    issuer,
    keys: meta.value.jwks.keys,
    now: Math.floor(checkedAt / 1000),
    audience: audienceOf(issuer),
    maxAge: MAX_AGE_SECONDS,
    // A list past its `exp` is accepted (the result says how old it is) only within STATUS_GRACE:
    // statusList hands over none beyond that, and the check then fails STATUS_UNAVAILABLE.
    allowStaleStatus: true,
    statusList: async (uri) => {
      list = await statusList(uri, issuer, meta.value.jwks.keys, { refresh });
      return list.token;
    },
    seen: async (nonce, until) => seenBefore(nonce, until),
  });
  const offline = !navigator.onLine;
  // Offline, or past the list's own expiry: say how old the revocation information is.
  const statusAsOf = list?.token && list.fetchedAt !== undefined && (list.offline || offline || result.statusStale) ? list.fetchedAt : undefined;
  const statusTooOld = list?.tooOld ? list.fetchedAt : undefined;
  return { result, statusAsOf, statusTooOld, keysAsOf: meta.offline || offline ? meta.fetchedAt : undefined, checkedAt, listKeyUnknown: !!list?.unknownKey };
}

/** Verifies a presentation (or a verify URL carrying one after #vp=). */
export async function verifyHere(presentation: string): Promise<VerifyOutcome> {
  const first = await once(presentation, false);
  // A key we do not know may be a new one (the issuer rotated, and re-signed its status lists at
  // once): fetch the keys and the status list once more. Both refusals come before the nonce is
  // remembered, so checking again is not a replay.
  const reason = first.result.valid ? undefined : first.result.reason;
  if ((reason === 'UNKNOWN_KEY' || reason === 'STATUS_UNAVAILABLE') && (navigator.onLine || first.listKeyUnknown)) return once(presentation, true);
  return first;
}
