// One result issued to the applicant: a licence (证照), a document, or a decision.
import type { ResultView } from '../../api/applications.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useAppText } from './appText.ts';

export function ResultCard({ r }: { r: ResultView }) {
  const { t, formatTime } = useI18n();
  const text = useAppText();
  const kind = t(`apply.resultKind.${r.kind}` as MessageKey);
  return (
    <div className={`app-result app-result-${r.kind}`} data-testid="app-result" data-kind={r.kind}>
      <strong>{text.pick(r.titleZh, r.titleEn)}</strong>
      <span className="badge">{kind.startsWith('apply.') ? r.kind : kind}</span>
      <div className="muted">
        {t('apply.issuedAt', { at: formatTime(r.issuedAt) })}
        {r.validUntil ? ` · ${t('apply.validUntil', { at: formatTime(r.validUntil) })}` : ''} · {r.id}
      </div>
    </div>
  );
}
