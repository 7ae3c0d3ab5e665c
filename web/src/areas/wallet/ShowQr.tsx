// 亮证: the presentation as a full-screen QR code. It is remade every minute with a new nonce and time
// (a verifier refuses a proof older than two minutes, and any code it has seen before), with a
// countdown, the claims it shows, and the code as text to copy for a verifier that cannot scan.
import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import QRCode from 'qrcode';
import { useI18n } from '../../i18n/index.tsx';
import { makePresentation } from './credential.ts';
import type { DeviceKey } from './device.ts';

const REFRESH_SECONDS = 60;
/** About this many pixels across: dense codes stay readable (4+ pixels a module) and fit a phone. */
const TARGET_PX = 600;

interface Props {
  sdJwt: string;
  disclose: string[];
  bound: boolean;
  device: DeviceKey;
  title: string;
  labels: string[];
  onClose(): void;
}

export function ShowQr({ sdJwt, disclose, bound, device, title, labels, onClose }: Props) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [code, setCode] = useState('');
  const [left, setLeft] = useState(REFRESH_SECONDS);
  const [error, setError] = useState<string | null>(null);
  const [tooBig, setTooBig] = useState(false);
  const [copied, setCopied] = useState(false);
  const [round, setRound] = useState(0);

  const refresh = useCallback(() => setRound((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    setError(null);
    makePresentation(sdJwt, disclose, bound, device).then(
      (p) => {
        if (!live) return;
        setCode(p);
        setLeft(REFRESH_SECONDS);
        setCopied(false);
      },
      () => live && setError(t('wallet.qr.failed')),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sdJwt, disclose.join(), bound, device, round]);

  useEffect(() => {
    if (!code || !canvas.current) return;
    try {
      const modules = QRCode.create(code, { errorCorrectionLevel: 'L' }).modules.size;
      const scale = Math.max(2, Math.floor(TARGET_PX / (modules + 8)));
      void QRCode.toCanvas(canvas.current, code, { errorCorrectionLevel: 'L', margin: 4, scale }).catch(() => setTooBig(true));
      setTooBig(false);
    } catch {
      setTooBig(true);
    }
  }, [code]);

  useEffect(() => {
    const timer = window.setInterval(() => setLeft((s) => (s > 0 ? s - 1 : 0)), 1000);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left === 0) refresh();
  }, [left, refresh]);
  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
    } catch {
      const area = document.querySelector<HTMLTextAreaElement>('[data-testid="wallet-qr-text"]');
      area?.select();
    }
  };

  // On <body>, above the frame: nothing of the page shows around the code.
  return createPortal(
    <div className="wallet-qr-overlay" role="dialog" aria-modal="true" aria-label={t('wallet.qr.title')} data-testid="wallet-qr-overlay">
      <div className="wallet-qr-box">
        <div className="wallet-qr-head">
          <strong>{title}</strong>
          <button type="button" className="btn btn-small" onClick={onClose} data-testid="wallet-qr-close">
            {t('app.close')}
          </button>
        </div>
        {error ? (
          <p className="note note-error">{error}</p>
        ) : tooBig ? (
          <p className="note note-error" data-testid="wallet-qr-too-big">
            {t('wallet.qr.tooBig')}
          </p>
        ) : null}
        <div className="wallet-qr-frame" hidden={!code || tooBig}>
          <canvas ref={canvas} className="wallet-qr" data-testid="wallet-qr" data-code-length={code.length} />
        </div>
        <p className="wallet-qr-countdown" data-testid="wallet-qr-countdown" aria-live="off">
          {code ? t('wallet.qr.refreshIn', { n: left }) : t('app.loading')}{' '}
          <button type="button" className="btn btn-small" onClick={refresh} data-testid="wallet-qr-refresh">
            {t('wallet.qr.refresh')}
          </button>
        </p>
        <p className="wallet-qr-shows" data-testid="wallet-qr-disclosed">
          {t('wallet.qr.shows')}
          {labels.join('、')}
        </p>
        <p className="muted">{bound ? t('wallet.qr.boundNote') : t('wallet.qr.unboundNote')}</p>
        <details className="wallet-qr-textbox">
          <summary>{t('wallet.qr.asText')}</summary>
          <textarea className="input" readOnly rows={4} value={code} data-testid="wallet-qr-text" onFocus={(e) => e.currentTarget.select()} />
        </details>
        <button type="button" className="btn" disabled={!code} onClick={() => void copy()} data-testid="wallet-qr-copy">
          {copied ? t('wallet.qr.copied') : t('wallet.qr.copy')}
        </button>
      </div>
    </div>,
    document.body,
  );
}
