// 告警规则: the rules that apply in the operator's jurisdiction (the city's shipped packs and their
// own), and an editor: a rule is data — device type, severity, a JSON condition — checked by the
// server on save, whose answer names the part that is wrong.
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { createRule, deviceTypes, rules as listRules, updateRule, type Rule, type RuleInput } from '../../api/rules.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const EXAMPLE = { kind: 'threshold', metric: 'waterLevel', above: 4.5, forS: 300 };

const blank = (): RuleInput => ({ nameZh: '', nameEn: '', deviceType: 'water_level', severity: 'medium', condition: EXAMPLE, clearAfterS: 300, enabled: true });

export function RulesPage() {
  const { t, locale } = useI18n();
  const [reload, setReload] = useState(0);
  const list = useAsync((signal) => listRules(signal), [reload]);
  const types = useAsync((signal) => deviceTypes(signal), []);
  const [editing, setEditing] = useState<{ rule: Rule | null; input: RuleInput; text: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const typeName = useMemo(() => new Map((types.data?.items ?? []).map((d) => [d.code, locale === 'en' ? d.nameEn : d.nameZh])), [types.data, locale]);

  const open = (rule: Rule | null) => {
    const input: RuleInput = rule ? { nameZh: rule.nameZh, nameEn: rule.nameEn, deviceType: rule.deviceType, severity: rule.severity, condition: rule.condition, clearAfterS: rule.clearAfterS, enabled: rule.enabled } : blank();
    setEditing({ rule, input, text: JSON.stringify(input.condition, null, 2) });
    setError(null);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    let condition: unknown;
    try {
      condition = JSON.parse(editing.text);
    } catch (err) {
      setError(new ApiError(400, 'FIELD_INVALID', t('rules.badJson'), `condition: ${(err as Error).message}`, 'condition'));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const body = { ...editing.input, condition };
      if (editing.rule) await updateRule(editing.rule.id, editing.rule.version, body);
      else await createRule(body);
      setEditing(null);
      setReload((n) => n + 1);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  const set = (patch: Partial<RuleInput>) => editing && setEditing({ ...editing, input: { ...editing.input, ...patch } });

  return (
    <>
      <PageTitle title={t('rules.title')}>
        <button type="button" className="btn btn-primary" onClick={() => open(null)} data-testid="rule-new">
          {t('rules.new')}
        </button>
      </PageTitle>
      {editing && (
        <section className="panel" data-testid="rule-editor">
          <form onSubmit={(e) => void save(e)} className="form-grid">
            <label>
              {t('rules.nameZh')}
              <input value={editing.input.nameZh} onChange={(e) => set({ nameZh: e.target.value })} required maxLength={200} data-testid="rule-name-zh" />
            </label>
            <label>
              {t('rules.nameEn')}
              <input value={editing.input.nameEn} onChange={(e) => set({ nameEn: e.target.value })} required maxLength={200} data-testid="rule-name-en" />
            </label>
            <label>
              {t('rules.deviceType')}
              <select value={editing.input.deviceType} onChange={(e) => set({ deviceType: e.target.value })} disabled={!!editing.rule} data-testid="rule-device-type">
                {(types.data?.items ?? []).map((d) => (
                  <option key={d.code} value={d.code}>
                    {locale === 'en' ? d.nameEn : d.nameZh}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('rules.severity')}
              <select value={editing.input.severity} onChange={(e) => set({ severity: e.target.value as RuleInput['severity'] })} data-testid="rule-severity">
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {t(`rules.severity.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('rules.clearAfter')}
              <input type="number" min={0} max={86400} value={editing.input.clearAfterS} onChange={(e) => set({ clearAfterS: Number(e.target.value) })} data-testid="rule-clear-after" />
            </label>
            <label className="checkbox">
              <input type="checkbox" checked={editing.input.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="rule-enabled" />
              {t('rules.enabled')}
            </label>
            <label className="wide">
              {t('rules.condition')}
              <textarea rows={8} spellCheck={false} value={editing.text} onChange={(e) => setEditing({ ...editing, text: e.target.value })} data-testid="rule-condition" style={{ fontFamily: 'monospace' }} />
              <span className="muted">
                {t('rules.metrics')}: {(types.data?.items.find((d) => d.code === editing.input.deviceType)?.metrics ?? []).map((m) => `${m.key} (${m.unit}, ${m.min}–${m.max})`).join(' · ')}
              </span>
            </label>
            {error != null && <ErrorNote error={error} testId="rule-error" />}
            <div className="toolbar wide">
              <button type="submit" className="btn btn-primary" disabled={saving} data-testid="rule-save">
                {t('rules.save')}
              </button>
              <button type="button" className="btn" onClick={() => setEditing(null)}>
                {t('rules.cancel')}
              </button>
            </div>
          </form>
        </section>
      )}
      <section className="panel">
        {list.loading && !list.data ? (
          <Loading />
        ) : list.error ? (
          <ErrorNote error={list.error} />
        ) : (
          <table className="table" data-testid="rules-table">
            <thead>
              <tr>
                <th>{t('rules.name')}</th>
                <th>{t('rules.deviceType')}</th>
                <th>{t('rules.severity')}</th>
                <th>{t('rules.scope')}</th>
                <th>{t('rules.enabled')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {/* Their own rules first, then the city's packs. */}
              {[...(list.data?.items ?? [])].sort((a, b) => Number(!!a.pack) - Number(!!b.pack)).map((r) => (
                <tr key={r.id} data-testid="rule-row" data-rule={r.id}>
                  <td>{locale === 'en' ? r.nameEn : r.nameZh}</td>
                  <td>{typeName.get(r.deviceType) ?? r.deviceType}</td>
                  <td>{t(`rules.severity.${r.severity}`)}</td>
                  <td>{r.pack ? t('rules.cityPack') : r.jurisdictionCode}</td>
                  <td>{r.enabled ? '✓' : '—'}</td>
                  <td>
                    {!r.pack && (
                      <button type="button" className="btn btn-small" onClick={() => open(r)} data-testid="rule-edit">
                        {t('rules.edit')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
