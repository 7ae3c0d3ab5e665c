// One certificate: its number and facts, the printable PDF (with the QR a verifier scans), and its
// credential in this phone's wallet — added here if it is unbound or bound to this phone's key.
import { useState } from 'react';
import type { CertificateView } from '../../api/certificates.ts';
import { credential } from '../../api/wallet.ts';
import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { ClaimValue } from '../verify/ClaimList.tsx';
import { decodeCredential } from './credential.ts';
import { deviceKey, heldCredential, isThisDevice, keepCredential } from './device.ts';

export function CertificateCard({ cert, fresh = false }: { cert: CertificateView; fresh?: boolean }) {
  const { t, locale } = useI18n();
  const account = useAccount();
  const held = useAsync(async () => (cert.credentialId ? heldCredential(cert.credentialId, account.id) : null), [cert.credentialId, account.id]);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const en = locale === 'en';

  const addToWallet = async () => {
    if (!cert.credentialId) return;
    setError(null);
    try {
      const [issued, key] = await Promise.all([credential(cert.credentialId), deviceKey(account.id)]);
      const { cnf } = await decodeCredential(issued.sdJwt);
      if (cnf && !isThisDevice(cnf, key)) {
        setNote(t('wallet.elsewhere'));
        return;
      }
      await keepCredential({ id: issued.credential.id, accountId: account.id, sdJwt: issued.sdJwt, view: issued.credential });
      held.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <article className={`panel cert-card${fresh ? ' cert-fresh' : ''}`} data-testid={fresh ? 'cert-issued' : 'cert-view'} data-id={cert.id} data-type={cert.type}>
      <div className="wallet-card-head">
        <h3>{en ? cert.nameEn : cert.nameZh}</h3>
        <span className={`badge wallet-status-${cert.status === 'withdrawn' ? 'revoked' : cert.status}`}>{t(`cert.status.${cert.status}` as MessageKey)}</span>
      </div>
      <p className="xchg-mono" data-testid="cert-number">
        {cert.number}
      </p>
      <dl className="facts facts-stacked">
        {cert.claims.map((c) => (
          <div key={c.key} data-testid={`cert-claim-${c.key}`}>
            <dt>{en ? c.en : c.zh}</dt>
            <dd>
              <ClaimValue def={{ key: c.key, zh: c.zh, en: c.en, kind: c.kind as 'text' }} value={c.value} />
            </dd>
          </div>
        ))}
      </dl>
      <div className="toolbar">
        <a className="btn btn-primary" href={cert.pdfUrl} target="_blank" rel="noopener" data-testid="cert-pdf">
          {t('cert.pdf')}
        </a>
        {held.data ? (
          <Link to={`/portal/wallet/${encodeURIComponent(held.data.id)}`} className="btn" data-testid="cert-in-wallet">
            {t('cert.inWallet')}
          </Link>
        ) : cert.credentialId && cert.status === 'valid' && !held.loading ? (
          <button type="button" className="btn" onClick={() => void addToWallet()} data-testid="cert-add-wallet">
            {t('cert.addToWallet')}
          </button>
        ) : null}
      </div>
      {note && <p className="note">{note}</p>}
      {error != null && <ErrorNote error={error} />}
    </article>
  );
}
