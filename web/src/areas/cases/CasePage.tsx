// The case page: what was reported and where, its time limit, the timeline of the loop, photos,
// and the actions the viewer may take. Officials see the whole record, reporters the replies,
// everyone else the public fields.
import { useEffect, useState } from 'react';
import { getCase, type CaseView } from '../../api/cases.ts';
import { Link } from '../../app/router.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { Fact } from '../../ui/Fact.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { CaseActionsPanel } from './CaseActionsPanel.tsx';
import { LimitChip, useCaseText } from './caseText.tsx';
import { PinMap } from './PinMap.tsx';

export function CasePage({ id, back }: { id: string; back: string }) {
  const { t, locale, formatTime } = useI18n();
  const text = useCaseText();
  const loaded = useAsync((signal) => getCase(id, signal), [id]);
  const [c, setC] = useState<CaseView | null>(null);
  useEffect(() => setC(loaded.data ?? null), [loaded.data]);
  if (loaded.loading && !c) return <Loading />;
  if (loaded.error) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (!c) return null;
  const official = c.access === 'official';
  return (
    <div className="case-page" data-testid="case-page" data-case={c.id} data-stage={c.stage}>
      <PageTitle title={`${locale === 'en' ? c.categoryNameEn : c.categoryName} · ${c.id}`}>
        <Link to={back} className="btn btn-small">
          {t('cases.back')}
        </Link>
      </PageTitle>
      <div className="case-grid">
        <section className="panel">
          <dl className="facts facts-stacked">
            <Fact label={t('cases.col.stage')} testId="case-stage">
              {text.stage(c.stage)}
            </Fact>
            {c.status === 'open' && (
              <Fact label={t('cases.detail.due')}>
                <LimitChip colour={c.colour} dueAt={c.dueAt} />
              </Fact>
            )}
            <Fact label={t('cases.col.source')}>{text.source(c.source)}</Fact>
            <Fact label={t('cases.col.reported')}>{formatTime(c.createdAt)}</Fact>
            {c.agency && (
              <Fact label={t('cases.detail.agency')} testId="case-agency">
                {c.agency}
                {official && c.team ? ` · ${c.team}` : ''}
              </Fact>
            )}
            {official && c.supporting.length > 0 && <Fact label={t('cases.detail.supporting')}>{c.supporting.join('、')}</Fact>}
            {official && c.level > 0 && (
              <Fact label={t('cases.detail.level')} testId="case-level">
                {t(`cases.detail.level.${c.levelName}` as MessageKey)}
              </Fact>
            )}
            {official && c.supervised && <Fact label={t('cases.detail.supervised')}>{c.supervisionNote}</Fact>}
            {official && c.caller && (
              <Fact label={t('cases.detail.caller')}>
                {c.caller.name} {c.caller.phone}
              </Fact>
            )}
            {official && c.reporters > 1 && <Fact label={t('cases.detail.reporters')}>{c.reporters}</Fact>}
            {c.rating !== null && (
              <Fact label={t('cases.detail.rating')}>
                {'★'.repeat(c.rating)} {c.ratingComment ?? ''}
              </Fact>
            )}
          </dl>
          <h2 className="panel-title">{t('cases.detail.description')}</h2>
          <p className="case-description" data-testid="case-description">
            {c.description}
          </p>
          {c.address && <p className="muted">{c.address}</p>}
          {c.publicNote && (
            <p>
              <strong>{t('cases.detail.reply')}：</strong>
              <span data-testid="case-reply">{c.publicNote}</span>
            </p>
          )}
          {c.photos.length > 0 && (
            <div className="photo-strip">
              {c.photos.map((p) => (
                <a key={p} href={p} target="_blank" rel="noreferrer">
                  <img src={p} alt="" width={96} height={96} />
                </a>
              ))}
            </div>
          )}
        </section>
        <section className="panel">
          <h2 className="panel-title">{t('cases.detail.location')}</h2>
          <PinMap point={c.point} height={220} testId="case-map" />
          {/* geo: hands the place to the phone's own map app for directions. */}
          <a className="btn btn-small" href={`geo:${c.point[1]},${c.point[0]}?q=${c.point[1]},${c.point[0]}`} data-testid="case-navigate">
            {t('cases.navigate')}
          </a>
        </section>
      </div>
      <CaseActionsPanel c={c} onChanged={setC} />
      {c.timeline.length > 0 && (
        <section className="panel">
          <h2 className="panel-title">{t('cases.detail.timeline')}</h2>
          <ol className="timeline" data-testid="case-timeline">
            {c.timeline.map((e, i) => (
              <li key={i} data-action={e.action} className={e.late ? 'late' : ''}>
                <span className="timeline-at">{formatTime(e.at)}</span>
                <strong>{text.action(e.action)}</strong>
                {e.actorName ? <span className="muted"> · {e.actorName}</span> : null}
                {e.note ? <div className="timeline-note">{e.note}</div> : null}
                {e.photos.length > 0 && (
                  <div className="photo-strip">
                    {e.photos.map((p) => (
                      <img key={p} src={p} alt="" width={56} height={56} />
                    ))}
                  </div>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
