import { Link } from '../app/router.tsx';
import { useI18n } from '../i18n/index.tsx';
import { Icon } from './icons.tsx';
import { useUnread } from './unread.tsx';

/** The message bell with the unread count; links to the area's inbox. */
export function Bell({ to }: { to: string }) {
  const { t } = useI18n();
  const { total } = useUnread();
  const label = total > 0 ? t('header.unread', { n: total }) : t('header.noUnread');
  return (
    <Link to={to} className="bell" aria-label={label} title={label} data-testid="bell">
      <Icon name="bell" size={20} />
      {total > 0 && (
        <span className="bell-count" data-testid="bell-count">
          {total > 99 ? '99+' : total}
        </span>
      )}
    </Link>
  );
}
