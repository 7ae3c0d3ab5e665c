// /portal/wallet — 我的证照: the credentials I hold (status, validity, masked number; whether they are on
// this phone), the licences of the e-licence library I can add (领取到本机), and who verified mine.
import { useState } from 'react';
import { addLicence, type CredentialView } from '../../api/wallet.ts';
import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { PageTitle } from '../shared.tsx';
import { deviceKey, deviceLabel, keepCredential } from './device.ts';
import { useWallet } from './useWallet.ts';
import { Verifications } from './Verifications.tsx';

export function WalletHome() {
  const { t, locale } = useI18n();
  const account = useAccount();
  const w = useWallet(account.id);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const en = locale === 'en';

  const add = async (licenceId: string) => {
    setBusy(licenceId);
    setError(null);
    try {
      const key = await deviceKey(account.id);
      const issued = await addLicence(licenceId, key.publicJwk);
      await keepCredential({ id: issued.credential.id, accountId: account.id, sdJwt: issued.sdJwt, view: issued.credential });
      w.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const heldIds = new Set((w.held.data ?? []).map((c) => c.id));
  const items: CredentialView[] = w.server.data?.items ?? (w.held.data ?? []).map((c) => c.view);
  const visible = items.filter((c) => c.status !== 'revoked' || heldIds.has(c.id));

  return (
    <div className="wallet-page" data-testid="wallet-page">
      <PageTitle title={t('nav.wallet')}>
        <Link to="/portal/certificates" className="btn btn-small" data-testid="wallet-to-certificates">
          {t('cert.nav')}
        </Link>
      </PageTitle>
      <p className="muted">{t('wallet.intro')}</p>
      {w.device.data && (
        <p className="muted wallet-device" data-testid="wallet-device">
          {t('wallet.device', { id: deviceLabel(w.device.data) })}
        </p>
      )}
      {w.device.error != null && <ErrorNote error={t('wallet.noStorage')} />}
      {w.offline && (
        <p className="note wallet-offline" data-testid="wallet-offline">
          {t('wallet.offline')}
        </p>
      )}
      {w.server.error != null && !w.offline && <ErrorNote error={w.server.error} onRetry={w.server.reload} />}
      {error != null && <ErrorNote error={error} />}

      <section className="panel">
        <h2 className="panel-title">{t('wallet.mine')}</h2>
        {w.server.loading && w.held.loading ? (
          <Loading />
        ) : !visible.length ? (
          <p className="muted" data-testid="wallet-none">
            {t('wallet.none')}
          </p>
        ) : (
          <div className="wallet-cards">
            {visible.map((c) => {
              const here = heldIds.has(c.id);
              const away = w.elsewhere.has(c.id);
              return (
                <article key={c.id} className={`wallet-card-mini status-${c.status}`} data-testid="wallet-credential" data-id={c.id} data-type={c.type} data-status={c.status} data-here={String(here)}>
                  <div className="wallet-card-head">
                    <strong>{en ? c.nameEn : c.nameZh}</strong>
                    <span className={`badge wallet-status-${c.status}`}>{t(`wallet.status.${c.status}` as MessageKey)}</span>
                  </div>
                  <div className="wallet-card-body">
                    <span className="xchg-mono">{c.holderId}</span>
                    <span>{c.validUntil ? t('wallet.validUntil', { date: c.validUntil.slice(0, 10) }) : t('wallet.noExpiry')}</span>
                  </div>
                  <div className="wallet-card-foot">
                    {here ? (
                      <>
                        <span className="badge wallet-here">{t('wallet.here')}</span>
                        <Link to={`/portal/wallet/${encodeURIComponent(c.id)}`} className="btn btn-primary btn-small" data-testid={`wallet-open-${c.id}`}>
                          {t('wallet.show')}
                        </Link>
                      </>
                    ) : away ? (
                      <>
                        <span className="muted" data-testid={`wallet-elsewhere-${c.id}`}>
                          {t('wallet.elsewhere')}
                        </span>
                        {c.source.kind === 'licence' && (
                          <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void add(c.source.id)} data-testid={`wallet-readd-${c.id}`}>
                            {t('wallet.readd')}
                          </button>
                        )}
                      </>
                    ) : c.status === 'valid' || c.status === 'suspended' ? (
                      <span className="muted">{t('wallet.notHere')}</span>
                    ) : null}
                  </div>
                </article>
              );
            })}
          </div>
        )}
      </section>

      {!!w.server.data?.available.length && (
        <section className="panel" data-testid="wallet-available-list">
          <h2 className="panel-title">{t('wallet.available')}</h2>
          <p className="muted">{t('wallet.availableIntro')}</p>
          <ul className="wallet-available">
            {w.server.data.available.map((l) => (
              <li key={l.licenceId} data-testid="wallet-available" data-licence={l.licenceId} data-type={l.type}>
                <div>
                  <strong>{en ? l.nameEn : l.nameZh}</strong>
                  <span className="muted xchg-mono">{l.number}</span>
                  <span className="muted">{l.validUntil ? t('wallet.validUntil', { date: l.validUntil.slice(0, 10) }) : t('wallet.noExpiry')}</span>
                </div>
                <button type="button" className="btn btn-primary btn-small" disabled={busy !== null || !w.device.data} onClick={() => void add(l.licenceId)} data-testid={`wallet-add-${l.licenceId}`}>
                  {busy === l.licenceId ? t('wallet.adding') : t('wallet.add')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {!w.offline && <Verifications />}
    </div>
  );
}
