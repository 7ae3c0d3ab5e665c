// The decisions the signed-in person may take now — exactly the server's `actions`, nothing more.
// Each opens a small panel to confirm: a note (required for 补正, 不予受理 and 不予许可), the
// materials and fields to correct, the years a licence is valid. The server checks everything again.
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { DESK_ACTIONS, decide, type ActionBody, type ApplicationView, type DeskAction, type ItemForm } from '../../api/serviceDesk.ts';
import { useAccount } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useDeskText } from './deskText.tsx';

const NEEDS_TEXT: ReadonlySet<DeskAction> = new Set(['correct', 'reject', 'deny']);
const PRIMARY: ReadonlySet<DeskAction> = new Set(['accept', 'pass', 'approve']);
/** Errors after which the page shows what is there now. */
const STALE = new Set(['CONFLICT', 'APPLICATION_TRANSITION_INVALID']);

interface Props {
  app: ApplicationView;
  form: ItemForm | undefined;
  onChanged: (a: ApplicationView) => void;
  /** Reads the application again (someone else moved it). */
  onStale: () => void;
}

export function AppActions({ app, form, onChanged, onStale }: Props) {
  const { t } = useI18n();
  const text = useDeskText();
  const me = useAccount();
  const [open, setOpen] = useState<DeskAction | null>(null);
  const [note, setNote] = useState('');
  const [years, setYears] = useState('');
  const [materials, setMaterials] = useState<string[]>([]);
  const [fields, setFields] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const actions = DESK_ACTIONS.filter((a) => app.actions.includes(a));

  const reset = () => {
    setOpen(null);
    setNote('');
    setYears('');
    setMaterials([]);
    setFields([]);
  };
  const pick = (a: DeskAction) => {
    setError(null);
    if (open === a) return reset();
    reset();
    setOpen(a);
  };
  const body = (a: DeskAction): ActionBody => {
    const n = note.trim();
    switch (a) {
      case 'correct':
        return { action: a, note: n, materials, fields };
      case 'reject':
      case 'deny':
        return { action: a, reasons: n };
      case 'approve':
        return { action: a, note: n || undefined, validYears: years ? Number(years) : undefined };
      default:
        return { action: a, note: n || undefined };
    }
  };
  const confirm = async () => {
    if (!open) return;
    setBusy(true);
    setError(null);
    try {
      onChanged(await decide(app.id, body(open)));
      reset();
    } catch (err) {
      if (err instanceof ApiError && STALE.has(err.code)) {
        // What was open may no longer be possible: close it and show the application as it is now.
        reset();
        onStale();
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (list: string[], set: (v: string[]) => void, v: string) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  if (!actions.length) {
    const open = app.stage === 'submitted' || app.stage === 'review' || app.stage === 'correction';
    if (!open) return null;
    return (
      <section className="panel" data-testid="app-actions" data-actions="">
        <p className="muted" data-testid="app-readonly">
          {app.stage === 'correction' ? t('desk.act.waitingApplicant') : me.roles.includes('admin') && !me.roles.includes('staff') ? t('desk.act.adminReads') : t('desk.act.none')}
        </p>
      </section>
    );
  }
  const needsText = open !== null && NEEDS_TEXT.has(open);
  const ready = open !== null && (!needsText || note.trim().length > 0);
  const applicantMaterials = app.materials.filter((m) => m.source === 'applicant');
  const formFields = form ? form.layout.groups.flatMap((g) => g.fields).filter((f, i, all) => all.indexOf(f) === i) : Object.keys(app.form);
  const errorCode = error instanceof ApiError ? error.code : '';

  return (
    <section className="panel desk-actions" data-testid="app-actions" data-actions={actions.join(' ')}>
      <h2 className="panel-title">{t('desk.act.title')}</h2>
      <div className="toolbar">
        {actions.map((a) => (
          <button key={a} type="button" className={`btn${PRIMARY.has(a) ? ' btn-primary' : ''}${open === a ? ' active' : ''}`} disabled={busy} aria-expanded={open === a} onClick={() => pick(a)} data-testid={`act-${a}`}>
            {t(`desk.act.${a}` as MessageKey)}
          </button>
        ))}
      </div>
      {open && (
        <div className="desk-act-panel" data-testid="act-panel" data-action={open}>
          <p className="muted">{t(`desk.act.${open}.hint` as MessageKey, { step: app.steps[app.step] ? text.name(app.steps[app.step]!.zh, app.steps[app.step]!.en) : '' })}</p>
          {open === 'correct' && (
            <div className="desk-correct">
              <fieldset>
                <legend>{t('desk.act.correct.materials')}</legend>
                {applicantMaterials.map((m) => (
                  <label key={m.key} className="check">
                    <input type="checkbox" checked={materials.includes(m.key)} onChange={() => toggle(materials, setMaterials, m.key)} data-testid={`act-mat-${m.key}`} />
                    {text.name(m.nameZh, m.nameEn)}
                  </label>
                ))}
              </fieldset>
              <fieldset>
                <legend>{t('desk.act.correct.fields')}</legend>
                {formFields.map((f) => {
                  const def = form?.layout.fields[f];
                  return (
                    <label key={f} className="check">
                      <input type="checkbox" checked={fields.includes(f)} onChange={() => toggle(fields, setFields, f)} data-testid={`act-field-${f}`} />
                      {def ? text.name(def.zh, def.en) : f}
                    </label>
                  );
                })}
              </fieldset>
            </div>
          )}
          <label className="desk-note">
            <span>
              {t(needsText ? (open === 'correct' ? 'desk.act.noteCorrect' : 'desk.act.reasons') : 'desk.act.note')}
              {needsText ? <span className="desk-required"> *</span> : null}
            </span>
            <textarea className="input" rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="act-note" />
          </label>
          {open === 'approve' && (
            <label className="desk-note desk-years">
              {t('desk.act.validYears')}
              <input className="input" type="number" min={1} max={30} value={years} onChange={(e) => setYears(e.target.value)} data-testid="act-years" />
            </label>
          )}
          <div className="toolbar">
            <button type="button" className="btn btn-primary" disabled={busy || !ready} onClick={() => void confirm()} data-testid="act-confirm">
              {t('desk.act.confirm', { action: t(`desk.act.${open}` as MessageKey) })}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={reset} data-testid="act-cancel">
              {t('desk.act.cancel')}
            </button>
          </div>
        </div>
      )}
      {error != null && (
        <div className="note note-error" role="alert" data-testid="act-error" data-code={errorCode}>
          <strong>{errorCode && t(`desk.error.${errorCode}` as MessageKey) !== `desk.error.${errorCode}` ? t(`desk.error.${errorCode}` as MessageKey) : t('app.error')}</strong>
          <span>{error instanceof ApiError ? (error.status === 0 ? t('app.networkError') : error.detail) : String(error)}</span>
        </div>
      )}
    </section>
  );
}
