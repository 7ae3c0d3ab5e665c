// A button for what cannot be undone (discard, withdraw): a second click confirms, no dialog.
import { useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';

interface Props {
  label: string;
  sure: string;
  yes: string;
  onConfirm(): void;
  disabled?: boolean;
  testId: string;
}

export function ConfirmButton({ label, sure, yes, onConfirm, disabled, testId }: Props) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="btn btn-large" disabled={disabled} onClick={() => setAsking(true)} data-testid={testId}>
        {label}
      </button>
    );
  return (
    <span className="app-confirm" role="group">
      <span>{sure}</span>
      <button type="button" className="btn btn-large app-danger" disabled={disabled} onClick={onConfirm} data-testid={`${testId}-yes`}>
        {yes}
      </button>
      <button type="button" className="btn btn-large" onClick={() => setAsking(false)}>
        {t('apply.cancel')}
      </button>
    </span>
  );
}
