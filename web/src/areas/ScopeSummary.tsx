// The account's jurisdiction at a glance, from real data: its units by kind and what lies below them.
import type { JurisdictionNode } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { useI18n } from '../i18n/index.tsx';
import { ErrorNote, Loading } from '../ui/ErrorNote.tsx';
import { JurisdictionFlags, LevelTag } from '../ui/Flags.tsx';
import { PlaceName } from '../ui/PlaceName.tsx';
import { useScopeDetail } from '../ui/scope.ts';
import { useAsync } from '../ui/useAsync.ts';
import * as jurisdictions from '../api/jurisdictions.ts';

export interface ScopeFigures {
  node: JurisdictionNode;
  children: JurisdictionNode[];
  byKind: Array<[string, number]>;
  grandchildren: number;
  special: number;
  synthetic: number;
}

/** Counts a scope's direct units by kind, and the units one level further down. */
export function figuresOf(node: JurisdictionNode, children: JurisdictionNode[]): ScopeFigures {
  const kinds = new Map<string, number>();
  for (const c of children) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
  return {
    node,
    children,
    byKind: [...kinds.entries()].sort((a, b) => b[1] - a[1]),
    grandchildren: children.reduce((n, c) => n + (c.childCount || 0), 0),
    special: children.filter((c) => c.special).length,
    synthetic: children.filter((c) => c.synthetic).length,
  };
}

/** Loads the scope (or the city for an account without one). */
export function useScopeFigures(scopeCode: string | null) {
  const scoped = useScopeDetail(scopeCode);
  const city = useAsync(async (signal) => (scopeCode ? null : jurisdictions.tree(null, 1, signal)), [scopeCode]);
  if (scopeCode) {
    return { error: scoped.error, reload: scoped.reload, figures: scoped.data ? figuresOf(scoped.data.node, scoped.data.children) : undefined };
  }
  return { error: city.error, reload: city.reload, figures: city.data ? figuresOf(city.data, city.data.children ?? []) : undefined };
}

/** A compact card: the scope's name and flags, and counts by kind, linking to the browser. */
export function ScopeCard({ scopeCode, browsePath, title }: { scopeCode: string | null; browsePath: string; title: string }) {
  const { t, label, formatNumber } = useI18n();
  const { figures, error, reload } = useScopeFigures(scopeCode);
  return (
    <section className="panel scope-card" data-testid="scope-card">
      <h2 className="panel-title">{title}</h2>
      {error ? (
        <ErrorNote error={error} onRetry={reload} />
      ) : !figures ? (
        <Loading />
      ) : (
        <>
          <p className="scope-name">
            <Link to={`${browsePath}/${figures.node.code}`} className="link">
              <PlaceName name={figures.node.name} nameEn={figures.node.nameEn} />
            </Link>{' '}
            <LevelTag node={figures.node} /> <code className="code">{figures.node.code}</code> <JurisdictionFlags node={figures.node} />
          </p>
          <div className="stat-row">
            {figures.byKind.map(([kind, n]) => (
              <div className="stat" key={kind}>
                <span className="stat-value">{formatNumber(n)}</span>
                <span className="stat-label">{label('kind', kind)}</span>
              </div>
            ))}
            {figures.grandchildren > 0 && figures.children[0] && (
              <div className="stat">
                <span className="stat-value">{formatNumber(figures.grandchildren)}</span>
                <span className="stat-label">{t('command.byLevel', { level: label('level', nextLevel(figures.children[0].level)) })}</span>
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}

export function nextLevel(level: string): string {
  const order = ['city', 'district', 'street', 'committee', 'grid'];
  const i = order.indexOf(level);
  return i >= 0 && i < order.length - 1 ? order[i + 1] : level;
}
