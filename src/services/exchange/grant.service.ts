import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../platform/context.ts';
import { authorize, UNSCOPED, withinScope, type Principal } from '../../platform/access.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { fromJson, toJson } from '../../platform/db/dialect.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { ExchangeStore } from './exchange.store.ts';
import type { DecideBody, FieldDef, RequestBody, RequestRow, RequestView, ResourceBody, ResourceRow, ResourceView, SubjectScope } from './exchange.schema.ts';

const DATA = path.resolve(import.meta.dirname, '../../../data/exchange/resources.json');
const DAY_MS = 86_400_000;
/** How long a process trusts grants it read (another process's revocation also arrives as an event). */
const GRANT_CACHE_MS = 1_000;
/** The lowest sensitivity a personal field may be published at, whatever the resource. */
const SENSITIVITY_FLOOR: Record<string, number> = {
  idNumber: 3, spouseIdNumber: 4, legalRepresentativeId: 3, phone: 3, birthDate: 3, hukouAddress: 3, residenceAddress: 4, spouseName: 3, maritalStatus: 3, ethnicity: 3, room: 3,
};

/** A grant as the call path uses it. */
export interface LiveGrant {
  id: string;
  fields: Set<string>;
  clear: Set<string>;
  scope: SubjectScope;
  expiresAt: number;
}

const list = (v: unknown): string[] => (v === null || v === undefined ? [] : fromJson<string[]>(v));

const CITY = '310000';

/** True when `granted` covers no subject that `asked` does not. */
export function narrower(granted: SubjectScope, asked: SubjectScope): boolean {
  if (asked.kind === 'all') return true;
  if (granted.kind === 'all') return false;
  if (asked.kind === 'subjects') return granted.kind === 'subjects' && granted.ids.every((id) => asked.ids.includes(id));
  if (granted.kind === 'subjects') return false;
  return granted.codes.every((g) => asked.codes.some((a) => withinScope(a, g)));
}

/** The status a person reads: a granted request past its expiry is `expired`. */
export function statusOf(r: RequestRow, now: number): string {
  return r.status === 'granted' && r.expires_at !== null && r.expires_at <= now ? 'expired' : r.status;
}

/**
 * The resource catalogue (数据资源目录) and access to it: departments publish resources, other
 * departments ask for fields of them with a purpose and a legal basis, and the owner grants a field
 * scope, a subject scope and an expiry, or refuses; a grant can be revoked at any time.
 */
export class GrantService {
  /**
   * A department's grants per resource, read on every call: kept for a second, dropped at once when
   * this process decides or revokes, and on the bus events when another process does.
   */
  private grantRows = new Map<string, { until: number; rows: RequestRow[] }>();
  private generation = 0;

  constructor(
    private readonly ctx: AppContext,
    readonly store: ExchangeStore,
  ) {}

  /** Forgets cached grants (all, or one department's for one resource). */
  forget(requesterCode?: string, resourceCode?: string): void {
    this.generation++;
    if (!requesterCode || !resourceCode) return this.grantRows.clear();
    // A bureau's grant also serves its district offices: drop every office's entry for the resource.
    const sector = requesterCode.split('.')[0]!;
    for (const key of this.grantRows.keys()) {
      const [dept, res] = key.split(' ');
      if (res === resourceCode && (dept === requesterCode || dept!.split('.')[0] === sector)) this.grantRows.delete(key);
    }
  }

  private async deptName(code: string | null): Promise<{ zh: string; en: string }> {
    const d = code ? await this.ctx.services.departments.find(code) : null;
    return { zh: d?.name ?? code ?? '', en: d?.nameEn ?? code ?? '' };
  }

  async resourceView(r: ResourceRow): Promise<ResourceView> {
    return {
      code: r.code, ownerCode: r.owner_code, ownerName: (await this.deptName(r.owner_code)).zh, nameZh: r.name_zh, nameEn: r.name_en,
      descriptionZh: r.description_zh, descriptionEn: r.description_en, source: r.source, subjectKind: r.subject_kind, frequency: r.frequency,
      fields: fromJson<FieldDef[]>(r.fields), updatedAt: Number(r.updated_at), version: r.version,
    };
  }

