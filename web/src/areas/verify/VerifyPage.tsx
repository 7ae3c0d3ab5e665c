// /verify — 电子证照核验: anyone (no sign-in) checks a credential shown to them. Scan the holder's QR
// with the camera, pick a photo of it, paste the code, or open a printed certificate's link
// (/verify#vp=…). The check runs here in the browser with the issuer's keys and status lists cached,
// so it keeps working offline; the page itself is kept by a service worker after one online visit.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import '../../styles/wallet.css';
import { LanguageSwitch } from '../../ui/LanguageSwitch.tsx';
import { CameraScan } from './CameraScan.tsx';
import { decodeImageFile } from './decodeQr.ts';
import { keepForOffline } from './offline.ts';
import { verifyHere, type VerifyOutcome } from './runCheck.ts';
import { KeysTooOldError, trustedIssuer } from './trust.ts';
import { VerifyResult } from './VerifyResult.tsx';

export default function VerifyPage() {
  const { t, formatTime } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<VerifyOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [camera, setCamera] = useState(false);
  const [online, setOnline] = useState(navigator.onLine);
  const file = useRef<HTMLInputElement>(null);

  const check = useCallback(
    async (text: string) => {
      setBusy(true);
      setError(null);
      setOutcome(null);
      try {
        setOutcome(await verifyHere(text));
      } catch (err) {
        setError(err instanceof KeysTooOldError ? t('verify.keysTooOld', { time: formatTime(err.fetchedAt) }) : t('verify.noKeys'));
      } finally {
        setBusy(false);
      }
    },
    [t, formatTime],
  );

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    // Keys are fetched on arrival so that a first visit is enough to verify offline later.
    void trustedIssuer().catch(() => {});
    void keepForOffline();
    // A printed certificate's QR opens /verify#vp=…: verified on arrival, and on a new link while open.
    const fromHash = () => {
      if (location.hash.startsWith('#vp=')) void check(location.href);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
      window.removeEventListener('hashchange', fromHash);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = () => {
    if (code.trim()) void check(code.trim());
  };
  const picked = async (f: File | undefined) => {
    if (!f) return;
    setBusy(true);
    setError(null);
    setOutcome(null);
    const text = await decodeImageFile(f).catch(() => null);
    if (file.current) file.current.value = '';
    if (!text) {
      setBusy(false);
      setError(t('verify.noQr'));
      return;
    }
    setCode(text);
    await check(text);
  };

  return (
    <div className="verify-page" data-testid="verify-page">
      <header className="verify-header">
        <div>
          <div className="verify-brand">{t('app.name')}</div>
          <h1 data-testid="page-title">{t('verify.title')}</h1>
        </div>
        <LanguageSwitch />
      </header>
      {!online && (
        <p className="note verify-offline" data-testid="verify-offline">
          {t('verify.offline')}
        </p>
      )}
      <p className="muted">{t('verify.intro')}</p>

      <section className="panel verify-inputs">
        <div className="toolbar">
          <button type="button" className="btn btn-primary" onClick={() => setCamera(true)} disabled={camera} data-testid="verify-camera">
            {t('verify.scan')}
          </button>
          <label className="btn verify-file-label">
            {t('verify.photo')}
            <input ref={file} type="file" accept="image/*" className="visually-hidden" onChange={(e) => void picked(e.target.files?.[0])} data-testid="verify-file" />
          </label>
        </div>
        {camera && (
          <CameraScan
            onClose={() => setCamera(false)}
            onCode={(text) => {
              setCamera(false);
              setCode(text);
              void check(text);
            }}
          />
        )}
        <label className="field">
          {t('verify.paste')}
          <textarea className="input verify-code" rows={4} value={code} onChange={(e) => setCode(e.target.value)} spellCheck={false} autoComplete="off" data-testid="verify-input" />
        </label>
        <div className="toolbar verify-actions">
          <button type="button" className="btn btn-primary" disabled={busy || !code.trim()} onClick={submit} data-testid="verify-submit">
            {busy ? t('verify.checking') : t('verify.check')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setCode('');
              setOutcome(null);
              setError(null);
            }}
            data-testid="verify-clear"
          >
            {t('verify.clear')}
          </button>
        </div>
      </section>

      {error && (
        <p className="note note-error" role="alert" data-testid="verify-error">
          {error}
        </p>
      )}
      {outcome && <VerifyResult outcome={outcome} />}
      <p className="muted verify-foot">{t('verify.how')}</p>
    </div>
  );
}
