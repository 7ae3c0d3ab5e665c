import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../platform/context.ts';
import { authorize, UNSCOPED, withinScope, type Principal } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import { fromJson } from '../../platform/db/dialect.ts';
import type { FieldValue, RegistrySource } from '../registries/registry.service.ts';
import type { ExchangeLog, LogEntry, LogVerification } from './exchange-log.ts';
import type { LogReach } from './exchange.store.ts';
import type { CallBody, CallReply, FieldDef, LogQuery, LogRow, LogView, ResourceRow, SubjectScope } from './exchange.schema.ts';
import type { GrantService, LiveGrant } from './grant.service.ts';
import { mask, MASKED_FROM_LEVEL } from './masking.ts';

/** What the exchange supplied for one government-held material of an application. */
export interface HeldMaterial {
  materialId: string;
  resource: string;
  /** The exchange log entry of the call that supplied it; null when it was refused. */
  callId: number | null;
  /** ok, or the refusal's code (the applicant then hears the department will ask in another way). */
  outcome: string;
  /** The document's number as the call returned it (masked when the grant masks it). */
  number: string | null;
}

/** The entity resource the legal representative is read from (法人基本信息). */
const ENTITY_RESOURCE = 'FR-0001';

let held: Record<string, { resource: string; subject: 'applicant' | 'legalRepresentative' }> | null = null;
/** Material id → the data resource that supplies it (data/exchange/materials.json), read once. */
function heldMaterials() {
  held ??= (JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../data/exchange/materials.json'), 'utf8')) as { materials: NonNullable<typeof held> }).materials;
  return held;
}

/** How long a resource's definition is trusted before it is read again. */
const RESOURCE_CACHE_MS = 5_000;

/** Resource definitions, parsed: the call path needs them on every call. */
interface Resource {
  row: ResourceRow;
  fields: Map<string, FieldDef>;
}

const inScope = (scope: SubjectScope, subjectId: string, jurisdictionCode: string): boolean =>
  scope.kind === 'all' || (scope.kind === 'jurisdiction' ? scope.codes.some((c) => withinScope(c, jurisdictionCode)) : scope.ids.includes(subjectId));

/**
 * The exchange (数据交换): a department's call for one subject's fields of one resource is checked
 * against a live grant (fields, subjects, expiry), masked per field, and logged in the hash chain
 * before anything leaves. Refused calls are logged too, with the reason, so abuse shows.
 */
export class ExchangeService {
  private parsed = new Map<string, { until: number; res: Resource }>();

  constructor(
    private readonly ctx: AppContext,
    readonly grants: GrantService,
    readonly log: ExchangeLog,
  ) {}

  private async resource(code: string): Promise<Resource> {
    const now = this.ctx.clock.now();
    const hit = this.parsed.get(code);
    if (hit && hit.until > now) return hit.res;
    const row = await this.grants.resource(code);
    const res = { row, fields: new Map(fromJson<FieldDef[]>(row.fields).map((f) => [f.name, f])) };
    if (this.parsed.size > 1_000) this.parsed.clear();
    this.parsed.set(code, { until: now + RESOURCE_CACHE_MS, res });
    return res;
  }

  /** Forgets parsed resources (a resource was published or changed somewhere). */
  forget(): void {
    this.parsed.clear();
  }

  /** One exchange call. Throws (after logging) when no live grant covers it. */
  async call(p: Principal | null, b: CallBody): Promise<CallReply> {
    authorize(p, 'exchange.call', UNSCOPED);
    const asked = b.fields ?? null;
    const entry: LogEntry = {
      at: this.ctx.clock.now(), department_code: p.departmentCode, account_id: p.accountId, system: p.via === 'token' ? (p.system ?? 'api-token') : null,
      purpose: b.purpose, reference: b.reference ?? null, resource_code: b.resource, grant_id: null, subject_kind: 'unknown', subject_id: b.subject,
      fields: asked ?? [], masked: [], outcome: 'ok',
    };
    // Every refusal is logged with its reason, so probing shows in the log.
    const refuse = async (err: AppError): Promise<never> => {
      await this.log.append({ ...entry, outcome: err.code });
      throw err;
    };
    let res: Resource;
    try {
      res = await this.resource(b.resource);
    } catch (err) {
      return refuse(err instanceof AppError ? err : new AppError('RESOURCE_NOT_FOUND'));
    }
    entry.subject_kind = res.row.subject_kind;
    const unknown = (asked ?? []).findIndex((f) => !res.fields.has(f));
    if (unknown >= 0) return refuse(new AppError('FIELD_INVALID', `fields[${unknown}] ${asked![unknown]} is not a field of ${res.row.code}`, `fields[${unknown}]`));
    const grants = await this.grants.liveGrant(p.departmentCode, { code: res.row.code, owner: res.row.owner_code, fields: [...res.fields.keys()] });
    if (grants instanceof AppError) return refuse(grants);
    // Field scope first: it needs no registry read, and says exactly what is beyond the grant.
    const fieldsOk = grants.filter((g) => (asked ?? [...g.fields]).every((f) => g.fields.has(f)));
    if (!fieldsOk.length) {
      const beyond = asked!.filter((f) => !grants.some((g) => g.fields.has(f)));
      return refuse(new AppError('EXCHANGE_FIELD_FORBIDDEN', `Not granted: ${(beyond.length ? beyond : asked!).join(', ')}`));
    }
    // Made only when needed: an Error captures a stack trace, which a call that succeeds need not pay for.
    const outside = () => new AppError('EXCHANGE_SUBJECT_FORBIDDEN', 'The subject is outside the subjects your grant covers');
    // Named subjects are checked before the registry is read: whether someone exists is itself personal data.
    if (fieldsOk.every((g) => g.scope.kind === 'subjects' && !g.scope.ids.includes(b.subject))) return refuse(outside());
    const record = await this.ctx.services.registries.record(res.row.source as RegistrySource, b.subject);
    if (!record) return refuse(fieldsOk.some((g) => g.scope.kind === 'all') ? new AppError('EXCHANGE_SUBJECT_NOT_FOUND', `${res.row.code} holds no record for this subject`) : outside());
    const covering = fieldsOk.filter((g) => inScope(g.scope, b.subject, record.jurisdictionCode));
    if (!covering.length) return refuse(outside());
    // Of several grants that cover the call, the one giving most of the asked fields in clear serves it.
    const clearCount = (g: LiveGrant) => (asked ?? [...g.fields]).filter((f) => g.clear.has(f)).length;
    const grant = covering.reduce((best, g) => (clearCount(g) > clearCount(best) || (clearCount(g) === clearCount(best) && g.expiresAt > best.expiresAt) ? g : best));
    const fields = asked ?? [...grant.fields];
    const values: Record<string, FieldValue> = {};
    const masked: string[] = [];
    for (const f of fields) {
      const def = res.fields.get(f);
      const v = Object.hasOwn(record.values, f) ? (record.values[f] ?? null) : null;
      // A field the resource no longer defines is not handed out; a sensitive one goes masked unless granted in clear.
      if (!def) continue;
      if (def.sensitivity >= MASKED_FROM_LEVEL && !grant.clear.has(f)) {
        values[f] = mask(def.mask ?? 'hide', v);
        masked.push(f);
      } else values[f] = v;
    }
    const callId = await this.log.append({ ...entry, grant_id: grant.id, fields, masked });
    return { callId, resource: res.row.code, grantId: grant.id, values, masked };
  }

  /** The data resource that supplies a government-held material through the exchange (once-only), or null. */
  supplies(materialId: string): string | null {
    return heldMaterials()[materialId]?.resource ?? null;
  }

  /**
   * Once-only (一次都不跑): the platform fetches, for the department processing an application and
   * with the applicant's consent, a document another department issued, instead of asking for an
   * upload. The call goes through the same grant check, masking and log as any other; it is made
   * on the applicant's account (who consented) for the department (whose grant applies).
   */
  async fetchHeld(on: { departmentCode: string; applicantId: string; applicantKind: 'person' | 'entity'; subjectId: string; materialId: string; purpose: string; reference: string }): Promise<HeldMaterial | null> {
    const map = heldMaterials()[on.materialId];
    if (!map) return null;
    const p: Principal = { accountId: on.applicantId, username: 'once-only', displayName: '一网通办', roles: ['system'], departmentCode: on.departmentCode, scopeCode: null, via: 'token', system: '一网通办·申请人授权调取' };
    const attempt = async (body: CallBody) => {
      try {
        return await this.call(p, body);
      } catch (err) {
        if (err instanceof AppError) return err;
        throw err;
      }
    };
    let subject = on.subjectId;
    if (map.subject === 'legalRepresentative') {
      if (on.applicantKind !== 'entity') return { materialId: on.materialId, resource: map.resource, callId: null, outcome: 'EXCHANGE_SUBJECT_NOT_FOUND', number: null };
      const rep = await attempt({ resource: ENTITY_RESOURCE, subject: on.subjectId, fields: ['legalRepresentativeId'], purpose: on.purpose, reference: on.reference });
      if (rep instanceof AppError) return { materialId: on.materialId, resource: ENTITY_RESOURCE, callId: null, outcome: rep.code, number: null };
      subject = String(rep.values.legalRepresentativeId ?? '');
    }
    const got = await attempt({ resource: map.resource, subject, purpose: on.purpose, reference: on.reference });
    if (got instanceof AppError) return { materialId: on.materialId, resource: map.resource, callId: null, outcome: got.code, number: null };
    const number = got.values.number ?? got.values.certificateNumber ?? null;
    return { materialId: on.materialId, resource: map.resource, callId: got.callId, outcome: 'ok', number: number === null ? null : String(number) };
  }

  /** One page of log entries, with the cursor for the next when the page is full. */
  private async page(rows: LogRow[], limit: number, own: boolean): Promise<{ items: LogView[]; nextBefore: number | null }> {
    return { items: await this.logViews(rows, own), nextBefore: rows.length === limit ? Number(rows[rows.length - 1]!.seq) : null };
  }

  private async logViews(rows: LogRow[], own: boolean): Promise<LogView[]> {
    const resources = new Map((await this.grants.store.resources(this.ctx.db)).map((r) => [r.code, r]));
    return Promise.all(rows.map((r) => this.logView(r, own, resources.get(r.resource_code))));
  }

  private async logView(r: LogRow, own: boolean, res: ResourceRow | undefined): Promise<LogView> {
    const dept = r.department_code ? await this.ctx.services.departments.find(r.department_code) : null;
    return {
      seq: Number(r.seq), at: Number(r.at), departmentCode: r.department_code, departmentName: dept?.name ?? r.department_code, system: r.system,
      purpose: r.purpose, reference: r.reference, resourceCode: r.resource_code, resourceName: res?.name_zh ?? r.resource_code, resourceNameEn: res?.name_en ?? r.resource_code,
      subjectKind: r.subject_kind, subjectId: own ? r.subject_id : (mask('id', r.subject_id) as string), fields: fromJson(r.fields), masked: fromJson(r.masked), outcome: r.outcome,
    };
  }

  /** The log for the workbench: a department sees its own calls and calls on its resources; administrators all. */
  async listLog(p: Principal | null, q: LogQuery): Promise<{ items: LogView[]; nextBefore: number | null }> {
    authorize(p, 'exchange.log.read', UNSCOPED);
    let reach: LogReach;
    if (p.roles.includes('admin')) reach = { kind: 'all' };
    else if (p.departmentCode) reach = { kind: 'department', code: p.departmentCode, resources: await this.grants.owned(p.departmentCode) };
    else return { items: [], nextBefore: null };
    const limit = q.limit ?? 50;
    const rows = await this.grants.store.log(this.ctx.db, reach, { ...q, limit });
    return this.page(rows, limit, false);
  }

  /** 谁查看了我的数据: every call about the signed-in resident or company, allowed or refused. */
  async mine(p: Principal | null, q: LogQuery): Promise<{ items: LogView[]; nextBefore: number | null }> {
    authorize(p, 'exchange.read_own', { ownerId: p?.accountId ?? null });
    const subject = await this.ctx.services.registries.subjectOf(p.accountId);
    if (!subject) throw new AppError('SUBJECT_NOT_BOUND');
    const limit = q.limit ?? 50;
    const rows = await this.grants.store.log(this.ctx.db, { kind: 'subjects', ids: [subject.id] }, { before: q.before, from: q.from, to: q.to, limit });
    return this.page(rows, limit, true);
  }

  /** Checks the whole chain (administrators). */
  async verify(p: Principal | null): Promise<LogVerification> {
    authorize(p, 'exchange.log.verify', UNSCOPED);
    await this.log.flushed();
    return this.log.verify();
  }
}
