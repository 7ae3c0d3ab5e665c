// Small pieces every case screen shares: the time-limit chip and the stage/source/action labels.
import type { Colour } from '../../api/cases.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

export const COLOURS: Record<Colour, string> = { green: '#2e7d32', yellow: '#f9a825', red: '#d32f2f' };

/** The label of a value from one of the cases' open sets. */
export function useCaseText() {
  const { t } = useI18n();
  return {
    stage: (s: string) => t(`cases.stage.${s}` as MessageKey),
    source: (s: string) => t(`cases.source.${s}` as MessageKey),
    action: (a: string) => t(`cases.action.${a}` as MessageKey),
  };
}

/** Green / yellow (80 % used) / red (overdue), with the due time. */
export function LimitChip({ colour, dueAt }: { colour: Colour | null; dueAt: number | null }) {
  const { t, formatTime } = useI18n();
  if (!colour) return <span className="muted">—</span>;
  return (
    <span className={`limit-chip limit-${colour}`} data-testid="limit-chip" data-colour={colour} title={dueAt ? formatTime(dueAt) : ''}>
      <span className="limit-dot" style={{ background: COLOURS[colour] }} />
      {t(`cases.colour.${colour}` as MessageKey)}
      {dueAt ? <span className="limit-due"> · {formatTime(dueAt)}</span> : null}
    </span>
  );
}
