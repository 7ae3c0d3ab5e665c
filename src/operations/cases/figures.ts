import { sql } from 'kysely';
import { authorize, readFilter, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalid } from '../../platform/errors.ts';
import type { CaseService } from './case.service.ts';
import { OPEN_STAGES } from './workflow.ts';

export type FiguresBy = 'department' | 'category' | 'jurisdiction';

export interface FigureRow {
  key: string;
  name: string;
  total: number;
  closed: number;
  closedOnTime: number;
  reopened: number;
  closureRate: number | null;
  onTimeRate: number | null;
  reopenRate: number | null;
  /** Average hours spent in each stage, over the stages left during the period's cases. */
  avgStageHours: Record<string, number>;
}

const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
/** Grouping by place goes one level below the asker's scope: the city by district, a district by street. */
const childLength = (scope: string) => (scope.length <= 2 ? 6 : scope.length === 6 ? 9 : scope.length === 9 ? 12 : 15);

/**
 * The command centre's figures over a period, for the cases opened in it within the asker's scope:
 * closure rate, on-time rate (closed with no stage past its limit), reopen rate and average time
 * per stage, by department, category or jurisdiction.
 */
export class CaseFigures {
  constructor(
    private readonly ctx: AppContext,
    private readonly cases: CaseService,
  ) {}

  async figures(p: Principal | null, q: { from: number; to: number; by: FiguresBy }): Promise<{ from: number; to: number; by: FiguresBy; scope: string; rows: FigureRow[] }> {
    // The command centre's figures: operations centres (a department's staff would see every department's).
    authorize(p, 'case.dispatch', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope' || !p.scopeCode) return { from: q.from, to: q.to, by: q.by, scope: '', rows: [] };
    if (!(q.to > q.from)) throw invalid('to', 'must be after from');
    if (q.to - q.from > 366 * 86_400_000) throw invalid('to', 'a period is at most a year');
    const prefix = f.prefix;
    const key =
      q.by === 'department' ? sql<string>`coalesce(c.department_code, '')` : q.by === 'category' ? sql<string>`c.category_code` : sql<string>`substr(c.jurisdiction_code, 1, ${sql.raw(String(childLength(prefix)))})`;
    const inScope = (qb: any) => qb.where('c.jurisdiction_code', '>=', prefix).where('c.jurisdiction_code', '<', prefix + '~').where('c.created_at', '>=', q.from).where('c.created_at', '<', q.to);
    const counts = await inScope(this.ctx.db.selectFrom('cases_case as c'))
      .select([
        key.as('key'),
        sql<number>`count(*)`.as('total'),
        sql<number>`sum(case when c.stage = 'closed' then 1 else 0 end)`.as('closed'),
        sql<number>`sum(case when c.stage = 'closed' and c.late = 0 then 1 else 0 end)`.as('on_time'),
        sql<number>`sum(case when c.stage = 'closed' and c.reopen_count > 0 then 1 else 0 end)`.as('reopened'),
      ])
      .groupBy(key)
      .execute() as Array<{ key: string; total: number; closed: number; on_time: number; reopened: number }>;
    const stages = await inScope(this.ctx.db.selectFrom('cases_event as e').innerJoin('cases_case as c', 'c.id', 'e.case_id'))
      .where('e.from_stage', 'in', OPEN_STAGES)
      .where('e.stage_ms', 'is not', null)
      .where('e.action', '<>', 'escalate')
      .select([key.as('key'), 'e.from_stage as stage', sql<number>`avg(e.stage_ms)`.as('avg_ms')])
      .groupBy([key, 'e.from_stage'])
      .execute() as Array<{ key: string; stage: string; avg_ms: number }>;
    const rows: FigureRow[] = [];
    for (const c of counts) {
      const total = Number(c.total), closed = Number(c.closed), onTime = Number(c.on_time), reopened = Number(c.reopened);
      const avg: Record<string, number> = {};
      for (const s of stages) if (s.key === c.key) avg[s.stage] = Math.round((Number(s.avg_ms) / 3600_000) * 100) / 100;
      rows.push({ key: c.key, name: await this.name(q.by, c.key), total, closed, closedOnTime: onTime, reopened, closureRate: rate(closed, total), onTimeRate: rate(onTime, closed), reopenRate: rate(reopened, closed), avgStageHours: avg });
    }
    rows.sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
    return { from: q.from, to: q.to, by: q.by, scope: p.scopeCode, rows };
  }

  private async name(by: FiguresBy, key: string): Promise<string> {
    if (!key) return '未派遣';
    if (by === 'department') return (await this.cases.department(key))?.name ?? key;
    if (by === 'category') return this.cases.catalogue.get(key)?.nameZh ?? key;
    return this.ctx.services.jurisdictions.get(key)?.name ?? key;
  }
}
