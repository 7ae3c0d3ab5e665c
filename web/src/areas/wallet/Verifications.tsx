// 谁核验了我的证照: verifications of my credentials through Yiwang's verify service — when, which
// credential, the verdict and which claims were shown (names only; the server keeps no values).
// Checks made offline on a verifier's own /verify page never reach the server and are not listed.
import { CREDENTIAL_TYPES } from '../../../../src/services/wallet/credential-types.ts';
import { REASONS, type Reason } from '../../../../src/services/wallet/reasons.ts';
import { myVerifications } from '../../api/wallet.ts';
import { useI18n } from '../../i18n/index.tsx';
import { loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { claimLabel } from '../verify/ClaimList.tsx';

export function Verifications() {
  const { t, locale, formatTime } = useI18n();
  const list = useAsync((signal) => myVerifications(signal), []);
  const en = locale === 'en';
  return (
    <section className="panel" data-testid="wallet-verifications">
      <div className="panel-head">
        <h2 className="panel-title">{t('wallet.verified.title')}</h2>
        <div className="panel-tools">
          <button type="button" className="btn btn-small" onClick={list.reload}>
            {t('desk.reload')}
          </button>
        </div>
      </div>
      <p className="muted">{t('wallet.verified.intro')}</p>
      {loadNote(list) ??
        (!list.data?.items.length ? (
          <p className="muted" data-testid="wallet-verifications-none">
            {t('wallet.verified.none')}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('wallet.verified.at')}</th>
                  <th>{t('wallet.verified.credential')}</th>
                  <th>{t('wallet.verified.result')}</th>
                  <th>{t('wallet.verified.shown')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((v, i) => {
                  const type = v.type ? CREDENTIAL_TYPES[v.type] : undefined;
                  const reason = v.reason && v.reason in REASONS ? REASONS[v.reason as Reason] : null;
                  return (
                    <tr key={`${v.at}-${i}`} data-testid="wallet-verification" data-valid={String(v.valid)}>
                      <td className="nowrap">{formatTime(v.at)}</td>
                      <td>{type ? (en ? type.nameEn : type.nameZh) : (v.type ?? '—')}</td>
                      <td>{v.valid ? <span className="badge wallet-status-valid">{t('verify.valid')}</span> : <span className="badge wallet-status-revoked">{reason ? (en ? reason.en : reason.zh) : v.reason}</span>}</td>
                      <td>{v.disclosed.map((k) => claimLabel(type?.claims.find((c) => c.key === k), k, locale)).join('、')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
