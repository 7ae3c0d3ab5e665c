// What the reader's department may do with a request now: the owner's staff grant a pending one
// (a subset of the fields, of the fields asked in clear, days up to those asked, a note) or refuse
// it with a reason; a granted one may be revoked with a reason (by the owner, the requester giving
// it up, or an administrator). Buttons that cannot apply are not offered; the server decides.
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { decideRequest, getRequest, revokeRequest, type DecideBody, type FieldDef, type RequestView } from '../../api/exchange.ts';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { useExchangeText } from './exchangeText.tsx';

type Open = 'grant' | 'refuse' | 'revoke' | null;
/** Refusals after which the card shows the request as it is now. */
const STALE = new Set(['CONFLICT', 'EXCHANGE_REQUEST_DECIDED']);

export function RequestActions({ r, defs, onChanged }: { r: RequestView; defs?: ReadonlyMap<string, FieldDef>; onChanged: (r: RequestView) => void }) {
  const { t } = useI18n();
  const text = useExchangeText();
  const account = useAccount();
  const [open, setOpen] = useState<Open>(null);
  const [fields, setFields] = useState<string[]>(r.fields);
  const [clear, setClear] = useState<string[]>(r.clearFields);
  const [days, setDays] = useState(String(r.days));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const owner = !!account.departmentCode && account.departmentCode === r.ownerCode;
  const requester = !!account.departmentCode && account.departmentCode === r.requesterCode;
  const admin = account.roles.includes('admin');
  const mayDecide = r.status === 'pending' && owner;
  const mayRevoke = r.status === 'granted' && (owner || requester || admin);
  if (!mayDecide && !mayRevoke) return null;

  const pick = (o: Open) => {
    setError(null);
    setNote('');
    setFields(r.fields);
    setClear(r.clearFields);
    setDays(String(r.days));
    setOpen(open === o ? null : o);
  };
  const toggle = (name: string) => {
    if (fields.includes(name)) {
      setFields(fields.filter((f) => f !== name));
      setClear(clear.filter((f) => f !== name));
    } else setFields(r.fields.filter((f) => f === name || fields.includes(f)));
  };
  const toggleClear = (name: string) => setClear(clear.includes(name) ? clear.filter((f) => f !== name) : r.clearFields.filter((f) => f === name || clear.includes(f)));

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      let next: RequestView;
      if (open === 'revoke') next = await revokeRequest(r.id, note.trim());
      else {
        const body: DecideBody =
          open === 'refuse'
            ? { decision: 'refuse', reason: note.trim() }
            : { decision: 'grant', fields, clearFields: clear, days: days.trim() === '' ? undefined : Number(days), note: note.trim() || undefined };
        next = await decideRequest(r.id, body);
      }
      setOpen(null);
      onChanged(next);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && STALE.has(err.code)) {
        setOpen(null);
        getRequest(r.id).then(onChanged, () => {});
      }
    } finally {
      setBusy(false);
    }
  };

  const needsText = open === 'refuse' || open === 'revoke';
  const ready = open !== null && (needsText ? note.trim().length >= 2 : fields.length > 0);
  const apiError = error instanceof ApiError ? error : null;

  return (
    <div className="xchg-actions" data-testid="xchg-actions">
      <div className="toolbar">
        {mayDecide && (
          <>
            <button type="button" className="btn btn-small btn-primary" aria-expanded={open === 'grant'} disabled={busy} onClick={() => pick('grant')} data-testid="xchg-decide-grant">
              {t('xchg.act.grant')}
            </button>
            <button type="button" className="btn btn-small" aria-expanded={open === 'refuse'} disabled={busy} onClick={() => pick('refuse')} data-testid="xchg-decide-refuse">
              {t('xchg.act.refuse')}
            </button>
          </>
        )}
        {mayRevoke && (
          <button type="button" className="btn btn-small xchg-danger" aria-expanded={open === 'revoke'} disabled={busy} onClick={() => pick('revoke')} data-testid="xchg-revoke">
            {requester && !owner ? t('xchg.act.giveUp') : t('xchg.act.revoke')}
          </button>
        )}
      </div>
      {open && (
        <div className="desk-act-panel xchg-act-panel" data-testid="xchg-act-panel" data-action={open}>
          <p className="muted">{t(`xchg.act.${open}.hint`)}</p>
          {open === 'grant' && (
            <>
              <fieldset className="xchg-fieldset">
                <legend>{t('xchg.act.fields')}</legend>
                {r.fields.map((f) => (
                  <label key={f} className="check">
                    <input type="checkbox" checked={fields.includes(f)} onChange={() => toggle(f)} data-testid={`xchg-grant-field-${f}`} />
                    {text.field(f, defs?.get(f))}
                  </label>
                ))}
              </fieldset>
              {r.clearFields.length > 0 && (
                <fieldset className="xchg-fieldset">
                  <legend>{t('xchg.act.clear')}</legend>
                  {r.clearFields.map((f) => (
                    <label key={f} className="check">
                      <input type="checkbox" checked={clear.includes(f)} disabled={!fields.includes(f)} onChange={() => toggleClear(f)} data-testid={`xchg-grant-clear-${f}`} />
                      {text.field(f, defs?.get(f))}
                    </label>
                  ))}
                </fieldset>
              )}
              <p className="muted">{t('xchg.act.scopeKept', { scope: text.scope(r.subjectScope) })}</p>
              <label className="desk-note desk-years">
                {t('xchg.act.days', { n: r.days })}
                <input className="input" type="number" min={1} max={r.days} value={days} onChange={(e) => setDays(e.target.value)} data-testid="xchg-grant-days" />
              </label>
            </>
          )}
          <label className="desk-note">
            <span>
              {open === 'grant' ? t('xchg.act.note') : t('xchg.act.reason')}
              {needsText ? <span className="desk-required"> *</span> : null}
            </span>
            <textarea className="input" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid={open === 'grant' ? 'xchg-grant-note' : open === 'refuse' ? 'xchg-refuse-reason' : 'xchg-revoke-reason'} />
          </label>
          <div className="toolbar">
            <button type="button" className={`btn${open === 'grant' ? ' btn-primary' : ' xchg-danger'}`} disabled={busy || !ready} onClick={() => void confirm()} data-testid="xchg-act-confirm">
              {t(`xchg.act.${open}.confirm`)}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => pick(open)} data-testid="xchg-act-cancel">
              {t('desk.act.cancel')}
            </button>
          </div>
        </div>
      )}
      {error != null && (
        <div data-testid="xchg-act-error-wrap" data-code={apiError?.code ?? ''} data-field={apiError?.field ?? ''}>
          <ErrorNote error={error} testId="xchg-act-error" />
        </div>
      )}
    </div>
  );
}
