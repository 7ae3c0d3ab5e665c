// Where an application stands on its way: submitted, pre-check (预审), each review step, decided.
import type { ApplicationView } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAppText } from './appText.ts';

function position(app: ApplicationView, last: number): number {
  const stage = app.stage === 'correction' ? (app.acceptedAt ? 'review' : 'submitted') : app.stage;
  switch (stage) {
    case 'draft':
      return 0;
    case 'submitted':
    case 'rejected':
      return 1;
    case 'review':
      return 2 + app.step;
    case 'approved':
    case 'denied':
      return last + 1;
    default:
      return app.acceptedAt ? 2 + app.step : 1;
  }
}

export function AppSteps({ app }: { app: ApplicationView }) {
  const { t } = useI18n();
  const text = useAppText();
  const names = [t('apply.step.submit'), t('apply.step.precheck'), ...app.steps.map((s) => text.pick(s.zh, s.en)), t('apply.step.done')];
  const at = position(app, names.length - 2);
  const ended = app.stage === 'withdrawn' || app.stage === 'rejected' || app.stage === 'denied' || app.stage === 'approved';
  return (
    <ol className="app-steps" data-testid="app-steps">
      {names.map((n, i) => {
        const state = i < at || (ended && i === at) ? 'done' : i === at ? 'current' : 'todo';
        return (
          <li key={i} className={`app-step ${state}`} data-state={state} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="app-step-n">{i + 1}</span>
            <span>{n}</span>
          </li>
        );
      })}
    </ol>
  );
}
