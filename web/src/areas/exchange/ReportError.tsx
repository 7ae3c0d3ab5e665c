// 数据纠错: a resident or company says a value of their record is wrong. The report goes to the
// department that keeps the value (the server picks it per field); that department corrects its own
// records and answers. Nothing is edited here.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { registryReports, type RegistryReport } from '../../api/registries.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { useExchangeText } from './exchangeText.tsx';

/** The fields one may report, per kind of record (the same list the server accepts). */
const FIELDS: Record<'person' | 'entity', Array<[string, string, string]>> = {
  person: [
    ['name', '姓名', 'Name'], ['sex', '性别', 'Sex'], ['birthDate', '出生日期', 'Date of birth'], ['ethnicity', '民族', 'Ethnicity'], ['phone', '联系电话', 'Phone'],
    ['hukouAddress', '户籍地址', 'Household registration address'], ['residenceAddress', '居住地址', 'Residence address'], ['education', '文化程度', 'Education'], ['maritalStatus', '婚姻状况', 'Marital status'],
  ],
  entity: [
    ['name', '名称', 'Name'], ['type', '类型', 'Type'], ['legalRepresentative', '法定代表人', 'Legal representative'], ['registeredCapital', '注册资本', 'Registered capital'],
    ['address', '住所', 'Registered address'], ['businessScope', '经营范围', 'Business scope'], ['status', '登记状态', 'Status'],
  ],
};

/** Which fields may be reported, for a kind of record (forms offer the report only on these). */
export const isReportable = (kind: 'person' | 'entity', field: string) => FIELDS[kind].some(([name]) => name === field);

interface Props {
  kind: 'person' | 'entity';
  /** The field the report starts on (a form field filled from the registry); the first otherwise. */
  field?: string;
  /** List the reporter's earlier reports (我的数据); a form shows only what was sent from it. */
  showList?: boolean;
  /** Prefix of the test ids, so several boxes can sit on one page. */
  testId?: string;
}

export function ReportError({ kind, field: start, showList = true, testId = 'mydata-report' }: Props) {
  const { t, formatTime } = useI18n();
  const { pick } = useExchangeText();
  const [open, setOpen] = useState(false);
  const [field, setField] = useState(start && isReportable(kind, start) ? start : FIELDS[kind][0]![0]);
  const [proposed, setProposed] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [reports, setReports] = useState<RegistryReport[]>([]);

  useEffect(() => {
    if (showList) registryReports.mine().then((r) => setReports(r.items), () => {});
  }, [showList]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const sent = await registryReports.send({ field, proposed, reason });
      setReports((rs) => [sent, ...rs]);
      setOpen(false);
      setProposed('');
      setReason('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => (error instanceof ApiError && error.field === name ? error.detail : null);

  return (
    <div className="mydata-report-box">
      <button type="button" className="btn btn-small" data-testid={testId} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {t('mydata.report')}
      </button>
      {open && (
        <form className="form mydata-report-form" data-testid={`${testId}-form`} onSubmit={submit}>
          <p className="muted">{t('mydata.report.hint')}</p>
          <label>
            {t('mydata.report.field')}
            <select value={field} onChange={(e) => setField(e.target.value)} data-testid={`${testId}-field`}>
              {FIELDS[kind].map(([name, zh, en]) => (
                <option key={name} value={name}>
                  {pick(zh, en)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('mydata.report.proposed')}
            <input value={proposed} maxLength={200} required onChange={(e) => setProposed(e.target.value)} data-testid={`${testId}-proposed`} />
            {fieldError('proposed') && <span className="field-error">{fieldError('proposed')}</span>}
          </label>
          <label>
            {t('mydata.report.reason')}
            <textarea value={reason} maxLength={500} required onChange={(e) => setReason(e.target.value)} data-testid={`${testId}-reason`} />
            {fieldError('reason') && <span className="field-error">{fieldError('reason')}</span>}
          </label>
          {error != null && !(error instanceof ApiError && error.field) && <ErrorNote error={error} testId={`${testId}-error`} />}
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid={`${testId}-send`}>
            {t('mydata.report.send')}
          </button>
        </form>
      )}
      {reports.length > 0 && (
        <ul className="mydata-reports" data-testid={`${testId}s`}>
          {reports.map((r) => (
            <li key={r.id} data-testid={`${testId}-row`} data-status={r.status}>
              <strong>{pick(r.fieldZh, r.fieldEn)}</strong> → {r.proposed} · {r.departmentName} · {t(`mydata.report.status.${r.status}` as never)} · {formatTime(r.createdAt)}
              {r.reply ? <div className="muted">{r.reply}</div> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
