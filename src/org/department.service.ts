import { authorize, scopePrefix, type Principal, UNSCOPED } from '../platform/access.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, invalid } from '../platform/errors.ts';
import type { DepartmentStore } from './department.store.ts';
import type { DepartmentDetail, DepartmentListQuery, DepartmentPage, DepartmentRow, DepartmentView } from './org.schema.ts';

function view(r: DepartmentRow): DepartmentView {
  return { code: r.code, name: r.name, nameEn: r.name_en, parentCode: r.parent_code, jurisdictionCode: r.jurisdiction_code, kind: r.kind };
}

const CODE_PATTERN = /^[a-z]+(\.\d{6,15})?$/;
const encodeCursor = (code: string) => Buffer.from(code, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!CODE_PATTERN.test(code)) throw invalid('cursor', 'is not a cursor this list gave out');
  return code;
}

/** Departments are public reference data for anyone signed in. */
export class DepartmentService {
  /**
   * Departments found recently: they change with reorganisations (a seed), not per request, and
   * other modules look them up on every write (routing an application, naming a case's department).
   * Only hits are kept, for a minute, so a department added since is found at once.
   */
  private readonly found = new Map<string, { value: DepartmentView; until: number }>();

  constructor(
    private readonly ctx: AppContext,
    private readonly store: DepartmentStore,
  ) {}

  /** One department by code, without access checks (for other modules). */
  async find(code: string): Promise<DepartmentView | null> {
    const now = this.ctx.clock.now();
    const hit = this.found.get(code);
    if (hit && hit.until > now) return hit.value;
    const r = await this.store.get(this.ctx.db, code);
    if (!r) return null;
    if (this.found.size > 50_000) this.found.clear();
    const value = view(r);
    this.found.set(code, { value, until: now + 60_000 });
    return value;
  }

  /** The departments at a jurisdiction itself (e.g. the street offices of 陆家嘴街道), for dispatch. */
  async at(jurisdictionCode: string): Promise<DepartmentView[]> {
    return (await this.store.atJurisdiction(this.ctx.db, jurisdictionCode)).map(view);
  }

  async list(p: Principal | null, q: DepartmentListQuery): Promise<DepartmentPage> {
    authorize(p, 'department.read', UNSCOPED);
    const limit = q.limit ?? 100;
    const rows = await this.store.list(this.ctx.db, {
      jurisdictionPrefix: q.jurisdiction ? scopePrefix(q.jurisdiction) : undefined,
      q: q.q?.trim() || undefined,
      parent: q.parent,
      kind: q.kind,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { items: page.map(view), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.code) : null };
  }

  async get(p: Principal | null, code: string): Promise<DepartmentDetail> {
    authorize(p, 'department.read', UNSCOPED);
    const r = await this.store.get(this.ctx.db, code);
    if (!r) throw new AppError('DEPARTMENT_NOT_FOUND', `No department with code ${code}`);
    const parent = r.parent_code ? await this.store.get(this.ctx.db, r.parent_code) : undefined;
    const children = await this.store.children(this.ctx.db, code);
    return { department: view(r), parent: parent ? view(parent) : null, children: children.map(view) };
  }
}
