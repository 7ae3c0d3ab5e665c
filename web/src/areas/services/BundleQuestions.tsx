// The questionnaire of a bundle (情形引导): yes/no as two big radio buttons, numbers with their
// unit and range, choices as a list. An answer out of range is shown and left out.
import { useState } from 'react';
import type { Answers, Question } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAppText } from './appText.ts';

interface Props {
  questions: Question[];
  answers: Answers;
  onChange(answers: Answers): void;
  disabled?: boolean;
}

function set(answers: Answers, id: string, v: boolean | number | string | undefined): Answers {
  const next = { ...answers };
  if (v === undefined) delete next[id];
  else next[id] = v;
  return next;
}

function NumberQuestion({ q, value, onChange, disabled }: { q: Question; value: unknown; onChange(v: number | undefined): void; disabled?: boolean }) {
  const { t } = useI18n();
  const text = useAppText();
  const [raw, setRaw] = useState(typeof value === 'number' ? String(value) : '');
  const n = Number(raw);
  const bad = raw.trim() !== '' && (!Number.isFinite(n) || (q.min !== undefined && n < q.min) || (q.max !== undefined && n > q.max));
  const unit = text.en ? (q.unitEn ?? q.unit) : q.unit;
  return (
    <>
      <div className="app-input-row">
        <input
          id={`bw-${q.id}`}
          className="input"
          type="number"
          inputMode="decimal"
          min={q.min}
          max={q.max}
          value={raw}
          disabled={disabled}
          aria-invalid={bad || undefined}
          onChange={(e) => {
            const r = e.target.value;
            setRaw(r);
            const v = Number(r);
            const ok = r.trim() !== '' && Number.isFinite(v) && (q.min === undefined || v >= q.min) && (q.max === undefined || v <= q.max);
            onChange(ok ? v : undefined);
          }}
          data-testid={`bw-q-${q.id}`}
        />
        {unit && <span className="app-unit">{unit}</span>}
      </div>
      {bad && (
        <div className="app-field-error" role="alert">
          {t('bundle.q.range', { min: q.min ?? '—', max: q.max ?? '—' })}
        </div>
      )}
    </>
  );
}

export function BundleQuestions({ questions, answers, onChange, disabled }: Props) {
  const { t } = useI18n();
  const text = useAppText();
  return (
    <ol className="bw-questions" data-testid="bw-questions">
      {questions.map((q) => {
        const help = text.en ? (q.helpEn ?? q.helpZh) : q.helpZh;
        const answered = answers[q.id] !== undefined;
        return (
          <li key={q.id} className={`bw-question${answered ? ' answered' : ''}`} data-question={q.id}>
            <label className="bw-question-text" id={`bw-${q.id}-label`} htmlFor={`bw-${q.id}`}>
              {text.pick(q.zh, q.en)}
            </label>
            {help && <div className="hint">{help}</div>}
            {q.type === 'boolean' && (
              <div className="bw-yesno" role="radiogroup" aria-labelledby={`bw-${q.id}-label`}>
                {([true, false] as const).map((v) => (
                  <label key={String(v)} className={`bw-choice${answers[q.id] === v ? ' on' : ''}`}>
                    <input type="radio" name={`bw-${q.id}`} id={v ? `bw-${q.id}` : undefined} checked={answers[q.id] === v} disabled={disabled} onChange={() => onChange(set(answers, q.id, v))} data-testid={`bw-q-${q.id}-${v ? 'yes' : 'no'}`} />
                    <span>{v ? t('apply.yes') : t('apply.no')}</span>
                  </label>
                ))}
              </div>
            )}
            {q.type === 'number' && <NumberQuestion q={q} value={answers[q.id]} disabled={disabled} onChange={(v) => onChange(set(answers, q.id, v))} />}
            {q.type === 'choice' && (
              <select id={`bw-${q.id}`} className="input" value={typeof answers[q.id] === 'string' ? String(answers[q.id]) : ''} disabled={disabled} onChange={(e) => onChange(set(answers, q.id, e.target.value || undefined))} data-testid={`bw-q-${q.id}`}>
                <option value="">{t('apply.form.choose')}</option>
                {(q.options ?? []).map((o) => (
                  <option key={o.value} value={o.value}>
                    {text.option(o)}
                  </option>
                ))}
              </select>
            )}
          </li>
        );
      })}
    </ol>
  );
}
