import type { Role } from '../platform/access.ts';
import type { AccountKind } from './org.schema.ts';

/**
 * The events the org module publishes. Every one of them has an audit entry with the same action
 * name, written in the same transaction. `by` is the acting account (null for the system itself).
 */
declare module '../platform/bus/events.ts' {
  interface EventMap {
    'org.account.created': {
      v: 1;
      accountId: string;
      username: string;
      kind: AccountKind;
      roles: Role[];
      departmentCode: string | null;
      scopeCode: string | null;
      by: string | null;
    };
    /** Display name, roles or locale changed; `changed` names the fields. */
    'org.account.updated': { v: 1; accountId: string; changed: string[]; roles: Role[]; by: string | null };
    /** Disabled: its sessions and API tokens were revoked in the same transaction. */
    'org.account.disabled': { v: 1; accountId: string; by: string | null };
    'org.account.enabled': { v: 1; accountId: string; by: string | null };
    'org.account.password_changed': { v: 1; accountId: string; by: string | null };
    /** Too many failed logins; the account cannot sign in until `until` (epoch ms). */
    'org.account.locked': { v: 1; accountId: string; until: number };
    'org.session.started': { v: 1; accountId: string; sessionId: string };
    'org.session.ended': { v: 1; accountId: string; sessionId: string };
    'org.token.created': { v: 1; accountId: string; tokenId: string; name: string; expiresAt: number | null };
    'org.token.revoked': { v: 1; accountId: string; tokenId: string };
  }
}

export {};
