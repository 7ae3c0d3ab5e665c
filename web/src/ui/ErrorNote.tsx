import type { ReactElement } from 'react';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import type { AsyncState } from './useAsync.ts';

/** Shows a failed call: the server's problem+json detail (as text), or a network hint. */
export function ErrorNote({ error, title, onRetry, testId = 'error' }: { error: unknown; title?: string; onRetry?: () => void; testId?: string }) {
  const { t } = useI18n();
  const detail =
    error instanceof ApiError ? (error.status === 0 ? t('app.networkError') : error.detail) : error instanceof Error ? error.message : String(error);
  return (
    <div className="note note-error" role="alert" data-testid={testId}>
      <strong>{title ?? t('app.error')}</strong>
      <span>{detail}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" role="status" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  );
}

/**
 * What a load shows before its data: the spinner until the first answer, then a failure with a retry;
 * null once there is data to show (`{loadNote(list) ?? <Table … />}`).
 */
export function loadNote(state: AsyncState<unknown>): ReactElement | null {
  if (state.loading && !state.data) return <Loading />;
  if (state.error) return <ErrorNote error={state.error} onRetry={state.reload} />;
  return null;
}
