// "Where am I": a longitude/latitude (or the device's position) → the jurisdiction there.
import { useState, type FormEvent } from 'react';
import * as jurisdictions from '../api/jurisdictions.ts';
import { ApiError } from '../api/client.ts';
import type { Located } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { useI18n } from '../i18n/index.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { JurisdictionFlags, LevelTag } from './Flags.tsx';
import { Icon } from './icons.tsx';
import { Breadcrumb } from './JurisdictionDetail.tsx';
import { PlaceName } from './PlaceName.tsx';

/** Reads "121.50, 31.24" pasted into either box as a pair. */
function parsePair(lonText: string, latText: string): [number, number] | null {
  const pasted = lonText.split(/[,，\s]+/).filter(Boolean);
  const [lonRaw, latRaw] = pasted.length === 2 && !latText.trim() ? pasted : [lonText, latText];
  const lon = Number(lonRaw?.trim());
  const lat = Number(latRaw?.trim());
  if (!lonRaw?.trim() || !latRaw?.trim() || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return null;
  return [lon, lat];
}

/** `asPage` makes the heading the page's h1 (the "where am I" page has nothing else). */
export function LocateBox({ browsePath, compact, asPage }: { browsePath?: string; compact?: boolean; asPage?: boolean }) {
  const { t } = useI18n();
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Located | null>(null);
  const [error, setError] = useState<unknown>(null);

  const lookUp = async (pair: [number, number] | null) => {
    setResult(null);
    setError(null);
    if (!pair) {
      setError(new Error(t('locate.invalid')));
      return;
    }
    setBusy(true);
    try {
      setResult(await jurisdictions.locate(pair[0], pair[1]));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void lookUp(parsePair(lon, lat));
  };

  const useMine = () => {
    setError(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const pair: [number, number] = [Number(pos.coords.longitude.toFixed(6)), Number(pos.coords.latitude.toFixed(6))];
        setLon(String(pair[0]));
        setLat(String(pair[1]));
        void lookUp(pair);
      },
      (err) => setError(new Error(t('locate.geoFailed', { reason: err.message }))),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  const outside = error instanceof ApiError && error.status === 404;
  return (
    <section className={`panel locate${compact ? ' compact' : ''}`} data-testid="locate-box">
      {asPage ? (
        <h1 className="panel-title" data-testid="page-title">
          <Icon name="pin" /> {t('locate.title')}
        </h1>
      ) : (
        <h2 className="panel-title">
          <Icon name="pin" /> {t('locate.title')}
        </h2>
      )}
      <p className="hint">{t('locate.hint')}</p>
      <form className="locate-form" onSubmit={submit} noValidate>
        <label>
          <span>{t('locate.lon')}</span>
          <input inputMode="decimal" autoComplete="off" placeholder="121.5055" value={lon} onChange={(e) => setLon(e.target.value)} data-testid="locate-lon" />
        </label>
        <label>
          <span>{t('locate.lat')}</span>
          <input inputMode="decimal" autoComplete="off" placeholder="31.2397" value={lat} onChange={(e) => setLat(e.target.value)} data-testid="locate-lat" />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="locate-submit">
          {busy ? t('locate.searching') : t('locate.submit')}
        </button>
        {'geolocation' in navigator && (
          <button type="button" className="btn" onClick={useMine} disabled={busy}>
            {t('locate.mine')}
          </button>
        )}
      </form>
      {error != null && <ErrorNote error={error} title={outside ? t('locate.outside') : t('app.error')} testId="locate-error" />}
      {result && (
        <div className="locate-result" data-testid="locate-result" data-code={result.node.code}>
          <Breadcrumb ancestors={result.ancestors} node={result.node} />
          <p className="locate-node">
            <strong>
              <PlaceName name={result.node.name} nameEn={result.node.nameEn} />
            </strong>{' '}
            <LevelTag node={result.node} /> <code className="code">{result.node.code}</code> <JurisdictionFlags node={result.node} />
          </p>
          {browsePath && (
            <Link className="link" to={`${browsePath}/${encodeURIComponent(result.node.code)}`} data-testid="locate-open">
              {t('locate.openInTree')}
            </Link>
          )}
        </div>
      )}
    </section>
  );
}
