// A submitted form, read only: each group's fields with their values as text.
import type { FormValues, FormView } from '../../api/applications.ts';
import { useAppText } from './appText.ts';
import { useDistricts } from './districts.ts';

export function FormSummary({ view, values, highlight }: { view: FormView; values: FormValues; highlight?: ReadonlySet<string> }) {
  const text = useAppText();
  const districts = useDistricts();
  return (
    <div className="app-summary" data-testid="app-form-summary">
      {view.layout.groups.map((g) => {
        const fields = g.fields.filter((f) => view.layout.fields[f]);
        if (!fields.length) return null;
        return (
          <section key={g.zh}>
            <h3>{text.pick(g.zh, g.en)}</h3>
            <dl className="facts">
              {fields.map((id) => {
                const layout = view.layout.fields[id]!;
                return (
                  <div key={id} className={highlight?.has(id) ? 'to-correct' : undefined}>
                    <dt>{text.label(layout)}</dt>
                    <dd data-testid={`value-${id}`}>{text.value(values[id], view.schema.properties[id], layout, districts)}</dd>
                  </div>
                );
              })}
            </dl>
          </section>
        );
      })}
    </div>
  );
}
