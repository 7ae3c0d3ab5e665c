// The verdict: a big green or red banner with the reason in words (REASONS, in the chosen language),
// the credential type, whether the holder proved possession (phone) or it is a printed copy, and the
// disclosed claims — only those. Offline, how old the keys and revocation information are.
import { CREDENTIAL_TYPES } from '../../../../src/services/wallet/credential-types.ts';
import { REASONS } from '../../../../src/services/wallet/reasons.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ClaimList } from './ClaimList.tsx';
import type { VerifyOutcome } from './runCheck.ts';

export function VerifyResult({ outcome }: { outcome: VerifyOutcome }) {
  const { t, locale, formatTime } = useI18n();
  const { result } = outcome;
  const type = result.type ? CREDENTIAL_TYPES[result.type] : undefined;
  const reason = result.reason ? REASONS[result.reason] : undefined;
  const en = locale === 'en';
  return (
    <section
      className={`verify-result ${result.valid ? 'ok' : 'bad'}`}
      data-testid="verify-result"
      data-valid={String(result.valid)}
      data-reason={result.reason ?? ''}
      aria-live="polite"
    >
      <div className="verify-banner" role="status">
        <span className="verify-mark" aria-hidden="true">
          {result.valid ? '✓' : '✕'}
        </span>
        <div>
          <strong data-testid="verify-verdict">{result.valid ? t('verify.valid') : result.reason === 'STATUS_UNAVAILABLE' ? t('verify.statusUnknown') : t('verify.invalid')}</strong>
          {reason && <p data-testid="verify-reason">{en ? reason.en : reason.zh}</p>}
        </div>
      </div>
      {type && (
        <p className="verify-type" data-testid="verify-type">
          {en ? type.nameEn : type.nameZh}
          {result.valid && (
            <span className={`badge ${result.holderBound ? 'verify-bound' : 'verify-paper'}`} data-testid="verify-bound" data-bound={String(result.holderBound)}>
              {result.holderBound ? t('verify.bound') : t('verify.paper')}
            </span>
          )}
        </p>
      )}
      {result.valid && (
        <>
          <ClaimList type={type} claims={result.claims} testPrefix="verify" />
          <p className="muted verify-meta">
            {result.expiresAt !== undefined && t('verify.expires', { time: formatTime(result.expiresAt * 1000) })} {t('verify.checkedAt', { time: formatTime(outcome.checkedAt) })}
          </p>
          <p className="muted verify-meta">{t('verify.onlyDisclosed')}</p>
        </>
      )}
      {outcome.statusAsOf !== undefined && (
        <p className="note verify-asof" data-testid="verify-status-asof">
          {t('verify.statusAsOf', { time: formatTime(outcome.statusAsOf) })}
        </p>
      )}
      {outcome.statusTooOld !== undefined && (
        <p className="note verify-asof" data-testid="verify-status-too-old">
          {t('verify.statusTooOld', { time: formatTime(outcome.statusTooOld) })}
        </p>
      )}
      {outcome.keysAsOf !== undefined && (
        <p className="note verify-asof" data-testid="verify-keys-asof">
          {t('verify.keysAsOf', { time: formatTime(outcome.keysAsOf) })}
        </p>
      )}
    </section>
  );
}
