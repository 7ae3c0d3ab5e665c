// 交换日志: every exchange call the reader's department made or that touched its resources
// (administrators: all), allowed or refused, newest first. Filters are the server's (resource,
// department, subject, outcome, dates); "load more" pages with nextBefore. Administrators check the
// log's hash chain (校验日志链): how many entries were checked and any break found.
import { useMemo, useState, type FormEvent } from 'react';
import { listLog, verifyLog, type LogQuery, type LogVerification, type LogView, type ResourceView } from '../../api/exchange.ts';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, loadNote } from '../../ui/ErrorNote.tsx';
import { useDepartments } from './deptNames.ts';
import { dayStart, FieldTags, fieldDefs, OutcomeChip, useExchangeText } from './exchangeText.tsx';
import { useLogPages } from './useLogPages.ts';

const PAGE = 50;
const DAY_MS = 86_400_000;
/** Refusal codes the outcome filter offers besides 全部 / 成功 / 拒绝. */
export const REFUSALS = ['EXCHANGE_GRANT_MISSING', 'EXCHANGE_GRANT_EXPIRED', 'EXCHANGE_GRANT_REVOKED', 'EXCHANGE_FIELD_FORBIDDEN', 'EXCHANGE_SUBJECT_FORBIDDEN', 'EXCHANGE_SUBJECT_NOT_FOUND'];

