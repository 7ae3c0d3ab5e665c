// 申请使用: asking another department for access to a resource — what for (purpose) and under which
// law (legal basis), which fields, which sensitive ones are needed in clear, which subjects
// (everyone, some jurisdictions, or listed subjects) and for how many days. The server checks it
// all; a problem it names by field (`fields[1]`, `days`) shows next to that field.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../../api/client.ts';
import { createRequest, MASKED_FROM_LEVEL, type RequestBody, type RequestView, type ResourceView, type SubjectScope } from '../../api/exchange.ts';
import { Link } from '../../app/router.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { LevelBadge, useExchangeText } from './exchangeText.tsx';

type ScopeKind = SubjectScope['kind'];
const GROUPS = ['resourceCode', 'purpose', 'legalBasis', 'fields', 'clearFields', 'subjectScope', 'days'] as const;
type Group = (typeof GROUPS)[number];

/** Splits codes or ids typed with commas, spaces, 、 or new lines. */
export function splitList(s: string): string[] {
  return s.split(/[\s,，、;；]+/).map((x) => x.trim()).filter(Boolean);
}

/** The form part a server field names (`fields[1]`, `fields.1`, `subjectScope.codes.0`), and the index in it. */
export function fieldPlace(field: string | undefined): { group: Group | null; index: number | null } {
  if (!field) return { group: null, index: null };
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  const group = (GROUPS as readonly string[]).includes(parts[0]!) ? (parts[0] as Group) : null;
  const index = parts[1] !== undefined && /^\d+$/.test(parts[1]) ? Number(parts[1]) : null;
  return { group, index };
}

function FieldError({ id, error }: { id: Group; error: ApiError | null }) {
  if (!error || fieldPlace(error.field).group !== id) return null;
  return (
    <p className="xchg-field-error" role="alert" data-testid={`xchg-req-err-${id}`}>
      {error.detail}
    </p>
  );
}

function Row({ label, id, error, children, required }: { label: string; id: Group; error: ApiError | null; children: ReactNode; required?: boolean }) {
  const bad = !!error && fieldPlace(error.field).group === id;
  return (
    <div className={`xchg-form-row${bad ? ' xchg-invalid' : ''}`} data-group={id}>
      <div className="xchg-form-label">
        {label}
        {required ? <span className="desk-required"> *</span> : null}
      </div>
      <div className="xchg-form-input">
        {children}
        <FieldError id={id} error={error} />
      </div>
    </div>
  );
}

