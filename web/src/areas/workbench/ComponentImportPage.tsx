// 部件导入: upload a CSV / GeoJSON / NDJSON file, watch the upload and then the import, fetch the
// refused rows. For operators and administrators (component.import); the workbench shows the entry
// only to them.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { ACCEPT, job as getJob, jobs as listJobs, upload, type ImportJob } from './componentImport.ts';

const POLL_MS = 1000;

function mb(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function StatusBadge({ status }: { status: ImportJob['status'] }) {
  const { t } = useI18n();
  const cls = status === 'failed' ? 'badge badge-count' : status === 'done' ? 'badge badge-soon' : 'badge badge-special';
  return (
    <span className={cls} data-testid="import-status">
      {t(`componentImport.status.${status}` as MessageKey)}
    </span>
  );
}

/** Where a running job was when this page first saw it run: its speed is measured from there. */
export interface Seen {
  id: string;
  at: number;
  rows: number;
  bytes: number;
}

/**
 * Rows a second and seconds left while a job runs (from `seen`); for a finished one, rows a second
 * from its start to its end (a job interrupted and resumed counts the time between as well).
 */
export function speedOf(job: ImportJob, seen: Seen | null, now: number): { rowsPerSecond: number; secondsLeft: number | null } | null {
  const rows = job.created + job.updated + job.unchanged + job.failed;
  if (job.status === 'running') {
    const s = seen && seen.id === job.id ? (now - seen.at) / 1000 : 0;
    if (!seen || s < 1 || rows <= seen.rows) return null;
    const bytesPerSecond = (job.bytes - seen.bytes) / s;
    return { rowsPerSecond: (rows - seen.rows) / s, secondsLeft: bytesPerSecond > 0 ? Math.max(0, (job.totalBytes - job.bytes) / bytesPerSecond) : null };
  }
  if (job.status === 'done' && job.finishedAt !== null && rows > 0) {
    return { rowsPerSecond: rows / Math.max((job.finishedAt - job.createdAt) / 1000, 0.001), secondsLeft: null };
  }
  return null;
}

/** One job: where it stands, how fast it goes, its counts, and its error file. */
function JobCard({ job, seen }: { job: ImportJob; seen: Seen | null }) {
  const { t, formatNumber } = useI18n();
  const speed = speedOf(job, seen, Date.now());
  const duration = (seconds: number) => {
    const s = Math.round(seconds);
    return s < 60 ? t('componentImport.seconds', { s }) : t('componentImport.minutes', { m: Math.floor(s / 60), s: s % 60 });
  };
  const stats: Array<[MessageKey, number, string]> = [
    ['componentImport.created', job.created, 'created'],
    ['componentImport.updated', job.updated, 'updated'],
    ['componentImport.unchanged', job.unchanged, 'unchanged'],
    ['componentImport.failed', job.failed, 'failed'],
  ];
  return (
    <section className="panel" data-testid="import-job">
      <div className="panel-head">
        <h2 className="panel-title">
          {job.fileName} <StatusBadge status={job.status} />
        </h2>
      </div>
      <progress max={Math.max(job.totalBytes, 1)} value={job.bytes} style={{ width: '100%' }} aria-label={t('componentImport.progress')} data-testid="import-progress" />
      <p className="muted">{t('componentImport.bytes', { done: mb(job.bytes), total: mb(job.totalBytes), format: job.format })}</p>
      {speed && (
        <p className="muted" data-testid="import-speed">
          {job.status === 'running'
            ? t('componentImport.speed', { rate: formatNumber(Math.round(speed.rowsPerSecond)), left: speed.secondsLeft === null ? '…' : duration(speed.secondsLeft) })
            : t('componentImport.took', { rate: formatNumber(Math.round(speed.rowsPerSecond)), time: duration((job.finishedAt! - job.createdAt) / 1000) })}
        </p>
      )}
      <div className="stat-row">
        {stats.map(([key, n, id]) => (
          <div className="stat" key={id}>
            <span className="stat-value" data-testid={`import-${id}`}>
              {formatNumber(n)}
            </span>
            <span className="stat-label">{t(key)}</span>
          </div>
        ))}
      </div>
      {job.message && job.status !== 'done' && (
        <p className={job.status === 'failed' ? 'note note-error' : 'muted'} data-testid="import-message">
          {job.message}
        </p>
      )}
      {job.errorFileUrl && (
        <p>
          <a className="link" href={job.errorFileUrl} download data-testid="import-errors">
            {t('componentImport.errorFile', { n: formatNumber(job.failed) })}
          </a>
        </p>
      )}
    </section>
  );
}

export function ComponentImportPage() {
  const { t, formatTime, formatNumber } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [current, setCurrent] = useState<ImportJob | null>(null);
  const seen = useRef<Seen | null>(null);
  if (current?.status === 'running' && seen.current?.id !== current.id) {
    seen.current = { id: current.id, at: Date.now(), rows: current.created + current.updated + current.unchanged + current.failed, bytes: current.bytes };
  }
  const recent = useAsync((signal) => listJobs(signal), [current?.status]);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  // Follow the job until it stops running.
  useEffect(() => {
    if (!current || current.status !== 'running') return;
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      getJob(current.id, ctrl.signal).then(setCurrent, (err) => !ctrl.signal.aborted && setError(err));
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [current]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setCurrent(null);
    setSent({ done: 0, total: file.size });
    abort.current = new AbortController();
    try {
      setCurrent(await upload(file, (done, total) => setSent({ done, total }), abort.current.signal));
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err);
    } finally {
      setSent(null);
    }
  };

  return (
    <>
      <PageTitle title={t('componentImport.title')} />
      <section className="panel" data-testid="import-form">
        <p>{t('componentImport.intro')}</p>
        <ul className="muted">
          <li>{t('componentImport.formatCsv')}</li>
          <li>{t('componentImport.formatGeojson')}</li>
          <li>{t('componentImport.rerun')}</li>
        </ul>
        <form className="toolbar" onSubmit={(e) => void submit(e)}>
          <input type="file" accept={ACCEPT} aria-label={t('componentImport.file')} onChange={(e) => setFile(e.target.files?.[0] ?? null)} disabled={sent !== null} data-testid="import-file" />
          <button type="submit" className="btn btn-primary" disabled={!file || sent !== null} data-testid="import-upload">
            {t('componentImport.upload')}
          </button>
          {sent && (
            <button type="button" className="btn" onClick={() => abort.current?.abort()}>
              {t('componentImport.cancel')}
            </button>
          )}
        </form>
        {sent && (
          <div data-testid="import-uploading">
            <progress max={Math.max(sent.total, 1)} value={sent.done} style={{ width: '100%' }} aria-label={t('componentImport.uploading', { pct: 0 })} />
            <p className="muted">{t('componentImport.uploading', { pct: Math.floor((sent.done / Math.max(sent.total, 1)) * 100) })}</p>
          </div>
        )}
        {error != null && <ErrorNote error={error} />}
      </section>
      {current && <JobCard job={current} seen={seen.current} />}
      <section className="panel" data-testid="import-recent">
        <h2 className="panel-title">{t('componentImport.recent')}</h2>
        {recent.error ? (
          <ErrorNote error={recent.error} onRetry={recent.reload} />
        ) : !recent.data ? (
          <Loading />
        ) : recent.data.items.length === 0 ? (
          <p className="empty">{t('componentImport.none')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('componentImport.fileName')}</th>
                  <th>{t('componentImport.statusColumn')}</th>
                  <th>{t('componentImport.created')}</th>
                  <th>{t('componentImport.updated')}</th>
                  <th>{t('componentImport.unchanged')}</th>
                  <th>{t('componentImport.failed')}</th>
                  <th>{t('componentImport.startedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {recent.data.items.map((j) => (
                  <tr key={j.id}>
                    <td>{j.fileName}</td>
                    <td>
                      <StatusBadge status={j.status} />
                    </td>
                    <td>{formatNumber(j.created)}</td>
                    <td>{formatNumber(j.updated)}</td>
                    <td>{formatNumber(j.unchanged)}</td>
                    <td>
                      {j.errorFileUrl ? (
                        <a className="link" href={j.errorFileUrl} download>
                          {formatNumber(j.failed)}
                        </a>
                      ) : (
                        formatNumber(j.failed)
                      )}
                    </td>
                    <td>{formatTime(j.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
