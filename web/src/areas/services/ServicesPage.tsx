// 办事服务: search the catalogue as you type (suggestions), narrow by department, kind, topic and
// how it can be done; bundles (一件事) matching the words come first. An item's page says what to
// bring, how long it takes and how many trips, and starts an online application.
import '../../styles/applications.css';
import '../../styles/app-status.css';
import '../../styles/bundles.css';
import { useEffect, useState, type FormEvent } from 'react';
import { searchBundles } from '../../api/applications.ts';
import { item as getItem, labels as getLabels, searchItems, suggest, type ItemSummary } from '../../api/services.ts';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote, Loading, loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle, pageOf } from '../shared.tsx';
import { ApplyButton } from './ApplyButton.tsx';
import { BundleCards } from './BundleCards.tsx';

type Facet = 'sector' | 'kind' | 'event' | 'online';

function useQueryParam(): URLSearchParams {
  return useLocation().search;
}

export default function ServicesPage() {
  const { pathname } = useLocation();
  const { param } = pageOf(pathname);
  return param ? <ItemPage code={param} /> : <SearchPage />;
}

function SearchPage() {
  const { t, locale } = useI18n();
  const params = useQueryParam();
  const [text, setText] = useState(params.get('q') ?? '');
  const [q, setQ] = useState(params.get('q') ?? '');
  const [filters, setFilters] = useState<Partial<Record<Facet, string>>>({});
  const [open, setOpen] = useState(false);
  const labels = useAsync((signal) => getLabels(signal), []);
  const result = useAsync((signal) => searchItems({ q, ...filters, limit: 30 }, signal), [q, filters.sector, filters.kind, filters.event, filters.online]);
  const bundles = useAsync((signal) => (q.trim() ? searchBundles(q.trim(), signal) : Promise.resolve({ items: [] })), [q]);
  const hints = useAsync((signal) => (text.trim() && open ? suggest(text, signal) : Promise.resolve({ items: [] })), [text, open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpen(false);
    setQ(text);
  };
  const facetName = (f: Facet, v: string): string => {
    if (f === 'kind') return t(`svc.kind.${v}` as MessageKey);
    if (f === 'online') return t(`svc.online.${v}` as MessageKey);
    const l = labels.data;
    if (f === 'sector') return (locale === 'en' ? l?.sectors[v]?.en : l?.sectors[v]?.zh) ?? v;
    const e = [...(l?.life ?? []), ...(l?.enterprise ?? [])].find((x) => x.code === v);
    return (locale === 'en' ? e?.en : e?.zh) ?? v;
  };
  return (
    <>
      <PageTitle title={t('svc.title')} />
      <form className="svc-search" onSubmit={submit} role="search">
        <input
          type="search"
          value={text}
          placeholder={t('svc.searchPlaceholder')}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
          }}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          aria-label={t('svc.search')}
          data-testid="svc-q"
          autoComplete="off"
        />
        <button type="submit" className="btn btn-primary" data-testid="svc-go">
          {t('svc.search')}
        </button>
        {open && (hints.data?.items.length ?? 0) > 0 && (
          <ul className="svc-suggest" role="listbox" data-testid="svc-suggest">
            {hints.data!.items.map((s) => (
              <li key={s.code} role="option" aria-selected={false}>
                <Link to={`/portal/services/${encodeURIComponent(s.code)}`}>{locale === 'en' ? s.nameEn : s.nameZh}</Link>
              </li>
            ))}
          </ul>
        )}
      </form>
      <div className="svc-layout">
        <aside className="svc-facets" data-testid="svc-facets">
          {(['event', 'sector', 'kind', 'online'] as Facet[]).map((f) => (
            <section key={f}>
              <h3>{t(`svc.facet.${f}` as MessageKey)}</h3>
              <button type="button" className={`facet${!filters[f] ? ' on' : ''}`} onClick={() => setFilters({ ...filters, [f]: undefined })}>
                {t('svc.facet.all')}
              </button>
              {Object.entries(result.data?.facets[f] ?? {})
                .sort((a, b) => b[1] - a[1])
                .slice(0, 12)
                .map(([v, n]) => (
                  <button key={v} type="button" className={`facet${filters[f] === v ? ' on' : ''}`} onClick={() => setFilters({ ...filters, [f]: v })} data-testid={`facet-${f}-${v}`}>
                    {facetName(f, v)} <span className="muted">{n}</span>
                  </button>
                ))}
            </section>
          ))}
        </aside>
        <section className="panel svc-results">
          {(bundles.data?.items.length ?? 0) > 0 && <BundleCards items={bundles.data!.items} />}
          {loadNote(result) ?? (!result.data?.items.length ? (
            <p className="muted">{t('svc.none')}</p>
          ) : (
            <>
              <p className="muted" data-testid="svc-total">
                {t('svc.results', { n: result.data.total })}
              </p>
              <ul className="svc-list">
                {result.data.items.map((i) => (
                  <ItemRow key={i.code} i={i} />
                ))}
              </ul>
            </>
          ))}
        </section>
      </div>
    </>
  );
}

