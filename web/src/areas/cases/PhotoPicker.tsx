// Takes photos (the phone's camera where there is one) and uploads each at once, so a report or an
// action only carries their ids. The server checks type and size; its answer is shown as it is.
import { useState } from 'react';
import { uploadPhoto } from '../../api/cases.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';

interface Props {
  ids: string[];
  onChange: (ids: string[]) => void;
  max?: number;
  label: string;
  testId?: string;
}

export function PhotoPicker({ ids, onChange, max = 9, label, testId = 'photo-input' }: Props) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    setError(null);
    const next = [...ids];
    try {
      for (const f of [...files].slice(0, max - ids.length)) next.push((await uploadPhoto(f)).id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      onChange(next);
    }
  };
  return (
    <div className="photo-picker">
      <label>
        {label}
        <input type="file" accept="image/jpeg,image/png,image/webp" capture="environment" multiple disabled={busy || ids.length >= max} onChange={(e) => void add(e.target.files)} data-testid={testId} />
      </label>
      <div className="photo-strip" data-testid={`${testId}-count`} data-count={ids.length}>
        {ids.map((id) => (
          <img key={id} src={`/api/cases/photos/${id}`} alt="" width={64} height={64} />
        ))}
        {busy && <span className="muted">{t('app.loading')}</span>}
      </div>
      {error != null && <ErrorNote error={error} testId="photo-error" />}
    </div>
  );
}
