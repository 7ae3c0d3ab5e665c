// One component, opened by a click on the map: identity, status, place, owner and maintainer,
// attributes (titled by the type's schema), photos and history. Everything is rendered as text.
import { useEffect, useRef } from 'react';
import * as api from '../../../api/components.ts';
import type { Component, ComponentTypes, HistoryEntry } from '../../../api/components.ts';
import * as departments from '../../../api/departments.ts';
import type { Department, JurisdictionDetail } from '../../../api/types.ts';
import { useAccount } from '../../../app/session.tsx';
import { useI18n, type MessageKey } from '../../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../../ui/ErrorNote.tsx';
import { Icon } from '../../../ui/icons.tsx';
import { PlaceName } from '../../../ui/PlaceName.tsx';
import { cachedDetail } from '../../../ui/scope.ts';
import { useAsync } from '../../../ui/useAsync.ts';
import { get } from '../../../api/client.ts';
import { listCases, type CaseSummary } from '../../../api/cases.ts';
import { Link } from '../../../app/router.tsx';
import { LimitChip } from '../../cases/caseText.tsx';
import { STATUS_COLORS } from './style.ts';

interface Loaded {
  c: Component;
  history: HistoryEntry[];
  place: JurisdictionDetail | null;
  owner: Department | null;
  maintainer: Department | null;
  /** Devices mounted on it and cases about it. */
  devices: Array<{ id: string; name: string }>;
  cases: CaseSummary[];
}

/** What history `changes` keys are called on the card. */
const FIELD_LABELS: Record<string, MessageKey> = {
  status: 'card.status',
  name: 'card.name',
  address: 'card.address',
  geometry: 'card.point',
  ownerDept: 'card.owner',
  owner_dept: 'card.owner',
  maintainerDept: 'card.maintainer',
  maintainer_dept: 'card.maintainer',
  attributes: 'card.attributes',
  photos: 'card.photos',
  type: 'card.type',
  type_code: 'card.type',
};

/** Photos are shown only from this app (`/files/…`) or over https. */
function safePhotoUrl(url: string): boolean {
  return (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) || /^https:\/\//i.test(url);
}