  /** The resource or RESOURCE_NOT_FOUND. */
  async resource(code: string): Promise<ResourceRow> {
    const r = await this.store.resource(this.ctx.db, code);
    if (!r) throw new AppError('RESOURCE_NOT_FOUND', `No data resource ${code}`);
    return r;
  }

  async listResources(p: Principal | null): Promise<ResourceView[]> {
    authorize(p, 'exchange.catalogue.read', UNSCOPED);
    return Promise.all((await this.store.resources(this.ctx.db)).map((r) => this.resourceView(r)));
  }

  /** Loads the catalogue's seed (idempotent: existing resources are left as their owners edited them). */
  async seed(): Promise<number> {
    const { resources } = JSON.parse(fs.readFileSync(DATA, 'utf8')) as { resources: Array<ResourceBody & { ownerCode: string }> };
    const now = this.ctx.clock.now();
    let n = 0;
    await this.ctx.transaction(async (tx) => {
      for (const r of resources) if (await this.store.insertResource(tx, this.row(r, r.ownerCode, now))) n++;
    });
    return n;
  }

  private row(b: ResourceBody, owner: string, now: number, version = 1): ResourceRow {
    const source = this.ctx.services.registries.sourceInfo(b.source);
    if (!source) throw invalid('source', 'must be person, entity, address, marriage or licence:<type> of a known licence type');
    // Only the department that keeps the data publishes it, so nobody re-publishes it with lower levels.
    if (source.owner !== owner.split('.')[0]) throw invalid('source', `${b.source} is kept by ${source.owner}; only it publishes resources drawing on it`);
    if (b.subjectKind !== source.subjectKind) throw invalid('subjectKind', `must be ${source.subjectKind} for ${b.source}`);
    const names = new Set<string>();
    for (const [i, f] of b.fields.entries()) {
      if (names.has(f.name)) throw invalid(`fields[${i}].name`, `repeats ${f.name}`);
      names.add(f.name);
      const floor = SENSITIVITY_FLOOR[f.name] ?? 1;
      if (f.sensitivity < floor) throw invalid(`fields[${i}].sensitivity`, `must be at least ${floor} for ${f.name}`);
      if (f.sensitivity >= 3 && !f.mask) throw invalid(`fields[${i}].mask`, 'is required for a sensitive field (level 3 or 4): say how it is masked');
    }
    return {
      code: b.code, owner_code: owner, name_zh: b.nameZh, name_en: b.nameEn, description_zh: b.descriptionZh, description_en: b.descriptionEn,
      source: b.source, subject_kind: b.subjectKind, frequency: b.frequency, fields: toJson(b.fields), created_at: now, updated_at: now, version,
    };
  }

