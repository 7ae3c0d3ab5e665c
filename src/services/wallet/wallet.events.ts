/** The events the wallet publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** A credential was signed into a holder's wallet (a licence added, a certificate issued). */
    'wallet.credential.issued': { v: 1; credentialId: string; type: string; accountId: string; source: { kind: string; id: string } };
    /** A credential was revoked, suspended or reinstated: its status list changes. */
    'wallet.credential.status': { v: 1; credentialId: string; accountId: string; status: string; listId: number };
    /** A new issuer key signs from now on. */
    'wallet.keys.rotated': { v: 1; kid: string };
  }
}

export {};