export function RequestForm({ resource, ownerName, onClose }: { resource: ResourceView; ownerName: string; onClose: () => void }) {
  const { t } = useI18n();
  const text = useExchangeText();
  const ref = useRef<HTMLFormElement>(null);
  const [purpose, setPurpose] = useState('');
  const [basis, setBasis] = useState('');
  const [fields, setFields] = useState<string[]>([]);
  const [clear, setClear] = useState<string[]>([]);
  const [scope, setScope] = useState<ScopeKind>('all');
  const [codes, setCodes] = useState('');
  const [ids, setIds] = useState('');
  const [days, setDays] = useState('90');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<{ fields: string[]; clear: string[] }>({ fields: [], clear: [] });
  const [done, setDone] = useState<RequestView | null>(null);

  // In braces: newer browsers return a promise from scrollIntoView, and an effect may return only a cleanup.
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, []);

  // Fields are kept in the resource's order, so `fields[i]` of a refusal names the row it means.
  const ordered = (names: string[]) => resource.fields.map((f) => f.name).filter((n) => names.includes(n));
  const toggle = (name: string) => {
    if (fields.includes(name)) {
      setFields(fields.filter((f) => f !== name));
      setClear(clear.filter((f) => f !== name));
    } else setFields(ordered([...fields, name]));
  };
  const toggleClear = (name: string) => setClear(clear.includes(name) ? clear.filter((f) => f !== name) : ordered([...clear, name]));

  const apiError = error instanceof ApiError ? error : null;
  const place = fieldPlace(apiError?.field);
  /** The field row a refusal points at (`fields[1]` → the second field sent). */
  const badField = place.index !== null && (place.group === 'fields' || place.group === 'clearFields') ? (place.group === 'fields' ? sent.fields : sent.clear)[place.index] : undefined;

  const submit = async () => {
    const subjectScope: SubjectScope = scope === 'all' ? { kind: 'all' } : scope === 'jurisdiction' ? { kind: 'jurisdiction', codes: splitList(codes) } : { kind: 'subjects', ids: splitList(ids) };
    const body: RequestBody = {
      resourceCode: resource.code,
      purpose: purpose.trim(),
      legalBasis: basis.trim(),
      fields,
      clearFields: clear.length ? clear : undefined,
      subjectScope,
      days: days.trim() === '' ? (undefined as unknown as number) : Number(days),
    };
    setBusy(true);
    setError(null);
    setSent({ fields, clear });
    try {
      setDone(await createRequest(body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel xchg-form" data-testid="xchg-req-form" data-resource={resource.code}>
      <form
        ref={ref}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
      >
        <div className="panel-head">
          <h2 className="panel-title">{t('xchg.request.title', { name: text.pick(resource.nameZh, resource.nameEn), code: resource.code })}</h2>
          <div className="panel-tools">
            <button type="button" className="btn btn-small" onClick={onClose} data-testid="xchg-req-close">
              {t('app.close')}
            </button>
          </div>
        </div>
        <p className="muted">{t('xchg.request.hint', { owner: ownerName })}</p>
        {done ? (
          <div className="note xchg-note-ok" role="status" data-testid="xchg-req-done" data-id={done.id}>
            <strong>{t('xchg.request.done', { id: done.id })}</strong>
            <span>{t('xchg.request.doneHint', { owner: ownerName })}</span>
            <Link className="link" to={`/workbench/exchange/requests/${encodeURIComponent(done.id)}`} data-testid="xchg-req-open">
              {t('xchg.request.view')}
            </Link>
          </div>
        ) : (
          <>
            <Row label={t('xchg.request.purpose')} id="purpose" error={apiError} required>
              <textarea className="input" rows={2} maxLength={500} value={purpose} placeholder={t('xchg.request.purposeHint')} onChange={(e) => setPurpose(e.target.value)} data-testid="xchg-req-purpose" aria-invalid={place.group === 'purpose'} />
            </Row>
            <Row label={t('xchg.request.basis')} id="legalBasis" error={apiError} required>
              <textarea className="input" rows={2} maxLength={500} value={basis} placeholder={t('xchg.request.basisHint')} onChange={(e) => setBasis(e.target.value)} data-testid="xchg-req-basis" aria-invalid={place.group === 'legalBasis'} />
            </Row>
            <Row label={t('xchg.request.fields')} id="fields" error={apiError} required>
              <div className="toolbar xchg-pick">
                <button type="button" className="btn btn-small" onClick={() => setFields(resource.fields.map((f) => f.name))} data-testid="xchg-req-all">
                  {t('xchg.request.pickAll')}
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => {
                    setFields([]);
                    setClear([]);
                  }}
                >
                  {t('xchg.request.pickNone')}
                </button>
              </div>
              <table className="table xchg-fields xchg-pick-table">
                <thead>
                  <tr>
                    <th>{t('xchg.request.want')}</th>
                    <th>{t('xchg.col.level')}</th>
                    <th>{t('xchg.col.mask')}</th>
                    <th>{t('xchg.request.inClear')}</th>
                  </tr>
                </thead>
                <tbody>
                  {resource.fields.map((f) => {
                    const on = fields.includes(f.name);
                    const sensitive = f.sensitivity >= MASKED_FROM_LEVEL;
                    return (
                      <tr key={f.name} className={badField === f.name ? 'xchg-invalid' : ''} data-testid="xchg-req-field" data-field={f.name} aria-invalid={badField === f.name || undefined}>
                        <td>
                          <label className="check">
                            <input type="checkbox" checked={on} onChange={() => toggle(f.name)} data-testid={`xchg-req-field-${f.name}`} />
                            {text.pick(f.zh, f.en)} <span className="muted xchg-mono">{f.name}</span>
                          </label>
                        </td>
                        <td>
                          <LevelBadge level={f.sensitivity} />
                        </td>
                        <td>{sensitive ? t('xchg.request.maskedAs', { mask: text.mask(f.mask) }) : t('xchg.request.notMasked')}</td>
                        <td>
                          {sensitive ? (
                            <label className="check" title={on ? undefined : t('xchg.request.clearNeedsField')}>
                              <input type="checkbox" checked={clear.includes(f.name)} disabled={!on} onChange={() => toggleClear(f.name)} data-testid={`xchg-req-clear-${f.name}`} />
                              {t('xchg.request.clearBox')}
                            </label>
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <FieldError id="clearFields" error={apiError} />
            </Row>
            <Row label={t('xchg.request.scope')} id="subjectScope" error={apiError} required>
              <div className="xchg-scope" role="radiogroup" aria-label={t('xchg.request.scope')}>
                {(['all', 'jurisdiction', 'subjects'] as const).map((k) => (
                  <label key={k} className="check">
                    <input type="radio" name="xchg-scope" value={k} checked={scope === k} onChange={() => setScope(k)} data-testid={`xchg-req-scope-${k}`} />
                    {t(`xchg.scope.${k}.option` as MessageKey)}
                  </label>
                ))}
              </div>
              {scope === 'jurisdiction' && (
                <input className="input xchg-wide" value={codes} placeholder={t('xchg.request.codesHint')} onChange={(e) => setCodes(e.target.value)} data-testid="xchg-req-codes" />
              )}
              {scope === 'subjects' && <textarea className="input xchg-wide" rows={3} value={ids} placeholder={t('xchg.request.idsHint')} onChange={(e) => setIds(e.target.value)} data-testid="xchg-req-ids" />}
            </Row>
            <Row label={t('xchg.request.days')} id="days" error={apiError} required>
              <input className="input xchg-days" type="number" min={1} max={1095} value={days} onChange={(e) => setDays(e.target.value)} data-testid="xchg-req-days" aria-invalid={place.group === 'days'} />
              <span className="muted"> {t('xchg.request.daysHint')}</span>
            </Row>
            {error != null && !place.group && <ErrorNote error={error} testId="xchg-req-error" />}
            {apiError && place.group && (
              <p className="muted" role="status" data-testid="xchg-req-error" data-code={apiError.code} data-field={apiError.field}>
                {t('xchg.request.fixField')}
              </p>
            )}
            <div className="toolbar">
              <button type="submit" className="btn btn-primary" disabled={busy} data-testid="xchg-req-submit">
                {busy ? t('xchg.request.sending') : t('xchg.request.submit')}
              </button>
              <button type="button" className="btn" onClick={onClose}>
                {t('desk.act.cancel')}
              </button>
            </div>
          </>
        )}
      </form>
    </section>
  );
}
