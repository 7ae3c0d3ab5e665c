// What happened to an application, oldest first: who did what, and the note they left.
import type { TimelineEvent } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAppText } from './appText.ts';

export function AppTimeline({ events }: { events: TimelineEvent[] }) {
  const { formatTime } = useI18n();
  const text = useAppText();
  return (
    <ol className="timeline" data-testid="app-timeline">
      {events.map((e, i) => (
        <li key={i} data-action={e.action}>
          <span className="timeline-at">{formatTime(e.at)}</span>
          <strong>{text.action(e.action)}</strong>
          <span className="muted"> → {text.stage(e.toStage)}</span>
          {e.actorName ? <span className="muted"> · {e.actorName}</span> : null}
          {e.note ? <div className="timeline-note">{e.note}</div> : null}
        </li>
      ))}
    </ol>
  );
}