export function ComponentCard({ code, types, onClose, onLoaded }: { code: string; types: ComponentTypes; onClose(): void; onLoaded?(c: Component): void }) {
  const { t, locale, label, formatTime, formatNumber } = useI18n();
  const account = useAccount();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const state = useAsync<Loaded>(
    async (signal) => {
      const [c, history] = await Promise.all([api.component(code, signal), api.history(code, signal)]);
      const dept = (d: string | null) => (d ? departments.one(d, signal).catch(() => null) : Promise.resolve(null));
      const [place, owner, maintainer, devices, linked] = await Promise.all([
        cachedDetail(c.jurisdictionCode).catch(() => null),
        dept(c.ownerDept),
        dept(c.maintainerDept),
        get<{ items: Array<{ id: string; name: string }> }>('/devices', { componentCode: code }, signal).then((r) => r.items).catch(() => []),
        listCases({ component: code, limit: 20 }, signal).then((r) => r.items).catch(() => []),
      ]);
      return { c, history, place, owner, maintainer, devices, cases: linked };
    },
    [code],
  );
  const loaded = state.data;

  useEffect(() => {
    if (loaded) onLoaded?.(loaded.c);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);

  useEffect(() => {
    titleRef.current?.focus();
  }, [code]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const statusName = (s: string) => {
    const found = types.statuses.find((x) => x.code === s);
    return found ? (locale === 'en' ? found.en : found.zh) : label('cstatus', s);
  };
  const deptName = (d: Department | null, raw: string | null) => (d ? (locale === 'en' ? d.nameEn || d.name : d.name) : (raw ?? '—'));

  let body;
  if (state.error) body = <ErrorNote error={state.error} onRetry={state.reload} testId="card-error" />;
  else if (!loaded) body = <Loading />;
  else {
    const { c, history, place, owner, maintainer } = loaded;
    const type = types.types.find((x) => x.code === c.type);
    const klass = types.classes.find((x) => x.code === c.classCode);
    const schema = type?.attributes?.properties ?? {};
    const keys = [...Object.keys(schema).filter((k) => k in c.attributes), ...Object.keys(c.attributes).filter((k) => !(k in schema))];
    const value = (v: unknown): string => {
      if (v === null || v === undefined || v === '') return '—';
      if (typeof v === 'boolean') return t(v ? 'card.yes' : 'card.no');
      if (typeof v === 'number') return formatNumber(v);
      if (Array.isArray(v)) return v.map(value).join('、');
      if (typeof v === 'object') return JSON.stringify(v);
      return String(v);
    };
    const trail = place ? [...place.ancestors.filter((a) => a.level !== 'city' && a.level !== 'district'), place.node] : [];
    body = (
      <>
        <div className="card-identity">
          <span className="card-type">{locale === 'en' ? c.typeName.en : c.typeName.zh}</span>
          {klass && <span className="muted card-class">{locale === 'en' ? klass.nameEn : klass.nameZh}</span>}
        </div>
        {c.name && (
          <p className="card-name" data-testid="card-name">
            {c.name}
          </p>
        )}
        <dl className="card-facts">
          <div>
            <dt>{t('card.code')}</dt>
            <dd>
              <code className="code" data-testid="card-code">
                {c.code}
              </code>
            </dd>
          </div>
          <div>
            <dt>{t('card.status')}</dt>
            <dd>
              <span className="status-badge" data-testid="card-status" data-status={c.status} style={{ borderColor: STATUS_COLORS[c.status], color: STATUS_COLORS[c.status] }}>
                <span className="status-dot" style={{ background: STATUS_COLORS[c.status] }} aria-hidden="true" />
                {statusName(c.status)}
              </span>
            </dd>
          </div>
          <div>
            <dt>{t('card.place')}</dt>
            <dd data-testid="card-place">
              {trail.length
                ? trail.map((n, i) => (
                    <span key={n.code}>
                      {i > 0 && <span aria-hidden="true"> › </span>}
                      <PlaceName name={n.name} nameEn={n.nameEn} />
                    </span>
                  ))
                : c.jurisdictionCode}
            </dd>
          </div>
          {c.address && (
            <div>
              <dt>{t('card.address')}</dt>
              <dd>{c.address}</dd>
            </div>
          )}
          <div>
            <dt>{t('card.point')}</dt>
            <dd className="mono">
              {c.point[0].toFixed(6)}, {c.point[1].toFixed(6)}
            </dd>
          </div>
          <div>
            <dt>{t('card.owner')}</dt>
            <dd data-testid="card-owner">{deptName(owner, c.ownerDept)}</dd>
          </div>
          <div>
            <dt>{t('card.maintainer')}</dt>
            <dd data-testid="card-maintainer">{deptName(maintainer, c.maintainerDept)}</dd>
          </div>
        </dl>

        <h3 className="card-section">{t('card.attributes')}</h3>
        {keys.length === 0 ? (
          <p className="empty">{t('card.noAttributes')}</p>
        ) : (
          <table className="table card-attributes" data-testid="card-attributes">
            <thead>
              <tr>
                <th scope="col">{t('card.attribute')}</th>
                <th scope="col">{t('card.value')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k} data-key={k}>
                  <th scope="row">
                    {schema[k]?.title ?? k}
                    {locale === 'en' && schema[k]?.title && <small className="attr-key"> {k}</small>}
                  </th>
                  <td>{value(c.attributes[k])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h3 className="card-section">{t('card.photos')}</h3>
        {c.photos.filter((p) => safePhotoUrl(p.url)).length === 0 ? (
          <p className="empty">{t('card.noPhotos')}</p>
        ) : (
          <ul className="card-photos">
            {c.photos
              .filter((p) => safePhotoUrl(p.url))
              .map((p, i) => (
                <li key={`${p.url}-${i}`}>
                  <figure>
                    <img src={p.url} alt={p.caption ?? `${t('card.photos')} ${i + 1}`} loading="lazy" referrerPolicy="no-referrer" />
                    {p.caption && <figcaption>{p.caption}</figcaption>}
                  </figure>
                </li>
              ))}
          </ul>
        )}

        <h3 className="card-section">{t('card.linked')}</h3>
        <div data-testid="card-linked">
          {loaded.devices.length + loaded.cases.length === 0 ? (
            <p className="empty">{t('card.linkedNone')}</p>
          ) : (
            <ul className="card-linked">
              {loaded.devices.map((d) => (
                <li key={d.id} data-testid="card-device">
                  {d.name} <span className="muted">{d.id}</span>
                </li>
              ))}
              {loaded.cases.map((k) => (
                <li key={k.id} data-testid="card-case">
                  <Link to={`/command/cases/${k.id}`}>{locale === 'en' ? k.categoryNameEn : k.categoryName}</Link> <span className="muted">{k.id}</span> <LimitChip colour={k.colour} dueAt={null} />
                </li>
              ))}
            </ul>
          )}
        </div>

        <h3 className="card-section">{t('card.history')}</h3>
        {history.length === 0 ? (
          <p className="empty">{t('card.noHistory')}</p>
        ) : (
          <ol className="card-history" data-testid="card-history">
            {history.map((h) => {
              const fields = h.changes && typeof h.changes === 'object' && !('snapshot' in h.changes) ? Object.keys(h.changes) : [];
              return (
                <li key={`${h.version}-${h.at}-${h.action}`}>
                  <span className="history-head">
                    <span className="badge">{label('action', h.action)}</span>
                    <span>{t('card.version', { v: h.version })}</span>
                    <time dateTime={new Date(h.at).toISOString()}>{formatTime(h.at)}</time>
                  </span>
                  {h.actorId && (
                    <span className="muted">
                      {t('card.actor')}: {h.actorId === account.id ? account.displayName : h.actorId}
                    </span>
                  )}
                  {(h.action === 'updated' || h.action === 'imported') && fields.length > 0 && (
                    <span className="muted">{t('card.changed', { fields: fields.map((f) => (FIELD_LABELS[f] ? t(FIELD_LABELS[f]) : f)).join('、') })}</span>
                  )}
                </li>
              );
            })}
          </ol>
        )}
        <p className="card-meta muted">
          {t('card.source')}: {label('source', c.source.split(':')[0])} · {t('card.updated')} {formatTime(c.updatedAt)} · {t('card.version', { v: c.version })}
        </p>
      </>
    );
  }

  return (
    <aside className="map-card" aria-labelledby="card-title" data-testid="component-card" data-code={code}>
      <header className="map-card-head">
        <h2 id="card-title" ref={titleRef} tabIndex={-1}>
          {t('card.title')}
        </h2>
        <button type="button" className="icon-btn" onClick={onClose} aria-label={t('card.close')} title={t('card.close')} data-testid="card-close">
          <Icon name="close" size={18} />
        </button>
      </header>
      <div className="map-card-body">{body}</div>
    </aside>
  );
}
