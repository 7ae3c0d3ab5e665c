// /portal/wallet/<id> — one credential held on this phone: the card with every claim (the holder sees
// their own), then 亮证: pick a preset (e.g. 交警查验) or tick the claims to show, and open the QR.
import { useEffect, useMemo, useState } from 'react';
import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote, loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { ClaimList, claimLabel } from '../verify/ClaimList.tsx';
import { PageTitle } from '../shared.tsx';
import { decodeCredential } from './credential.ts';
import { credential as fetchCredential } from '../../api/wallet.ts';
import { deviceKey, heldCredential, isThisDevice, keepCredential } from './device.ts';
import { ShowQr } from './ShowQr.tsx';

export function CredentialPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const account = useAccount();
  // Not on this phone yet (a deep link, or the list has not synced): fetch it, and keep it when it is
  // bound to this phone's key or to none.
  const held = useAsync(async () => {
    const here = await heldCredential(id, account.id);
    if (here) return here;
    const issued = await fetchCredential(id).catch(() => null);
    if (!issued) return null;
    const { cnf } = await decodeCredential(issued.sdJwt);
    if (cnf && !isThisDevice(cnf, await deviceKey(account.id))) return null;
    await keepCredential({ id, accountId: account.id, sdJwt: issued.sdJwt, view: issued.credential });
    return heldCredential(id, account.id);
  }, [id, account.id]);
  const device = useAsync(() => deviceKey(account.id), [account.id]);
  const decoded = useAsync(async () => (held.data ? decodeCredential(held.data.sdJwt) : null), [held.data]);
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [showing, setShowing] = useState(false);
  const en = locale === 'en';

  const type = decoded.data?.type;
  const present = useMemo(() => (type?.claims ?? []).filter((c) => decoded.data && c.key in decoded.data.claims), [type, decoded.data]);
  useEffect(() => {
    if (type && chosen === null) setChosen(new Set((type.presets[0]?.claims ?? []).filter((k) => present.some((c) => c.key === k))));
  }, [type, present, chosen]);

  if (held.loading || (held.data && decoded.loading && !decoded.data)) return loadNote(held) ?? loadNote(decoded);
  if (held.error != null) return <ErrorNote error={held.error} />;
  if (!held.data) {
    return (
      <div className="wallet-page" data-testid="wallet-card-missing">
        <PageTitle title={t('nav.wallet')} />
        <section className="panel">
          <p>{t('wallet.card.notHere')}</p>
          <Link to="/portal/wallet" className="btn">
            {t('wallet.back')}
          </Link>
        </section>
      </div>
    );
  }
  if (decoded.error != null || !decoded.data) return <ErrorNote error={decoded.error ?? t('wallet.card.unreadable')} />;

  const view = held.data.view;
  const cnf = decoded.data.cnf;
  const mine = !cnf || (device.data ? isThisDevice(cnf, device.data) : false);
  const selected = chosen ?? new Set<string>();
  const same = (keys: string[]) => keys.filter((k) => present.some((c) => c.key === k)).sort().join() === [...selected].sort().join();
  const toggle = (key: string) => {
    const next = new Set(selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setChosen(next);
  };

  return (
    <div className="wallet-page" data-testid="wallet-card" data-id={id} data-type={view.type}>
      <PageTitle title={en ? view.nameEn : view.nameZh}>
        <Link to="/portal/wallet" className="btn btn-small" data-testid="wallet-back">
          {t('wallet.back')}
        </Link>
      </PageTitle>
      <section className={`panel wallet-licence status-${view.status}`}>
        <div className="wallet-card-head">
          <span className={`badge wallet-status-${view.status}`} data-testid="wallet-card-status">
            {t(`wallet.status.${view.status}` as MessageKey)}
          </span>
          <span className="muted">{cnf ? t('wallet.card.bound') : t('wallet.card.unbound')}</span>
        </div>
        <ClaimList type={type} claims={decoded.data.claims} testPrefix="wallet-card" />
      </section>

      {view.status !== 'valid' && <p className="note note-error">{t('wallet.card.notValid')}</p>}
      {!mine ? (
        <p className="note note-error" data-testid="wallet-card-elsewhere">
          {t('wallet.elsewhere')}
        </p>
      ) : (
        <section className="panel wallet-disclose" data-testid="wallet-disclose">
          <h2 className="panel-title">{t('wallet.disclose.title')}</h2>
          <p className="muted">{t('wallet.disclose.intro')}</p>
          <div className="chips" role="group" aria-label={t('wallet.disclose.presets')}>
            {(type?.presets ?? []).map((p) => (
              <button
                key={p.id}
                type="button"
                className={`chip${same(p.claims) ? ' active' : ''}`}
                aria-pressed={same(p.claims)}
                onClick={() => setChosen(new Set(p.claims.filter((k) => present.some((c) => c.key === k))))}
                data-testid={`wallet-preset-${p.id}`}
              >
                {en ? p.en : p.zh}
              </button>
            ))}
          </div>
          <ul className="wallet-choose">
            {present.map((c) => (
              <li key={c.key}>
                <label className="check">
                  <input type="checkbox" checked={selected.has(c.key)} onChange={() => toggle(c.key)} data-testid={`wallet-claim-toggle-${c.key}`} />
                  {claimLabel(c, c.key, locale)}
                </label>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-primary btn-large" disabled={!selected.size || !device.data} onClick={() => setShowing(true)} data-testid="wallet-show">
            {t('wallet.show')}
          </button>
        </section>
      )}
      {showing && device.data && (
        <ShowQr
          sdJwt={held.data.sdJwt}
          disclose={present.map((c) => c.key).filter((k) => selected.has(k))}
          bound={!!cnf}
          device={device.data}
          title={en ? view.nameEn : view.nameZh}
          labels={present.filter((c) => selected.has(c.key)).map((c) => claimLabel(c, c.key, locale))}
          onClose={() => setShowing(false)}
        />
      )}
    </div>
  );
}
