// 申请与授权: the access requests the reader's department made or must decide (administrators: all),
// filtered by status, each as a card with what was asked and, once decided, what was granted. The
// owner's staff decide pending ones and may revoke granted ones (RequestActions); the server checks
// every step again. /workbench/exchange/requests/<id> shows one request (messages link there).
import { useEffect, useMemo, useState } from 'react';
import { getRequest, listRequests, REQUEST_STATUSES, type RequestView, type ResourceView } from '../../api/exchange.ts';
import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Fact } from '../../ui/Fact.tsx';
import { loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { useDepartments } from './deptNames.ts';
import { FieldTags, fieldDefs, useExchangeText, type FieldDefs } from './exchangeText.tsx';
import { RequestActions } from './RequestActions.tsx';

type StatusFilter = 'all' | (typeof REQUEST_STATUSES)[number];
type Direction = 'all' | 'incoming' | 'outgoing';
const FILTERS: StatusFilter[] = ['all', ...REQUEST_STATUSES];

/**
 * The server stores an expired grant as granted (expiry is read from its date), so both filters ask
 * for granted ones and keep those whose status reads as asked.
 */
const serverStatus = (s: StatusFilter): string | undefined => (s === 'all' ? undefined : s === 'expired' ? 'granted' : s);

export function StatusBadge({ status }: { status: string }) {
  const text = useExchangeText();
  return (
    <span className={`badge xchg-status xchg-status-${status}`} data-testid="xchg-status" data-status={status}>
      {text.status(status)}
    </span>
  );
}

export function RequestCard({ r, defs, onChanged, link }: { r: RequestView; defs: FieldDefs; onChanged: (r: RequestView) => void; link?: string }) {
  const { t, formatTime, formatNumber } = useI18n();
  const text = useExchangeText();
  const account = useAccount();
  const depts = useDepartments([r.ownerCode, r.requesterCode], text.en);
  const fieldsOf = defs.get(r.resourceCode);
  const incoming = !!account.departmentCode && account.departmentCode === r.ownerCode;
  const outgoing = !!account.departmentCode && account.departmentCode === r.requesterCode;
  const decided = r.grantedFields !== null;
  return (
    <article className="xchg-request" data-testid="xchg-request-row" data-id={r.id} data-status={r.status} data-resource={r.resourceCode} data-version={r.version}>
      <header className="xchg-request-head">
        {link ? (
          <Link to={link} className="xchg-mono" data-testid="xchg-request-link">
            {r.id}
          </Link>
        ) : (
          <span className="xchg-mono">{r.id}</span>
        )}
        <strong className="xchg-name">
          {text.pick(r.resourceName, r.resourceNameEn)} <span className="muted xchg-mono">{r.resourceCode}</span>
        </strong>
        <StatusBadge status={r.status} />
        {incoming && <span className="badge badge-special">{t('xchg.req.incoming')}</span>}
        {outgoing && <span className="badge badge-soon">{t('xchg.req.outgoing')}</span>}
        <span className="muted toolbar-end">{t('xchg.req.created', { at: formatTime(r.createdAt) })}</span>
      </header>
      <dl className="facts desk-facts xchg-facts">
        <Fact label={t('xchg.req.requester')} testId="xchg-req-requester">
          {text.dept(r.requesterCode, r.requesterName, depts)}
        </Fact>
        <Fact label={t('xchg.req.owner')} testId="xchg-req-owner">
          {text.dept(r.ownerCode, r.ownerName, depts)}
        </Fact>
        <Fact label={t('xchg.req.scope')}>{text.scope(r.subjectScope)}</Fact>
        <Fact label={t('xchg.req.days')}>{t('xchg.days', { n: formatNumber(r.days) })}</Fact>
        {r.expiresAt !== null && (
          <Fact label={t('xchg.req.expires')} testId="xchg-req-expires">
            {formatTime(r.expiresAt)}
          </Fact>
        )}
        {r.decidedAt !== null && <Fact label={t('xchg.req.decidedAt')}>{formatTime(r.decidedAt)}</Fact>}
        {r.revokedAt !== null && <Fact label={t('xchg.req.revokedAt')}>{formatTime(r.revokedAt)}</Fact>}
      </dl>
      <dl className="facts facts-stacked xchg-facts xchg-facts-wide">
        <Fact label={t('xchg.req.purpose')} testId="xchg-req-purpose-text">
          {r.purpose}
        </Fact>
        <Fact label={t('xchg.req.basis')} testId="xchg-req-basis-text">
          {r.legalBasis}
        </Fact>
        <Fact label={t('xchg.req.fields')} testId="xchg-req-fields">
          <FieldTags names={r.fields} defs={fieldsOf} clear={r.clearFields} />
        </Fact>
        {decided && (
          <>
            <Fact label={t('xchg.req.grantedFields')} testId="xchg-granted-fields">
              <FieldTags names={r.grantedFields ?? []} defs={fieldsOf} clear={r.grantedClear ?? []} />
            </Fact>
            <Fact label={t('xchg.req.grantedScope')}>{text.scope(r.grantedScope)}</Fact>
          </>
        )}
        {r.reason && (
          <Fact label={r.status === 'granted' || r.status === 'expired' ? t('xchg.req.note') : t('xchg.req.reason')} testId="xchg-req-reason">
            {r.reason}
          </Fact>
        )}
      </dl>
      <RequestActions r={r} defs={fieldsOf} onChanged={onChanged} />
    </article>
  );
}

export function RequestList({ resources, base }: { resources: ResourceView[] | undefined; base: string }) {
  const { t, formatNumber } = useI18n();
  const account = useAccount();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [direction, setDirection] = useState<Direction>('all');
  const list = useAsync((signal) => listRequests({ status: serverStatus(status), limit: 200 }, signal).then((r) => r.items), [status]);
  const [changed, setChanged] = useState<Record<string, RequestView>>({});
  useEffect(() => setChanged({}), [list.data]);
  const defs = useMemo(() => fieldDefs(resources), [resources]);
  const rows = useMemo(
    () =>
      (list.data ?? [])
        // Granted and expired share the server's filter: keep those that read as asked (as listed, so a
        // grant revoked here stays in view with its new status).
        .filter((r) => serverStatus(status) !== 'granted' || r.status === status)
        .map((r) => changed[r.id] ?? r)
        .filter((r) => direction === 'all' || (direction === 'incoming' ? r.ownerCode === account.departmentCode : r.requesterCode === account.departmentCode)),
    [list.data, changed, status, direction, account.departmentCode],
  );

  return (
    <section className="panel" data-testid="xchg-requests" data-status={status}>
      <div className="toolbar" role="tablist">
        {FILTERS.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={s === status} className={`btn btn-small${s === status ? ' btn-primary' : ''}`} onClick={() => setStatus(s)} data-testid={`xchg-status-${s}`}>
            {s === 'all' ? t('xchg.status.all') : t(`xchg.status.${s}` as MessageKey)}
          </button>
        ))}
        {account.departmentCode && (
          <label className="check toolbar-end">
            {t('xchg.req.direction')}
            <select className="input input-small" value={direction} onChange={(e) => setDirection(e.target.value as Direction)} data-testid="xchg-direction">
              <option value="all">{t('xchg.req.direction.all')}</option>
              <option value="incoming">{t('xchg.req.direction.incoming')}</option>
              <option value="outgoing">{t('xchg.req.direction.outgoing')}</option>
            </select>
          </label>
        )}
        <button type="button" className="btn btn-small" onClick={list.reload} data-testid="xchg-requests-reload">
          {t('desk.reload')}
        </button>
      </div>
      {loadNote(list) ??
        (!rows.length ? (
          <p className="muted" data-testid="xchg-requests-none">
            {t('xchg.req.none')}
          </p>
        ) : (
          <>
            <p className="muted">{t('xchg.req.count', { n: formatNumber(rows.length) })}</p>
            <div className="xchg-request-list">
              {rows.map((r) => (
                <RequestCard key={r.id} r={r} defs={defs} link={`${base}/${encodeURIComponent(r.id)}`} onChanged={(next) => setChanged((c) => ({ ...c, [next.id]: next }))} />
              ))}
            </div>
          </>
        ))}
    </section>
  );
}

/** One request by its id (a message's link, or a link from the list). */
export function RequestOne({ id, resources, back }: { id: string; resources: ResourceView[] | undefined; back: string }) {
  const { t } = useI18n();
  const one = useAsync((signal) => getRequest(id, signal), [id]);
  const [changed, setChanged] = useState<RequestView | null>(null);
  useEffect(() => setChanged(null), [one.data]);
  const defs = useMemo(() => fieldDefs(resources), [resources]);
  const r = changed ?? one.data;
  return (
    <section className="panel" data-testid="xchg-request-one">
      <p>
        <Link className="link" to={back} data-testid="xchg-back">
          {t('xchg.req.back')}
        </Link>
      </p>
      {loadNote(one) ?? (r ? <RequestCard r={r} defs={defs} onChanged={setChanged} /> : null)}
    </section>
  );
}
