// /portal/bundles — every bundle (一件事一次办): one questionnaire, one form, one submission.
import { searchBundles } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { BundleCards } from './BundleCards.tsx';

export function BundleList() {
  const { t } = useI18n();
  const state = useAsync((signal) => searchBundles('', signal), []);
  return (
    <>
      <PageTitle title={t('bundle.title')} />
      <p className="hint app-intro">{t('bundle.intro')}</p>
      {loadNote(state) ?? (!state.data?.items.length ? (
        <p className="muted">{t('bundle.none')}</p>
      ) : (
        <BundleCards items={state.data.items} />
      ))}
    </>
  );
}
