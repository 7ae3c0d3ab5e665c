// 附近的反映: public reports of the last 30 days around a place (the phone's position, or the city
// centre), public fields only — what was reported, its stage, and the reply.
import { useState } from 'react';
import { nearby } from '../../api/cases.ts';
import { useI18n } from '../../i18n/index.tsx';
import { loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { useCaseText } from './caseText.tsx';

/** 人民广场: where the city's distances are measured from. */
const CITY_CENTRE: [number, number] = [121.4737, 31.2304];
const HALF = 0.02; // about 2 km each way

export function NearbyReports() {
  const { t, locale, formatTime } = useI18n();
  const text = useCaseText();
  const [centre, setCentre] = useState<[number, number]>(CITY_CENTRE);
  const list = useAsync((signal) => nearby([centre[0] - HALF, centre[1] - HALF, centre[0] + HALF, centre[1] + HALF], signal), [centre[0], centre[1]]);
  return (
    <section className="panel" data-testid="nearby-reports">
      {'geolocation' in navigator && (
        <div className="toolbar">
          <button type="button" className="btn btn-small" onClick={() => navigator.geolocation.getCurrentPosition((p) => setCentre([p.coords.longitude, p.coords.latitude]))} data-testid="nearby-locate">
            {t('cases.report.useMyLocation')}
          </button>
        </div>
      )}
      {loadNote(list) ?? (!list.data?.items.length ? (
        <p className="muted">{t('cases.none')}</p>
      ) : (
        <ul className="case-cards">
          {list.data.items.map((c) => (
            <li key={c.id} className="case-card" data-testid="nearby-row">
              <strong>{locale === 'en' ? c.categoryNameEn : c.categoryName}</strong>
              <span className="muted">
                {text.stage(c.stage)} · {formatTime(c.updatedAt)}
              </span>
              <span className="case-card-text">{c.description}</span>
              {c.publicNote && <span className="muted">{c.publicNote}</span>}
            </li>
          ))}
        </ul>
      ))}
    </section>
  );
}