function days(t: ReturnType<typeof useI18n>['t'], i: ItemSummary): string {
  return i.promisedDays === 0 ? t('svc.instant', { l: i.legalDays }) : t('svc.days', { p: i.promisedDays, l: i.legalDays });
}

function ItemRow({ i }: { i: ItemSummary }) {
  const { t, locale } = useI18n();
  return (
    <li data-testid="svc-item" data-code={i.code}>
      <Link to={`/portal/services/${encodeURIComponent(i.code)}`} className="svc-name">
        {locale === 'en' ? i.nameEn : i.nameZh}
      </Link>
      <span className={`badge online-${i.online}`}>{t(`svc.online.${i.online}` as MessageKey)}</span>
      <div className="muted">
        {locale === 'en' ? i.departmentNameEn : i.departmentName} · {t(`svc.kind.${i.kind}` as MessageKey)} · {days(t, i)} · {t('svc.trips', { n: i.trips })}
      </div>
    </li>
  );
}

function ItemPage({ code }: { code: string }) {
  const { t, locale } = useI18n();
  const state = useAsync((signal) => getItem(code, signal), [code]);
  useEffect(() => {
    // A block body: newer Chromium returns a Promise from scrollTo, which React would take for a cleanup.
    window.scrollTo(0, 0);
  }, [code]);
  if (state.loading && !state.data) return <Loading />;
  if (state.error) return <ErrorNote error={state.error} onRetry={state.reload} />;
  const i = state.data!;
  const en = locale === 'en';
  return (
    <div data-testid="svc-page" data-code={i.code}>
      <PageTitle title={en ? i.nameEn : i.nameZh}>
        <button type="button" className="btn btn-small" onClick={() => navigate('/portal/services')}>
          {t('svc.item.back')}
        </button>
      </PageTitle>
      <section className="panel">
        <p>
          <span className={`badge online-${i.online}`}>{t(`svc.online.${i.online}` as MessageKey)}</span> {en ? i.departmentNameEn : i.departmentName} · {t(`svc.kind.${i.kind}` as MessageKey)} · {i.code}
        </p>
        <p data-testid="svc-days">
          {days(t, i)} · {t('svc.trips', { n: i.trips })}
          {i.inspections > 0 ? ` · ${t('svc.item.inspections', { n: i.inspections })}` : ''}
        </p>
        <ApplyButton itemCode={i.code} applicants={i.applicants} />
        <p>
          {t('svc.item.applicants')}: {i.applicants.map((a) => t(`svc.applicant.${a}` as MessageKey)).join('、')} · {t('svc.item.fee')}: {en ? i.feeEn : i.feeZh}
        </p>
        <h2 className="panel-title">{t('svc.item.conditions')}</h2>
        <p className="case-description">{en ? i.conditionsEn : i.conditionsZh}</p>
        <h2 className="panel-title">{t('svc.item.materials')}</h2>
        <ol className="svc-materials" data-testid="svc-materials">
          {i.materials.map((m, k) => (
            <li key={k} className={m.source !== 'applicant' ? 'held' : ''}>
              {en ? m.nameEn : m.nameZh} <span className="muted">({t(`svc.form.${m.form}` as MessageKey)})</span>
              {!m.required && <span className="muted"> {t('svc.material.optional')}</span>}
              {m.sourceName && <span className="badge"> {t('svc.material.held', { dept: (en && m.sourceNameEn) || m.sourceName })}</span>}
            </li>
          ))}
        </ol>
        <h2 className="panel-title">{t('svc.item.basis')}</h2>
        <ul>
          {i.legalBasis.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
