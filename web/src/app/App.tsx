// The route table: /login, the four areas (each needs a session and a fitting role), the public
// /verify page, and / → home.
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import type { Account } from '../api/types.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Loading } from '../ui/ErrorNote.tsx';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';
import { areaOf, homeArea, mayEnter, type AreaId } from './areas.ts';
import { LoginPage } from './LoginPage.tsx';
import { isAppPath, Link, navigate, useLocation } from './router.tsx';
import { useSession } from './session.tsx';

const AREAS: Record<AreaId, ReturnType<typeof lazy>> = {
  portal: lazy(() => import('../areas/portal/PortalArea.tsx')),
  workbench: lazy(() => import('../areas/workbench/WorkbenchArea.tsx')),
  command: lazy(() => import('../areas/command/CommandArea.tsx')),
  worker: lazy(() => import('../areas/worker/WorkerArea.tsx')),
};

// /verify is public and needs no session: a police officer checks a licence without an account.
const VerifyPage = lazy(() => import('../areas/verify/VerifyPage.tsx'));

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** Where to go after login: a safe `next` the account may enter, else its home area. */
function afterLogin(account: Account, next: string | null): string {
  if (isAppPath(next)) {
    const area = areaOf(next.split('?')[0]);
    if (area && mayEnter(account, area)) return next;
  }
  return `/${homeArea(account)}`;
}

function Centered({ children }: { children: ReactNode }) {
  return <div className="centered-page">{children}</div>;
}

function Forbidden({ account, area }: { account: Account; area: AreaId }) {
  const { t } = useI18n();
  const home = homeArea(account);
  return (
    <Centered>
      <section className="panel" data-testid="forbidden">
        <p>{t('area.forbidden', { area: t(`area.${area}` as MessageKey) })}</p>
        <Link className="btn btn-primary" to={`/${home}`}>
          {t('area.goHome', { area: t(`area.${home}` as MessageKey) })}
        </Link>
      </section>
    </Centered>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Centered>
      <section className="panel" data-testid="not-found">
        <h1>{t('app.notFound')}</h1>
        <p>{t('app.notFoundHint')}</p>
        <Link className="btn btn-primary" to="/">
          {t('app.backHome')}
        </Link>
        <LanguageSwitch />
      </section>
    </Centered>
  );
}

export function App() {
  const { pathname, search, href } = useLocation();
  const { account } = useSession();
  const loading = (
    <Centered>
      <Loading />
    </Centered>
  );
  // /verify needs no session: an officer's phone checks a code without signing in.
  if (pathname === '/verify') {
    return (
      <Suspense fallback={loading}>
        <VerifyPage />
      </Suspense>
    );
  }
  if (account === undefined) return loading;
  if (pathname === '/login') {
    const next = search.get('next');
    if (account) return <Redirect to={afterLogin(account, next)} />;
    return <LoginPage />;
  }
  if (pathname === '/') return <Redirect to={account ? `/${homeArea(account)}` : '/login'} />;
  const area = areaOf(pathname);
  if (!area) return <NotFound />;
  if (!account) return <Redirect to={`/login?next=${encodeURIComponent(href)}`} />;
  if (!mayEnter(account, area)) return <Forbidden account={account} area={area} />;
  const Area = AREAS[area];
  return (
    <Suspense fallback={loading}>
      <Area />
    </Suspense>
  );
}
