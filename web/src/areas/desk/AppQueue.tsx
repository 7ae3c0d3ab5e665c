// The department's applications (办件) as a dense table: the time-limit colour first, the due
// time, stage and review step, applicant, item and whether it belongs to a bundle (一件事). The
// server filters (open, stage) and pages; the order on screen is the reader's choice.
import { useEffect, useMemo, useState } from 'react';
import { DESK_STAGES, OPEN_STAGES, listApplications, type AppStage, type ApplicationSummary } from '../../api/serviceDesk.ts';
import { Link, navigate } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { DESK_COLOURS, DeskLimit, URGENCY, useDeskText } from './deskText.tsx';

type Sort = 'urgency' | 'updated' | 'due';
const PAGE = 100;

const sorters: Record<Sort, (a: ApplicationSummary, b: ApplicationSummary) => number> = {
  urgency: (a, b) => URGENCY[a.colour] - URGENCY[b.colour] || b.level - a.level || (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity),
  updated: (a, b) => b.updatedAt - a.updatedAt,
  due: (a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity),
};

export function AppQueue({ base }: { base: string }) {
  const { t, formatTime, formatNumber } = useI18n();
  const text = useDeskText();
  const account = useAccount();
  const [open, setOpen] = useState(true);
  const [stage, setStage] = useState<AppStage | ''>('');
  const [sort, setSort] = useState<Sort>('urgency');
  const [more, setMore] = useState<{ items: ApplicationSummary[]; cursor: string | null; loading: boolean; error: unknown }>({ items: [], cursor: null, loading: false, error: null });
  const list = useAsync((signal) => listApplications({ open: open || undefined, stage: stage || undefined, limit: PAGE }, signal), [open, stage]);
  useEffect(() => setMore({ items: [], cursor: list.data?.nextCursor ?? null, loading: false, error: null }), [list.data]);

  const rows = useMemo(() => [...(list.data?.items ?? []), ...more.items].sort(sorters[sort]), [list.data, more.items, sort]);
  const counts = useMemo(() => {
    const c = { red: 0, yellow: 0, green: 0, paused: 0 };
    for (const r of rows) if (r.colour in c) c[r.colour as keyof typeof c]++;
    return c;
  }, [rows]);
  const stages = open ? OPEN_STAGES : DESK_STAGES;
  const manyDepartments = new Set(rows.map((r) => r.departmentCode)).size > 1 || !account.roles.includes('staff');

  const loadMore = async () => {
    if (!more.cursor) return;
    setMore((m) => ({ ...m, loading: true, error: null }));
    try {
      const page = await listApplications({ open: open || undefined, stage: stage || undefined, limit: PAGE, cursor: more.cursor });
      setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor, loading: false, error: null }));
    } catch (error) {
      setMore((m) => ({ ...m, loading: false, error }));
    }
  };

  return (
    <section className="panel desk-queue" data-testid="app-queue">
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={open}
            onChange={(e) => {
              setOpen(e.target.checked);
              if (e.target.checked && stage && !OPEN_STAGES.includes(stage)) setStage('');
            }}
            data-testid="app-filter-open"
          />
          {t('desk.filter.open')}
        </label>
        <label className="check">
          {t('desk.filter.stage')}
          <select className="input input-small" value={stage} onChange={(e) => setStage(e.target.value as AppStage | '')} data-testid="app-filter-stage">
            <option value="">{t('desk.filter.allStages')}</option>
            {stages.map((s) => (
              <option key={s} value={s}>
                {text.stage(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          {t('desk.sort')}
          <select className="input input-small" value={sort} onChange={(e) => setSort(e.target.value as Sort)} data-testid="app-sort">
            <option value="urgency">{t('desk.sort.urgency')}</option>
            <option value="due">{t('desk.sort.due')}</option>
            <option value="updated">{t('desk.sort.updated')}</option>
          </select>
        </label>
        <span className="desk-counts toolbar-end" data-testid="app-counts">
          {(['red', 'yellow', 'green', 'paused'] as const).map((c) => (
            <span key={c} className="desk-count" data-colour={c} title={text.colour(c)}>
              <span className="limit-dot" style={{ background: DESK_COLOURS[c] }} />
              {text.colour(c)} {formatNumber(counts[c])}
            </span>
          ))}
        </span>
        <button type="button" className="btn btn-small" onClick={list.reload} data-testid="app-reload">
          {t('desk.reload')}
        </button>
      </div>
      {loadNote(list) ?? (!rows.length ? (
        <p className="muted" data-testid="app-none">
          {t('desk.none')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table desk-table" data-testid="app-table">
            <thead>
              <tr>
                <th>{t('desk.col.limit')}</th>
                <th>{t('desk.col.id')}</th>
                <th>{t('desk.col.item')}</th>
                <th>{t('desk.col.applicant')}</th>
                <th>{t('desk.col.stage')}</th>
                <th>{t('desk.col.step')}</th>
                {manyDepartments && <th>{t('desk.col.department')}</th>}
                <th>{t('desk.col.submitted')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr
                  key={a.id}
                  className={`desk-row desk-row-${a.colour}`}
                  data-testid="app-row"
                  data-id={a.id}
                  data-colour={a.colour}
                  data-stage={a.stage}
                  data-item={a.itemCode}
                  onClick={(e) => {
                    if (!(e.target as HTMLElement).closest('a')) navigate(`${base}/${a.id}`);
                  }}
                >
                  <td className="nowrap">
                    <DeskLimit colour={a.colour} dueAt={a.dueAt} level={a.level} />
                  </td>
                  <td className="desk-id">
                    <Link to={`${base}/${a.id}`}>{a.id}</Link>
                  </td>
                  <td>
                    {text.name(a.itemNameZh, a.itemNameEn)}
                    {a.bundleId ? (
                      <span className="badge badge-special desk-bundle" title={a.bundleId} data-testid="app-bundle">
                        {t('desk.bundle')}
                      </span>
                    ) : null}
                  </td>
                  <td>{a.applicantName}</td>
                  <td className="nowrap">{text.stage(a.stage)}</td>
                  <td className="nowrap">{text.name(a.stepName, a.stepNameEn) || '—'}</td>
                  {manyDepartments && <td className="nowrap">{text.name(a.departmentName, a.departmentNameEn) || a.departmentCode || '—'}</td>}
                  <td className="num">{formatTime(a.submittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {more.error != null && <ErrorNote error={more.error} />}
      {more.cursor && (
        <button type="button" className="btn btn-small" disabled={more.loading} onClick={() => void loadMore()} data-testid="app-more">
          {t('desk.more')}
        </button>
      )}
    </section>
  );
}
