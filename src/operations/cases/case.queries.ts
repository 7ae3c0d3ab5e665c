import { authorize, readFilter, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { fromJson, toBool } from '../../platform/db/dialect.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { parseBox, parsePoint, type Box } from '../../platform/geo/params.ts';
import { distanceMetres } from '../../jurisdictions/geo/gcj02.ts';
import { caseFilter, filterReaches, maskCaller } from './case.access.ts';
import type { CaseRow, CaseSummary, CaseView, EventRow, ListQuery, PublicCase, TimelineEntry } from './case.schema.ts';
import type { CaseService } from './case.service.ts';
import { colourAt, isOpen, LEVEL_NAMES } from './workflow.ts';

/** Steps a reporter sees in the timeline (with their notes); the rest is the departments' business. */
const PUBLIC_ACTIONS = new Set(['report', 'accept', 'reject', 'merge', 'dispatch', 'handle', 'verify_pass', 'verify_fail', 'rate']);
/** Notes a reporter may read: the reply of the handler and verifier, and why a report was rejected. */
const PUBLIC_NOTES = new Set(['reject', 'handle', 'verify_pass', 'rate']);

export const photoUrl = (id: string) => `/api/cases/photos/${id}`;

/** Metres between two [lon, lat] points. */
const metresBetween = (a: [number, number], b: [number, number]) => distanceMetres(a[0], a[1], b[0], b[1]);

/** Reading cases: one case as the asker may see it, queues, nearby public reports. */
export class CaseQueries {
  constructor(
    private readonly ctx: AppContext,
    private readonly cases: CaseService,
  ) {}

  /** A case as officials in reach, its reporters, or the public see it; not found when none applies. */
  async get(p: Principal | null, id: string): Promise<CaseView> {
    authorize(p, 'case.report', UNSCOPED);
    const row = await this.cases.load(id).catch(() => null);
    if (!row) throw new AppError('CASE_NOT_FOUND', `No case ${id.slice(0, 20)}`);
    const parties = await this.cases.store.parties(this.ctx.db, id);
    const f = caseFilter(p);
    if (f && filterReaches(f, row, parties.map((x) => x.department_code))) return this.view(p, row, 'official', parties);
    const reporters = await this.cases.store.reporters(this.ctx.db, id);
    if (reporters.includes(p.accountId)) return this.view(p, row, 'reporter', parties);
    if (row.source === 'hotline' || row.stage === 'rejected' || row.stage === 'merged') throw new AppError('CASE_NOT_FOUND', `No case ${id}`);
    return this.view(p, row, 'public', parties);
  }

  publicView(row: CaseRow, agency: string | null): PublicCase {
    const c = this.cases.catalogue.get(row.category_code);
    return {
      id: row.id,
      categoryCode: row.category_code,
      categoryName: c?.nameZh ?? row.category_code,
      categoryNameEn: c?.nameEn ?? row.category_code,
      status: isOpen(row.stage) ? 'open' : 'closed',
      stage: row.stage,
      description: row.description,
      point: [Number(row.lon), Number(row.lat)],
      address: row.address,
      agency,
      publicNote: row.public_note,
      photos: this.cases.photosOf(row).map(photoUrl),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
      closedAt: row.closed_at === null ? null : Number(row.closed_at),
    };
  }

  async agency(row: CaseRow): Promise<string | null> {
    return row.department_code ? ((await this.cases.department(row.department_code))?.name ?? row.department_code) : null;
  }

  private async view(p: Principal, row: CaseRow, access: CaseView['access'], parties: Array<{ department_code: string; role: string }>): Promise<CaseView> {
    const official = access === 'official';
    const events = access === 'public' ? [] : await this.cases.store.events(this.ctx.db, row.id);
    const now = this.ctx.clock.now();
    const base = this.publicView(row, await this.agency(row));
    const timeline = events.filter((e) => official || PUBLIC_ACTIONS.has(e.action)).map((e) => this.entry(e, official, p));
    const duplicates = official && (row.stage === 'intake' || row.stage === 'filing') ? await this.duplicates(row) : [];
    const proposal = official && row.stage === 'dispatch' ? await this.proposal(row) : null;
    const hide = <T>(v: T): T | null => (official ? v : null);
    return {
      ...base,
      access,
      source: row.source,
      severity: row.severity,
      jurisdictionCode: row.jurisdiction_code,
      timeline,
      rating: row.rating,
      ratingComment: access === 'public' ? null : row.rating_comment,
      mergedInto: row.merged_into,
      departmentCode: hide(row.department_code),
      supporting: official ? parties.filter((x) => x.role === 'support').map((x) => x.department_code) : [],
      team: hide(row.team),
      assigneeId: hide(row.assignee_id),
      handlerId: hide(row.handler_id),
      verifierId: hide(row.verifier_id),
      caller: official ? maskCaller(fromJson(row.caller), p, row, parties) : null,
      componentCode: hide(row.component_code),
      alertId: hide(row.alert_id),
      stageStartedAt: Number(row.stage_started_at),
      yellowAt: row.yellow_at === null ? null : Number(row.yellow_at),
      dueAt: row.due_at === null ? null : Number(row.due_at),
      colour: colourAt(now, { yellowAt: row.yellow_at === null ? null : Number(row.yellow_at), dueAt: row.due_at === null ? null : Number(row.due_at) }),
      level: official ? row.level : 0,
      levelName: LEVEL_NAMES[official ? row.level : 0] ?? 'street',
      supervised: official && toBool(row.supervised),
      supervisionNote: hide(row.supervision_note),
      late: official ? row.late : 0,
      reopenCount: row.reopen_count,
      returnCount: official ? row.return_count : 0,
      reporters: official ? (await this.cases.store.reporters(this.ctx.db, row.id)).length : 0,
      duplicates,
      proposal,
      version: row.version,
    };
  }

  private entry(e: EventRow, official: boolean, p: Principal): TimelineEntry {
    const own = e.actor_id === p.accountId;
    return {
      at: Number(e.at),
      action: e.action,
      fromStage: e.from_stage,
      toStage: e.to_stage,
      // Reporters see which step happened and the replies, not which official did it.
      actorName: official || own ? e.actor_name : null,
      note: official || own || PUBLIC_NOTES.has(e.action) ? e.note : null,
      photos: (fromJson<string[]>(e.photos) ?? []).map(photoUrl),
      late: toBool(e.late),
    };
  }

  /** Open cases of the same category close by and recent: proposed for merging at intake. */
  async duplicates(row: CaseRow): Promise<CaseView['duplicates']> {
    const { caseDuplicateMetres: metres, caseDuplicateHours: hours } = this.ctx.config;
    const point: [number, number] = [Number(row.lon), Number(row.lat)];
    const near = await this.cases.store.nearbyOpen(this.ctx.db, row.category_code, point, metres, Number(row.created_at) - hours * 3600_000, row.id);
    return near
      .map((c) => ({ id: c.id, distanceM: Math.round(metresBetween(point, [Number(c.lon), Number(c.lat)]) * 10) / 10, createdAt: Number(c.created_at), stage: c.stage }))
      .filter((c) => c.distanceM <= metres && c.createdAt <= Number(row.created_at))
      .sort((a, b) => a.distanceM - b.distanceM);
  }

  private async proposal(row: CaseRow): Promise<CaseView['proposal']> {
    const c = this.cases.catalogue.get(row.category_code);
    const p = c ? await this.cases.dispatcher.propose(this.ctx.db, c, row.jurisdiction_code) : null;
    if (!p) return null;
    return { departmentCode: p.departmentCode, departmentName: (await this.cases.department(p.departmentCode))?.name ?? p.departmentCode, team: p.team, rule: p.rule };
  }

  /** A queue: officials their reach, workers their grid and tasks (nearest first with `near`), the public their own reports. */
  async list(p: Principal | null, q: ListQuery): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
    authorize(p, 'case.report', UNSCOPED);
    const f = caseFilter(p);
    if (!f) return { items: [], nextCursor: null };
    const limit = q.limit ?? 50;
    const now = this.ctx.clock.now();
    const near = q.near === undefined ? undefined : parsePoint(q.near);
    if (q.category !== undefined) this.cases.category(q.category, 'category');
    if (q.jurisdiction !== undefined && !/^\d{6,15}$/.test(q.jurisdiction)) throw invalid('jurisdiction', 'must be a jurisdiction code');
    const before = q.cursor && !near ? (([at, id]) => ({ at: Number(at), id: String(id) }))(decodeCursor(q.cursor, 'ns')) : undefined;
    const mine = q.mine && f.kind !== 'reporter' ? p.accountId : undefined;
    const rows = await this.cases.store.list(this.ctx.db, f, { stage: q.stage, colour: q.colour, category: q.category, jurisdiction: q.jurisdiction, component: q.component, assignee: mine, escalated: q.escalated, supervised: q.supervised, now, before, near }, limit);
    const last = rows.at(-1);
    const items = rows.map((r) => this.summary(r, now, near));
    // The public see their own reports without who handles them inside the departments.
    if (f.kind === 'reporter') for (const i of items) Object.assign(i, { assigneeId: null, level: 0, supervised: false });
    return { items, nextCursor: !near && rows.length === limit && last ? encodeCursor([Number(last.created_at), last.id]) : null };
  }

  summary(r: CaseRow, now: number, near?: [number, number]): CaseSummary {
    const c = this.cases.catalogue.get(r.category_code);
    const point: [number, number] = [Number(r.lon), Number(r.lat)];
    return {
      id: r.id,
      categoryCode: r.category_code,
      categoryName: c?.nameZh ?? r.category_code,
      categoryNameEn: c?.nameEn ?? r.category_code,
      stage: r.stage,
      severity: r.severity,
      source: r.source,
      description: r.description,
      point,
      address: r.address,
      jurisdictionCode: r.jurisdiction_code,
      departmentCode: r.department_code,
      assigneeId: r.assignee_id,
      dueAt: r.due_at === null ? null : Number(r.due_at),
      colour: colourAt(now, { yellowAt: r.yellow_at === null ? null : Number(r.yellow_at), dueAt: r.due_at === null ? null : Number(r.due_at) }),
      level: r.level,
      supervised: toBool(r.supervised),
      distanceM: near ? Math.round(metresBetween(near, point)) : null,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }

  /** Open cases in a box for the command map: [id, lon, lat, colour, category, level], most urgent first. */
  async mapRows(p: Principal | null, bbox: string): Promise<{ rows: Array<[string, number, number, string | null, string, number]> }> {
    // The command map is the operations centres': they see every case of their place.
    authorize(p, 'case.dispatch', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope') return { rows: [] };
    const box = this.box(bbox, 1.5);
    const now = this.ctx.clock.now();
    const rows = await this.cases.store.openInBox(this.ctx.db, f.prefix, box, 5000);
    return { rows: rows.map((r) => [r.id, Number(r.lon), Number(r.lat), colourAt(now, { yellowAt: r.yellow_at === null ? null : Number(r.yellow_at), dueAt: r.due_at === null ? null : Number(r.due_at) }), r.category_code, r.level]) };
  }

  /** A box of at most `maxSpan` degrees each way: a bigger one would read a whole city's cases. */
  private box(bbox: string, maxSpan: number): Box {
    const box = parseBox(bbox);
    if (box[2] - box[0] > maxSpan || box[3] - box[1] > maxSpan) throw invalid('bbox', `may span at most ${maxSpan}° each way`);
    return box;
  }

  /** Public reports in a box (anyone signed in): the portal's "nearby". */
  async nearby(p: Principal | null, bbox: string): Promise<{ items: PublicCase[] }> {
    authorize(p, 'case.report', UNSCOPED);
    const box = this.box(bbox, 0.2);
    const rows = await this.cases.store.publicInBox(this.ctx.db, box, this.ctx.clock.now() - 30 * 86_400_000, 200);
    return { items: await Promise.all(rows.map(async (r) => this.publicView(r, await this.agency(r)))) };
  }
}
