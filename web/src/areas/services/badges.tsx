// Small marks shared by the application screens: a stage badge and the time-limit colour.
import { useI18n } from '../../i18n/index.tsx';
import { useAppText } from './appText.ts';

export function StageBadge({ stage, bundle, testId }: { stage: string; bundle?: boolean; testId?: string }) {
  const text = useAppText();
  return (
    <span className={`badge app-stage app-stage-${stage}`} data-stage={stage} data-testid={testId}>
      {bundle ? text.bundleStage(stage) : text.stage(stage)}
    </span>
  );
}

/** The time-limit colour: on time, due soon, overdue, paused (waiting for the applicant); nothing when none. */
export function ColourChip({ colour, dueAt, testId }: { colour: string; dueAt?: number | null; testId?: string }) {
  const { t, formatTime } = useI18n();
  const text = useAppText();
  if (colour === 'none') return null;
  return (
    <span className={`app-colour app-colour-${colour}`} data-colour={colour} data-testid={testId}>
      <span className="app-colour-dot" aria-hidden="true" />
      {text.colour(colour)}
      {dueAt && colour !== 'paused' ? <span className="muted"> · {t('apply.dueAt', { at: formatTime(dueAt) })}</span> : null}
    </span>
  );
}
