// The materials list: what to upload for each material (PDF, JPEG or PNG, uploaded at once, then
// attached by id), what the government already holds (无需提交, no upload), the files attached with
// a link to open them, and the server's problem under a material. With the applicant's consent
// (once-only) a held document is fetched from the department that issued it; after submission each
// says whether the exchange supplied it.
import { useState } from 'react';
import { uploadFile, type Attached, type Exchanged, type ItemMaterial, type UploadedFile } from '../../api/applications.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { useAppText } from './appText.ts';

export interface MaterialRow extends ItemMaterial {
  notToSubmit?: boolean;
  /** The items that need it (a bundle's merged list). */
  items?: string[];
  toCorrect?: boolean;
  /** What the exchange supplied at submission (once-only), or null. */
  exchanged?: Exchanged | null;
}

interface Props {
  materials: MaterialRow[];
  attached: Attached;
  /** What is known about each file id (names and sizes for the list). */
  files: Record<string, UploadedFile>;
  onChange(key: string, ids: string[], uploaded: UploadedFile[]): void;
  fileUrl(id: string): string;
  itemName?(code: string): string;
  errors?: Record<string, string>;
  /** Only these materials (a correction asks for some). */
  only?: string[];
  readOnly?: boolean;
  /** The applicant consents to held documents being fetched through data sharing (a draft's box). */
  consent?: boolean;
  testId?: string;
}

const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

/** The source of the item's own application form (申请书): what is filled in online here, not uploaded. */
export const ONLINE_FORM = 'form';

export const held = (m: MaterialRow) => m.notToSubmit ?? m.source !== 'applicant';

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** What happens to a document the government holds: filled online, fetched (or to be), or just marked held. */
function HeldNote({ m, consent }: { m: MaterialRow; consent?: boolean }) {
  const { t } = useI18n();
  const text = useAppText();
  const dept = text.pick(m.sourceName ?? m.source, m.sourceNameEn);
  if (m.source === ONLINE_FORM) return <div className="app-held" data-testid={`mat-held-${m.key}`}>{t('apply.mat.online')}</div>;
  const x = m.exchanged;
  const fetch = x ? (x.outcome === 'ok' ? 'ok' : 'refused') : consent ? 'will' : undefined;
  return (
    <div className="app-held" data-testid={`mat-held-${m.key}`} data-fetch={fetch}>
      {!x && consent ? t('apply.mat.willFetch', { dept }) : t('svc.material.held', { dept })}
      {x && (
        <div className={x.outcome === 'ok' ? 'app-exchanged' : 'app-exchanged refused'} data-testid={`mat-exchanged-${m.key}`} data-outcome={x.outcome}>
          {x.outcome === 'ok' ? t('apply.mat.fetched', { number: x.number ?? '—' }) : t('apply.mat.fetchRefused', { code: x.outcome })}
        </div>
      )}
    </div>
  );
}

function MaterialItem({ m, ids, files, onChange, fileUrl, itemName, error, readOnly, consent }: { m: MaterialRow; ids: string[]; error?: string } & Pick<Props, 'files' | 'onChange' | 'fileUrl' | 'itemName' | 'readOnly' | 'consent'>) {
  const { t } = useI18n();
  const text = useAppText();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const isHeld = held(m);

  const add = async (list: FileList | null) => {
    if (!list?.length) return;
    setBusy(true);
    setProblem(null);
    const added: UploadedFile[] = [];
    try {
      for (const f of [...list]) {
        if (f.size > MAX_BYTES) throw new Error(t('apply.mat.tooBig', { name: f.name }));
        added.push(await uploadFile(f));
      }
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
      if (added.length) onChange(m.key, [...ids, ...added.map((f) => f.id)], added);
    }
  };

  return (
    <li className={`app-material${isHeld ? ' held' : ''}${m.toCorrect ? ' to-correct' : ''}${error ? ' has-error' : ''}`} data-testid={`mat-${m.key}`} data-held={isHeld || undefined} data-count={ids.length}>
      <div className="app-material-head">
        <strong>{text.pick(m.nameZh, m.nameEn)}</strong>
        <span className="muted"> ({t(`svc.form.${m.form}` as MessageKey)})</span>
        {m.required && !isHeld ? <span className="app-required"> *</span> : !m.required ? <span className="muted"> {t('svc.material.optional')}</span> : null}
        {m.toCorrect && <span className="badge app-badge-warn">{t('apply.mat.toCorrect')}</span>}
      </div>
      {m.items && itemName && m.items.length > 0 && <div className="hint">{t('apply.mat.neededBy', { items: m.items.map(itemName).join('、') })}</div>}
      {isHeld ? (
        <HeldNote m={m} consent={consent} />
      ) : (
        <>
          {ids.length > 0 && (
            <ul className="app-files">
              {ids.map((id) => (
                <li key={id}>
                  <a href={fileUrl(id)} target="_blank" rel="noreferrer" className="link" data-testid={`mat-link-${m.key}`}>
                    {files[id]?.name ?? t('apply.mat.file')}
                  </a>
                  {files[id] && <span className="muted"> {size(files[id].bytes)}</span>}
                  {!readOnly && (
                    <button type="button" className="btn btn-small app-remove" onClick={() => onChange(m.key, ids.filter((x) => x !== id), [])} aria-label={t('apply.mat.remove')} data-testid={`mat-remove-${m.key}`}>
                      {t('apply.mat.remove')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {!readOnly && (
            <label className="app-upload">
              <input
                type="file"
                accept={ACCEPT}
                multiple
                disabled={busy}
                className="visually-hidden"
                onChange={(e) => {
                  void add(e.target.files);
                  e.target.value = '';
                }}
                data-testid={`mat-file-${m.key}`}
              />
              <span className="btn btn-small">{busy ? t('apply.mat.uploading') : ids.length ? t('apply.mat.addMore') : t('apply.mat.upload')}</span>
              <span className="hint">{t('apply.mat.types')}</span>
            </label>
          )}
          {readOnly && ids.length === 0 && <div className="muted">{t('apply.mat.none')}</div>}
        </>
      )}
      {error && (
        <div className="app-field-error" role="alert" data-testid={`mat-error-${m.key}`}>
          {error}
        </div>
      )}
      {problem != null && <ErrorNote error={problem} testId={`mat-upload-error-${m.key}`} />}
    </li>
  );
}

export function MaterialsPanel({ materials, attached, files, onChange, fileUrl, itemName, errors = {}, only, readOnly, consent, testId = 'app-materials' }: Props) {
  const shown = only ? materials.filter((m) => only.includes(m.key)) : materials;
  // What the applicant must act on first, what the government holds last.
  const ordered = [...shown.filter((m) => !held(m)), ...shown.filter(held)];
  return (
    <ol className="app-materials" data-testid={testId}>
      {ordered.map((m) => (
        <MaterialItem key={m.key} m={m} ids={attached[m.key] ?? []} files={files} onChange={onChange} fileUrl={fileUrl} itemName={itemName} error={errors[m.key]} readOnly={readOnly} consent={consent} />
      ))}
    </ol>
  );
}
