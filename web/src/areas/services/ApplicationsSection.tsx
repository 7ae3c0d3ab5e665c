// The portal's application pages, one lazily loaded entry: 我的办件 and an application
// (/portal/applications[/:id]); the bundles, a bundle's questionnaire and a bundle application
// (/portal/bundles[/:code | /applications/:id]).
import '../../styles/applications.css';
import '../../styles/app-status.css';
import '../../styles/bundles.css';
import { useLocation } from '../../app/router.tsx';
import { ApplicationPage } from './ApplicationPage.tsx';
import { BundleAppPage } from './BundleAppPage.tsx';
import { BundleList } from './BundleList.tsx';
import { BundleWizard } from './BundleWizard.tsx';
import { MyApplications } from './MyApplications.tsx';

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export default function ApplicationsSection({ view }: { view: 'applications' | 'bundles' }) {
  const { pathname } = useLocation();
  const [, , , a, b] = pathname.split('/').map(decode);
  if (view === 'applications') return a ? <ApplicationPage key={a} id={a} /> : <MyApplications />;
  if (a === 'applications' && b) return <BundleAppPage key={b} id={b} />;
  if (a) return <BundleWizard key={a} code={a} />;
  return <BundleList />;
}
