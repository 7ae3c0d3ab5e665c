// 我要反映: category, what is wrong, where (the current location or a pin on the map) and photos.
// The worker's compact form asks the same in three taps: photo, location, category.
import { useMemo, useState, type FormEvent } from 'react';
import { categories, report, type CaseView } from '../../api/cases.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PhotoPicker } from './PhotoPicker.tsx';
import { PinMap } from './PinMap.tsx';

interface Props {
  compact?: boolean;
  /** A hotline operator's intake: the caller's name and phone, kept private. */
  hotline?: boolean;
  /** Where the map opens before a pin is set (the worker's grid, the city centre). */
  center?: [number, number];
  onDone: (c: CaseView) => void;
}

export function ReportForm({ compact, hotline, center, onDone }: Props) {
  const { t, locale } = useI18n();
  const cats = useAsync((signal) => categories(signal), []);
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [photos, setPhotos] = useState<string[]>([]);
  const [caller, setCaller] = useState({ name: '', phone: '' });
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);

  const groups = useMemo(() => {
    const out = new Map<string, { name: string; items: Array<{ code: string; name: string }> }>();
    for (const c of cats.data?.items ?? []) {
      const g = out.get(c.groupCode) ?? { name: locale === 'en' ? c.groupEn : c.groupZh, items: [] };
      g.items.push({ code: c.code, name: locale === 'en' ? c.nameEn : c.nameZh });
      out.set(c.groupCode, g);
    }
    return [...out.values()];
  }, [cats.data, locale]);

  const locate = () =>
    navigator.geolocation?.getCurrentPosition(
      (pos) => setPoint([Number(pos.coords.longitude.toFixed(6)), Number(pos.coords.latitude.toFixed(6))]),
      (err) => setError(new Error(err.message)),
      { enableHighAccuracy: true, timeout: 10_000 },
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!point) {
      setError(new Error(t('cases.report.needPoint')));
      return;
    }
    setSending(true);
    setError(null);
    try {
      const name = groups.flatMap((g) => g.items).find((i) => i.code === category)?.name ?? '';
      onDone(await report({ categoryCode: category, description: description.trim() || name, point, address: address.trim() || undefined, photos, caller: hotline ? caller : undefined }));
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  if (cats.loading && !cats.data) return <Loading />;
  if (cats.error) return <ErrorNote error={cats.error} onRetry={cats.reload} />;
  return (
    <form className={`report-form${compact ? ' compact' : ''}`} onSubmit={(e) => void submit(e)} data-testid="report-form">
      {compact && <PhotoPicker ids={photos} onChange={setPhotos} label={t('cases.report.photos')} />}
      {hotline && (
        <fieldset>
          <legend>{t('cases.detail.caller')}</legend>
          <label>
            {t('cases.hotline.name')}
            <input required maxLength={50} value={caller.name} onChange={(e) => setCaller({ ...caller, name: e.target.value })} data-testid="hotline-name" />
          </label>
          <label>
            {t('cases.hotline.phone')}
            <input required maxLength={20} inputMode="tel" value={caller.phone} onChange={(e) => setCaller({ ...caller, phone: e.target.value })} data-testid="hotline-phone" />
          </label>
          <span className="muted">{t('cases.hotline.private')}</span>
        </fieldset>
      )}
      <fieldset>
        <legend>{t('cases.report.location')}</legend>
        <div className="toolbar">
          {'geolocation' in navigator && (
            <button type="button" className="btn" onClick={locate} data-testid="report-locate">
              {t('cases.report.useMyLocation')}
            </button>
          )}
          <span className="muted" data-testid="report-point">
            {point ? t('cases.report.pinned', { lon: point[0], lat: point[1] }) : t('cases.report.pinHint')}
          </span>
        </div>
        <PinMap point={point} onPick={setPoint} center={center} height={compact ? 200 : 300} />
      </fieldset>
      <label>
        {t('cases.report.category')}
        <select value={category} onChange={(e) => setCategory(e.target.value)} required data-testid="report-category">
          <option value="" disabled>
            —
          </option>
          {groups.map((g) => (
            <optgroup key={g.name} label={g.name}>
              {g.items.map((i) => (
                <option key={i.code} value={i.code}>
                  {i.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label>
        {t('cases.report.description')}
        <textarea rows={compact ? 2 : 4} maxLength={2000} required={!compact} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="report-description" />
      </label>
      {!compact && (
        <label>
          {t('cases.report.address')}
          <input maxLength={300} value={address} onChange={(e) => setAddress(e.target.value)} data-testid="report-address" />
        </label>
      )}
      {!compact && <PhotoPicker ids={photos} onChange={setPhotos} label={t('cases.report.photos')} />}
      {error != null && <ErrorNote error={error} testId="report-error" />}
      <button type="submit" className="btn btn-primary" disabled={sending} data-testid="report-submit">
        {t('cases.report.submit')}
      </button>
    </form>
  );
}
