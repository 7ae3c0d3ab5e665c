// What the answers lead to: the items that apply, each with its department, and how many
// materials are to be submitted (and how many the government already holds).
import type { MergedMaterial, PlanItem } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAppText } from './appText.ts';

interface Props {
  items: PlanItem[];
  materials?: MergedMaterial[];
  busy?: boolean;
  jointInspection?: boolean;
  /** Item code → its department's English name (the plan names departments in Chinese only). */
  deptEn?: Record<string, string>;
}

export function BundlePlanPreview({ items, materials, busy, jointInspection, deptEn }: Props) {
  const { t } = useI18n();
  const text = useAppText();
  const toSubmit = materials?.filter((m) => !m.notToSubmit).length ?? 0;
  const shared = materials?.filter((m) => m.notToSubmit).length ?? 0;
  const depts = new Set(items.map((i) => i.departmentName)).size;
  return (
    <div className={`bw-preview${busy ? ' busy' : ''}`} aria-busy={busy || undefined}>
      <p className="bw-preview-head" data-testid="bw-count" data-count={items.length}>
        {items.length ? t('bundle.plan.count', { n: items.length, depts }) : t('bundle.plan.none')}
      </p>
      <ol className="bw-items" data-testid="bw-items">
        {items.map((i) => (
          <li key={i.code} className="bw-item" data-testid="bw-item" data-code={i.code}>
            <strong>{text.pick(i.nameZh, i.nameEn)}</strong>
            <span className="muted bw-item-dept">{text.pick(i.departmentName, deptEn?.[i.code])}</span>
          </li>
        ))}
      </ol>
      {materials && items.length > 0 && (
        <p className="hint" data-testid="bw-materials-count">
          {t('bundle.plan.materials', { n: toSubmit, shared })}
        </p>
      )}
      {jointInspection && items.length > 0 && <p className="hint">{t('bundle.plan.joint')}</p>}
    </div>
  );
}
