// The one form renderer: draws a FormView (JSON Schema + layout) group by group — labels in the
// current language, required marks, units, help, and the server's problem under each field. A
// field filled from the applicant's own registry record is read-only, says where it comes from and
// offers to report a wrong value to that department (数据纠错) instead of editing it.
import type { FormValues, FormView, LockedField, LockedFields } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ReportError, isReportable } from '../exchange/ReportError.tsx';
import { useAppText } from './appText.ts';
import { FieldInput } from './FieldInput.tsx';

interface Props {
  view: FormView;
  values: FormValues;
  onChange(id: string, value: unknown): void;
  /** Field id → what the server said is wrong with it. */
  errors?: Record<string, string>;
  /** Show only these fields (a correction asks for a few). */
  only?: string[];
  /** Fields shown but not editable here (answered in the questionnaire), with why. */
  locked?: { fields: ReadonlySet<string>; note: string };
  /** Fields filled from the applicant's registry record: read-only, with their source and a report action. */
  registry?: LockedFields;
  /** Fields to point out (asked to be corrected). */
  highlight?: ReadonlySet<string>;
  disabled?: boolean;
  testId?: string;
}

const domId = (id: string) => `f-${id.replace(/[^\w-]/g, '_')}`;

/** Where a registry-filled field's value comes from, and the way to say it is wrong. */
function RegistrySource({ id, source }: { id: string; source: LockedField }) {
  const { t } = useI18n();
  const text = useAppText();
  const dept = text.pick(source.departmentName, source.departmentNameEn);
  const canReport = source.reportable && isReportable(source.record, source.field);
  return (
    <div className="app-registry" data-testid={`field-source-${id}`} data-source={source.source} data-department={source.departmentCode}>
      <div className="hint">
        {t('apply.registry.from', { registry: t(source.record === 'person' ? 'apply.registry.person' : 'apply.registry.entity'), dept })} {t('apply.registry.locked')}
        {!canReport && ` ${t('apply.registry.inPerson', { dept })}`}
      </div>
      {canReport && <ReportError kind={source.record} field={source.field} showList={false} testId={`field-report-${id}`} />}
    </div>
  );
}

export function FormRenderer({ view, values, onChange, errors = {}, only, locked, registry = {}, highlight, disabled, testId = 'app-form' }: Props) {
  const { t } = useI18n();
  const text = useAppText();
  const required = new Set(view.schema.required);
  const shown = only ? new Set(only) : null;
  const groups = view.layout.groups.map((g) => ({ ...g, fields: g.fields.filter((f) => view.layout.fields[f] && (!shown || shown.has(f))) })).filter((g) => g.fields.length);

  return (
    <div className="app-form" data-testid={testId}>
      {groups.map((g) => (
        <fieldset key={g.zh} className="app-group">
          <legend>{text.pick(g.zh, g.en)}</legend>
          <div className="app-fields">
            {g.fields.map((id) => {
              const layout = view.layout.fields[id]!;
              const schema = view.schema.properties[id];
              const htmlId = domId(id);
              const help = text.help(layout);
              const unit = text.unit(layout);
              const error = errors[id];
              const isLocked = locked?.fields.has(id) ?? false;
              const source = registry[id];
              const wide = layout.widget === 'textarea' || layout.widget === 'radio';
              const notes = [help ? `${htmlId}-help` : '', error ? `${htmlId}-error` : ''].filter(Boolean).join(' ') || undefined;
              return (
                <div key={id} className={`app-field${wide ? ' wide' : ''}${error ? ' has-error' : ''}${highlight?.has(id) ? ' to-correct' : ''}`} data-field={id} data-registry={source?.source}>
                  {layout.widget !== 'checkbox' && (
                    <label htmlFor={htmlId} className="app-label" id={`${htmlId}-label`}>
                      {text.label(layout)}
                      {required.has(id) && (
                        <span className="app-required" title={t('apply.form.required')}>
                          {' '}*
                        </span>
                      )}
                    </label>
                  )}
                  <div className="app-input-row">
                    <FieldInput id={id} htmlId={htmlId} schema={schema} layout={layout} value={values[id]} onChange={(v) => onChange(id, v)} disabled={disabled || isLocked} readOnly={Boolean(source)} invalid={Boolean(error)} describedBy={notes} />
                    {unit && layout.widget === 'number' && <span className="app-unit">{unit}</span>}
                  </div>
                  {isLocked && <div className="hint">{locked!.note}</div>}
                  {source && <RegistrySource id={id} source={source} />}
                  {help && (
                    <div className="hint" id={`${htmlId}-help`}>
                      {help}
                    </div>
                  )}
                  {error && (
                    <div className="app-field-error" id={`${htmlId}-error`} role="alert" data-testid={`field-error-${id}`}>
                      {text.reason(error)}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
    </div>
  );
}
