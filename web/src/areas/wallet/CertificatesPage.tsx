// /portal/certificates — 开具证明: the certificates there are, each saying whether I can have it now
// (and if not, why, in plain words); a request (with its purpose where one is asked) issues it at once
// from registry data — its facts, the PDF to print, and its credential on this phone. Below, mine.
import { useState } from 'react';
import { certificateTypes, myCertificates, requestCertificate, type CatalogueEntry, type IssuedCertificate } from '../../api/certificates.ts';
import { ApiError } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote, loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { CertificateCard } from './CertificateCard.tsx';
import { deviceKey, keepCredential } from './device.ts';

export function CertificatesPage() {
  const { t, locale, formatTime } = useI18n();
  const account = useAccount();
  const catalogue = useAsync((signal) => certificateTypes(signal), []);
  const mine = useAsync((signal) => myCertificates(signal), []);
  const [open, setOpen] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [issued, setIssued] = useState<IssuedCertificate | null>(null);
  const en = locale === 'en';

  return (
    <div className="wallet-page cert-page" data-testid="cert-page">
      <PageTitle title={t('cert.title')}>
        <Link to="/portal/wallet" className="btn btn-small">
          {t('nav.wallet')}
        </Link>
      </PageTitle>
      <p className="muted">{t('cert.intro')}</p>
      {issued && <CertificateCard cert={issued.certificate} fresh />}

      <section className="panel">
        <h2 className="panel-title">{t('cert.catalogue')}</h2>
        {loadNote(catalogue) ?? (
          <ul className="cert-types">
            {catalogue.data!.items.map((c) => (
              <li key={c.code} className={`cert-type${c.eligible ? '' : ' cert-ineligible'}`} data-testid="cert-type" data-code={c.code} data-eligible={String(c.eligible)}>
                <div className="cert-type-main">
                  <strong>{en ? c.nameEn : c.nameZh}</strong>
                  <span className="muted">{en ? c.descriptionEn : c.descriptionZh}</span>
                  <span className="muted cert-type-meta">{t('cert.meta', { issuer: c.issuerName, days: c.validDays })}</span>
                  {!c.eligible && (
                    <span className="cert-reason" data-testid={`cert-reason-${c.code}`}>
                      {en ? c.reasonEn : c.reasonZh}
                    </span>
                  )}
                </div>
                {c.eligible && open !== c.code && (
                  <button type="button" className="btn btn-primary btn-small" onClick={() => setOpen(c.code)} data-testid={`cert-open-${c.code}`}>
                    {t('cert.request')}
                  </button>
                )}
                {c.eligible && open === c.code && (
                  <RequestForm
                    accountId={account.id}
                    entry={c}
                    onCancel={() => setOpen(null)}
                    onIssued={async (r, toWallet) => {
                      if (toWallet) await keepCredential({ id: r.credential.id, accountId: account.id, sdJwt: r.sdJwt, view: r.credential }).catch(() => {});
                      setIssued(r);
                      setOpen(null);
                      mine.reload();
                      window.scrollTo?.(0, 0);
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" data-testid="cert-mine">
        <h2 className="panel-title">{t('cert.mine')}</h2>
        {loadNote(mine) ??
          (!mine.data!.items.length ? (
            <p className="muted" data-testid="cert-mine-none">
              {t('cert.none')}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('cert.col.name')}</th>
                    <th>{t('cert.col.number')}</th>
                    <th>{t('cert.col.issued')}</th>
                    <th>{t('cert.col.validUntil')}</th>
                    <th>{t('cert.col.status')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {mine.data!.items.map((c) => (
                    <tr key={c.id} data-testid="cert-row" data-id={c.id} data-type={c.type}>
                      <td>{en ? c.nameEn : c.nameZh}</td>
                      <td className="xchg-mono">{c.number}</td>
                      <td className="nowrap">{formatTime(c.issuedAt)}</td>
                      <td className="nowrap">{c.validUntil}</td>
                      <td>{t(`cert.status.${c.status}` as MessageKey)}</td>
                      <td>
                        <button type="button" className="btn btn-small" onClick={() => setShown(shown === c.id ? null : c.id)} data-testid={`cert-show-${c.id}`}>
                          {shown === c.id ? t('cert.hide') : t('cert.open')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        {shown && mine.data?.items.find((c) => c.id === shown) && <CertificateCard cert={mine.data.items.find((c) => c.id === shown)!} />}
      </section>
    </div>
  );
}

function RequestForm({ entry, accountId, onCancel, onIssued }: { entry: CatalogueEntry; accountId: string; onCancel(): void; onIssued(r: IssuedCertificate, toWallet: boolean): Promise<void> }) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState('');
  const [toWallet, setToWallet] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const holderJwk = toWallet ? (await deviceKey(accountId)).publicJwk : undefined;
      const r = await requestCertificate({ type: entry.code, ...(purpose.trim() ? { purpose: purpose.trim() } : {}), ...(holderJwk ? { holderJwk } : {}) });
      await onIssued(r, toWallet);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = error instanceof ApiError && error.field === 'purpose';
  return (
    <form
      className="cert-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid={`cert-form-${entry.code}`}
    >
      <label className="field">
        {entry.purposeRequired ? t('cert.purposeRequired') : t('cert.purpose')}
        <input className="input" value={purpose} maxLength={100} onChange={(e) => setPurpose(e.target.value)} required={entry.purposeRequired} aria-invalid={fieldError} data-testid={`cert-purpose-${entry.code}`} />
      </label>
      <label className="check">
        <input type="checkbox" checked={toWallet} onChange={(e) => setToWallet(e.target.checked)} data-testid={`cert-wallet-${entry.code}`} />
        {t('cert.toWallet')}
      </label>
      {error != null && <ErrorNote error={error} />}
      <div className="toolbar">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid={`cert-request-${entry.code}`}>
          {busy ? t('cert.requesting') : t('cert.confirm')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('cert.cancel')}
        </button>
      </div>
    </form>
  );
}
