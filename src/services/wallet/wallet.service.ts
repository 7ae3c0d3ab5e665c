// The e-licence wallet (电子证照 亮证): credentials issued to a holder's phone key as SD-JWT VCs,
// their status, and the issuer's public face (metadata, keys, status lists). Verification is in
// verifier.ts; the claims of a licence in licence-claims.ts.

import type { Principal } from '../../platform/access.ts';
import { authorize, UNSCOPED } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { CREDENTIAL_TYPES, type CredentialType } from './credential-types.ts';
import type { IssuerKeys } from './keys.ts';
import { licenceClaims } from './licence-claims.ts';
import type { PublicJwk } from './sdjwt.ts';
import { checkInput, signCredential, type IssueInput } from './credential-builder.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { StatusLists } from './status-list.ts';
import type { CredentialRow, CredentialStatus, CredentialView } from './wallet.schema.ts';
import { WalletStore } from './wallet.store.ts';
import { Verifier } from './verifier.ts';

export interface Issued {
  credential: CredentialView;
  sdJwt: string;
  paperSdJwt?: string;
}

/** Work a caller does in the issuing transaction, once the credential is stored. */
export type AfterIssue = (tx: Tx, issued: Issued) => Promise<void>;

export type { IssueInput };

export class WalletService {
  readonly store = new WalletStore();
  readonly verifier: Verifier;

  constructor(private readonly ctx: AppContext, readonly keys: IssuerKeys, readonly lists: StatusLists) {
    this.verifier = new Verifier(ctx, keys, lists, this.store);
  }

  /** Checks a presentation as the issuer's verification service does (logged; a nonce is good once). */
  verify(presentation: string, opts?: Parameters<Verifier['verify']>[1]): ReturnType<Verifier['verify']> {
    return this.verifier.verify(presentation, opts);
  }

  /** Who verified my credentials through Yiwang's service. */
  async verifications(p: Principal | null): ReturnType<Verifier['of']> {
    authorize(p, 'wallet.hold', UNSCOPED);
    return this.verifier.of(p.accountId);
  }

  async listKeys(p: Principal | null): ReturnType<IssuerKeys['list']> {
    authorize(p, 'wallet.keys.manage', UNSCOPED);
    return this.keys.list();
  }

  /** Signs a credential for a holder; `after` runs in the same transaction (see issueWith). */
  issue(input: IssueInput, after?: AfterIssue): Promise<Issued> {
    return this.issueWith(async () => input, after);
  }

  /**
   * Signs a credential whose input is settled inside the issuing transaction — a certificate draws its
   * number there — and runs `after` in it too, so the credential and the records pointing at it
   * commit together or not at all.
   */
  async issueWith(prepare: (tx: Tx) => Promise<IssueInput>, after?: AfterIssue): Promise<Issued> {
    // Read before the transaction: on SQLite it holds the only connection.
    const key = await this.keys.active();
    const now = this.ctx.clock.now();
    return this.ctx.transaction(async (tx) => {
      const c = await checkInput(await prepare(tx));
      const { input, type } = c;
      const entry = await this.lists.allocate(tx);
      const uri = this.lists.uri(entry.listId);
      const sdJwt = await signCredential(key, this.ctx.config.publicUrl, uri, entry.idx, c, now, true);
      const paper = input.paper ? await signCredential(key, this.ctx.config.publicUrl, uri, entry.idx, c, now, false) : null;
      const r: CredentialRow = {
        id: this.ctx.random.uuid(), account_id: input.accountId, holder_kind: input.holder.kind, holder_id: input.holder.id, type: type.code,
        source_kind: input.source.kind, source_id: input.source.id, kid: key.kid, list_id: entry.listId, idx: entry.idx,
        holder_jkt: c.cnf?.jkt ?? null, issued_at: now, valid_until: c.validUntil, status: 'valid', status_reason: null,
        status_changed_at: now, sd_jwt: sdJwt, paper_sd_jwt: paper,
      };
      await this.store.insert(tx, r);
      await this.ctx.outbox.add(tx, 'wallet.credential.issued', { v: 1, credentialId: r.id, type: type.code, accountId: input.accountId, source: input.source });
      await this.ctx.audit.record(tx, { actorId: input.accountId, action: 'wallet.credential.issued', subjectType: 'wallet_credential', subjectId: r.id, detail: { type: type.code, source: input.source, bound: !!c.cnf } });
      const issued: Issued = { credential: view(r, now), sdJwt, ...(paper ? { paperSdJwt: paper } : {}) };
      await after?.(tx, issued);
      return issued;
    });
  }

