import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../../ui/icons.tsx';

export function ElderToggle({ on, onChange }: { on: boolean; onChange(on: boolean): void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      className={`elder-toggle${on ? ' on' : ''}`}
      onClick={() => onChange(!on)}
      title={on ? t('elder.on') : t('elder.off')}
      data-testid="elder-toggle"
    >
      <Icon name="eye" size={18} />
      <span>{t('elder.toggle')}</span>
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
    </button>
  );
}
