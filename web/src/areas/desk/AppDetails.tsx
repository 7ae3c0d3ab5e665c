// The parts of the application page that only show: the review stepper, the form values under
// the item form's labels and groups, and the timeline.
import type { ApplicationView, ItemForm } from '../../api/serviceDesk.ts';
import { useI18n } from '../../i18n/index.tsx';
import { PlaceName } from '../../ui/PlaceName.tsx';
import { useScopeDetail } from '../../ui/scope.ts';
import { useDeskText, useValueText } from './deskText.tsx';

/** A district code as its name (浦东新区), the code beside it. */
function DistrictValue({ code }: { code: string }) {
  const place = useScopeDetail(/^\d{6}$/.test(code) ? code : null);
  return place.data ? (
    <>
      <PlaceName name={place.data.node.name} nameEn={place.data.node.nameEn} /> <span className="muted">{code}</span>
    </>
  ) : (
    <>{code}</>
  );
}

type StepState = 'done' | 'current' | 'todo' | 'stopped';

/** Pre-check (预审), the item's review steps, then the decision — each done, current or to come. */
export function AppStepper({ app }: { app: ApplicationView }) {
  const { t } = useI18n();
  const text = useDeskText();
  // While waiting for corrections, the step asked from is the last `correct` entry's stage.
  const askedFrom = [...app.timeline].reverse().find((e) => e.action === 'correct')?.fromStage ?? 'submitted';
  const where = app.stage === 'correction' ? askedFrom : app.stage;
  const decided = app.stage === 'approved' || app.stage === 'denied';
  const precheck: StepState = where === 'submitted' ? (app.stage === 'correction' ? 'stopped' : 'current') : app.stage === 'rejected' ? 'stopped' : app.stage === 'withdrawn' && !app.acceptedAt ? 'stopped' : 'done';
  const review = (i: number): StepState => {
    if (decided) return 'done';
    if (where !== 'review') return app.stage === 'withdrawn' && app.acceptedAt && i === app.step ? 'stopped' : 'todo';
    if (i < app.step) return 'done';
    if (i > app.step) return 'todo';
    return app.stage === 'correction' ? 'stopped' : 'current';
  };
  const steps: Array<{ key: string; label: string; state: StepState }> = [
    { key: 'precheck', label: t('desk.step.precheck'), state: precheck },
    ...app.steps.map((s, i) => ({ key: `step-${i}`, label: text.name(s.zh, s.en), state: review(i) })),
    { key: 'decision', label: decided || app.stage === 'rejected' ? text.stage(app.stage) : t('desk.step.decision'), state: decided ? 'done' : app.stage === 'rejected' ? 'stopped' : 'todo' },
  ];
  return (
    <ol className="desk-stepper" data-testid="app-steps" data-step={app.step}>
      {steps.map((s, i) => (
        <li key={s.key} className={`desk-step desk-step-${s.state}`} data-state={s.state}>
          <span className="desk-step-mark">{s.state === 'done' ? '✓' : i + 1}</span>
          <span className="desk-step-label">{s.label}</span>
        </li>
      ))}
    </ol>
  );
}

/** The form as the applicant filled it in, grouped as the item's form lays it out. */
export function AppFormValues({ app, form }: { app: ApplicationView; form: ItemForm | undefined }) {
  const { t } = useI18n();
  const text = useDeskText();
  const value = useValueText();
  const asked = new Set(app.correction?.fields ?? []);
  const groups = form?.layout.groups ?? [];
  const placed = new Set(groups.flatMap((g) => g.fields));
  const rest = Object.keys(app.form).filter((f) => !placed.has(f));
  const all = rest.length ? [...groups, { zh: '其他', en: 'Other', fields: rest }] : groups;
  const shown = all.map((g) => ({ ...g, fields: g.fields.filter((f) => f in app.form || asked.has(f)) })).filter((g) => g.fields.length);
  if (!shown.length) return <p className="muted">{t('desk.form.empty')}</p>;
  return (
    <div className="desk-form" data-testid="app-form">
      {shown.map((g) => (
        <div key={g.zh} className="desk-form-group">
          <h3 className="section-title">{g.zh === '其他' && g.en === 'Other' ? t('desk.form.other') : text.name(g.zh, g.en)}</h3>
          <dl className="desk-values">
            {g.fields.map((f) => {
              const def = form?.layout.fields[f];
              return (
                <div key={f} className={asked.has(f) ? 'desk-asked' : ''} data-testid={`app-value-${f}`}>
                  <dt>{def ? text.name(def.zh, def.en) : f}</dt>
                  <dd>{def?.widget === 'district' && typeof app.form[f] === 'string' ? <DistrictValue code={app.form[f] as string} /> : value(app.form[f], def)}</dd>
                </div>
              );
            })}
          </dl>
        </div>
      ))}
    </div>
  );
}

/** Who did what when, with their notes and reasons. */
export function AppTimeline({ app }: { app: ApplicationView }) {
  const { t, formatTime } = useI18n();
  const text = useDeskText();
  if (!app.timeline.length) return null;
  return (
    <section className="panel">
      <h2 className="panel-title">{t('desk.timeline')}</h2>
      <ol className="timeline" data-testid="app-timeline">
        {app.timeline.map((e, i) => (
          <li key={i} data-action={e.action} className={e.action === 'escalate' ? 'late' : ''}>
            <span className="timeline-at">{formatTime(e.at)}</span>
            <strong>{text.action(e.action)}</strong>
            {e.fromStage !== e.toStage ? <span className="muted"> → {text.stage(e.toStage)}</span> : null}
            {e.actorName ? <span className="muted"> · {e.actorName}</span> : null}
            {e.note ? <div className="timeline-note">{e.note}</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
