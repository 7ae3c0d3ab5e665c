// The jurisdiction tree: each row shows name, code, level/kind, child count and the special /
// synthetic badges; a caret loads and shows the children. State lives in JurisdictionBrowser.
import type { JurisdictionNode } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { JurisdictionFlags, LevelTag } from './Flags.tsx';
import { Icon } from './icons.tsx';
import { PlaceName } from './PlaceName.tsx';

export interface TreeState {
  childrenOf(code: string): JurisdictionNode[] | undefined;
  isExpanded(code: string): boolean;
  isLoading(code: string): boolean;
  selected: string | null;
  onToggle(node: JurisdictionNode): void;
  onSelect(node: JurisdictionNode): void;
}

function Row({ node, depth, state }: { node: JurisdictionNode; depth: number; state: TreeState }) {
  const { t } = useI18n();
  const expandable = node.childCount > 0;
  const expanded = expandable && state.isExpanded(node.code);
  const children = expanded ? state.childrenOf(node.code) : undefined;
  const selected = state.selected === node.code;
  return (
    <li
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={expandable ? expanded : undefined}
      aria-selected={selected}
      className="jtree-item"
      data-testid={`jtree-node-${node.code}`}
      data-code={node.code}
      data-expanded={expanded ? 'true' : 'false'}
    >
      <div className={`jtree-row${selected ? ' selected' : ''}`} style={{ paddingLeft: `${depth * 16 + 4}px` }}>
        {expandable ? (
          <button
            type="button"
            className={`jtree-caret${expanded ? ' open' : ''}`}
            onClick={() => state.onToggle(node)}
            aria-label={`${expanded ? t('j.collapse') : t('j.expand')} ${node.name}`}
            data-testid={`jtree-toggle-${node.code}`}
          >
            <Icon name="chevron" size={14} />
          </button>
        ) : (
          <span className="jtree-caret-spacer" aria-hidden="true" />
        )}
        <button type="button" className="jtree-label" onClick={() => state.onSelect(node)} data-testid={`jtree-label-${node.code}`}>
          <PlaceName name={node.name} nameEn={node.nameEn} className="jtree-name" />
          <JurisdictionFlags node={node} />
        </button>
        <span className="jtree-meta">
          <LevelTag node={node} compact />
          <code className="code">{node.code}</code>
          <span className="count" title={t('j.childCount')}>
            {expandable ? node.childCount : '–'}
          </span>
        </span>
      </div>
      {expanded && (
        <ul role="group" className="jtree-children">
          {state.isLoading(node.code) && !children && (
            <li className="jtree-loading" style={{ paddingLeft: `${(depth + 1) * 16 + 26}px` }}>
              {t('app.loading')}
            </li>
          )}
          {children?.map((c) => <Row key={c.code} node={c} depth={depth + 1} state={state} />)}
        </ul>
      )}
    </li>
  );
}

/** A tree rooted at one node (the user's scope, or the city). */
export function JurisdictionTree({ root, state }: { root: JurisdictionNode; state: TreeState }) {
  const { t } = useI18n();
  return (
    <ul role="tree" aria-label={t('j.tree')} className="jtree" data-testid="jtree">
      <Row node={root} depth={0} state={state} />
    </ul>
  );
}
