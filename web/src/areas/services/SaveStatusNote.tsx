// The draft's save state: 已保存, 保存中…, or why the last save failed.
import { ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import type { SaveStatus } from './useAutosave.ts';

export function SaveStatusNote({ status, error }: { status: SaveStatus; error: unknown }) {
  const { t } = useI18n();
  const text = status === 'saved' ? t('apply.save.saved') : status === 'error' ? t('apply.save.failed') : t('apply.save.saving');
  const detail = status === 'error' && error ? (error instanceof ApiError ? (error.status === 0 ? t('app.networkError') : error.detail) : String(error)) : '';
  return (
    <p className={`app-save app-save-${status}`} role="status" aria-live="polite" data-testid="save-status" data-status={status}>
      {text}
      {detail && <span className="muted"> {detail}</span>}
    </p>
  );
}
