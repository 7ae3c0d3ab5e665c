// /portal/bundles/applications/:id — a bundle application: steps 2 and 3 while it is a draft, then
// one progress view over its items.
import { useEffect, useState } from 'react';
import { getBundle, getBundleApp, type BundleAppView } from '../../api/applications.ts';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { useAppText } from './appText.ts';
import { BundleDraft } from './BundleDraft.tsx';
import { BundleProgress } from './BundleProgress.tsx';

export function BundleAppPage({ id }: { id: string }) {
  const { t } = useI18n();
  const text = useAppText();
  const loaded = useAsync((signal) => getBundleApp(id, signal), [id]);
  const [app, setApp] = useState<BundleAppView | null>(null);
  useEffect(() => setApp(loaded.data ?? null), [loaded.data]);
  const code = app?.bundleCode ?? null;
  const bundle = useAsync((signal) => (code ? getBundle(code, signal) : Promise.resolve(null)), [code]);

  if (loaded.loading && !app) return <Loading />;
  if (loaded.error) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (!app) return null;
  return (
    <div className="bw-page" data-testid="bw-app" data-id={app.id} data-stage={app.stage}>
      <PageTitle title={text.pick(app.nameZh, app.nameEn)}>
        <Link to="/portal/applications" className="btn btn-small">
          {t('apply.back')}
        </Link>
      </PageTitle>
      {app.stage === 'draft' ? (
        bundle.error ? (
          <ErrorNote error={bundle.error} onRetry={bundle.reload} />
        ) : !bundle.data ? (
          <Loading />
        ) : (
          <BundleDraft key={app.id} app={app} bundle={bundle.data} onChange={setApp} />
        )
      ) : (
        <BundleProgress app={app} onChange={setApp} />
      )}
    </div>
  );
}
