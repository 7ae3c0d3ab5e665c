// Tree on the left, the selected node's breadcrumb, facts and children on the right. The selection
// lives in the URL (…/jurisdictions/CODE) so it can be linked and survives a reload.
import { useCallback, useEffect, useState } from 'react';
import * as jurisdictions from '../api/jurisdictions.ts';
import type { JurisdictionNode } from '../api/types.ts';
import { navigate } from '../app/router.tsx';
import { useI18n } from '../i18n/index.tsx';
import { ErrorNote, Loading } from './ErrorNote.tsx';
import { JurisdictionDetail } from './JurisdictionDetail.tsx';
import { JurisdictionSearch } from './JurisdictionSearch.tsx';
import { JurisdictionTree, type TreeState } from './JurisdictionTree.tsx';
import { cachedDetail } from './scope.ts';
import { useAsync } from './useAsync.ts';

interface Props {
  /** Root of the tree: the user's scope; null for the whole city. */
  rootCode: string | null;
  /** Selected code from the URL; defaults to `initial`, then to the root. */
  selected: string | null;
  initial?: string | null;
  /** Path the selection is appended to, e.g. /workbench/jurisdictions. */
  basePath: string;
}

export function JurisdictionBrowser({ rootCode, selected, initial, basePath }: Props) {
  const { t } = useI18n();
  const rootQ = useAsync((signal) => jurisdictions.tree(rootCode, 1, signal), [rootCode]);
  const [kids, setKids] = useState<ReadonlyMap<string, JurisdictionNode[]>>(new Map());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [loading, setLoading] = useState<ReadonlySet<string>>(new Set());

  const root = rootQ.data;
  const selectedCode = selected ?? initial ?? root?.code ?? null;
  const detailQ = useAsync(async () => (selectedCode ? cachedDetail(selectedCode) : null), [selectedCode]);

  const putKids = useCallback((code: string, children: JurisdictionNode[]) => {
    setKids((m) => (m.get(code) === children ? m : new Map(m).set(code, children)));
  }, []);

  const load = useCallback(
    (code: string) => {
      setLoading((s) => new Set(s).add(code));
      cachedDetail(code)
        .then((d) => putKids(code, d.children))
        .catch(() => setExpanded((s) => withoutKey(s, code)))
        .finally(() => setLoading((s) => withoutKey(s, code)));
    },
    [putKids],
  );

  const expand = useCallback(
    (codes: string[]) => {
      setExpanded((s) => {
        const next = new Set(s);
        codes.forEach((c) => next.add(c));
        return next;
      });
      codes.forEach((c) => {
        if (!kids.has(c)) load(c);
      });
    },
    [kids, load],
  );

  // The root arrives with its children: show them straight away.
  useEffect(() => {
    if (!root) return;
    putKids(root.code, root.children ?? []);
    setExpanded((s) => new Set(s).add(root.code));
  }, [root, putKids]);

  // Open the path from the root down to the selection, so a located or linked node is visible.
  const detail = detailQ.data;
  useEffect(() => {
    if (!root || !detail) return;
    putKids(detail.node.code, detail.children);
    const path = detail.ancestors.map((a) => a.code);
    const from = path.indexOf(root.code);
    if (from >= 0) expand(path.slice(from));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [root, detail]);

  useEffect(() => {
    if (!selectedCode) return;
    const row = document.querySelector(`[data-code="${CSS.escape(selectedCode)}"] > .jtree-row`);
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [selectedCode, kids]);

  const hrefOf = (code: string) => `${basePath}/${encodeURIComponent(code)}`;
  const state: TreeState = {
    childrenOf: (code) => kids.get(code),
    isExpanded: (code) => expanded.has(code),
    isLoading: (code) => loading.has(code),
    selected: selectedCode,
    onToggle: (node) => (expanded.has(node.code) ? setExpanded((s) => withoutKey(s, node.code)) : expand([node.code])),
    onSelect: (node) => navigate(hrefOf(node.code)),
  };

  return (
    <div className="jbrowser" data-testid="jurisdiction-browser">
      <section className="panel jbrowser-tree" aria-label={t('j.tree')}>
        <h2 className="panel-title">{t('j.tree')}</h2>
        <JurisdictionSearch onPick={(node) => navigate(hrefOf(node.code))} />
        {rootQ.error ? <ErrorNote error={rootQ.error} title={t('j.loadFailed')} onRetry={rootQ.reload} /> : root ? <JurisdictionTree root={root} state={state} /> : <Loading />}
      </section>
      <div className="jbrowser-detail">
        {detailQ.error ? (
          <ErrorNote error={detailQ.error} title={t('j.loadFailed')} onRetry={detailQ.reload} />
        ) : detail ? (
          <JurisdictionDetail detail={detail} hrefOf={hrefOf} />
        ) : detailQ.loading ? (
          <Loading />
        ) : (
          <p className="empty">{t('j.selectHint')}</p>
        )}
      </div>
    </div>
  );
}

function withoutKey(s: ReadonlySet<string>, key: string): ReadonlySet<string> {
  if (!s.has(key)) return s;
  const next = new Set(s);
  next.delete(key);
  return next;
}
