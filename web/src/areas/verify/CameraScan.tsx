// Scanning with the phone camera: the rear camera into a <video>, a frame read every 300 ms until a
// QR code is found; the camera is switched off as soon as it is, or when the panel closes.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { decodeCanvas, toCanvas } from './decodeQr.ts';

export function CameraScan({ onCode, onClose }: { onCode(text: string): void; onClose(): void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const stop = () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
    const tick = async () => {
      const v = video.current;
      if (stopped || !v) return;
      if (v.readyState >= 2 && v.videoWidth) {
        const text = await decodeCanvas(toCanvas(v, v.videoWidth, v.videoHeight, 1280, canvas)).catch(() => null);
        if (text && !stopped) {
          stop();
          onCode(text);
          return;
        }
      }
      timer = window.setTimeout(() => void tick(), 300);
    };
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera');
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      if (stopped) return stop();
      if (video.current) {
        video.current.srcObject = stream;
        await video.current.play().catch(() => {});
      }
      void tick();
    })().catch(() => setError(t('verify.camera.failed')));
    return stop;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="verify-camera" data-testid="verify-camera-view">
      {error ? (
        <p className="note note-error" role="alert">
          {error}
        </p>
      ) : (
        <>
          <video ref={video} muted playsInline className="verify-video" aria-label={t('verify.camera.aria')} />
          <p className="muted">{t('verify.camera.hint')}</p>
        </>
      )}
      <button type="button" className="btn" onClick={onClose} data-testid="verify-camera-close">
        {t('verify.camera.stop')}
      </button>
    </div>
  );
}