interface Filters {
  resource: string;
  department: string;
  subject: string;
  outcome: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { resource: '', department: '', subject: '', outcome: '', from: '', to: '' };

function toQuery(f: Filters): LogQuery {
  const to = dayStart(f.to);
  return {
    resource: f.resource || undefined,
    department: f.department.trim() || undefined,
    subject: f.subject.trim() || undefined,
    outcome: f.outcome || undefined,
    from: dayStart(f.from),
    // The server's `to` is exclusive: the whole of the last day counts.
    to: to === undefined ? undefined : to + DAY_MS,
    limit: PAGE,
  };
}

function VerifyChain() {
  const { t, formatNumber } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<LogVerification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await verifyLog());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel xchg-verify" data-testid="xchg-verify-panel">
      <div className="panel-head">
        <h2 className="panel-title">{t('xchg.verify.title')}</h2>
        <div className="panel-tools">
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void run()} data-testid="xchg-verify">
            {busy ? t('xchg.verify.running') : t('xchg.verify.run')}
          </button>
        </div>
      </div>
      <p className="muted">{t('xchg.verify.hint')}</p>
      {error != null && <ErrorNote error={error} testId="xchg-verify-error" />}
      {result && (
        <div className={`note ${result.problems.length ? 'note-error' : 'xchg-note-ok'}`} role="status" data-testid="xchg-verify-result" data-checked={result.checked} data-problems={result.problems.length}>
          <strong>{result.problems.length ? t('xchg.verify.broken', { n: formatNumber(result.problems.length) }) : t('xchg.verify.ok')}</strong>
          <span>{t('xchg.verify.checked', { n: formatNumber(result.checked) })}</span>
          {result.head && <span className="xchg-mono" title={result.head.hash}>{t('xchg.verify.head', { seq: result.head.seq, hash: result.head.hash.slice(0, 16) })}</span>}
          {result.problems.length > 0 && (
            <ul className="xchg-problems" data-testid="xchg-verify-problems">
              {result.problems.map((p) => (
                <li key={`${p.seq}-${p.problem}`}>
                  #{p.seq}: {p.problem}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

export function LogTable({ rows, resources, own }: { rows: LogView[]; resources: ResourceView[] | undefined; own?: boolean }) {
  const { t, formatTime } = useI18n();
  const text = useExchangeText();
  const defs = useMemo(() => fieldDefs(resources), [resources]);
  const depts = useDepartments(rows.map((r) => r.departmentCode), text.en);
  return (
    <div className="table-wrap">
      <table className="table desk-table xchg-log-table" data-testid="xchg-log-table">
        <thead>
          <tr>
            <th>{t('xchg.log.at')}</th>
            <th>{t('xchg.log.department')}</th>
            <th>{t('xchg.log.resource')}</th>
            {!own && <th>{t('xchg.log.subject')}</th>}
            <th>{t('xchg.log.fields')}</th>
            <th>{t('xchg.log.purpose')}</th>
            <th>{t('xchg.log.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq} data-testid="xchg-log-row" data-seq={r.seq} data-outcome={r.outcome} data-resource={r.resourceCode} data-department={r.departmentCode ?? ''}>
              <td className="nowrap">{formatTime(r.at)}</td>
              <td>
                <span data-testid="xchg-log-department">{text.dept(r.departmentCode, r.departmentName, depts)}</span>
                {r.system ? (
                  <span className="tag xchg-system" title={t('xchg.log.system')}>
                    {t('xchg.log.via', { system: r.system })}
                  </span>
                ) : null}
              </td>
              <td>
                {text.pick(r.resourceName, r.resourceNameEn)} <span className="muted xchg-mono">{r.resourceCode}</span>
              </td>
              {!own && <td className="xchg-mono">{r.subjectId}</td>}
              <td>
                <FieldTags names={r.fields} defs={defs.get(r.resourceCode)} masked={r.masked} />
              </td>
              <td>
                <span data-testid="xchg-log-purpose">{r.purpose}</span>
                {r.reference ? <div className="muted">{t('xchg.log.reference', { ref: r.reference })}</div> : null}
              </td>
              <td>
                <OutcomeChip outcome={r.outcome} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ExchangeLog({ resources }: { resources: ResourceView[] | undefined }) {
  const { t } = useI18n();
  const text = useExchangeText();
  const account = useAccount();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const query = useMemo(() => toQuery(filters), [filters]);
  const { first, more, rows, loadMore } = useLogPages((before, signal) => listLog(before === undefined ? query : { ...query, before }, signal), [query]);
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  // Choices apply at once; typed text applies on 查询 (Enter).
  const choose = (k: keyof Filters) => (e: { target: { value: string } }) => {
    const next = { ...draft, [k]: e.target.value };
    setDraft(next);
    setFilters(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };

  return (
    <>
      <section className="panel" data-testid="xchg-log">
        <form className="xchg-log-filters" onSubmit={submit} data-testid="xchg-log-filters">
          <label className="check">
            {t('xchg.log.resource')}
            <select className="input input-small" value={draft.resource} onChange={choose('resource')} data-testid="xchg-log-resource">
              <option value="">{t('xchg.log.anyResource')}</option>
              {(resources ?? []).map((r) => (
                <option key={r.code} value={r.code}>
                  {r.code} {text.pick(r.nameZh, r.nameEn)}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            {t('xchg.log.outcome')}
            <select className="input input-small" value={draft.outcome} onChange={choose('outcome')} data-testid="xchg-log-outcome">
              <option value="">{t('xchg.log.anyOutcome')}</option>
              <option value="ok">{t('xchg.outcome.ok')}</option>
              <option value="refused">{t('xchg.outcome.refusedAll')}</option>
              {REFUSALS.map((c) => (
                <option key={c} value={c}>
                  {t('xchg.outcome.refused')}: {text.refusal(c)}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            {t('xchg.log.department')}
            <input className="input input-small" value={draft.department} placeholder={t('xchg.log.departmentHint')} onChange={set('department')} data-testid="xchg-log-department-filter" />
          </label>
          <label className="check">
            {t('xchg.log.subject')}
            <input className="input input-small" value={draft.subject} placeholder={t('xchg.log.subjectHint')} onChange={set('subject')} data-testid="xchg-log-subject" />
          </label>
          <label className="check">
            {t('xchg.log.from')}
            <input className="input input-small" type="date" value={draft.from} onChange={choose('from')} data-testid="xchg-log-from" />
          </label>
          <label className="check">
            {t('xchg.log.to')}
            <input className="input input-small" type="date" value={draft.to} onChange={choose('to')} data-testid="xchg-log-to" />
          </label>
          <button type="submit" className="btn btn-small btn-primary" data-testid="xchg-log-apply">
            {t('xchg.log.apply')}
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
            }}
            data-testid="xchg-log-reset"
          >
            {t('xchg.log.reset')}
          </button>
          <button type="button" className="btn btn-small" onClick={first.reload} data-testid="xchg-log-reload">
            {t('desk.reload')}
          </button>
        </form>
        <p className="muted">{account.roles.includes('admin') ? t('xchg.log.reachAll') : t('xchg.log.reach')}</p>
        {loadNote(first) ??
          (!rows.length ? (
            <p className="muted" data-testid="xchg-log-none">
              {t('xchg.log.none')}
            </p>
          ) : (
            <LogTable rows={rows} resources={resources} />
          ))}
        {more.error != null && <ErrorNote error={more.error} />}
        {more.before !== null && rows.length > 0 && (
          <button type="button" className="btn btn-small" disabled={more.loading} onClick={() => void loadMore()} data-testid="xchg-log-more">
            {t('desk.more')}
          </button>
        )}
      </section>
      {account.roles.includes('admin') && <VerifyChain />}
    </>
  );
}