  /** 亮证: the holder puts a licence of the e-licence library into the wallet on this phone's key. */
  async addLicence(p: Principal | null, body: { licenceId: string; holderJwk: PublicJwk }): Promise<Issued> {
    authorize(p, 'wallet.hold', UNSCOPED);
    const me = await this.ctx.services.registries.mine(p);
    const licence = me.licences.find((l) => l.id === body.licenceId);
    if (!licence) throw new AppError('LICENCE_NOT_FOUND', undefined, 'licenceId');
    const type = CREDENTIAL_TYPES[licence.type];
    if (!type) throw invalid('licenceId', `a ${licence.type} does not go into the wallet`);
    if (licence.status !== 'valid') throw new AppError('LICENCE_NOT_VALID', `The licence is ${licence.status}`, 'licenceId');
    const authority = (await this.ctx.services.departments.find(licence.issuerCode))?.name ?? licence.issuerCode;
    const claims = await licenceClaims(me, licence, authority, await this.keys.secret('portrait'));
    // One live credential per licence: adding it on a new phone retires the copy on the old one, in
    // the same transaction, so two phones never both hold a live copy.
    const input = { holder: { kind: licence.holderKind, id: licence.holderId }, accountId: p.accountId, type: type.code, claims, validUntil: licence.validUntil, holderJwk: body.holderJwk, source: { kind: 'licence' as const, id: licence.id } };
    return this.issue(input, async (tx, issued) => {
      for (const old of await this.store.bySource(tx, p.accountId, 'licence', licence.id)) {
        if (old.id !== issued.credential.id) await this.writeStatus(tx, old, 'revoked', '已在新设备上领取 · re-issued to another device', p.accountId);
      }
    });
  }

  /** The wallet: credentials held, and licences of the library not yet in it. */
  async list(p: Principal | null): Promise<{ items: CredentialView[]; available: Array<{ licenceId: string; type: string; nameZh: string; nameEn: string; number: string; validUntil: string | null }> }> {
    authorize(p, 'wallet.hold', UNSCOPED);
    const now = this.ctx.clock.now();
    const rows = await this.store.ofAccount(this.ctx.db, p.accountId);
    const me = await this.ctx.services.registries.mine(p).catch(() => null);
    const held = new Set(rows.filter((r) => r.status !== 'revoked' && r.source_kind === 'licence').map((r) => r.source_id));
    const available = (me?.licences ?? [])
      .filter((l) => CREDENTIAL_TYPES[l.type] && l.status === 'valid' && !held.has(l.id))
      .map((l) => ({ licenceId: l.id, type: l.type, nameZh: CREDENTIAL_TYPES[l.type]!.nameZh, nameEn: CREDENTIAL_TYPES[l.type]!.nameEn, number: maskNumber(l.number), validUntil: l.validUntil }));
    return { items: rows.map((r) => view(r, now)), available };
  }

  /** One credential with its SD-JWT (for the holder's phone), or 404 for anyone else's. */
  async get(p: Principal | null, id: string): Promise<Issued> {
    authorize(p, 'wallet.hold', UNSCOPED);
    const row = await this.store.get(this.ctx.db, id);
    if (!row || row.account_id !== p.accountId) throw new AppError('WALLET_CREDENTIAL_NOT_FOUND');
    return { credential: view(row, this.ctx.clock.now()), sdJwt: row.sd_jwt, ...(row.paper_sd_jwt ? { paperSdJwt: row.paper_sd_jwt } : {}) };
  }

  /** Revoke, suspend or reinstate: staff of the issuing department (or an administrator). */
  async setStatus(p: Principal | null, id: string, status: CredentialStatus, reason: string): Promise<CredentialView> {
    authorize(p, 'wallet.status.manage', UNSCOPED);
    const row = await this.store.get(this.ctx.db, id);
    if (!row) throw new AppError('WALLET_CREDENTIAL_NOT_FOUND');
    const type = CREDENTIAL_TYPES[row.type]!;
    // The issuing department decides (administrators too, audited), and a district or street office
    // only for holders in its jurisdiction: a Pudong police officer does not suspend a Jing'an licence.
    const dept = p.departmentCode?.split('.')[0];
    if (!p.roles.includes('admin') && dept !== type.issuerCode) throw new AppError('ROLE_FORBIDDEN', `Only ${type.issuerCode} changes the status of a ${type.nameEn}`);
    const holder = await this.ctx.services.registries.record(row.holder_kind as 'person' | 'entity', row.holder_id);
    authorize(p, 'wallet.status.manage', { ownerId: null, jurisdictionCode: holder?.jurisdictionCode ?? '310000' });
    if (row.status === 'revoked') throw new AppError('CONFLICT', 'A revoked credential stays revoked; issue a new one');
    return view(await this.changeStatus(row, status, reason, p.accountId), this.ctx.clock.now());
  }

