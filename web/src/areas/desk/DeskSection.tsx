// The workbench's service desk (一网通办), one lazily loaded entry: the applications queue or, with
// an id in the path, one application; the bundles' redesign report; the service figures.
import { useLocation } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import '../../styles/desk.css';
import { PageTitle, pageOf } from '../shared.tsx';
import { AppPage } from './AppPage.tsx';
import { AppQueue } from './AppQueue.tsx';
import { FiguresPage } from './FiguresPage.tsx';
import { RedesignPage } from './RedesignPage.tsx';

export type DeskView = 'applications' | 'redesign' | 'figures';

export default function DeskSection({ view }: { view: DeskView }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const { param } = pageOf(pathname);
  const base = '/workbench/applications';
  if (view === 'redesign') return <RedesignPage />;
  if (view === 'figures') return <FiguresPage />;
  if (param) return <AppPage key={param} id={param} back={base} />;
  return (
    <>
      <PageTitle title={t('desk.queue.title')} />
      <AppQueue base={base} />
    </>
  );
}
