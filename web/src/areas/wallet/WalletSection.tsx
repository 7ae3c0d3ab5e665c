// The portal's e-licence wallet (/portal/wallet, /portal/wallet/<id>) and instant certificates
// (/portal/certificates), loaded lazily: they bring the SD-JWT and QR code libraries.
import { useLocation } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import '../../styles/wallet.css';
import { PageTitle, pageOf } from '../shared.tsx';
import { CertificatesPage } from './CertificatesPage.tsx';
import { CredentialPage } from './CredentialPage.tsx';
import { WalletHome } from './WalletHome.tsx';

/** Residents and companies hold licences and certificates; officials' accounts do not. */
const HOLDERS = new Set(['citizen', 'enterprise']);

export default function WalletSection({ view }: { view: 'wallet' | 'certificates' }) {
  const { t } = useI18n();
  const account = useAccount();
  const { pathname } = useLocation();
  const { param } = pageOf(pathname);
  if (!account.roles.some((r) => HOLDERS.has(r))) {
    return (
      <div className="wallet-page" data-testid="wallet-not-holder">
        <PageTitle title={view === 'certificates' ? t('cert.title') : t('nav.wallet')} />
        <section className="panel">
          <p>{t('wallet.notHolder')}</p>
        </section>
      </div>
    );
  }
  if (view === 'certificates') return <CertificatesPage />;
  return param ? <CredentialPage key={param} id={param} /> : <WalletHome />;
}