  /** What a verifier needs to trust Yiwang's credentials: `/.well-known/jwt-vc-issuer`. */
  async issuerMetadata(): Promise<{ issuer: string; jwks: { keys: PublicJwk[] } }> {
    return { issuer: this.ctx.config.publicUrl, jwks: { keys: await this.keys.published() } };
  }

  async statusList(listId: number): Promise<string> {
    const token = await this.lists.token(listId);
    if (!token) throw new AppError('STATUS_LIST_NOT_FOUND');
    return token;
  }

  async rotateKeys(p: Principal | null, withdraw: boolean): Promise<{ kid: string; retired: string[] }> {
    authorize(p, 'wallet.keys.manage', UNSCOPED);
    const r = await this.keys.rotate(withdraw);
    this.lists.forget();
    await this.ctx.transaction(async (tx) => {
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: withdraw ? 'wallet.key.withdrawn' : 'wallet.key.rotated', subjectType: 'wallet_key', subjectId: r.kid, detail: { retired: r.retired } });
      await this.ctx.outbox.add(tx, 'wallet.keys.rotated', { v: 1, kid: r.kid });
    });
    return r;
  }

  /** The scheduled rotation: a new signing key once the current one is `maxAgeDays` old. */
  async rotateIfDue(maxAgeDays: number): Promise<string | null> {
    const kid = await this.keys.rotateIfDue(maxAgeDays);
    if (!kid) return null;
    this.lists.forget();
    await this.ctx.transaction(async (tx) => {
      await this.ctx.audit.record(tx, { actorId: null, action: 'wallet.key.rotated', subjectType: 'wallet_key', subjectId: kid, detail: { scheduled: true, maxAgeDays } });
      await this.ctx.outbox.add(tx, 'wallet.keys.rotated', { v: 1, kid });
    });
    return kid;
  }

  private async changeStatus(row: CredentialRow, status: CredentialStatus, reason: string, actorId: string): Promise<CredentialRow> {
    const now = this.ctx.clock.now();
    return this.ctx.transaction((tx) => this.writeStatus(tx, row, status, reason, actorId, now));
  }

  /** Writes a status change with its event and audit entry; a credential revoked meanwhile stays revoked (409). */
  private async writeStatus(tx: Tx, row: CredentialRow, status: CredentialStatus, reason: string, actorId: string, now = this.ctx.clock.now()): Promise<CredentialRow> {
    const next = { ...row, status, status_reason: reason, status_changed_at: Math.max(now, Number(row.status_changed_at) + 1) };
    if (!(await this.store.setStatus(tx, row.id, status, reason, next.status_changed_at))) throw new AppError('CONFLICT', 'A revoked credential stays revoked; issue a new one');
    await this.ctx.outbox.add(tx, 'wallet.credential.status', { v: 1, credentialId: row.id, accountId: row.account_id, status, listId: row.list_id });
    await this.ctx.audit.record(tx, { actorId, action: `wallet.credential.${status}`, subjectType: 'wallet_credential', subjectId: row.id, detail: { reason } });
    return next;
  }
}

export function view(r: CredentialRow, now: number): CredentialView {
  const type: CredentialType | undefined = CREDENTIAL_TYPES[r.type];
  const until = r.valid_until === null ? null : Number(r.valid_until);
  const status = r.status === 'valid' && until !== null && until < now ? 'expired' : (r.status as CredentialView['status']);
  return {
    id: r.id, type: r.type, vct: type?.vct ?? '', nameZh: type?.nameZh ?? r.type, nameEn: type?.nameEn ?? r.type,
    holderKind: r.holder_kind, holderId: maskNumber(r.holder_id), source: { kind: r.source_kind, id: r.source_id },
    issuedAt: new Date(Number(r.issued_at)).toISOString(), validUntil: until === null ? null : new Date(until).toISOString(),
    status, statusReason: r.status_reason, bound: r.holder_jkt !== null,
  };
}

/** 3101**********1234: enough to tell one's own documents apart, not enough to copy. */
export function maskNumber(n: string): string {
  return n.length <= 8 ? n : `${n.slice(0, 4)}${'*'.repeat(n.length - 8)}${n.slice(-4)}`;
}
