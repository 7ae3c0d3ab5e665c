import type { AppContext } from '../../platform/context.ts';
import { authorize, type Principal } from '../../platform/access.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { shanghaiDate } from '../../platform/calendar/working-calendar.ts';
import { fromJson, toJson } from '../../platform/db/dialect.ts';
import type { CredentialType } from '../wallet/credential-types.ts';
import { CERTIFICATE_TYPES, COMMON_CLAIMS } from './certificate-types.ts';
import { DEFINITIONS, type BuildInput, type Built, type CertificateDef } from './definitions.ts';
import type { CertificateRow, CertificateStore } from './certificate.store.ts';
import type { CatalogueEntry, CertificateView, IssueBody, IssuedCertificate } from './certificate.schema.ts';
import { verifyLink } from './verify-link.ts';

// PDFKit and the QR encoder are loaded with the first printed copy, not with every process.
const printing = () => import('./certificate.pdf.ts');

const TYPES: ReadonlyMap<string, CredentialType> = new Map(CERTIFICATE_TYPES.map((t) => [t.code, t]));
/** The ISO date `days` after `iso`. */
const addDays = (iso: string, days: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const NOT_BOUND = { zh: '您的账号尚未完成实名绑定，无法查询登记信息。', en: 'Your account is not linked to a resident or company in the registries.' };

/**
 * 即时开具证明: certificates issued at once from what the registries hold, with nothing uploaded.
 * Each is stored with its number, signed by the wallet as an SD-JWT VC (bound to the holder's key
 * when one is given) and printable as an A4 PDF whose QR code carries an unbound paper copy.
 */
export class CertificateService {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: CertificateStore,
  ) {}

  /** The certificates there are, with whether the signed-in holder can have each now (and why not). */
  async catalogue(p: Principal | null): Promise<CatalogueEntry[]> {
    authorize(p, 'certificates.request', { ownerId: p?.accountId ?? null });
    const input = await this.inputFor(p.accountId).catch((e: unknown) => (e instanceof AppError && e.code === 'SUBJECT_NOT_BOUND' ? null : Promise.reject(e)));
    return Promise.all(
      CERTIFICATE_TYPES.map(async (t) => {
        const def = DEFINITIONS[t.code]!;
        const built = input ? def.build(input) : ({ ok: false, reason: NOT_BOUND } as const);
        return {
          code: t.code, vct: t.vct, nameZh: t.nameZh, nameEn: t.nameEn, descriptionZh: def.descriptionZh, descriptionEn: def.descriptionEn, holderKind: t.holderKind,
          issuerCode: t.issuerCode, issuerName: (await this.ctx.services.departments.find(t.issuerCode))?.name ?? t.issuerCode, validDays: t.validDays ?? 30,
          purposeRequired: def.purposeRequired, eligible: built.ok, reasonZh: built.ok ? null : built.reason.zh, reasonEn: built.ok ? null : built.reason.en,
        };
      }),
    );
  }

  /** Whether the signed-in holder can have a certificate now, and if not why, in plain words. */
  async eligibility(p: Principal | null, type: string): Promise<{ eligible: boolean; reasonZh: string | null; reasonEn: string | null }> {
    authorize(p, 'certificates.request', { ownerId: p?.accountId ?? null });
    const def = this.def(type);
    const built = def.build(await this.inputFor(p.accountId));
    return built.ok ? { eligible: true, reasonZh: null, reasonEn: null } : { eligible: false, reasonZh: built.reason.zh, reasonEn: built.reason.en };
  }

  /** Issues a certificate to the signed-in holder: registry facts → numbered record → signed credential. */
  async issue(p: Principal | null, body: IssueBody): Promise<IssuedCertificate> {
    authorize(p, 'certificates.request', { ownerId: p?.accountId ?? null });
    const def = this.def(body.type);
    const type = TYPES.get(body.type)!;
    const purpose = body.purpose?.trim() || null;
    if (def.purposeRequired && !purpose) throw new AppError('FIELD_REQUIRED', `purpose is required for a ${type.nameEn}: say what it is for`, 'purpose');
    const input = await this.inputFor(p.accountId, def);
    const built: Built = def.build(input);
    if (!built.ok) throw new AppError('CERTIFICATE_NOT_ELIGIBLE', built.reason.en, 'type', { reasonZh: built.reason.zh, reasonEn: built.reason.en });
    const holder = input.person ? { kind: 'person' as const, id: input.person.person.idNumber } : { kind: 'entity' as const, id: input.entity!.entity.uscc };

    const now = this.ctx.clock.now();
    const validUntil = addDays(input.today, (type.validDays ?? 30) - 1);
    const id = `ZM${this.ctx.random.uuid().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
    // One transaction: the number, the signed credential and the certificate pointing at it commit
    // together, so a failure leaves neither a certificate without a credential nor the reverse.
    let row!: CertificateRow & { claims: Record<string, unknown> };
    const issued = await this.ctx.services.wallet.issueWith(
      async (tx) => {
        const year = Number(input.today.slice(0, 4));
        const number = `${def.numberPrefix}〔${year}〕第${String(await this.store.nextSerial(tx, type.code, year)).padStart(6, '0')}号`;
        const claims = orderClaims(type, {
          ...built.claims, certificate_number: number, issued_on: input.today, valid_until: validUntil, issuing_authority: input.office, ...(purpose ? { purpose } : {}),
        });
        row = {
          id, number, type: type.code, holder_kind: holder.kind, holder_id: holder.id, account_id: p.accountId, purpose, issuer_code: type.issuerCode,
          issued_at: now, valid_until: validUntil, claims, credential_id: null, status: 'valid',
        };
        return { holder, accountId: p.accountId, type: type.code, claims, validUntil, holderJwk: body.holderJwk ?? null, source: { kind: 'certificate', id }, paper: true };
      },
      async (tx, credential) => {
        row.credential_id = credential.credential.id;
        await this.store.insert(tx, { ...row, claims: toJson(row.claims) });
        await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'certificates.certificate.issued', subjectType: 'certificates_certificate', subjectId: id, detail: { type: type.code, number: row.number } });
        await this.ctx.outbox.add(tx, 'certificates.certificate.issued', { v: 1, certificateId: id, type: type.code, accountId: p.accountId });
      },
    );
    return { certificate: this.view({ ...row, claims: row.claims, credential_id: issued.credential.id }), credential: issued.credential, sdJwt: issued.sdJwt };
  }

  /**
   * The wallet revoked, suspended or reinstated a credential: a certificate it carries is withdrawn
   * (or valid again) with it, so the holder's list and the PDF say what a verifier will find.
   */
  async credentialStatusChanged(credentialId: string, status: string): Promise<void> {
    const next = status === 'valid' ? 'valid' : 'withdrawn';
    await this.ctx.transaction(async (tx) => {
      if (await this.store.setStatusByCredential(tx, credentialId, next)) {
        await this.ctx.audit.record(tx, { actorId: null, action: `certificates.certificate.${next}`, subjectType: 'wallet_credential', subjectId: credentialId, detail: { status } });
      }
    });
  }

  /** The signed-in holder's certificates, newest first. */
  async mine(p: Principal | null): Promise<CertificateView[]> {
    authorize(p, 'certificates.request', { ownerId: p?.accountId ?? null });
    return (await this.store.ofAccount(this.ctx.db, p.accountId)).map((r) => this.view(r));
  }

  /** One of the holder's certificates; someone else's is not found. */
  async get(p: Principal | null, id: string): Promise<CertificateView> {
    return this.view(await this.own(p, id));
  }

  /** The printable A4 copy, with the verification QR. */
  async pdf(p: Principal | null, id: string): Promise<{ body: Buffer; fileName: string }> {
    const row = await this.own(p, id);
    const v = this.view(row);
    const type = TYPES.get(row.type)!;
    const link = await this.verifyLink(p!, row);
    const claims = v.claims.filter((c) => !(COMMON_CLAIMS as readonly string[]).includes(c.key) && c.key !== 'statement');
    const { renderPdf } = await printing();
    const body = await renderPdf({
      titleZh: v.nameZh, titleEn: v.nameEn, number: v.number, authority: v.issuingAuthority, issuedOn: v.issuedOn, validUntil: v.validUntil,
      lines: [...claims, ...v.claims.filter((c) => c.key === 'purpose')].map((c) => ({ zh: c.zh, en: c.en, value: Array.isArray(c.value) ? c.value.map(String) : String(c.value ?? '') })),
      statement: typeof (fromJson(row.claims) as Record<string, unknown>).statement === 'string' ? String((fromJson(row.claims) as Record<string, unknown>).statement) : null,
      verifyUrl: link.url,
      qrOmits: link.omitted.map((k) => type.claims.find((c) => c.key === k)?.zh ?? k),
      notice: v.status === 'withdrawn' ? '本证明已撤回 · WITHDRAWN' : v.status === 'expired' ? '本证明已过有效期 · EXPIRED' : null,
    });
    return { body, fileName: `${v.nameZh}-${v.issuedOn}.pdf` };
  }

  /** The QR code of the printed copy as a PNG (the screen shows it; tests decode it). */
  async qr(p: Principal | null, id: string): Promise<Buffer> {
    const row = await this.own(p, id);
    const { qrPng } = await printing();
    return qrPng((await this.verifyLink(p!, row)).url);
  }

  /** What the QR code holds: the verify page with the unbound paper credential after #vp= (see verify-link.ts). */
  private async verifyLink(p: Principal, row: CertificateRow): Promise<{ url: string; omitted: string[] }> {
    if (!row.credential_id) throw new AppError('SERVICE_UNAVAILABLE', 'The certificate has no signed credential');
    const held = await this.ctx.services.wallet.get(p, row.credential_id);
    if (!held.paperSdJwt) throw new AppError('SERVICE_UNAVAILABLE', 'The certificate has no paper credential');
    return verifyLink(this.ctx.config.publicUrl, held.paperSdJwt);
  }

  private async own(p: Principal | null, id: string): Promise<CertificateRow> {
    authorize(p, 'certificates.request', { ownerId: p?.accountId ?? null });
    const row = await this.store.get(this.ctx.db, id);
    // Someone else's certificate is not found: its existence is not theirs to learn.
    if (!row || row.account_id !== p.accountId) throw new AppError('CERTIFICATE_NOT_FOUND');
    return row;
  }

  private def(code: string): CertificateDef {
    const def = TYPES.has(code) ? DEFINITIONS[code] : undefined;
    if (!def) throw invalid('type', `must be one of ${CERTIFICATE_TYPES.map((t) => t.code).join(', ')}`);
    return def;
  }

  /** The registry file of the account's resident or company, today's date and the issuing office. */
  private async inputFor(accountId: string, def?: CertificateDef): Promise<BuildInput> {
    const reg = this.ctx.services.registries;
    const subject = await reg.subjectOf(accountId);
    if (!subject) throw new AppError('SUBJECT_NOT_BOUND', NOT_BOUND.en);
    const today = shanghaiDate(this.ctx.clock.now());
    const person = subject.kind === 'person' ? await reg.personFile(subject.id) : null;
    const entity = subject.kind === 'entity' ? await reg.entityFile(subject.id) : null;
    if (!person && !entity) throw new AppError('SUBJECT_NOT_BOUND', 'The registries hold no record for your account');
    const input: BuildInput = { today, person, entity, office: '', departmentNames: {} };
    if (def) {
      for (const code of def.offices(input)) {
        const d = await this.ctx.services.departments.find(code);
        if (d) {
          input.office = d.name;
          break;
        }
      }
      const names: Record<string, string> = {};
      for (const pen of entity?.penalties ?? []) names[pen.departmentCode] ??= (await this.ctx.services.departments.find(pen.departmentCode))?.name ?? pen.departmentCode;
      input.departmentNames = names;
    }
    return input;
  }

  private view(r: CertificateRow): CertificateView {
    const type = TYPES.get(r.type)!;
    const claims = fromJson(r.claims) as Record<string, unknown>;
    const today = shanghaiDate(this.ctx.clock.now());
    return {
      id: r.id, number: r.number, type: r.type, nameZh: type.nameZh, nameEn: type.nameEn, holderKind: r.holder_kind,
      holderName: String(claims.name ?? claims.entity_name ?? ''), purpose: r.purpose, issuerCode: r.issuer_code, issuingAuthority: String(claims.issuing_authority ?? ''),
      issuedAt: new Date(Number(r.issued_at)).toISOString(), issuedOn: shanghaiDate(Number(r.issued_at)), validUntil: r.valid_until,
      status: r.status === 'withdrawn' ? 'withdrawn' : r.valid_until < today ? 'expired' : 'valid',
      credentialId: r.credential_id,
      claims: type.claims.filter((c) => claims[c.key] !== undefined).map((c) => ({ key: c.key, zh: c.zh, en: c.en, kind: c.kind ?? 'text', value: claims[c.key] })),
      pdfUrl: `/api/certificates/${r.id}/pdf`,
    };
  }
}

/** The claims in the type's order, without empty ones (the wallet signs no empty claim). */
function orderClaims(type: CredentialType, claims: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of type.claims) {
    const v = claims[c.key];
    if (v !== undefined && v !== null && v !== '') out[c.key] = v;
  }
  return out;
}
