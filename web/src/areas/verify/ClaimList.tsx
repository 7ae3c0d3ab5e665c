// A credential's claims with their labels, in the type's order: dates as written, a photo as a
// reference chip (the verifier resolves it against its own photo records), lists as lines. Only the
// claims given are shown, so a presentation's undisclosed claims never appear.
import type { ClaimDef, CredentialType } from '../../../../src/services/wallet/credential-types.ts';
import { useI18n } from '../../i18n/index.tsx';

export function claimLabel(def: ClaimDef | undefined, key: string, locale: string): string {
  if (!def) return key;
  return locale === 'en' ? def.en : def.zh;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${text(x)}`).join('; ');
  return String(v);
}

export function ClaimValue({ def, value }: { def?: ClaimDef; value: unknown }) {
  const { t } = useI18n();
  if (def?.kind === 'photo' || (typeof value === 'string' && value.startsWith('photo:'))) {
    return (
      <span className="wallet-photo-chip" title={text(value)} data-testid="claim-photo">
        <span aria-hidden="true">▣</span> {t('wallet.photoRef')} <code>{text(value).replace(/^photo:sha256:/, '').slice(0, 10)}…</code>
      </span>
    );
  }
  if (Array.isArray(value)) {
    return (
      <ul className="wallet-claim-lines">
        {value.map((x, i) => (
          <li key={i}>{text(x)}</li>
        ))}
      </ul>
    );
  }
  return <>{text(value)}</>;
}

/** The claims present in `claims`, labelled by `type` (unknown keys last, by their key). */
export function ClaimList({ type, claims, testPrefix }: { type?: CredentialType; claims: Record<string, unknown>; testPrefix: string }) {
  const { locale } = useI18n();
  const defs = type?.claims ?? [];
  const keys = [...defs.map((d) => d.key).filter((k) => k in claims), ...Object.keys(claims).filter((k) => !defs.some((d) => d.key === k))];
  return (
    <dl className="facts facts-stacked wallet-claims" data-testid={`${testPrefix}-claims`}>
      {keys.map((k) => {
        const def = defs.find((d) => d.key === k);
        return (
          <div key={k} data-testid={`${testPrefix}-claim-${k}`} data-claim={k}>
            <dt>{claimLabel(def, k, locale)}</dt>
            <dd>
              <ClaimValue def={def} value={claims[k]} />
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
