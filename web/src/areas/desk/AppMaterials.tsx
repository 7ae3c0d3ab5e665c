// The materials of an application beside a preview of the file picked: images inline, PDFs in a
// frame. Materials the government already holds (营业执照 issued by 市场监管) are marked: the
// applicant submits none of them, the department fetches them by data exchange; the application
// form itself (source `form`) is what the applicant filled in online, shown in the form panel.
import { useState } from 'react';
import { fileUrl, type ApplicationView, type FileRef } from '../../api/serviceDesk.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useDeskText } from './deskText.tsx';

const isImage = (f: FileRef) => f.contentType === 'image/jpeg' || f.contentType === 'image/png';
const isPdf = (f: FileRef) => f.contentType === 'application/pdf';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / 104857.6) / 10} MB`;
}

export function AppMaterials({ app }: { app: ApplicationView }) {
  const { t } = useI18n();
  const text = useDeskText();
  const first = app.materials.flatMap((m) => m.files)[0] ?? null;
  const [picked, setPicked] = useState<FileRef | null>(first);
  const shown = picked && app.materials.some((m) => m.files.some((f) => f.id === picked.id)) ? picked : first;

  return (
    <section className="panel" data-testid="app-materials">
      <h2 className="panel-title">{t('desk.materials')}</h2>
      <div className="desk-materials">
        <ul className="desk-material-list">
          {app.materials.map((m) => {
            // `form`: the application form itself, filled in online; another source: a department holds it.
            const online = m.source === 'form';
            const held = !online && m.source !== 'applicant';
            return (
              <li key={m.key} className={`desk-material${held || online ? ' held' : ''}${m.toCorrect ? ' asked' : ''}`} data-testid={`app-mat-${m.key}`} data-held={held ? 'true' : 'false'} data-source={m.source}>
                <div className="desk-material-name">
                  {text.name(m.nameZh, m.nameEn)}
                  {m.required ? <span className="badge badge-soon">{t('desk.mat.required')}</span> : <span className="badge badge-soon">{t('desk.mat.optional')}</span>}
                  {m.toCorrect ? <span className="badge badge-special">{t('desk.mat.toCorrect')}</span> : null}
                </div>
                {online ? (
                  <div className="desk-held" data-testid="app-mat-online">
                    {t('desk.mat.online')}
                  </div>
                ) : held ? (
                  <div className="desk-held" data-testid="app-mat-held">
                    {t('desk.mat.held', { source: text.name(m.sourceName, m.sourceNameEn) || m.source })}
                    {m.exchanged ? (
                      <div className={m.exchanged.outcome === 'ok' ? 'desk-exchanged' : 'desk-exchanged refused'} data-testid="app-mat-exchanged" data-outcome={m.exchanged.outcome}>
                        {m.exchanged.outcome === 'ok'
                          ? t('desk.mat.exchanged', { resource: m.exchanged.resource, call: String(m.exchanged.callId) })
                          : t('desk.mat.exchangeRefused', { code: m.exchanged.outcome })}
                        {m.exchanged.number ? <span className="xchg-mono"> · {m.exchanged.number}</span> : null}
                      </div>
                    ) : null}
                  </div>
                ) : m.files.length ? (
                  <ul className="desk-files">
                    {m.files.map((f) => (
                      <li key={f.id}>
                        <button type="button" className={`link-button${shown?.id === f.id ? ' active' : ''}`} onClick={() => setPicked(f)} data-testid="app-file">
                          {f.name}
                        </button>
                        <span className="muted"> · {size(f.bytes)}</span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <div className="muted">{t('desk.mat.none')}</div>
                )}
              </li>
            );
          })}
        </ul>
        <div className="desk-preview" data-testid="app-preview">
          {!shown ? (
            <p className="muted">{t('desk.preview.none')}</p>
          ) : (
            <>
              <div className="desk-preview-head">
                <strong>{shown.name}</strong>
                <a className="link" href={fileUrl(app.id, shown.id)} target="_blank" rel="noreferrer" data-testid="app-file-open">
                  {t('desk.preview.open')}
                </a>
              </div>
              {isImage(shown) ? (
                <img key={shown.id} src={fileUrl(app.id, shown.id)} alt={shown.name} className="desk-preview-image" data-testid="app-preview-image" />
              ) : isPdf(shown) ? (
                <iframe key={shown.id} src={fileUrl(app.id, shown.id)} title={shown.name} className="desk-preview-frame" data-testid="app-preview-pdf" />
              ) : (
                <p className="muted">{t('desk.preview.unsupported')}</p>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
