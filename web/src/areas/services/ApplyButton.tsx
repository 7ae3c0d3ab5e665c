// 在线办理 on an item's page: starts a draft application and opens it — or says whom the item is
// for when the signed-in account cannot apply for it (a person for a company-only item and back).
import { useState } from 'react';
import { createApplication } from '../../api/applications.ts';
import { navigate } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';

export function ApplyButton({ itemCode, applicants }: { itemCode: string; applicants: string[] }) {
  const { t } = useI18n();
  const account = useAccount();
  const as = account.roles.includes('enterprise') ? 'enterprise' : 'person';
  const allowed = applicants.includes(as);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const app = await createApplication(itemCode);
      navigate(`/portal/applications/${encodeURIComponent(app.id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <div className="svc-apply">
      <button type="button" className="btn btn-primary btn-large" disabled={busy || !allowed} onClick={() => void apply()} data-testid="svc-apply">
        {busy ? t('apply.sending') : t('apply.online')}
      </button>
      <span className="hint" data-testid="svc-apply-hint">
        {allowed ? t('apply.online.hint') : t('apply.online.notFor', { who: applicants.map((a) => t(`svc.applicant.${a}` as MessageKey)).join('、') })}
      </span>
      {error != null && <ErrorNote error={error} testId="svc-apply-error" />}
    </div>
  );
}
