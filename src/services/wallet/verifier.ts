// The issuer's own verification service (POST /api/verify): the shared check with the issuer's
// keys and status lists read locally, nonces remembered in the database (so a presentation is good
// once across all processes), and every verification logged — the reason and which claims were
// disclosed, never their values. The /verify page runs the same check offline without calling this.

import { createHash } from 'node:crypto';
import type { Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { fromJson } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import { checkPresentation, REASONS, type CheckEnv, type CheckResult } from './check.ts';
import { CREDENTIAL_TYPES } from './credential-types.ts';
import type { IssuerKeys } from './keys.ts';
import type { StatusLists } from './status-list.ts';
import type { VerifyReply } from './wallet.schema.ts';
import type { WalletStore } from './wallet.store.ts';

/** A key-binding proof older than this is stale: the wallet refreshes its QR well within it. */
export const MAX_AGE_SECONDS = 120;

export class Verifier {
  constructor(private readonly ctx: AppContext, private readonly keys: IssuerKeys, private readonly lists: StatusLists, private readonly store: WalletStore) {}

  /** The verify page's URL: the audience a wallet names in its key-binding proof. */
  get audience(): string {
    return `${this.ctx.config.publicUrl}/verify`;
  }

  async verify(presentation: string, opts: { audience?: string; verifier?: Principal | null; ip?: string } = {}): Promise<VerifyReply> {
    const now = this.ctx.clock.now();
    const result = await checkPresentation(presentation, this.env(now, opts.audience, await this.keys.published())).catch((err: unknown) => {
      // The database behind nonces failed: the presentation may be fine, so say so rather than refuse it.
      this.ctx.log.error({ err }, 'wallet: verification could not run');
      throw new AppError('SERVICE_UNAVAILABLE', 'Verification is unavailable for a moment; try again');
    });
    await this.log(result, now, opts);
    return reply(result, now);
  }

  private env(now: number, audience: string | undefined, keys: CheckEnv['keys']): CheckEnv {
    return {
      issuer: this.ctx.config.publicUrl,
      keys,
      now: Math.floor(now / 1000),
      audience: audience ?? this.audience,
      maxAge: MAX_AGE_SECONDS,
      statusList: async (uri) => {
        const id = this.lists.listOf(uri);
        return id === null ? null : this.lists.token(id);
      },
      sha256: nodeSha256,
      seen: async (nonce, until) => !(await this.store.remember(this.ctx.db, nonce.slice(0, 64), until)),
    };
  }

  /** Verifications of the holder's credentials through this service (who checked my licence, and when). */
  async of(accountId: string, limit = 100): Promise<Array<{ at: string; valid: boolean; reason: string | null; credentialId: string | null; type: string | null; disclosed: string[] }>> {
    const rows = await this.store.verificationsOf(this.ctx.db, accountId, limit);
    return rows.map((r) => ({ at: new Date(Number(r.at)).toISOString(), valid: !!r.valid, reason: r.reason, credentialId: r.credential_id, type: r.type, disclosed: r.disclosed ? fromJson<string[]>(r.disclosed) : [] }));
  }

  private async log(r: CheckResult, now: number, opts: { verifier?: Principal | null; ip?: string }): Promise<void> {
    const listId = r.status ? this.lists.listOf(r.status.uri) : null;
    const cred = listId !== null && r.status ? await this.store.byEntry(this.ctx.db, listId, r.status.idx) : null;
    await this.store.logVerification(this.ctx.db, {
      id: this.ctx.random.uuid(),
      at: now,
      valid: r.valid ? 1 : 0,
      reason: r.reason ?? null,
      type: r.type ?? null,
      credential_id: cred?.id ?? null,
      disclosed: Object.keys(r.claims),
      verifier_account: opts.verifier?.accountId ?? null,
      verifier_ip: opts.ip ?? null,
    });
    if (!r.valid) this.ctx.log.info({ reason: r.reason, type: r.type }, 'wallet: presentation refused');
  }
}

const nodeSha256 = (s: string): Uint8Array => createHash('sha256').update(s).digest();

function reply(r: CheckResult, now: number): VerifyReply {
  const type = r.type ? CREDENTIAL_TYPES[r.type] : undefined;
  const iso = (s?: number) => (s === undefined ? undefined : new Date(s * 1000).toISOString());
  return {
    valid: r.valid,
    ...(r.reason ? { reason: r.reason, message: REASONS[r.reason], detail: r.detail } : {}),
    ...(type ? { type: type.code, nameZh: type.nameZh, nameEn: type.nameEn } : {}),
    claims: r.claims,
    holderBound: r.holderBound,
    ...(r.issuedAt !== undefined ? { issuedAt: iso(r.issuedAt) } : {}),
    ...(r.expiresAt !== undefined ? { expiresAt: iso(r.expiresAt) } : {}),
    checkedAt: new Date(now).toISOString(),
  };
}
