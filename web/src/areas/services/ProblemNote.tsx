// Why a submission was refused: how many fields and materials still need the applicant (each is
// marked where it is), or the server's own words for anything else.
import { FormError } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';

export function ProblemNote({ error, testId }: { error: unknown; testId: string }) {
  const { t } = useI18n();
  if (error instanceof FormError) {
    const fields = new Set(error.errors.filter((e) => e.field.startsWith('form.')).map((e) => e.field)).size;
    const materials = error.missing.length || (error.code === 'MATERIAL_MISSING' ? 1 : 0);
    if (fields || materials)
      return (
        <div className="note note-error" role="alert" data-testid={testId} data-code={error.code}>
          <strong>{t('app.error')}</strong>
          <span>{fields ? t('apply.problem.fields', { n: fields }) : t('apply.problem.materials', { n: materials })}</span>
        </div>
      );
  }
  return <ErrorNote error={error} testId={testId} />;
}
