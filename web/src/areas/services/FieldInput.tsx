// One form field's input, chosen by its widget: text, textarea, number (sent as a number), select,
// radio (yes/no for a boolean), checkbox, date, phone, district. Every input is `field-<id>`. A
// read-only field (filled from the registries) can be read and copied but not changed.
import { useEffect, useState, type InputHTMLAttributes } from 'react';
import type { FieldLayout, FieldSchema } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAppText } from './appText.ts';
import { useDistricts } from './districts.ts';

export interface FieldInputProps {
  id: string;
  schema: FieldSchema | undefined;
  layout: FieldLayout;
  value: unknown;
  onChange(value: unknown): void;
  disabled?: boolean;
  /** Shown, selectable, not editable (text-like inputs read-only; choices disabled). */
  readOnly?: boolean;
  invalid?: boolean;
  /** The element id the label points at. */
  htmlId: string;
  describedBy?: string;
}

/** A number input that keeps what is typed ("1.", "-") and reports only numbers (or null when empty). */
function NumberInput({ value, onChange, schema, ...rest }: { value: unknown; onChange(v: unknown): void; schema: FieldSchema | undefined } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const shown = typeof value === 'number' ? String(value) : '';
  const [text, setText] = useState(shown);
  useEffect(() => {
    if (Number(text) !== value || text.trim() === '') setText(shown);
    // Only an outside change (a reload) should replace what is being typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown]);
  return (
    <input
      {...rest}
      type="number"
      inputMode={schema?.type === 'integer' ? 'numeric' : 'decimal'}
      step={schema?.type === 'integer' ? 1 : 'any'}
      min={schema?.minimum}
      max={schema?.maximum}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const raw = e.target.value.trim();
        if (raw === '') onChange(null);
        else if (Number.isFinite(Number(raw))) onChange(Number(raw));
      }}
    />
  );
}

export function FieldInput({ id, schema, layout, value, onChange, disabled: off, readOnly, invalid, htmlId, describedBy }: FieldInputProps) {
  const { t } = useI18n();
  const text = useAppText();
  const districts = useDistricts();
  // Choices have no read-only state: they are disabled instead.
  const choice = ['checkbox', 'district', 'radio', 'select'].includes(layout.widget) || (!layout.widget && schema?.type === 'boolean');
  const disabled = off || (readOnly && choice);
  const common = { id: htmlId, disabled, readOnly: readOnly && !choice ? true : undefined, 'aria-readonly': readOnly || undefined, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy, 'data-testid': `field-${id}` };
  const str = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const setText = (v: string) => onChange(v === '' ? null : v);

  switch (layout.widget) {
    case 'textarea':
      return <textarea {...common} className="input app-textarea" rows={4} maxLength={schema?.maxLength} value={str} onChange={(e) => setText(e.target.value)} />;
    case 'number':
      return <NumberInput {...common} className="input" schema={schema} value={value} onChange={onChange} />;
    case 'date':
      return <input {...common} className="input" type="date" value={str} onChange={(e) => setText(e.target.value)} />;
    case 'phone':
      return <input {...common} className="input" type="tel" inputMode="tel" autoComplete="tel" maxLength={schema?.maxLength} value={str} onChange={(e) => setText(e.target.value)} />;
    case 'checkbox':
      return (
        <label className="check app-check">
          <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <span>{text.label(layout)}</span>
        </label>
      );
    case 'district':
      return (
        <select {...common} className="input" value={str} onChange={(e) => setText(e.target.value)}>
          <option value="">{districts ? t('apply.form.choose') : t('app.loading')}</option>
          {(districts ?? []).map((d) => (
            <option key={d.code} value={d.code}>
              {text.pick(d.name, d.nameEn)}
            </option>
          ))}
          {str && !districts?.some((d) => d.code === str) && <option value={str}>{str}</option>}
        </select>
      );
    case 'radio': {
      const boolean = schema?.type === 'boolean';
      const options = boolean ? [{ value: 'true', label: t('apply.yes') }, { value: 'false', label: t('apply.no') }] : (layout.options ?? []).map((o) => ({ value: o.value, label: text.option(o) }));
      const current = boolean ? (typeof value === 'boolean' ? String(value) : '') : str;
      return (
        <div className="app-radios" role="radiogroup" id={htmlId} aria-labelledby={`${htmlId}-label`} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid={`field-${id}`}>
          {options.map((o) => (
            <label key={o.value} className="check app-radio">
              <input type="radio" name={htmlId} value={o.value} checked={current === o.value} disabled={disabled} onChange={() => onChange(boolean ? o.value === 'true' : o.value)} data-testid={`field-${id}-${o.value}`} />
              <span>{o.label}</span>
            </label>
          ))}
        </div>
      );
    }
    case 'select':
      return (
        <select {...common} className="input" value={str} onChange={(e) => setText(e.target.value)}>
          <option value="">{t('apply.form.choose')}</option>
          {(layout.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {text.option(o)}
            </option>
          ))}
        </select>
      );
    default:
      if (schema?.type === 'boolean') return <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
      return <input {...common} className="input" type="text" maxLength={schema?.maxLength} value={str} onChange={(e) => setText(e.target.value)} />;
  }
}
