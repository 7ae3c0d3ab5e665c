// The e-licence wallet (电子证照 亮证): credentials issued to a holder's phone key as SD-JWT VCs,
// their status, and the issuer's public face (metadata, keys, status lists). Verification is in
// verifier.ts; the claims of a licence in licence-claims.ts.

import { calculateJwkThumbprint, importJWK } from 'jose';
import type { Principal } from '../../platform/access.ts';
import { authorize, UNSCOPED } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { CREDENTIAL_TYPES, type CredentialType, type HolderKind } from './credential-types.ts';
import type { IssuerKeys } from './keys.ts';
import { licenceClaims } from './licence-claims.ts';
import { ALG, CREDENTIAL_TYP, discloseAll, sdJwtVc, type PublicJwk } from './sdjwt.ts';
import type { StatusLists } from './status-list.ts';
import type { CredentialRow, CredentialStatus, CredentialView } from './wallet.schema.ts';
import { WalletStore } from './wallet.store.ts';
import { Verifier } from './verifier.ts';

export interface IssueInput {
  holder: { kind: HolderKind; id: string };
  accountId: string;
  type: string;
  claims: Record<string, unknown>;
  /** ISO date (valid through the end of that day, Shanghai time) or null for no expiry. */
  validUntil: string | null;
  holderJwk?: PublicJwk | null;
  source: { kind: 'licence' | 'certificate'; id: string };
  /** Also sign an unbound copy with every disclosure, for a printed certificate's QR. */
  paper?: boolean;
}

export interface Issued {
  credential: CredentialView;
  sdJwt: string;
  paperSdJwt?: string;
}

const DAY_END = 'T23:59:59+08:00';

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

  /** Signs a credential for a holder (called by this module for licences, by certificates for certificates). */
  async issue(input: IssueInput): Promise<Issued> {
    const type = CREDENTIAL_TYPES[input.type];
    if (!type) throw invalid('type', `is not a credential type (${Object.keys(CREDENTIAL_TYPES).join(', ')})`);
    if (type.holderKind !== input.holder.kind) throw invalid('holder.kind', `must be ${type.holderKind} for ${type.code}`);
    const known = new Set(type.claims.map((c) => c.key));
    for (const [k, v] of Object.entries(input.claims)) {
      if (!known.has(k)) throw invalid(`claims.${k}`, `is not a claim of ${type.code}`);
      if (v === null || v === undefined || v === '') throw invalid(`claims.${k}`, 'is empty');
    }
    if (type.binding === 'required' && !input.holderJwk) throw invalid('holderJwk', `is required: a ${type.nameEn} is shown only from the holder's phone`);
    const cnf = input.holderJwk ? await holderKey(input.holderJwk) : null;
    const validUntil = input.validUntil ? Date.parse(input.validUntil.length === 10 ? input.validUntil + DAY_END : input.validUntil) : null;
    if (validUntil !== null && Number.isNaN(validUntil)) throw invalid('validUntil', 'is not a date');

    const key = await this.keys.active();
    const now = this.ctx.clock.now();
    const id = this.ctx.random.uuid();
    const sign = async (entry: { listId: number; idx: number }, bound: boolean) => {
      const payload = {
        iss: this.ctx.config.publicUrl,
        vct: type.vct,
        iat: Math.floor(now / 1000),
        ...(validUntil !== null ? { exp: Math.floor(validUntil / 1000) } : {}),
        ...(bound && cnf ? { cnf: { jwk: cnf.jwk } } : {}),
        status: { status_list: { idx: entry.idx, uri: this.lists.uri(entry.listId) } },
        ...input.claims,
      };
      return sdJwtVc({ signer: key.sign }).issue(payload, discloseAll(input.claims) as never, { header: { typ: CREDENTIAL_TYP, kid: key.kid, alg: ALG } });
    };

    const row = await this.ctx.transaction(async (tx) => {
      const entry = await this.lists.allocate(tx);
      const sdJwt = await sign(entry, true);
      const paper = input.paper ? await sign(entry, false) : null;
      const r: CredentialRow = {
        id, account_id: input.accountId, holder_kind: input.holder.kind, holder_id: input.holder.id, type: type.code,
        source_kind: input.source.kind, source_id: input.source.id, kid: key.kid, list_id: entry.listId, idx: entry.idx,
        holder_jkt: cnf?.jkt ?? null, issued_at: now, valid_until: validUntil, status: 'valid', status_reason: null,
        status_changed_at: now, sd_jwt: sdJwt, paper_sd_jwt: paper,
      };
      await this.store.insert(tx, r);
      await this.ctx.outbox.add(tx, 'wallet.credential.issued', { v: 1, credentialId: id, type: type.code, accountId: input.accountId, source: input.source });
      await this.ctx.audit.record(tx, { actorId: input.accountId, action: 'wallet.credential.issued', subjectType: 'wallet_credential', subjectId: id, detail: { type: type.code, source: input.source, bound: !!cnf } });
      return r;
    });
    return { credential: view(row, now), sdJwt: row.sd_jwt, ...(row.paper_sd_jwt ? { paperSdJwt: row.paper_sd_jwt } : {}) };
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
    const claims = await licenceClaims(me, licence, authority);
    // One live credential per licence: adding it on a new phone retires the copy on the old one.
    const before = await this.store.bySource(this.ctx.db, p.accountId, 'licence', licence.id);
    const issued = await this.issue({ holder: { kind: licence.holderKind, id: licence.holderId }, accountId: p.accountId, type: type.code, claims, validUntil: licence.validUntil, holderJwk: body.holderJwk, source: { kind: 'licence', id: licence.id } });
    for (const old of before) await this.changeStatus(old, 'revoked', '已在新设备上领取 · re-issued to another device', p.accountId);
    return issued;
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
    const dept = p.departmentCode?.split('.')[0];
    if (!p.roles.includes('admin') && dept !== type.issuerCode) throw new AppError('ROLE_FORBIDDEN', `Only ${type.issuerCode} changes the status of a ${type.nameEn}`);
    if (row.status === 'revoked') throw new AppError('CONFLICT', 'A revoked credential stays revoked; issue a new one');
    return view(await this.changeStatus(row, status, reason, p.accountId), this.ctx.clock.now());
  }

  /** Status change without a principal: for modules withdrawing what they issued (a certificate cancelled). */
  async withdraw(credentialId: string, reason: string, actorId: string): Promise<void> {
    const row = await this.store.get(this.ctx.db, credentialId);
    if (row && row.status !== 'revoked') await this.changeStatus(row, 'revoked', reason, actorId);
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
    const next = { ...row, status, status_reason: reason, status_changed_at: Math.max(now, Number(row.status_changed_at) + 1) };
    await this.ctx.transaction(async (tx) => {
      await this.store.setStatus(tx, row.id, status, reason, next.status_changed_at);
      await this.ctx.outbox.add(tx, 'wallet.credential.status', { v: 1, credentialId: row.id, accountId: row.account_id, status, listId: row.list_id });
      await this.ctx.audit.record(tx, { actorId, action: `wallet.credential.${status}`, subjectType: 'wallet_credential', subjectId: row.id, detail: { reason } });
    });
    return next;
  }
}

async function holderKey(jwk: PublicJwk): Promise<{ jwk: PublicJwk; jkt: string }> {
  const pub: PublicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  try {
    await importJWK({ ...pub, alg: ALG }, ALG);
  } catch {
    throw invalid('holderJwk', 'is not a P-256 public key');
  }
  return { jwk: pub, jkt: await calculateJwkThumbprint(pub as never) };
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
