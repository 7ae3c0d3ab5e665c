// One area = its navigation, its home page and its frame; the other pages are shared, so the
// page dispatch lives here once instead of in each area.
import type { ReactNode } from 'react';
import type { AreaId } from '../app/areas.ts';
import { useLocation } from '../app/router.tsx';
import { AreaFrame, type NavItem } from '../ui/AreaFrame.tsx';
import { DepartmentsPage, JurisdictionsPage, LocatePage, MessagesPage, NotFoundPage, pageOf, SoonPage } from './shared.tsx';

interface Props {
  area: AreaId;
  nav: NavItem[];
  home: ReactNode;
  layout: 'top' | 'side' | 'bottom';
  headerExtra?: ReactNode;
  className?: string;
  /** The area's own pages (besides home) by path segment, e.g. the command map. */
  pages?: Record<string, ReactNode>;
}

/** A shared page by its path segment; the area's NAV decides which of them it offers. */
function sharedPage(area: AreaId, page: string, param: string | null): ReactNode {
  switch (page) {
    case 'jurisdictions':
      return <JurisdictionsPage area={area} param={param} />;
    case 'locate':
      return <LocatePage area={area} />;
    case 'departments':
      return <DepartmentsPage />;
    case 'messages':
      return <MessagesPage />;
    default:
      return <NotFoundPage area={area} />;
  }
}

export function AreaShell({ area, nav, home, layout, headerExtra, className, pages }: Props) {
  const { pathname } = useLocation();
  const { page, param } = pageOf(pathname);
  const item = nav.find((n) => n.page === page);
  let content: ReactNode;
  if (!item) content = <NotFoundPage area={area} />;
  else if (item.soon) content = <SoonPage area={area} feature={item.label} />;
  else if (page === '') content = home;
  else if (pages && page in pages) content = pages[page];
  else content = sharedPage(area, page, param);
  const classes = [className, item?.full && !item.soon ? 'frame-full' : ''].filter(Boolean).join(' ');
  return (
    <AreaFrame area={area} nav={nav} current={page} layout={layout} headerExtra={headerExtra} className={classes}>
      {content}
    </AreaFrame>
  );
}