  /** A department publishes a resource it owns (its staff; the owner is their department). */
  async publish(p: Principal | null, b: ResourceBody): Promise<ResourceView> {
    authorize(p, 'exchange.resource.publish', UNSCOPED);
    if (!p.departmentCode) throw new AppError('ROLE_FORBIDDEN', 'Only a department publishes data resources');
    const row = this.row(b, p.departmentCode, this.ctx.clock.now());
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.insertResource(tx, row))) throw new AppError('CONFLICT', `Resource ${b.code} already exists`);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'exchange.resource.published', subjectType: 'exchange_resource', subjectId: b.code, detail: { fields: b.fields.map((f) => f.name) } });
      await this.ctx.outbox.add(tx, 'exchange.resource.published', { v: 1, code: b.code, ownerCode: row.owner_code });
    });
    return this.resourceView(row);
  }

  /** Staff of a department ask for access to another department's resource. */
  async request(p: Principal | null, b: RequestBody): Promise<RequestView> {
    authorize(p, 'exchange.request', UNSCOPED);
    if (!p.departmentCode) throw new AppError('ROLE_FORBIDDEN', 'Only a department asks for access to data');
    const res = await this.resource(b.resourceCode);
    if (res.owner_code === p.departmentCode) throw invalid('resourceCode', 'is your own department\'s resource: it needs no grant');
    const defs = new Map(fromJson<FieldDef[]>(res.fields).map((f) => [f.name, f]));
    b.fields.forEach((f, i) => {
      if (!defs.has(f)) throw invalid(`fields[${i}]`, `${f} is not a field of ${res.code}`);
    });
    (b.clearFields ?? []).forEach((f, i) => {
      if (!b.fields.includes(f)) throw invalid(`clearFields[${i}]`, `${f} is not among the fields asked for`);
    });
    const now = this.ctx.clock.now();
    const row: RequestRow = {
      id: `XQ${this.ctx.random.uuid().replace(/-/g, '').slice(0, 14).toUpperCase()}`,
      resource_code: res.code, requester_code: p.departmentCode, requested_by: p.accountId, purpose: b.purpose, legal_basis: b.legalBasis,
      fields: toJson(b.fields), clear_fields: toJson(b.clearFields ?? []), subject_scope: toJson(b.subjectScope), days: b.days, status: 'pending',
      decided_by: null, decided_at: null, reason: null, granted_fields: null, granted_clear: null, granted_scope: null, expires_at: null,
      revoked_at: null, revoked_by: null, created_at: now, updated_at: now, version: 1,
    };
    await this.ctx.transaction(async (tx) => {
      await this.store.insertRequest(tx, row);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'exchange.request.created', subjectType: 'exchange_request', subjectId: row.id, detail: { resource: res.code, fields: b.fields } });
      await this.ctx.outbox.add(tx, 'exchange.request.created', { v: 1, requestId: row.id, resourceCode: res.code, ownerCode: res.owner_code, requesterCode: p.departmentCode! });
    });
    return this.view(row);
  }

  async view(r: RequestRow): Promise<RequestView> {
    const res = await this.store.resource(this.ctx.db, r.resource_code);
    const owner = res?.owner_code ?? '';
    return {
      id: r.id, resourceCode: r.resource_code, resourceName: res?.name_zh ?? r.resource_code, resourceNameEn: res?.name_en ?? r.resource_code,
      ownerCode: owner, ownerName: (await this.deptName(owner)).zh, requesterCode: r.requester_code, requesterName: (await this.deptName(r.requester_code)).zh,
      purpose: r.purpose, legalBasis: r.legal_basis, fields: list(r.fields), clearFields: list(r.clear_fields), subjectScope: fromJson(r.subject_scope), days: r.days,
      status: statusOf(r, this.ctx.clock.now()), reason: r.reason, grantedFields: r.granted_fields === null ? null : list(r.granted_fields),
      grantedClear: r.granted_clear === null ? null : list(r.granted_clear), grantedScope: r.granted_scope === null ? null : fromJson(r.granted_scope),
      expiresAt: r.expires_at === null ? null : Number(r.expires_at), decidedAt: r.decided_at === null ? null : Number(r.decided_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at), createdAt: Number(r.created_at), version: r.version,
    };
  }

  /** Resources a department owns (its requests to decide). */
  async owned(departmentCode: string): Promise<string[]> {
    return (await this.store.resources(this.ctx.db)).filter((r) => r.owner_code === departmentCode).map((r) => r.code);
  }

  /** Requests the principal's department made or must decide; administrators see all. */
  async listRequests(p: Principal | null, q: { status?: string; limit?: number }): Promise<RequestView[]> {
    authorize(p, 'exchange.request', UNSCOPED);
    const all = p.roles.includes('admin');
    if (!all && !p.departmentCode) return [];
    const rows = await this.store.requests(this.ctx.db, { all, requester: p.departmentCode ?? undefined, resources: all ? [] : await this.owned(p.departmentCode!), status: q.status, now: this.ctx.clock.now() }, q.limit ?? 100);
    return Promise.all(rows.map((r) => this.view(r)));
  }

  /** A request the principal's department made or owns the resource of; 404 to anyone else. */
  private async reachable(p: Principal, id: string): Promise<{ row: RequestRow; res: ResourceRow }> {
    const row = await this.store.request(this.ctx.db, id);
    const res = row ? await this.store.resource(this.ctx.db, row.resource_code) : null;
    if (!row || !res || (!p.roles.includes('admin') && p.departmentCode !== row.requester_code && p.departmentCode !== res.owner_code)) throw new AppError('EXCHANGE_REQUEST_NOT_FOUND');
    return { row, res };
  }

  async getRequest(p: Principal | null, id: string): Promise<RequestView> {
    authorize(p, 'exchange.request', UNSCOPED);
    return this.view((await this.reachable(p, id)).row);
  }

  /** The owner grants (never more fields, clear fields, subjects or days than asked) or refuses. */
  async decide(p: Principal | null, id: string, b: DecideBody): Promise<RequestView> {
    // The registries are city-wide data: whoever decides on them acts for the whole city.
    authorize(p, 'exchange.grant', { jurisdictionCode: CITY });
    const { row, res } = await this.reachable(p, id);
    if (p.departmentCode !== res.owner_code) throw new AppError('DEPARTMENT_FORBIDDEN', `Only ${res.owner_code} decides access to ${res.code}`);
    if (row.status !== 'pending') throw new AppError('EXCHANGE_REQUEST_DECIDED', `Request ${id} is ${row.status}`);
    const now = this.ctx.clock.now();
    const next: RequestRow = { ...row, decided_by: p.accountId, decided_at: now, updated_at: now, version: row.version + 1 };
    if (b.decision === 'refuse') {
      if (!b.reason) throw invalid('reason', 'is required to refuse a request');
      Object.assign(next, { status: 'refused', reason: b.reason });
    } else {
      const asked = list(row.fields);
      const fields = b.fields ?? asked;
      fields.forEach((f, i) => {
        if (!asked.includes(f)) throw invalid(`fields[${i}]`, `${f} was not asked for`);
      });
      const clear = b.clearFields ?? [];
      const askedClear = list(row.clear_fields);
      clear.forEach((f, i) => {
        if (!fields.includes(f)) throw invalid(`clearFields[${i}]`, `${f} is not among the fields granted`);
        if (!askedClear.includes(f)) throw invalid(`clearFields[${i}]`, `${f} was not asked for in clear`);
      });
      const days = b.days ?? row.days;
      if (days > row.days) throw invalid('days', `may not exceed the ${row.days} days asked for`);
      const scope = b.subjectScope ?? fromJson<SubjectScope>(row.subject_scope);
      if (!narrower(scope, fromJson<SubjectScope>(row.subject_scope))) throw invalid('subjectScope', 'may narrow the subjects asked for, never widen them');
      Object.assign(next, {
        status: 'granted', reason: b.note ?? null, granted_fields: toJson(fields), granted_clear: toJson(clear), granted_scope: toJson(scope), expires_at: now + days * DAY_MS,
      });
    }
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.updateRequest(tx, next, row.version))) throw new AppError('CONFLICT', `Request ${id} was changed meanwhile`);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: `exchange.request.${next.status}`, subjectType: 'exchange_request', subjectId: id, detail: { resource: res.code, requester: row.requester_code, fields: list(next.granted_fields), clear: list(next.granted_clear), expiresAt: next.expires_at } });
      await this.ctx.outbox.add(tx, 'exchange.request.decided', { v: 1, requestId: id, resourceCode: res.code, requesterCode: row.requester_code, status: next.status as 'granted' | 'refused' });
      await this.tell(tx, row.requested_by, next.status === 'granted' ? `数据共享申请已获批准：${res.name_zh}` : `数据共享申请未获批准：${res.name_zh}`, next.status === 'granted' ? `申请 ${id} 已获授权，有效期至 ${new Date(next.expires_at! + 8 * 3_600_000).toISOString().slice(0, 10)}。` : `申请 ${id} 未获批准。理由：${next.reason}`, id);
    });
    this.forget(row.requester_code, res.code);
    return this.view(next);
  }

  /** The owner revokes a grant (or the requester gives it up); calls fail from then on. */
  async revoke(p: Principal | null, id: string, reason: string): Promise<RequestView> {
    authorize(p, 'exchange.grant', { jurisdictionCode: CITY });
    const { row, res } = await this.reachable(p, id);
    if (row.status !== 'granted') throw new AppError('EXCHANGE_REQUEST_DECIDED', `Request ${id} is ${row.status}, not granted`);
    const now = this.ctx.clock.now();
    const next: RequestRow = { ...row, status: 'revoked', revoked_at: now, revoked_by: p.accountId, reason, updated_at: now, version: row.version + 1 };
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.updateRequest(tx, next, row.version))) throw new AppError('CONFLICT', `Request ${id} was changed meanwhile`);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'exchange.grant.revoked', subjectType: 'exchange_request', subjectId: id, detail: { resource: res.code, requester: row.requester_code, reason } });
      await this.ctx.outbox.add(tx, 'exchange.grant.revoked', { v: 1, requestId: id, resourceCode: res.code, requesterCode: row.requester_code });
      if (p.accountId !== row.requested_by) await this.tell(tx, row.requested_by, `数据共享授权已撤销：${res.name_zh}`, `授权 ${id} 已被撤销。理由：${reason}`, id);
    });
    this.forget(row.requester_code, res.code);
    return this.view(next);
  }

  private async tell(tx: Tx, to: string, title: string, body: string, id: string) {
    await this.ctx.services.notify.send(tx, { recipientId: to, topic: 'system', title, body, link: `/workbench/exchange/requests/${id}`, subject: { type: 'exchange_request', id } });
  }

  /**
   * The grants that let `department` read `resource` now (its own, or its bureau's: a grant to
   * 市场监管局 serves its district offices), or the reason there is none: live grants win; else the
   * newest grant's fate (revoked, expired) is the error, else none exists.
   */
  async liveGrant(departmentCode: string | null, res: { code: string; owner: string; fields: string[] }): Promise<LiveGrant[] | AppError> {
    if (!departmentCode) return new AppError('EXCHANGE_GRANT_MISSING', 'Your account belongs to no department');
    const resourceCode = res.code;
    const sector = departmentCode.split('.')[0]!;
    // A bureau and its district offices read the bureau's own resources without asking themselves.
    if (sector === res.owner) return [{ id: 'own', fields: new Set(res.fields), clear: new Set(res.fields), scope: { kind: 'all' }, expiresAt: Number.MAX_SAFE_INTEGER }];
    const now = this.ctx.clock.now();
    const key = `${departmentCode} ${resourceCode}`;
    let hit = this.grantRows.get(key);
    if (!hit || hit.until <= now) {
      // A read that began before a revocation must not put the revoked grant back in the cache.
      const generation = this.generation;
      hit = { until: now + GRANT_CACHE_MS, rows: await this.store.grants(this.ctx.db, sector === departmentCode ? [departmentCode] : [departmentCode, sector], resourceCode) };
      if (generation === this.generation) {
        if (this.grantRows.size > 10_000) this.grantRows.clear();
        this.grantRows.set(key, hit);
      }
    }
    const rows = hit.rows;
    const live = rows.filter((r) => r.status === 'granted' && r.expires_at !== null && r.expires_at > now);
    if (live.length) return live.map((r) => ({ id: r.id, fields: new Set(list(r.granted_fields)), clear: new Set(list(r.granted_clear)), scope: fromJson<SubjectScope>(r.granted_scope), expiresAt: Number(r.expires_at) }));
    const last = rows[0];
    if (!last) return new AppError('EXCHANGE_GRANT_MISSING', `${departmentCode} holds no grant for ${resourceCode}`);
    if (last.status === 'revoked') return new AppError('EXCHANGE_GRANT_REVOKED', `Grant ${last.id} for ${resourceCode} was revoked`);
    return new AppError('EXCHANGE_GRANT_EXPIRED', `Grant ${last.id} for ${resourceCode} expired`);
  }
}
