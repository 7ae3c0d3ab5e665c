// Once-only (一次都不跑): the box a draft asks consent with, unticked until the applicant ticks it,
// naming each document the government holds and the department that issued it. With consent the
// handling departments fetch them through data sharing; without, nothing is fetched and the
// department checks them another way. A single application and a bundle ask the same way.
import type { Locale } from '../../i18n/index.tsx';
import { useI18n } from '../../i18n/index.tsx';

interface Held {
  source: string;
  nameZh: string;
  nameEn: string;
  sourceName: string | null;
  sourceNameEn: string | null;
}

/** The materials a department already holds (not the online form, not the applicant's uploads). */
export function heldDocuments<M extends { source: string }>(materials: M[]): M[] {
  return materials.filter((m) => m.source !== 'applicant' && m.source !== 'form');
}

/** "营业执照（上海市市场监督管理局）、…": each document with who issued it. */
export function docsList(held: Held[], locale: Locale): string {
  const en = locale === 'en';
  return held.map((m) => (en ? `${m.nameEn} (${m.sourceNameEn ?? m.sourceName ?? m.source})` : `${m.nameZh}（${m.sourceName ?? m.source}）`)).join(en ? ', ' : '、');
}

export function ConsentBox({ text, checked, onChange, testId }: { text: string; checked: boolean; onChange(v: boolean): void; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="app-consent-box">
      <label className="app-consent" data-testid={testId}>
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={`${testId}-box`} />
        <span>{text}</span>
      </label>
      <p className="hint">{t('apply.consent.hint')}</p>
    </div>
  );
}
