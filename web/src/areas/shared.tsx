// Pages every area offers, each wrapped in the area's own frame by the area component.
import type { ReactNode } from 'react';
import type { AreaId } from '../app/areas.ts';
import { isOfficial } from '../app/areas.ts';
import { useAccount } from '../app/session.tsx';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { ComingSoon } from '../ui/ComingSoon.tsx';
import { DepartmentList } from '../ui/DepartmentList.tsx';
import { Inbox } from '../ui/Inbox.tsx';
import { JurisdictionBrowser } from '../ui/JurisdictionBrowser.tsx';
import { LocateBox } from '../ui/LocateBox.tsx';
import { useScopeDetail } from '../ui/scope.ts';

/** Splits /area/page/param into its page and param. */
export function pageOf(pathname: string): { page: string; param: string | null } {
  const [, , page = '', param] = pathname.split('/');
  return { page, param: param ? decodeURIComponent(param) : null };
}

export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-title">
      <h1 data-testid="page-title">{title}</h1>
      {children}
    </div>
  );
}

/** Officials browse from their scope down; the public browse the city, opened at their own street. */
export function JurisdictionsPage({ area, param }: { area: AreaId; param: string | null }) {
  const { t } = useI18n();
  const account = useAccount();
  const official = isOfficial(account);
  return (
    <>
      <PageTitle title={t('j.title')} />
      <JurisdictionBrowser
        rootCode={official ? account.scopeCode : null}
        initial={official ? null : account.scopeCode}
        selected={param}
        basePath={`/${area}/jurisdictions`}
      />
    </>
  );
}

export function LocatePage({ area }: { area: AreaId }) {
  return <LocateBox browsePath={`/${area}/jurisdictions`} asPage />;
}

export function MessagesPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle title={t('inbox.title')} />
      <Inbox />
    </>
  );
}

export function DepartmentsPage() {
  const { t, locale } = useI18n();
  const account = useAccount();
  const scope = useScopeDetail(account.scopeCode);
  const scopeLabel = scope.data ? (locale === 'en' ? scope.data.node.nameEn : scope.data.node.name) : account.scopeName;
  return (
    <>
      <PageTitle title={t('dept.title')} />
      <DepartmentList scopeCode={account.scopeCode} scopeLabel={scopeLabel} />
    </>
  );
}

export function SoonPage({ area, feature }: { area: AreaId; feature: MessageKey }) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle title={t(feature)} />
      <ComingSoon
        feature={feature}
        available={[
          { to: `/${area}/jurisdictions`, label: 'nav.jurisdictions' },
          { to: `/${area}/messages`, label: 'nav.messages' },
        ]}
      />
    </>
  );
}

export function NotFoundPage({ area }: { area: AreaId }) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle title={t('app.notFound')} />
      <section className="panel">
        <p>{t('app.notFoundHint')}</p>
        <a className="link" href={`/${area}`}>
          {t('app.backHome')}
        </a>
      </section>
    </>
  );
}
