// The actions the signed-in person may take on this case at its stage, and nothing else: the
// server checks every one again (role, jurisdiction, who handled it), so this only spares people
// buttons that would be refused.
import { useState, type ReactNode } from 'react';
import { act, gridWorkers, type CaseView } from '../../api/cases.ts';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PhotoPicker } from './PhotoPicker.tsx';

const covers = (dept: string, lead: string) => lead === dept || lead.startsWith(dept.includes('.') ? dept : `${dept}.`);

export function CaseActionsPanel({ c, onChanged }: { c: CaseView; onChanged: (c: CaseView) => void }) {
  const { t } = useI18n();
  const me = useAccount();
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [reason, setReason] = useState<'invalid' | 'duplicate' | 'out_of_scope'>('invalid');
  const [department, setDepartment] = useState(c.proposal?.departmentCode ?? '');
  const [assignee, setAssignee] = useState('');
  const [supporting, setSupporting] = useState('');
  const [rating, setRating] = useState(5);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const has = (r: string) => me.roles.includes(r as never);
  const dispatcher = c.access === 'official' && (has('operator') || has('admin'));
  const workers = useAsync((signal) => (dispatcher && c.stage === 'dispatch' ? gridWorkers(signal) : Promise.resolve({ items: [] })), [dispatcher, c.stage]);

  const run = async (action: string, body: unknown) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await act(c.id, action, body));
      setNote('');
      setPhotos([]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const button = (label: string, action: string, body: unknown, id: string, primary = true) => (
    <button type="button" className={`btn${primary ? ' btn-primary' : ''}`} disabled={busy} onClick={() => void run(action, body)} data-testid={`case-do-${id}`}>
      {label}
    </button>
  );
  const noteBox = (label = t('cases.form.note')) => (
    <label>
      {label}
      <textarea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="case-note" />
    </label>
  );

  const parts: ReactNode[] = [];
  if (dispatcher && c.stage === 'intake') {
    parts.push(
      <div key="intake" className="case-action">
        {noteBox()}
        <div className="toolbar">
          {button(t('cases.do.accept'), 'accept', { note: note || undefined }, 'accept')}
          <select value={reason} onChange={(e) => setReason(e.target.value as typeof reason)} data-testid="case-reject-reason">
            {(['invalid', 'duplicate', 'out_of_scope'] as const).map((r) => (
              <option key={r} value={r}>
                {t(`cases.reject.${r}`)}
              </option>
            ))}
          </select>
          {button(t('cases.do.reject'), 'reject', { reason, note: note || t(`cases.reject.${reason}`) }, 'reject', false)}
        </div>
        {c.duplicates.length > 0 && (
          <div data-testid="case-duplicates">
            <p className="muted">{t('cases.detail.duplicates')}</p>
            {c.duplicates.map((d) => (
              <div key={d.id} className="toolbar">
                <span>
                  {d.id} · {t('cases.metres', { n: Math.round(d.distanceM) })}
                </span>
                {button(t('cases.do.merge'), 'merge', { into: d.id }, `merge-${d.id}`, false)}
              </div>
            ))}
          </div>
        )}
      </div>,
    );
  }
  if (dispatcher && c.stage === 'filing') parts.push(<div key="file" className="toolbar">{button(t('cases.do.file'), 'file', {}, 'file')}</div>);
  if (dispatcher && c.stage === 'dispatch') {
    parts.push(
      <div key="dispatch" className="case-action">
        {c.proposal && (
          <p className="muted" data-testid="case-proposal">
            {t('cases.detail.proposal')}: {c.proposal.departmentName}
            {c.proposal.team ? ` · ${c.proposal.team}` : ''}
          </p>
        )}
        <label>
          {t('cases.form.department')}
          <input value={department} onChange={(e) => setDepartment(e.target.value)} maxLength={40} data-testid="case-department" />
        </label>
        <label>
          {t('cases.form.assignee')}
          <select value={assignee} onChange={(e) => setAssignee(e.target.value)} data-testid="case-assignee">
            <option value="">{t('cases.form.none')}</option>
            {/* Only workers of the case's place: the server refuses anyone else. */}
            {(workers.data?.items ?? []).filter((w) => w.scopeCode !== null && c.jurisdictionCode.startsWith(w.scopeCode)).map((w) => (
              <option key={w.id} value={w.id}>
                {w.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cases.form.supporting')}
          <input value={supporting} onChange={(e) => setSupporting(e.target.value)} maxLength={300} placeholder="ga.310115005, sw.310115" data-testid="case-supporting" />
        </label>
        {noteBox()}
        {button(t('cases.do.dispatch'), 'dispatch', { departmentCode: department || undefined, assigneeId: assignee || undefined, supporting: supporting.split(/[,，\s]+/).filter(Boolean), note: note || undefined }, 'dispatch')}
      </div>,
    );
  }
  const handler = c.stage === 'disposal' && (c.assigneeId === me.id || (has('staff') && me.departmentCode !== null && c.departmentCode !== null && covers(me.departmentCode, c.departmentCode)));
  if (handler) {
    parts.push(
      <div key="handle" className="case-action">
        <PhotoPicker ids={photos} onChange={setPhotos} label={t('cases.form.photo')} testId="case-photo" />
        {noteBox()}
        <div className="toolbar">
          {button(t('cases.do.handle'), 'handle', { note, photos }, 'handle')}
          {button(t('cases.do.return'), 'return', { reason: note }, 'return', false)}
        </div>
      </div>,
    );
  }
  if (c.stage === 'verification' && has('grid_worker') && c.handlerId !== me.id && c.access === 'official') {
    parts.push(
      <div key="verify" className="case-action">
        <PhotoPicker ids={photos} onChange={setPhotos} label={t('cases.form.photo')} testId="case-photo" />
        {noteBox()}
        <div className="toolbar">
          {button(t('cases.do.verifyPass'), 'verify', { passed: true, photos, note: note || undefined }, 'verify-pass')}
          {button(t('cases.do.verifyFail'), 'verify', { passed: false, photos, note: note || undefined }, 'verify-fail', false)}
        </div>
      </div>,
    );
  }
  if (c.stage === 'closed' && c.access === 'reporter' && c.rating === null) {
    parts.push(
      <div key="rate" className="case-action">
        <label>
          {t('cases.form.rating')}
          <select value={rating} onChange={(e) => setRating(Number(e.target.value))} data-testid="case-rating">
            {[5, 4, 3, 2, 1].map((n) => (
              <option key={n} value={n}>
                {'★'.repeat(n)}
              </option>
            ))}
          </select>
        </label>
        {noteBox()}
        {button(t('cases.do.rate'), 'rate', { rating, comment: note || undefined }, 'rate')}
      </div>,
    );
  }
  if (dispatcher && c.status === 'open' && !c.supervised && me.scopeCode !== null && me.scopeCode.length <= 6) {
    parts.push(<div key="supervise" className="toolbar">{button(t('cases.do.supervise'), 'supervise', { note: note || t('cases.do.supervise') }, 'supervise', false)}</div>);
  }
  if (!parts.length) return null;
  return (
    <section className="panel" data-testid="case-actions">
      <h2 className="panel-title">{t('cases.form.actions')}</h2>
      {parts}
      {error != null && <ErrorNote error={error} testId="case-error" />}
    </section>
  );
}
